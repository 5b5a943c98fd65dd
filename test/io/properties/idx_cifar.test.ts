// Property tests of the IDX (MNIST) and CIFAR-10 batch decoders: encoded data decodes bit-identical, and mutated
// bytes either decode into arrays that match their shape and fit the input, or throw DataFormatError.
import * as fc from 'fast-check';
import { decodeIdx, type IdxType } from '../../../lib/data/idx';
import { decodeCifar10Batch } from '../../../lib/data/cifar10';
import { DataFormatError } from '../../../lib/data/errors';
import { mutationsArb, mutate, SEED, typedOrConsistent } from './mutate';

const TYPES: { type: IdxType; code: number; size: number; read: (v: DataView, o: number) => number }[] = [
  { type: 'uint8', code: 0x08, size: 1, read: (v, o) => v.getUint8(o) },
  { type: 'int8', code: 0x09, size: 1, read: (v, o) => v.getInt8(o) },
  { type: 'int16', code: 0x0b, size: 2, read: (v, o) => v.getInt16(o) },
  { type: 'int32', code: 0x0c, size: 4, read: (v, o) => v.getInt32(o) },
  { type: 'float32', code: 0x0d, size: 4, read: (v, o) => v.getFloat32(o) },
  { type: 'float64', code: 0x0e, size: 8, read: (v, o) => v.getFloat64(o) },
];

/** An IDX file as the format defines it (big-endian), from random raw payload bytes of a random type and shape. */
const idxArb = fc
  .record({ t: fc.nat(TYPES.length - 1), shape: fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }) })
  .chain(({ t, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.uint8Array({ minLength: n * TYPES[t].size, maxLength: n * TYPES[t].size }).map((payload) => {
      const head = new Uint8Array(4 + 4 * shape.length);
      const view = new DataView(head.buffer);
      head[2] = TYPES[t].code;
      head[3] = shape.length;
      shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
      const file = new Uint8Array(head.length + payload.length);
      file.set(head);
      file.set(payload, head.length);
      return { spec: TYPES[t], shape, file, headLen: head.length };
    });
  });

test('IDX round trip: type, shape and every value (bit pattern for floats) as encoded', () => {
  fc.assert(
    fc.property(idxArb, ({ spec, shape, file, headLen }) => {
      const out = decodeIdx(file, 'rt.idx');
      expect(out.type).toBe(spec.type);
      expect(out.shape).toEqual(shape);
      // The decoded elements' bytes, turned big-endian again, must be the file's payload exactly (NaN payloads too).
      const back = Buffer.from(new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength));
      if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) for (let i = 0; i < back.length; i += spec.size) back.subarray(i, i + spec.size).reverse();
      expect(back.equals(Buffer.from(file.buffer, headLen))).toBe(true);
      if (out.data.length > 0 && !Number.isNaN(out.data[0])) expect(out.data[0]).toBe(spec.read(new DataView(file.buffer, headLen), 0));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('IDX mutation: decodes consistently (shape matches the values, nothing larger than the file) or throws DataFormatError', async () => {
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(idxArb, mutationsArb, async ({ file, headLen }, muts) => {
      const bad = mutate(file, muts, headLen);
      const outcome = await typedOrConsistent(
        () => decodeIdx(bad, 'bad.idx'),
        (r) => {
          expect(r.data.length).toBe(r.shape.reduce((a, b) => a * b, 1));
          expect(r.data.byteLength).toBeLessThanOrEqual(bad.length);
        },
      );
      if (outcome === 'refused') {
        refused++;
        expect(() => decodeIdx(bad, 'bad.idx')).toThrow(DataFormatError);
      }
    }),
    { seed: SEED, numRuns: 500 },
  );
  expect(refused).toBeGreaterThan(100);
});

const RECORD = 1 + 3 * 32 * 32;
/** 1 to 3 CIFAR-10 records: a label 0..9 and 3072 pixel bytes (three 32x32 planes, R, G, B). */
const cifarArb = fc.array(fc.record({ label: fc.nat(9), pixels: fc.uint8Array({ minLength: RECORD - 1, maxLength: RECORD - 1 }) }), { minLength: 1, maxLength: 3 });
const encodeCifar = (records: { label: number; pixels: Uint8Array }[]): Uint8Array => {
  const out = new Uint8Array(records.length * RECORD);
  records.forEach((r, i) => {
    out[i * RECORD] = r.label;
    out.set(r.pixels, i * RECORD + 1);
  });
  return out;
};

test('CIFAR-10 round trip: labels, and every pixel of every plane at its NHWC place as byte / 255', () => {
  fc.assert(
    fc.property(cifarArb, (records) => {
      const out = decodeCifar10Batch(encodeCifar(records), 'rt.bin');
      expect(out.labels.shape).toEqual([records.length]);
      expect([...out.labels.data]).toEqual(records.map((r) => r.label));
      expect(out.images.shape).toEqual([records.length, 32, 32, 3]);
      records.forEach((r, n) => {
        for (let c = 0; c < 3; c++) {
          for (let p = 0; p < 1024; p++) {
            if (Math.round(out.images.data[(n * 1024 + p) * 3 + c] * 255) !== r.pixels[c * 1024 + p]) throw new Error(`record ${n} channel ${c} pixel ${p} differs`);
          }
        }
      });
    }),
    { seed: SEED, numRuns: 60 },
  );
});

test('CIFAR-10 mutation: decodes one label and image per record, or throws DataFormatError', async () => {
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(cifarArb, mutationsArb, async (records, muts) => {
      const bad = mutate(encodeCifar(records), muts, 1);
      const outcome = await typedOrConsistent(
        () => decodeCifar10Batch(bad, 'bad.bin'),
        (r) => {
          expect(r.labels.data.length * RECORD).toBe(bad.length);
          expect(r.images.data.length).toBe(r.labels.data.length * 3072);
          expect([...r.labels.data].every((l) => l >= 0 && l < 10)).toBe(true);
        },
      );
      if (outcome === 'refused') refused++;
    }),
    { seed: SEED, numRuns: 150 },
  );
  expect(refused).toBeGreaterThan(20);
});
