// Property tests of the safetensors reader: anything written reads back bit-identical, and a mutated file either
// parses into tensors that fit inside it or throws SafetensorsError (never another error, never a large allocation).
import * as fc from 'fast-check';
import { DTYPE_SIZES, parseSafetensors, serializeSafetensors, tensorValues, SafetensorsError, type SafetensorsDType, type TensorInput } from '../../../lib/io/safetensors';
import { mutationsArb, mutate, SEED, typedOrConsistent } from './mutate';

const DTYPES: SafetensorsDType[] = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL'];
const ARRAYS: Record<string, new (b: ArrayBuffer) => ArrayBufferView> = {
  F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array, I64: BigInt64Array, I32: Int32Array, I16: Int16Array,
  I8: Int8Array, U64: BigUint64Array, U32: Uint32Array, U16: Uint16Array, U8: Uint8Array, BOOL: Uint8Array,
};

/** A tensor of random bytes (any bit pattern, NaN payloads included) of a random dtype and small shape. */
const tensorArb = fc
  .record({ dtype: fc.constantFrom(...DTYPES), shape: fc.array(fc.nat(4), { maxLength: 3 }) })
  .chain(({ dtype, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const bytes = dtype === 'BOOL' ? fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }) : fc.uint8Array({ minLength: n * DTYPE_SIZES[dtype], maxLength: n * DTYPE_SIZES[dtype] });
    return bytes.map((b) => ({ dtype, shape, data: new ARRAYS[dtype](Uint8Array.from(b).buffer) as TensorInput['data'] }));
  });

const filesArb = fc.record({
  tensors: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__metadata__'), tensorArb, { maxKeys: 5 }),
  metadata: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 3 }), { nil: undefined }),
});

const bytesOf = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

test('round trip: every tensor and the metadata read back bit-identical, in order', () => {
  fc.assert(
    fc.property(filesArb, ({ tensors, metadata }) => {
      const file = serializeSafetensors(tensors, metadata);
      const back = parseSafetensors(file, 'rt.safetensors');
      expect([...back.tensors.keys()]).toEqual(Object.keys(tensors));
      expect(back.metadata).toEqual(metadata ?? {});
      for (const [name, t] of Object.entries(tensors)) {
        const v = back.tensors.get(name)!;
        expect(v.dtype).toBe(t.dtype);
        expect(v.shape).toEqual(t.shape);
        expect(bytesOf(tensorValues(v)).equals(bytesOf(t.data))).toBe(true);
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('mutation: a damaged file parses into tensors inside it, or throws SafetensorsError', async () => {
  let refused = 0;
  let parsed = 0;
  await fc.assert(
    fc.asyncProperty(filesArb, mutationsArb, async ({ tensors, metadata }, muts) => {
      const file = serializeSafetensors(tensors, metadata);
      const headerLen = 8 + Number(new DataView(file.buffer).getBigUint64(0, true));
      const bad = mutate(file, muts, headerLen);
      const outcome = await typedOrConsistent(
        () => parseSafetensors(bad, 'bad.safetensors'),
        (r) => {
          // Consistent: each view lies in the file and has exactly its shape's bytes.
          let total = 0;
          for (const v of r.tensors.values()) {
            expect(v.bytes.length).toBe(v.shape.reduce((a, b) => a * b, 1) * DTYPE_SIZES[v.dtype]);
            total += v.bytes.length;
          }
          expect(total).toBeLessThanOrEqual(bad.length);
        },
      );
      if (outcome === 'refused') {
        refused++;
        expect(() => parseSafetensors(bad, 'bad.safetensors')).toThrow(SafetensorsError);
      } else parsed++;
    }),
    { seed: SEED, numRuns: 600 },
  );
  // The mutations must actually exercise the reader's checks.
  expect(refused).toBeGreaterThan(100);
  expect(parsed + refused).toBe(600);
});
