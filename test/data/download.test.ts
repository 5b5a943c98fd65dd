// Downloads against a local HTTP server on 127.0.0.1 (never the internet): success, redirects, checksum, resume, errors, timeouts.

import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as zlib from 'zlib';
import { downloadCifar10, downloadFile, downloadMnist } from '../../lib/data/download';
import { ChecksumError, DownloadError } from '../../lib/data/errors';
import { loadMnistDir } from '../../lib/data/idx';
import { loadCifar10Dir } from '../../lib/data/cifar10';
import { cifarBytes, randomBytes, tmpdir, writeFakeMnist } from './fixtures';

const content = Buffer.from(randomBytes(50000, 77));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface Hit {
  url: string;
  range?: string;
  sent: number;
}

let server: http.Server;
let base: string;
let hits: Hit[] = [];
const files = new Map<string, Buffer>(); // extra paths served with Range support

function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  const hit: Hit = { url, range: req.headers.range, sent: 0 };
  hits.push(hit);
  const send = (status: number, headers: http.OutgoingHttpHeaders, body: Buffer): void => {
    hit.sent = body.length;
    res.writeHead(status, headers);
    res.end(body);
  };
  const body = url === '/file.bin' || url === '/norange.bin' ? content : files.get(url);
  if (url === '/redirect') return send(302, { location: '/file.bin' }, Buffer.alloc(0));
  if (url === '/loop') return send(302, { location: '/loop' }, Buffer.alloc(0));
  if (url === '/stall') {
    res.writeHead(200, { 'content-length': String(content.length) });
    res.write(content.subarray(0, 1000)); // then never finish
    return;
  }
  if (url === '/cut') {
    res.writeHead(200, { 'content-length': String(content.length) });
    res.write(content.subarray(0, 20000), () => res.socket?.destroy());
    return;
  }
  if (!body) return send(404, {}, Buffer.from('not found'));
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m && url !== '/norange.bin') {
    const from = Number(m[1]);
    if (from >= body.length) return send(416, { 'content-range': `bytes */${body.length}` }, Buffer.alloc(0));
    return send(206, { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}`, 'content-length': String(body.length - from) }, body.subarray(from));
  }
  send(200, { 'content-length': String(body.length) }, body);
}

beforeAll(async () => {
  server = http.createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  hits = [];
});

describe('downloadFile', () => {
  test('downloads, verifies sha256, reports progress, leaves no partial', async () => {
    const dir = tmpdir();
    const dest = path.join(dir, 'f.bin');
    const progress: number[] = [];
    await downloadFile(`${base}/file.bin`, dest, { checksum: { algorithm: 'sha256', hex: sha256(content) }, onProgress: (n) => progress.push(n) });
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['f.bin']);
    expect(progress[progress.length - 1]).toBe(content.length);
    // already present and valid: no second request
    await downloadFile(`${base}/file.bin`, dest, { checksum: { algorithm: 'sha256', hex: sha256(content) } });
    expect(hits.length).toBe(1);
  });

  test('follows redirects, and gives up on a redirect loop', async () => {
    const dir = tmpdir();
    await downloadFile(`${base}/redirect`, path.join(dir, 'r.bin'));
    expect(fs.readFileSync(path.join(dir, 'r.bin')).equals(content)).toBe(true);
    await expect(downloadFile(`${base}/loop`, path.join(dir, 'l.bin'), { maxRedirects: 3 })).rejects.toThrow(/more than 3 redirects/);
  });

  test('checksum mismatch removes the file', async () => {
    const dir = tmpdir();
    const dest = path.join(dir, 'f.bin');
    const p = downloadFile(`${base}/file.bin`, dest, { checksum: { algorithm: 'sha256', hex: '00'.repeat(32) } });
    await expect(p).rejects.toThrow(ChecksumError);
    await expect(downloadFile(`${base}/file.bin`, dest, { checksum: { algorithm: 'md5', hex: '00'.repeat(16) } })).rejects.toThrow(
      /could not download f\.bin from .*: md5 checksum mismatch \(expected 0+, got [0-9a-f]{32}\); the file was removed; pass --data DIR with local IDX files/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('resumes from a partial file with a Range request', async () => {
    const dir = tmpdir();
    const dest = path.join(dir, 'f.bin');
    fs.writeFileSync(`${dest}.partial`, content.subarray(0, 12345));
    await downloadFile(`${base}/file.bin`, dest, { checksum: { algorithm: 'sha256', hex: sha256(content) } });
    expect(hits[0].range).toBe('bytes=12345-');
    expect(hits[0].sent).toBe(content.length - 12345);
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
    expect(fs.existsSync(`${dest}.partial`)).toBe(false);
  });

  test('restarts when the server ignores Range', async () => {
    const dir = tmpdir();
    const dest = path.join(dir, 'f.bin');
    fs.writeFileSync(`${dest}.partial`, Buffer.from('garbage that must not survive'));
    await downloadFile(`${base}/norange.bin`, dest, { checksum: { algorithm: 'sha256', hex: sha256(content) } });
    expect(hits[0].range).toBe('bytes=29-');
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
  });

  test('a partial already complete (416) restarts cleanly', async () => {
    const dir = tmpdir();
    const dest = path.join(dir, 'f.bin');
    fs.writeFileSync(`${dest}.partial`, content);
    await downloadFile(`${base}/file.bin`, dest);
    expect(hits.map((h) => h.range)).toEqual([`bytes=${content.length}-`, undefined]);
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
  });

  test('a connection cut midway keeps the partial, and the next call resumes it', async () => {
    const dir = tmpdir();
    const dest = path.join(dir, 'f.bin');
    await expect(downloadFile(`${base}/cut`, dest)).rejects.toThrow(DownloadError);
    expect(fs.existsSync(dest)).toBe(false);
    const partial = fs.readFileSync(`${dest}.partial`);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.equals(content.subarray(0, partial.length))).toBe(true);
    hits = [];
    await downloadFile(`${base}/file.bin`, dest, { checksum: { algorithm: 'sha256', hex: sha256(content) } });
    expect(hits[0].range).toBe(`bytes=${partial.length}-`);
    expect(fs.readFileSync(dest).equals(content)).toBe(true);
  });

  test('HTTP 404 gives a clear error and no file', async () => {
    const dir = tmpdir();
    const err = await downloadFile(`${base}/missing.gz`, path.join(dir, 'm.gz')).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.name).toBe('DownloadError');
    expect(err.message).toBe(`could not download m.gz from ${base}/missing.gz: HTTP 404 Not Found; pass --data DIR with local IDX files`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('connection refused (offline) gives a clear error', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const err = await downloadFile(`http://127.0.0.1:${port}/x.gz`, path.join(tmpdir(), 'x.gz')).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(new RegExp(`^could not download x\\.gz from http://127\\.0\\.0\\.1:${port}/x\\.gz: .*ECONNREFUSED.*; pass --data DIR with local IDX files$`));
  });

  test('an idle connection times out', async () => {
    const err = await downloadFile(`${base}/stall`, path.join(tmpdir(), 's.bin'), { timeoutMs: 300 }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/no data for 300 ms \(timeout\)/);
  });
});

describe('dataset downloads', () => {
  test('downloadMnist fetches the four files and loadMnistDir reads them', async () => {
    const src = writeFakeMnist(tmpdir(), 5, 3, true);
    const checksums: Record<string, { algorithm: 'sha256'; hex: string }> = {};
    for (const f of fs.readdirSync(src.dir)) {
      const bytes = fs.readFileSync(path.join(src.dir, f));
      files.set(`/mnist/${f}`, bytes);
      checksums[f] = { algorithm: 'sha256', hex: sha256(bytes) };
    }
    const cache = tmpdir();
    const dir = await downloadMnist('mnist', { cacheDir: cache, mirrors: [`${base}/nowhere/`, `${base}/mnist/`], checksums });
    expect(dir).toBe(path.join(cache, 'mnist'));
    const m = await loadMnistDir(dir);
    expect(Array.from(m.testLabels.data)).toEqual(Array.from(src.testLabels));
    expect(m.trainImages.shape).toEqual([5, 28, 28, 1]);
  });

  test('downloadMnist checks the known checksums by default and says what to do offline', async () => {
    files.set('/fake/train-images-idx3-ubyte.gz', zlib.gzipSync(Buffer.from('not mnist')));
    const err = await downloadMnist('mnist', { cacheDir: tmpdir(), mirrors: [`${base}/fake/`] }).catch((e) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect(err.message).toMatch(/md5 checksum mismatch \(expected f68b3c2dcbeaaa9fbdd348bbdeb94873/);
    expect(err.message).toMatch(/pass --data DIR with local IDX files$/);
  });

  const hasTar = ((): boolean => {
    try {
      execFileSync('tar', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  (hasTar ? test : test.skip)('downloadCifar10 unpacks the six batches from a tar.gz made by tar(1)', async () => {
    const work = tmpdir();
    const inner = path.join(work, 'cifar-10-batches-bin');
    fs.mkdirSync(inner);
    const labels: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const b = cifarBytes(1, i);
      fs.writeFileSync(path.join(inner, `data_batch_${i}.bin`), b.bytes);
      labels.push(...b.labels);
    }
    fs.writeFileSync(path.join(inner, 'test_batch.bin'), cifarBytes(2, 50).bytes);
    fs.writeFileSync(path.join(inner, 'batches.meta.txt'), 'airplane\n');
    execFileSync('tar', ['-czf', path.join(work, 'c.tar.gz'), '-C', work, 'cifar-10-batches-bin']);
    const archive = fs.readFileSync(path.join(work, 'c.tar.gz'));
    files.set('/cifar/cifar-10-binary.tar.gz', archive);
    const cache = tmpdir();
    const dir = await downloadCifar10({
      cacheDir: cache,
      mirrors: [`${base}/cifar/`],
      checksums: { 'cifar-10-binary.tar.gz': { algorithm: 'sha256', hex: sha256(archive) } },
    });
    const d = await loadCifar10Dir(dir);
    expect(Array.from(d.trainLabels.data)).toEqual(labels);
    expect(d.testImages.shape).toEqual([2, 32, 32, 3]);
    expect(fs.readdirSync(dir).sort()).toEqual(['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']);
  });
});
