// writeFileAtomic: the target is either the old file or the complete new one, and no temp file is left behind.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../lib/io/atomic';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
}

describe('writeFileAtomic', () => {
  test('creates and replaces a file, leaving no temp files', async () => {
    const dir = tmpdir();
    const f = path.join(dir, 'model.json');
    await writeFileAtomic(f, 'first');
    expect(fs.readFileSync(f, 'utf8')).toBe('first');
    const bytes = Uint8Array.from({ length: 100000 }, (_, i) => (i * 31 + 7) & 255);
    await writeFileAtomic(f, bytes);
    expect(fs.readFileSync(f).equals(Buffer.from(bytes))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
  });

  test('temp path lives beside the target and is unique', () => {
    const a = tempPathFor('/x/y/w.safetensors');
    expect(path.dirname(a)).toBe('/x/y');
    expect(a).toMatch(new RegExp(`^/x/y/w\\.safetensors\\.tmp-${process.pid}-[0-9a-f]+$`));
    expect(tempPathFor('/x/y/w.safetensors')).not.toBe(a);
  });

  test('a write failing midway (disk full) keeps the old file and removes the temp', async () => {
    const dir = tmpdir();
    const f = path.join(dir, 'weights.bin');
    fs.writeFileSync(f, 'old contents');
    const failing = async (h: fs.promises.FileHandle, data: Uint8Array): Promise<void> => {
      await h.write(data, 0, Math.floor(data.length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    await expect(writeFileAtomic(f, new Uint8Array(4096).fill(9), { write: failing })).rejects.toThrow(/ENOSPC/);
    expect(fs.readFileSync(f, 'utf8')).toBe('old contents');
    expect(fs.readdirSync(dir)).toEqual(['weights.bin']);
  });

  test('a failing rename (target is a directory) removes the temp', async () => {
    const dir = tmpdir();
    const f = path.join(dir, 'occupied');
    fs.mkdirSync(f);
    fs.writeFileSync(path.join(f, 'inside'), 'x');
    await expect(writeFileAtomic(f, 'data')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['occupied']);
    expect(fs.readFileSync(path.join(f, 'inside'), 'utf8')).toBe('x');
  });

  test('a missing directory fails without creating anything', async () => {
    const dir = tmpdir();
    await expect(writeFileAtomic(path.join(dir, 'nope', 'f'), 'data')).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('writeFileAtomicSync', () => {
  test('replaces a file and cleans up on failure', () => {
    const dir = tmpdir();
    const f = path.join(dir, 'a.txt');
    writeFileAtomicSync(f, 'one');
    writeFileAtomicSync(f, 'two');
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    const d = path.join(dir, 'sub');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'k'), '');
    expect(() => writeFileAtomicSync(d, 'x')).toThrow();
    expect(fs.readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
  });
});
