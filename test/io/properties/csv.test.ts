// Property tests of tf.data.csv: a table written as CSV (quoted fields, embedded delimiters and quotes) reads back
// value for value, and mutated text either gives rows with the header's columns or throws a typed error.
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../../lib';
import { mutationsArb, mutate, SEED, typedOrConsistent } from './mutate';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-csv-prop-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const write = (text: string | Uint8Array): string => {
  const file = path.join(tmp, `t${n++}.csv`);
  fs.writeFileSync(file, text);
  return file;
};

// Strings that Number() does not parse (a letter first; 'Infinity' cannot occur) and that hold the delimiter and quotes.
const strArb = fc.tuple(fc.constantFrom('a', 'b', 'x', 'q'), fc.string({ unit: fc.constantFrom('a', 'z', ',', '"', ' ', '_', '7'), maxLength: 8 })).map(([a, b]) => a + b);
// Numbers whose shortest decimal form reads back exactly.
const numArb = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }));
const tableArb = fc.integer({ min: 1, max: 5 }).chain((cols) =>
  fc.record({
    names: fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 4 }), { minLength: cols, maxLength: cols }),
    numeric: fc.array(fc.boolean(), { minLength: cols, maxLength: cols }),
    rows: fc.nat(6),
  }).chain(({ names, numeric, rows }) =>
    fc.array(fc.tuple(...numeric.map((isNum) => (isNum ? numArb : strArb)) as [fc.Arbitrary<number | string>]), { minLength: rows, maxLength: rows }).map((body) => ({ names, body: body as (number | string)[][] })),
  ),
);

const field = (v: number | string): string => (typeof v === 'number' ? String(v) : /[",]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
const toCsv = (t: { names: string[]; body: (number | string)[][] }): string => [t.names.join(','), ...t.body.map((r) => r.map(field).join(','))].join('\n') + '\n';

test('round trip: every row and value as written (numbers as numbers, quoted strings unquoted)', async () => {
  await fc.assert(
    fc.asyncProperty(tableArb, async (t) => {
      const rows = await tn.data.csv(write(toCsv(t))).toArray();
      expect(rows).toEqual(t.body.map((r) => Object.fromEntries(t.names.map((k, i) => [k, typeof r[i] === 'number' && Object.is(r[i], -0) ? 0 : r[i]]))));
    }),
    { seed: SEED, numRuns: 150 },
  );
});

test('mutation: rows keep the header columns, or a typed error (DataFormatError) is thrown', async () => {
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(tableArb, mutationsArb, async (t, muts) => {
      const text = Buffer.from(toCsv(t));
      const file = write(mutate(text, muts, text.indexOf(10)));
      const outcome = await typedOrConsistent(
        async () => ({ names: await tn.data.csv(file).columnNames(), rows: await tn.data.csv(file).toArray() }),
        ({ names, rows }) => {
          // Sorted: a column named like an integer ("0") comes first in a JS object.
          for (const r of rows) expect(Object.keys(r).sort()).toEqual([...names].sort());
        },
      );
      if (outcome === 'refused') refused++;
    }),
    { seed: SEED, numRuns: 200 },
  );
  expect(refused).toBeGreaterThan(20);
});
