// IDX decoding and the MNIST directory loader, including the clear errors on malformed or truncated files.

import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { decodeIdx, loadMnistDir, readIdxFile } from '../../lib/data/idx';
import { DataFormatError, DataNotFoundError } from '../../lib/data/errors';
import { idxBytes, randomBytes, tmpdir, writeFakeMnist } from './fixtures';

function formatError(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    expect((e as Error).name).toBe('DataFormatError');
    return e as DataFormatError;
  }
  throw new Error('expected a DataFormatError');
}

describe('decodeIdx', () => {
  test('ubyte rank 3', () => {
    const px = randomBytes(2 * 3 * 4, 1);
    const a = decodeIdx(idxBytes(0x08, [2, 3, 4], px), 'f');
    expect(a.type).toBe('uint8');
    expect(a.shape).toEqual([2, 3, 4]);
    expect(Array.from(a.data)).toEqual(Array.from(px));
  });

  test('big-endian int32, int16 and float32 payloads', () => {
    const be = Buffer.alloc(12);
    [-5, 70000, 2 ** 31 - 1].forEach((v, i) => be.writeInt32BE(v, 4 * i));
    expect(Array.from(decodeIdx(idxBytes(0x0c, [3], be), 'f').data)).toEqual([-5, 70000, 2 ** 31 - 1]);
    const s = Buffer.alloc(4);
    s.writeInt16BE(-300, 0);
    s.writeInt16BE(1234, 2);
    expect(Array.from(decodeIdx(idxBytes(0x0b, [2], s), 'f').data)).toEqual([-300, 1234]);
    const f = Buffer.alloc(8);
    f.writeFloatBE(1.5, 0);
    f.writeFloatBE(-0.25, 4);
    const d = decodeIdx(idxBytes(0x0d, [1, 2], f), 'f');
    expect(d.shape).toEqual([1, 2]);
    expect(Array.from(d.data)).toEqual([1.5, -0.25]);
  });

  test('truncated payload names the file and the byte counts', () => {
    const full = idxBytes(0x08, [3, 28, 28], randomBytes(3 * 784, 2));
    const e = formatError(() => decodeIdx(full.subarray(0, full.length - 1), 'train-images-idx3-ubyte'));
    expect(e.message).toContain('train-images-idx3-ubyte');
    expect(e.message).toMatch(/truncated.*need 2352 bytes .* file has 2351/);
    expect(formatError(() => decodeIdx(Buffer.concat([full, Buffer.of(0)]), 'x')).message).toMatch(/trailing bytes.*need 2352.*has 2353/);
  });

  test('bad magic, type, rank and short headers', () => {
    expect(formatError(() => decodeIdx(Buffer.of(0x1f, 0x8b, 8, 1, 0, 0, 0, 0), 'f')).message).toMatch(/not an IDX file/);
    expect(formatError(() => decodeIdx(Buffer.of(0, 0, 0x07, 1, 0, 0, 0, 0), 'f')).message).toMatch(/unknown IDX element type byte 0x07/);
    expect(formatError(() => decodeIdx(Buffer.of(0, 0, 8), 'f')).message).toMatch(/too short/);
    expect(formatError(() => decodeIdx(Buffer.of(0, 0, 8, 3, 0, 0, 0, 1), 'f')).message).toMatch(/truncated IDX header: 3 dimensions need 16 bytes, file has 8/);
    expect(formatError(() => decodeIdx(idxBytes(8, [2], Buffer.of(1, 2)), 'f', { rank: 3 })).message).toMatch(/expected an IDX file of rank 3.*got rank 1/);
    expect(formatError(() => decodeIdx(idxBytes(0x0c, [1], Buffer.alloc(4)), 'f', { type: 'uint8' })).message).toMatch(/expected IDX element type uint8, got int32/);
    expect(formatError(() => decodeIdx(Buffer.of(0, 0, 8, 0), 'f')).message).toMatch(/rank is 0/);
  });

  test('reads gzip by content and rejects a truncated gzip stream', async () => {
    const dir = tmpdir();
    const px = randomBytes(50, 3);
    const raw = idxBytes(8, [50], px);
    const gz = zlib.gzipSync(raw);
    fs.writeFileSync(path.join(dir, 'a'), gz); // no .gz suffix on purpose
    expect(Array.from((await readIdxFile(path.join(dir, 'a'))).data)).toEqual(Array.from(px));
    fs.writeFileSync(path.join(dir, 'b.gz'), gz.subarray(0, gz.length - 10));
    await expect(readIdxFile(path.join(dir, 'b.gz'))).rejects.toThrow(DataFormatError);
    await expect(readIdxFile(path.join(dir, 'b.gz'))).rejects.toThrow(/b\.gz: gzip data is corrupt or truncated/);
  });
});

describe('loadMnistDir', () => {
  test('loads gz and raw files into NHWC float32 in [0,1] and int32 labels', async () => {
    const f = writeFakeMnist(tmpdir(), 7, 3);
    const m = await loadMnistDir(f.dir);
    expect(m.trainImages.shape).toEqual([7, 28, 28, 1]);
    expect(m.testImages.shape).toEqual([3, 28, 28, 1]);
    expect(m.trainImages.data).toBeInstanceOf(Float32Array);
    expect(m.trainLabels.data).toBeInstanceOf(Int32Array);
    for (let i = 0; i < f.trainPixels.length; i += 97) expect(m.trainImages.data[i]).toBeCloseTo(f.trainPixels[i] / 255, 6);
    expect(m.testImages.data[2 * 784 + 5 * 28 + 9]).toBeCloseTo(f.testPixels[2 * 784 + 5 * 28 + 9] / 255, 6);
    expect(Array.from(m.trainLabels.data)).toEqual(Array.from(f.trainLabels));
    expect(Array.from(m.testLabels.data)).toEqual(Array.from(f.testLabels));
    expect(m.trainLabels.shape).toEqual([7]);
  });

  test('accepts the dotted spelling (train-images.idx3-ubyte)', async () => {
    const f = writeFakeMnist(tmpdir(), 2, 2, true);
    fs.renameSync(path.join(f.dir, 't10k-images-idx3-ubyte.gz'), path.join(f.dir, 't10k-images.idx3-ubyte.gz'));
    expect((await loadMnistDir(f.dir)).testImages.shape).toEqual([2, 28, 28, 1]);
  });

  test('missing files', async () => {
    const dir = tmpdir();
    await expect(loadMnistDir(dir)).rejects.toThrow(DataNotFoundError);
    writeFakeMnist(dir, 2, 2);
    fs.unlinkSync(path.join(dir, 't10k-labels-idx1-ubyte'));
    await expect(loadMnistDir(dir)).rejects.toThrow(/missing MNIST IDX file\(s\): t10k-labels-idx1-ubyte\[\.gz\]/);
  });

  test('truncated image file is rejected with the file name and byte counts', async () => {
    const f = writeFakeMnist(tmpdir(), 4, 3);
    const file = path.join(f.dir, 't10k-images-idx3-ubyte');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    await expect(loadMnistDir(f.dir)).rejects.toThrow(DataFormatError);
    await expect(loadMnistDir(f.dir)).rejects.toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')}: IDX payload truncated.*need 2352 bytes.*file has 2252`));
  });

  test('label out of range, count mismatch, and swapped files', async () => {
    const a = writeFakeMnist(tmpdir(), 3, 2);
    fs.writeFileSync(path.join(a.dir, 't10k-labels-idx1-ubyte'), idxBytes(8, [2], Uint8Array.of(3, 10)));
    await expect(loadMnistDir(a.dir)).rejects.toThrow(/label 10 at index 1 is not below 10/);
    fs.writeFileSync(path.join(a.dir, 't10k-labels-idx1-ubyte'), idxBytes(8, [3], Uint8Array.of(3, 1, 2)));
    await expect(loadMnistDir(a.dir)).rejects.toThrow(/holds 2 images but .* holds 3 labels/);
    fs.copyFileSync(path.join(a.dir, 't10k-images-idx3-ubyte'), path.join(a.dir, 't10k-labels-idx1-ubyte'));
    await expect(loadMnistDir(a.dir)).rejects.toThrow(/expected an IDX file of rank 1/);
  });
});
