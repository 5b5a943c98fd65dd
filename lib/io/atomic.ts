// Atomic file replacement: write a temp file beside the target, fsync it, rename it over the target, fsync the directory.

import { promises as fsp } from 'fs';
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/** How the bytes reach the open temp file; tests inject a failing one to simulate a full disk. */
export type WriteFn = (handle: fsp.FileHandle, data: Uint8Array) => Promise<void>;

export interface AtomicWriteOptions {
  mode?: number; // file mode of the new file (default 0o644)
  write?: WriteFn;
}

const defaultWrite: WriteFn = async (handle, data) => {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await handle.write(data, off, data.length - off);
    off += bytesWritten;
  }
};

/** The temp name used for `target`: same directory (so rename never crosses filesystems), unique per process and call. */
export function tempPathFor(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Replaces `target` with `data` so that a reader (or a crash, or a full disk) sees either the old file or the
 * complete new one, never a mix. On failure the temp file is removed and the old file is left untouched.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string, opts: AtomicWriteOptions = {}): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempPathFor(target);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, 'wx', opts.mode ?? 0o644);
    await (opts.write ?? defaultWrite)(handle, bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, target);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(path.dirname(target));
}

/** Synchronous twin of writeFileAtomic, for exit paths and CLIs that cannot await. */
export function writeFileAtomicSync(target: string, data: Uint8Array | string, opts: { mode?: number } = {}): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', opts.mode ?? 0o644);
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing; the original error matters */
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* temp may not exist */
    }
    throw e;
  }
  try {
    const dfd = fs.openSync(path.dirname(target), 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    /* see syncDir */
  }
}

/** Makes the rename durable. Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there. */
async function syncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch {
    /* best effort: see above */
  } finally {
    await h?.close().catch(() => undefined);
  }
}
