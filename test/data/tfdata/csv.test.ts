// tf.data.csv: header and given names, delimiters, quoting, column configs (dtype, default, required, isLabel ->
// {xs, ys}, configuredColumnsOnly), missing values, file:// URLs, typed errors for bad files.
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import * as tn from '../../../lib';
import { DataFormatError, DataNotFoundError } from '../../../lib/data/errors';
import { splitCsvLine } from '../../../lib/data/tfdata/csv';

const dir = mkdtempSync(join(tmpdir(), 'tn-csv-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('data.csv', () => {
  test('header, numbers and strings, missing values undefined, blank lines skipped, CRLF', async () => {
    const p = file('a.csv', 'a,b,name\r\n1,2.5,x\r\n\r\n3,,"y, z"\r\n');
    const ds = tn.data.csv(p);
    expect(await ds.columnNames()).toEqual(['a', 'b', 'name']);
    expect(ds.size).toBeNull();
    expect(await ds.toArray()).toEqual([
      { a: 1, b: 2.5, name: 'x' },
      { a: 3, b: undefined, name: 'y, z' },
    ]);
  });

  test('isLabel splits {xs, ys}; dtypes, defaults, required; batches into tensors for fitDataset', async () => {
    const p = file('b.csv', 'f1,f2,flag,label\n1.5,2,true,0\n-1,,0,1\n4,7.9,TRUE,1\n');
    const ds = tn.data.csv(pathToFileURL(p).href, {
      columnConfigs: { f2: { dtype: 'int32', default: -5 }, flag: { dtype: 'bool' }, label: { isLabel: true } },
    });
    const rows = await ds.toArray();
    expect(rows).toEqual([
      { xs: { f1: 1.5, f2: 2, flag: 1 }, ys: { label: 0 } },
      { xs: { f1: -1, f2: -5, flag: 0 }, ys: { label: 1 } },
      { xs: { f1: 4, f2: 7, flag: 1 }, ys: { label: 1 } },
    ]);
    const b = (await ds.map((r) => ({ xs: Object.values((r as { xs: object }).xs), ys: (r as { ys: { label: number } }).ys.label })).batch(3).toArray())[0] as {
      xs: tn.Tensor;
      ys: tn.Tensor;
    };
    expect(Array.from(await b.ys.data())).toEqual([0, 1, 1]);
    // Each row's feature array becomes one row of xs [3, 3] (tfjs-data batches arrays of numbers into a tensor).
    expect(b.xs.shape).toEqual([3, 3]);
    expect(Array.from(await b.xs.data())).toEqual([1.5, 2, 1, -1, -5, 0, 4, 7, 1]);
    tn.dispose(b);
    const required = tn.data.csv(p, { columnConfigs: { f2: { required: true } } });
    await expect(required.toArray()).rejects.toThrow(DataFormatError);
    await expect(required.toArray()).rejects.toThrow(/f2.*line 3/);
  });

  test("tfjs-node's relative file:// form ('file://./x.csv', as the abalone-node example passes it)", async () => {
    file('rel.csv', 'a,b\n1,2\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await tn.data.csv('file://./rel.csv').toArray()).toEqual([{ a: 1, b: 2 }]);
      expect(await tn.data.csv('file://rel.csv').columnNames()).toEqual(['a', 'b']);
    } finally {
      process.chdir(cwd);
    }
  });

  test('columnNames without a header, configuredColumnsOnly, delimiter and delimWhitespace', async () => {
    const p = file('c.txt', '1;2;3\n4;5;6\n');
    const ds = tn.data.csv(p, { hasHeader: false, columnNames: ['x', 'y', 'z'], delimiter: ';', columnConfigs: { z: {}, x: {} }, configuredColumnsOnly: true });
    expect(await ds.toArray()).toEqual([{ x: 1, z: 3 }, { x: 4, z: 6 }]);
    const ws = file('d.txt', 'p q\n 1   2\n3\t4\n');
    expect(await tn.data.csv(ws, { delimWhitespace: true }).toArray()).toEqual([{ p: 1, q: 2 }, { p: 3, q: 4 }]);
    // Header given and columnNames given: the names win, the header line is still skipped.
    expect(await tn.data.csv(p, { columnNames: ['u', 'v', 'w'], delimiter: ';' }).toArray()).toEqual([{ u: 4, v: 5, w: 6 }]);
  });

  test('quoting rules of one line', () => {
    expect(splitCsvLine('a,"b,c","d""e",', ',', false)).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvLine('1::2::3', '::', false)).toEqual(['1', '2', '3']);
  });

  test('bad files and options are typed errors', async () => {
    await expect(tn.data.csv(join(dir, 'missing.csv')).toArray()).rejects.toThrow(DataNotFoundError);
    const ragged = file('e.csv', 'a,b\n1,2\n3\n');
    await expect(tn.data.csv(ragged).toArray()).rejects.toThrow(/line 3.*1 fields, expected 2/);
    const dup = file('f.csv', 'a,a\n1,2\n');
    await expect(tn.data.csv(dup).columnNames()).rejects.toThrow(/duplicate/);
    await expect(tn.data.csv(dup, { columnConfigs: { zz: {} } }).toArray()).rejects.toThrow(/duplicate|zz/);
    const ok = file('g.csv', 'a,b\n1,2\n');
    await expect(tn.data.csv(ok, { columnConfigs: { zz: { isLabel: true } } }).toArray()).rejects.toThrow(/zz/);
    expect(() => tn.data.csv(ok, { hasHeader: false })).toThrow(/columnNames/);
    expect(() => tn.data.csv(ok, { delimiter: '' })).toThrow(/delimiter/);
  });
});
