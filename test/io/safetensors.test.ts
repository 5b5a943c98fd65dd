// safetensors: byte-exact format against a hand-built file, bit-identical round trips, and hostile inputs that must fail cleanly.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  MAX_HEADER_BYTES,
  SafetensorsError,
  parseSafetensors,
  readSafetensorsFile,
  serializeSafetensors,
  tensorValues,
  writeSafetensorsFile,
} from '../../lib/io/safetensors';
import { mulberry32 } from '../../lib/data/prng';

function randomBits(n: number, seed: number): Uint32Array {
  const r = mulberry32(seed);
  return Uint32Array.from({ length: n }, () => Math.floor(r() * 2 ** 32));
}

/** A file built by hand from the format description: u64 LE header size, JSON header, data. */
function handMade(header: string, data: number[]): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const out = Buffer.alloc(8 + h.length + data.length);
  out.writeBigUInt64LE(BigInt(h.length), 0);
  h.copy(out, 8);
  Buffer.from(data).copy(out, 8 + h.length);
  return out;
}

function f32le(...v: number[]): number[] {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeFloatLE(x, 4 * i));
  return [...b];
}

function expectError(bytes: Uint8Array, pattern: RegExp): void {
  let err: unknown;
  try {
    parseSafetensors(bytes, 'evil.safetensors');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SafetensorsError);
  expect((err as Error).name).toBe('SafetensorsError');
  expect((err as Error).message).toMatch(/^evil\.safetensors: /);
  expect((err as Error).message).toMatch(pattern);
}

describe('safetensors format', () => {
  test('parses a hand-built file', () => {
    const header = '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}';
    const i32 = [...Buffer.from(Int32Array.of(-7).buffer)];
    const file = parseSafetensors(handMade(header, [...f32le(1.5, -2.25), ...i32]));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.tensors.keys()]).toEqual(['w', 'b']);
    const w = file.tensors.get('w')!;
    expect(w.dtype).toBe('F32');
    expect(w.shape).toEqual([2, 1]);
    expect(Array.from(tensorValues(w) as Float32Array)).toEqual([1.5, -2.25]);
    expect(Array.from(tensorValues(file.tensors.get('b')!) as Int32Array)).toEqual([-7]);
  });

  test('writes the layout the format prescribes', () => {
    const bytes = serializeSafetensors({ a: { data: Float32Array.of(1, 2, 3), shape: [3] } }, { note: 'x' });
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const text = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    expect(text).toMatch(/^\{.*\} *$/);
    expect(JSON.parse(text)).toEqual({ __metadata__: { note: 'x' }, a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] } });
    expect([...bytes.subarray(8 + n)]).toEqual(f32le(1, 2, 3));
  });

  test('round trip is bit-identical across dtypes, keeps header order and aligns every tensor', () => {
    const f32 = new Float32Array(randomBits(60, 1).buffer); // arbitrary bit patterns, NaN payloads included
    const f64 = new Float64Array(randomBits(10, 2).buffer);
    const i32 = new Int32Array(randomBits(7, 3).buffer);
    const u8 = new Uint8Array(randomBits(5, 4).buffer).subarray(0, 13);
    const i64 = new BigInt64Array(randomBits(6, 5).buffer);
    const bf16 = new Uint16Array(randomBits(3, 6).buffer);
    const tensors = new Map([
      ['bytes', { data: u8, shape: [13] }],
      ['conv.weight', { data: f32, shape: [3, 4, 5] }],
      ['empty', { data: new Float32Array(0), shape: [0, 4] }],
      ['scalar', { data: Int32Array.of(42), shape: [] as number[] }],
      ['f64', { data: f64, shape: [5, 1] }],
      ['i32', { data: i32, shape: [7] }],
      ['i64', { data: i64, shape: [3] }],
      ['bf16', { data: bf16, shape: [2, 3], dtype: 'BF16' as const }],
    ]);
    const bytes = serializeSafetensors(tensors, { epoch: '3' });
    const back = parseSafetensors(bytes);
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    expect(back.metadata).toEqual({ epoch: '3' });
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    for (const [name, t] of tensors) {
      const v = back.tensors.get(name)!;
      expect(v.shape).toEqual(t.shape);
      const start = v.bytes.byteOffset - (bytes.byteOffset + 8 + n);
      expect(start % t.data.BYTES_PER_ELEMENT).toBe(0);
      const got = tensorValues(v);
      expect(got.constructor).toBe(t.data.constructor);
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(true);
    }
    expect(back.tensors.get('bf16')!.dtype).toBe('BF16');
    expect(back.tensors.get('i64')!.dtype).toBe('I64');
  });

  test('file round trip', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-'));
    const file = path.join(dir, 'weights.safetensors');
    const w = new Float32Array(randomBits(12, 9).buffer).map((x) => (Number.isFinite(x) ? x : 0.5));
    await writeSafetensorsFile(file, { w: { data: w, shape: [3, 4] } });
    const back = await readSafetensorsFile(file);
    expect(Array.from(tensorValues(back.tensors.get('w')!) as Float32Array)).toEqual(Array.from(w));
    expect(fs.readdirSync(dir)).toEqual(['weights.safetensors']);
  });

  test('writer rejects inconsistent input', () => {
    expect(() => serializeSafetensors({ a: { data: new Float32Array(5), shape: [2, 2] } })).toThrow(/needs 4 elements, data has 5/);
    expect(() => serializeSafetensors({ a: { data: new Float32Array(2), shape: [2], dtype: 'F64' } })).toThrow(/8-byte elements/);
    expect(() => serializeSafetensors({ __metadata__: { data: new Float32Array(1), shape: [1] } })).toThrow(SafetensorsError);
    expect(() => serializeSafetensors({ a: { data: Uint8Array.of(2), shape: [1], dtype: 'BOOL' } })).toThrow(/0 or 1/);
    expect(() => serializeSafetensors({}, { k: 3 as unknown as string })).toThrow(/must be a string/);
  });
});

describe('safetensors reader rejects hostile files', () => {
  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const data8 = f32le(1, 2);

  test('too short / header length out of range', () => {
    expectError(new Uint8Array(5), /shorter than the 8-byte/);
    const huge = Buffer.alloc(16);
    huge.writeBigUInt64LE(2n ** 63n, 0);
    expectError(huge, /exceeds the 100000000-byte limit/);
    const over = Buffer.alloc(16);
    over.writeBigUInt64LE(BigInt(MAX_HEADER_BYTES), 0);
    expectError(over, /exceeds the 8 bytes after the length field/);
  });

  test('header that is not a JSON object', () => {
    expectError(handMade('{"a":', []), /not valid JSON/);
    expectError(handMade('[1, 2]', []), /does not start with/);
    expectError(handMade('{}', []).subarray(0, 9), /exceeds/);
    const bad = handMade('{"\xff"}', []);
    bad[10] = 0xff;
    expectError(bad, /UTF-8/);
    expectError(handMade('{"__metadata__":{"k":1}}', []), /__metadata__ value "k" is not a string/);
    expectError(handMade('{"__metadata__":[]}', []), /__metadata__ is not an object/);
    expectError(handMade('{"a":3}', []), /tensor "a" is not an object/);
  });

  test('bad dtype, shape or offsets', () => {
    expectError(handMade(good.replace('F32', 'F33'), data8), /unknown dtype "F33"/);
    expectError(handMade(good.replace('[2]', '[-2]'), data8), /invalid dimension -2/);
    expectError(handMade(good.replace('[2]', '[2.5]'), data8), /invalid dimension 2.5/);
    expectError(handMade(good.replace('[2]', '"2"'), data8), /no shape array/);
    expectError(handMade(good.replace('[2]', '[3]'), data8), /needs 12 bytes, data_offsets span 8/);
    expectError(handMade(good.replace('[0,8]', '[0,16]'), data8), /run past the 8-byte data section/);
    expectError(handMade(good.replace('[0,8]', '[8,0]'), data8), /reversed/);
    expectError(handMade(good.replace('[0,8]', '[0]'), data8), /two non-negative integers/);
    expectError(handMade(good.replace('[0,8]', '[-8,0]'), data8), /two non-negative integers/);
    expectError(handMade(good.replace('"shape"', '"extra":1,"shape"'), data8), /unknown field "extra"/);
    expectError(handMade(good.replace('[2]', '[9007199254740991,9007199254740991]'), data8), /too many elements/);
  });

  test('overlaps, gaps and uncovered bytes', () => {
    const two = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}';
    expectError(handMade(two, f32le(1, 2, 3)), /overlaps/);
    const gap = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expectError(handMade(gap, data8), /bytes \[0, 4\) .* belong to no tensor/);
    expectError(handMade(good, [...data8, 0, 0, 0, 0]), /bytes \[8, 12\) .* belong to no tensor/);
    expectError(handMade(good, data8.slice(0, 7)), /run past the 7-byte data section/);
  });

  test('every truncation of a valid file fails cleanly', () => {
    const bytes = serializeSafetensors({
      w: { data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] },
      b: { data: Int32Array.of(5, 6), shape: [2] },
    });
    for (let len = 0; len < bytes.length; len++) expect(() => parseSafetensors(bytes.subarray(0, len))).toThrow(SafetensorsError);
    expect(parseSafetensors(bytes).tensors.size).toBe(2);
  });

  test('random corruption never escapes as anything but SafetensorsError', () => {
    const bytes = serializeSafetensors({
      w: { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] },
      b: { data: Int32Array.of(5, 6), shape: [2] },
    });
    const rng = mulberry32(1234);
    for (let iter = 0; iter < 3000; iter++) {
      const mutated = Uint8Array.from(bytes);
      const flips = 1 + Math.floor(rng() * 3);
      for (let k = 0; k < flips; k++) {
        // Bias toward the length field and header, where damage is interesting.
        const pos = Math.floor(rng() * (rng() < 0.8 ? Math.min(mutated.length, 120) : mutated.length));
        mutated[pos] = Math.floor(rng() * 256);
      }
      try {
        const parsed = parseSafetensors(mutated);
        for (const t of parsed.tensors.values()) tensorValues(t);
      } catch (e) {
        expect(e).toBeInstanceOf(SafetensorsError);
      }
    }
  });
});
