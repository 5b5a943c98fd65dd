// tf.data.func, TextLineDataset, FileDataSource, URLDataSource and csv over them, against @tensorflow/tfjs-data:
// the same elements, chunks and lines (multi-byte characters split across chunks, CRLF, no final newline).
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { startServer, type TestServer } from '../../helpers/http_server';
import { mulberry32 } from '../../../lib/data/prng';
import { DataNotFoundError } from '../../../lib/data/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let server: TestServer;
let tmp: string;
const rng = mulberry32(5);
const words = ['alpha', 'βήτα', 'γ', '数据', '', 'x,y', 'émoji 😀', 'z'];
const randomText = (lines: number, crlf: boolean, finalNewline: boolean): string =>
  Array.from({ length: lines }, () => Array.from({ length: 1 + Math.floor(rng() * 4) }, () => words[Math.floor(rng() * words.length)]).join(' ')).join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : '');

beforeAll(async () => {
  server = await startServer();
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-sources-'));
});
afterAll(async () => {
  await server.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

test('func: elements until done, promises too, one shared stream across passes, as tfjs', async () => {
  const T = tf();
  const make = (async: boolean) => {
    let i = -1;
    return () => {
      const r = ++i < 7 ? { value: i * 3 + 1, done: false } : { value: null, done: true };
      return async ? Promise.resolve(r) : r;
    };
  };
  for (const async of [false, true]) {
    const [mine, theirs] = [tn.data.func(make(async) as Any), T.data.func(make(async))];
    expect(await mine.take(3).toArray()).toEqual(await theirs.take(3).toArray());
    expect(await mine.toArray()).toEqual(await theirs.toArray()); // continues where the first pass stopped
    expect(await mine.toArray()).toEqual(await theirs.toArray()); // exhausted
  }
  expect(tn.data.func(() => ({ value: 1, done: true })).size).toBe(null); // unknown, as tfjs
  expect(() => tn.data.func(3 as Any)).toThrow(tn.ValueError);
  await expect(tn.data.func((() => undefined) as Any).toArray()).rejects.toThrow(/must return \{value, done\}/);
});

test('FileDataSource chunks and TextLineDataset lines equal tfjs on bytes in memory and on a file', async () => {
  const T = tf();
  for (const [crlf, final] of [[false, false], [true, true], [false, true]]) {
    const text = randomText(25, crlf, final);
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    const file = path.join(tmp, `t${crlf}${final}.txt`);
    await fsp.writeFile(file, bytes);
    for (const options of [{}, { chunkSize: 5 }, { chunkSize: 3, offset: 2 }]) {
      const theirChunks = await (await new T.data.FileDataSource(bytes, options).iterator()).toArrayForTest();
      for (const input of [bytes, `file://${file}`, file]) {
        const mine = await (await new tn.data.FileDataSource(input, options).iterator()).toArray();
        expect(mine.map((c) => Buffer.from(c).toString('hex'))).toEqual(theirChunks.map((c: Uint8Array) => Buffer.from(c).toString('hex')));
        expect(await new tn.data.TextLineDataset(new tn.data.FileDataSource(input, options)).toArray()).toEqual(await new T.data.TextLineDataset(new T.data.FileDataSource(bytes, options)).toArray());
      }
      // tfjs reads file:// paths on Node too.
      expect(await new T.data.TextLineDataset(new T.data.FileDataSource(`file://${file}`, options)).toArray()).toEqual(await new tn.data.TextLineDataset(new tn.data.FileDataSource(file, options)).toArray());
    }
  }
  await expect(new tn.data.TextLineDataset(new tn.data.FileDataSource(path.join(tmp, 'missing'))).toArray()).rejects.toThrow(DataNotFoundError);
  expect(() => new tn.data.FileDataSource(3 as Any)).toThrow(tn.ValueError);
  expect(() => new tn.data.FileDataSource(new Uint8Array(2), { chunkSize: -1 })).toThrow(/chunkSize/);
  expect(() => new tn.data.TextLineDataset('x' as Any)).toThrow(/DataSource/);
});

test('URLDataSource over http: the lines tfjs reads; csv over URL and File data sources equals tfjs', async () => {
  const T = tf();
  const text = randomText(12, true, true);
  server.routes.set('/text.txt', { body: text, chunked: true });
  const url = `${server.base}/text.txt`;
  const theirs = await new T.data.TextLineDataset(new T.data.URLDataSource(url, { chunkSize: 4 })).toArray();
  expect(await new tn.data.TextLineDataset(new tn.data.URLDataSource(url, { chunkSize: 4 })).toArray()).toEqual(theirs);
  // csv: tfjs's CSVDataset takes a DataSource; csv() takes a URL (or a Request).
  const rows = ['a,b,label', ...Array.from({ length: 9 }, () => `${(rng() * 10).toFixed(3)},${Math.floor(rng() * 5)},${rng() > 0.5 ? 1 : 0}`)].join('\n');
  server.routes.set('/d.csv', { body: rows });
  const file = path.join(tmp, 'd.csv');
  await fsp.writeFile(file, rows);
  const cfg = { columnConfigs: { label: { isLabel: true } } };
  const want = await new T.data.CSVDataset(new T.data.FileDataSource(new Uint8Array(Buffer.from(rows))), cfg).toArray();
  expect(await new tn.data.CSVDataset(new tn.data.FileDataSource(new Uint8Array(Buffer.from(rows)), { chunkSize: 7 }), cfg).toArray()).toEqual(want);
  expect(await new tn.data.CSVDataset(new tn.data.URLDataSource(`${server.base}/d.csv`), cfg).toArray()).toEqual(want);
  expect(await tn.data.csv(`${server.base}/d.csv`, cfg).toArray()).toEqual(want);
  expect(await tn.data.csv(new Request(`${server.base}/d.csv`) as Any, cfg).toArray()).toEqual(want);
  expect(await tn.data.csv(`file://${file}`, cfg).toArray()).toEqual(await T.data.csv(`file://${file}`, cfg).toArray());
  await expect(new tn.data.TextLineDataset(new tn.data.URLDataSource(`${server.base}/none`)).toArray()).rejects.toThrow(/answered 404/);
  expect(() => new tn.data.CSVDataset(42 as Any)).toThrow(tn.ValueError);
});
