// A gzip bomb stops at the size its IDX header declares (issue 9, finding 11).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

import { readIdxFile } from '../../lib/data/idx';

describe('gzip-compressed IDX files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-bomb-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]); // 10 x 28 x 28 ubyte

  test('a payload far beyond the header is rejected without inflating it', async () => {
    const file = path.join(dir, 'bomb-images-idx3-ubyte.gz');
    fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([header, Buffer.alloc(128 * 1024 * 1024)]), { level: 9 }));
    const before = process.memoryUsage().arrayBuffers;
    const err = await readIdxFile(file).then(() => null, (e) => e);
    expect(err?.name).toBe('DataFormatError');
    expect(err.message).toMatch(/inflates past the 7856 bytes its header declares/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  test('a well-formed gzip file still loads, its values intact', async () => {
    const file = path.join(dir, 'ok-images-idx3-ubyte.gz');
    const payload = Buffer.from(Array.from({ length: 7840 }, (_, i) => (i * 7) % 256));
    fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([header, payload])));
    const idx = await readIdxFile(file);
    expect(idx.shape).toEqual([10, 28, 28]);
    expect(Array.from(idx.data.slice(0, 5))).toEqual([0, 7, 14, 21, 28]);
  });
});
