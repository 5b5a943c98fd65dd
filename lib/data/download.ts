// Downloads dataset files into a cache directory: redirects, timeouts, Range resume from `file.partial`, checksum check, atomic rename.

import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { ChecksumError, DataFormatError, DownloadError } from './errors';
import { readTar } from './tar';
import { writeFileAtomic } from '../io/atomic';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar10';
import { MNIST_FILES } from './idx';

export interface Checksum {
  algorithm: 'sha256' | 'md5';
  hex: string;
}

export interface DownloadOptions {
  /** Expected digest of the complete file; without one the file is accepted as received. */
  checksum?: Checksum;
  /** Abort when the connection is idle this long (ms). Default 30 s. */
  timeoutMs?: number;
  maxRedirects?: number; // default 5
  /** Appended to every error message: how to proceed without the network. */
  hint?: string;
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

const IDX_HINT = 'pass --data DIR with local IDX files';
const CIFAR_HINT = 'pass --data DIR with the CIFAR-10 binary batches (data_batch_1.bin .. test_batch.bin)';

/** ~/.cache/tensornode, or $TENSORNODE_CACHE, or $XDG_CACHE_HOME/tensornode. */
export function defaultCacheDir(): string {
  if (process.env.TENSORNODE_CACHE) return process.env.TENSORNODE_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tensornode');
}

export async function fileDigest(file: string, algorithm: Checksum['algorithm']): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Downloads `url` to `dest` unless `dest` already exists (and matches the checksum, if one is given).
 * Bytes go to `dest.partial`; an interrupted download resumes from there with a Range request when the
 * server honours it (206), and restarts from zero when it does not (200). Only a complete file whose
 * checksum matches is renamed to `dest`; a mismatching one is deleted.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<string> {
  const name = path.basename(dest);
  const fail = (reason: string): DownloadError =>
    new DownloadError(`could not download ${name} from ${url}: ${reason}${opts.hint === '' ? '' : `; ${opts.hint ?? IDX_HINT}`}`);

  if (fs.existsSync(dest)) {
    if (!opts.checksum || (await fileDigest(dest, opts.checksum.algorithm)) === opts.checksum.hex.toLowerCase()) return dest;
    await fsp.unlink(dest); // a stale or corrupt cached copy: fetch it again
  }
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  const partial = `${dest}.partial`;
  try {
    await fetchToPartial(url, partial, opts);
  } catch (e) {
    throw fail(describe(e));
  }
  if (opts.checksum) {
    const got = await fileDigest(partial, opts.checksum.algorithm);
    if (got !== opts.checksum.hex.toLowerCase()) {
      await fsp.unlink(partial).catch(() => undefined);
      throw new ChecksumError(
        `could not download ${name} from ${url}: ${opts.checksum.algorithm} checksum mismatch (expected ${opts.checksum.hex.toLowerCase()}, got ${got}); ` +
          `the file was removed${opts.hint === '' ? '' : `; ${opts.hint ?? IDX_HINT}`}`,
      );
    }
  }
  const h = await fsp.open(partial, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
  await fsp.rename(partial, dest);
  return dest;
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code && !String(err.message).includes(err.code)) return `${err.code} ${err.message}`;
  return err?.message ?? String(e);
}

async function fetchToPartial(url: string, partial: string, opts: DownloadOptions): Promise<void> {
  const maxRedirects = opts.maxRedirects ?? 5;
  let current = url;
  let restarted = false;
  for (let hops = 0; ; ) {
    let have = 0;
    try {
      have = (await fsp.stat(partial)).size;
    } catch {
      have = 0;
    }
    const res = await request(current, have, opts.timeoutMs ?? 30000);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (++hops > maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
      current = new URL(res.headers.location, current).toString();
      continue;
    }
    if (status === 416 && have > 0 && !restarted) {
      // The server will not serve from our offset (the partial is already complete, or is garbage): start over.
      res.resume();
      await fsp.unlink(partial);
      restarted = true;
      continue;
    }
    if (status === 206) {
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
      if (!m || Number(m[1]) !== have) {
        res.resume();
        if (restarted) throw new Error(`server sent an unexpected Content-Range "${res.headers['content-range']}"`);
        await fsp.unlink(partial);
        restarted = true;
        continue;
      }
      const total = m[2] === '*' ? undefined : Number(m[2]);
      await receive(res, partial, 'a', have, total, opts);
      return;
    }
    if (status === 200) {
      const len = res.headers['content-length'];
      await receive(res, partial, 'w', 0, len === undefined ? undefined : Number(len), opts);
      return;
    }
    res.resume();
    throw new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trim());
  }
}

function request(url: string, from: number, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
    if (!mod) return reject(new Error(`unsupported protocol ${u.protocol}`));
    const headers: Record<string, string> = { 'user-agent': 'tensornode' };
    if (from > 0) headers.range = `bytes=${from}-`;
    let response: http.IncomingMessage | undefined;
    const req = mod.get(u, { headers }, (res) => {
      response = res;
      res.on('aborted', () => res.destroy(new Error('connection closed before the response finished')));
      resolve(res);
    });
    // The socket timeout keeps running while the body streams, so an idle stall mid-body aborts too;
    // the response is destroyed first so its consumer sees this reason rather than a generic reset.
    req.setTimeout(timeoutMs, () => {
      const e = new Error(`no data for ${timeoutMs} ms (timeout)`);
      response?.destroy(e);
      req.destroy(e);
    });
    req.on('error', reject);
  });
}

function receive(
  res: http.IncomingMessage,
  partial: string,
  flags: 'a' | 'w',
  start: number,
  total: number | undefined,
  opts: DownloadOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(partial, { flags });
    let received = start;
    let failed = false;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      opts.onProgress?.(received, total);
    });
    res.on('error', (e) => {
      if (failed) return;
      failed = true;
      // Flush what did arrive so a later call can resume from it, then report.
      res.unpipe(out);
      out.end(() => reject(e));
    });
    out.on('error', (e) => {
      if (failed) return;
      failed = true;
      res.destroy();
      reject(e);
    });
    out.on('finish', () => {
      if (failed) return;
      if (total !== undefined && received !== total) {
        failed = true;
        reject(new Error(`connection closed after ${received} of ${total} bytes`));
      } else resolve();
    });
    res.pipe(out);
  });
}

export type MnistVariant = 'mnist' | 'fashion-mnist';

/** Public mirrors, tried in order. */
export const MNIST_MIRRORS: Record<MnistVariant, string[]> = {
  mnist: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/'],
  'fashion-mnist': [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  ],
};

/**
 * Known checksums of the standard files. These are the MD5 digests the dataset authors publish (and torchvision
 * checks); SHA-256 digests of these files were not available to us reliably, so callers wanting SHA-256 pass it
 * in `checksums`. MD5 here guards against corruption and wrong files, not against a malicious mirror.
 */
export const KNOWN_CHECKSUMS: Record<string, Checksum> = {
  'mnist/train-images-idx3-ubyte.gz': { algorithm: 'md5', hex: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
  'mnist/train-labels-idx1-ubyte.gz': { algorithm: 'md5', hex: 'd53e105ee54ea40749a09fcbcd1e9432' },
  'mnist/t10k-images-idx3-ubyte.gz': { algorithm: 'md5', hex: '9fb629c4189551a2d022fa330f9573f3' },
  'mnist/t10k-labels-idx1-ubyte.gz': { algorithm: 'md5', hex: 'ec29112dd5afa0611ce80d1b7f02629c' },
  'fashion-mnist/train-images-idx3-ubyte.gz': { algorithm: 'md5', hex: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
  'fashion-mnist/train-labels-idx1-ubyte.gz': { algorithm: 'md5', hex: '25c81989df183df01b3e8a0aad5dffbe' },
  'fashion-mnist/t10k-images-idx3-ubyte.gz': { algorithm: 'md5', hex: 'bef4ecab320f06d8554ea6380940ec79' },
  'fashion-mnist/t10k-labels-idx1-ubyte.gz': { algorithm: 'md5', hex: 'bb300cfdad3c16e7a12a480ee83cd310' },
  'cifar10/cifar-10-binary.tar.gz': { algorithm: 'md5', hex: 'c32a1d4ab5d03f1284b67883e8d87530' },
};

export interface DatasetDownloadOptions extends Omit<DownloadOptions, 'checksum' | 'hint'> {
  cacheDir?: string; // default defaultCacheDir()
  /** Base URLs (ending in '/') to try in order instead of the public mirrors. */
  mirrors?: string[];
  /** Checksums by file name, replacing the known ones; `null` disables the check for that file. */
  checksums?: Record<string, Checksum | null>;
}

async function fromMirrors(file: string, dest: string, mirrors: string[], checksum: Checksum | undefined, hint: string, opts: DatasetDownloadOptions): Promise<void> {
  const reasons: string[] = [];
  for (const base of mirrors) {
    try {
      await downloadFile(new URL(file, base).toString(), dest, { ...opts, checksum, hint: '' });
      return;
    } catch (e) {
      if (mirrors.length === 1) throw new (e instanceof ChecksumError ? ChecksumError : DownloadError)(`${(e as Error).message}; ${hint}`);
      reasons.push((e as Error).message);
    }
  }
  throw new DownloadError(`${reasons.join('; ')}; ${hint}`);
}

function pick(opts: DatasetDownloadOptions, key: string, file: string): Checksum | undefined {
  if (opts.checksums && file in opts.checksums) return opts.checksums[file] ?? undefined;
  return KNOWN_CHECKSUMS[key];
}

/** Downloads the four MNIST (or Fashion-MNIST) .gz files into `<cacheDir>/<variant>` and returns that directory (for loadMnistDir). */
export async function downloadMnist(variant: MnistVariant = 'mnist', opts: DatasetDownloadOptions = {}): Promise<string> {
  const dir = path.join(opts.cacheDir ?? defaultCacheDir(), variant);
  const mirrors = opts.mirrors ?? MNIST_MIRRORS[variant];
  for (const stem of Object.values(MNIST_FILES)) {
    const file = `${stem}.gz`;
    await fromMirrors(file, path.join(dir, file), mirrors, pick(opts, `${variant}/${file}`, file), IDX_HINT, opts);
  }
  return dir;
}

export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';

const gunzip = promisify(zlib.gunzip);

/**
 * Downloads the CIFAR-10 binary archive into `<cacheDir>/cifar10`, unpacks only the six expected batch files
 * (never a path from the archive) into `<cacheDir>/cifar10/cifar-10-batches-bin`, and returns that directory.
 */
export async function downloadCifar10(opts: DatasetDownloadOptions = {}): Promise<string> {
  const root = path.join(opts.cacheDir ?? defaultCacheDir(), 'cifar10');
  const out = path.join(root, 'cifar-10-batches-bin');
  const wanted = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  if (wanted.every((f) => fs.existsSync(path.join(out, f)))) return out;
  const archiveName = 'cifar-10-binary.tar.gz';
  const archive = path.join(root, archiveName);
  const mirrors = opts.mirrors ?? [CIFAR10_URL.slice(0, CIFAR10_URL.lastIndexOf('/') + 1)];
  await fromMirrors(archiveName, archive, mirrors, pick(opts, `cifar10/${archiveName}`, archiveName), CIFAR_HINT, opts);
  let tar: Uint8Array;
  try {
    tar = await gunzip(await fsp.readFile(archive));
  } catch (e) {
    throw new DataFormatError(`${archive}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
  const entries = new Map(readTar(tar, archive).filter((e) => e.type === '0').map((e) => [path.posix.basename(e.name), e.data]));
  const missing = wanted.filter((f) => !entries.has(f));
  if (missing.length) throw new DataFormatError(`${archive}: archive lacks ${missing.join(', ')}`);
  await fsp.mkdir(out, { recursive: true });
  for (const f of wanted) await writeFileAtomic(path.join(out, f), entries.get(f)!);
  return out;
}
