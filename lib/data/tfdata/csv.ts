// tf.data.csv: rows of a CSV file (local path, file:// or http(s)://) as objects, with tfjs-data's header,
// delimiter, column configs (dtype, default, required, isLabel -> {xs, ys}) and missing-value rules.
import { createReadStream, promises as fsp } from 'fs';
import { createInterface } from 'readline';
import { ValueError } from '../../errors';
import { DataFormatError, DataNotFoundError } from '../errors';
import { Dataset } from './dataset';
import { filePathOf } from '../../io/file_url';

export type CsvValue = number | string | undefined;

export interface ColumnConfig {
  /** A missing value is an error (default false; label columns are always required). */
  required?: boolean;
  /** 'float32' (default for numbers), 'int32' (floored), 'bool' (1 for '1'/'true', else 0) or 'string'. */
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  /** Used for an empty field. */
  default?: CsvValue;
  /** The column goes to the element's `ys` (the others to `xs`). */
  isLabel?: boolean;
}

export interface CSVConfig {
  /** The first line names the columns (default true). */
  hasHeader?: boolean;
  /** Column names; they take precedence over the header line. */
  columnNames?: string[];
  columnConfigs?: Record<string, ColumnConfig>;
  /** Only the columns named in columnConfigs appear in elements (default false). */
  configuredColumnsOnly?: boolean;
  /** Field separator (default ','). */
  delimiter?: string;
  /** Fields are separated by runs of whitespace (overrides delimiter). */
  delimWhitespace?: boolean;
}

/** Lines of a local file (streamed) or of a downloaded text, without line terminators. */
async function* lines(source: string): AsyncGenerator<string, void, undefined> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new DataNotFoundError(`data.csv: GET ${source} answered ${res.status}`);
    for (const l of (await res.text()).split('\n')) yield l.endsWith('\r') ? l.slice(0, -1) : l;
    return;
  }
  const path = filePathOf(source); // tfjs-node's file:// form: relative paths included ('file://./data.csv')
  try {
    await fsp.access(path);
  } catch {
    throw new DataNotFoundError(`data.csv: no file at '${path}'`);
  }
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  try {
    for await (const l of rl) yield l;
  } finally {
    rl.close();
  }
}

/**
 * Splits one line into fields: double-quoted fields may hold the delimiter, and "" inside quotes is a quote (the
 * tfjs reader works line by line too, so a quoted field cannot span lines).
 */
export function splitCsvLine(line: string, delimiter: string, whitespace: boolean): string[] {
  if (whitespace) return line.trim().split(/\s+/);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += c;
  }
  out.push(field);
  return out;
}

export class CSVDataset extends Dataset<Record<string, unknown>> {
  private names: Promise<string[]> | null = null;

  /** The path or URL read. */
  readonly url: string;
  readonly config: CSVConfig;

  constructor(source: string, config: CSVConfig = {}) {
    super(async () => this.rows(), null);
    this.url = source;
    this.config = config ?? {};
    if (typeof source !== 'string') throw new ValueError(`data.csv: 'source' must be a path or URL string, got ${typeof source}`);
    const d = this.config.delimiter ?? ',';
    if (typeof d !== 'string' || d.length === 0) throw new ValueError(`data.csv: 'delimiter' must be a non-empty string, got ${JSON.stringify(d)}`);
    if (this.config.hasHeader === false && !this.config.columnNames) throw new ValueError('data.csv: columnNames are required when hasHeader is false');
  }

  /** The column names: columnNames when given, otherwise the header line. */
  columnNames(): Promise<string[]> {
    if (!this.names) {
      this.names = this.readNames();
      this.names.catch(() => (this.names = null)); // a failed read (missing file) may be retried
    }
    return this.names;
  }

  private async readNames(): Promise<string[]> {
    const { config } = this;
    let names = config.columnNames;
    if (!names) {
      const gen = lines(this.url);
      const first = await gen.next();
      await gen.return(undefined); // closes the file
      if (first.done) throw new DataFormatError(`data.csv: '${this.url}' is empty; no header line`);
      names = this.split(first.value).map((s) => s.trim());
    }
    if (new Set(names).size !== names.length) throw new DataFormatError(`data.csv: duplicate column names in [${names.join(', ')}]`);
    for (const k of Object.keys(config.columnConfigs ?? {})) {
      if (!names.includes(k)) throw new ValueError(`data.csv: columnConfigs names '${k}', which is not a column of [${names.join(', ')}]`);
    }
    return names;
  }

  private split(line: string): string[] {
    return splitCsvLine(line, this.config.delimiter ?? ',', this.config.delimWhitespace ?? false);
  }

  private async *rows(): AsyncGenerator<Record<string, unknown>, void, undefined> {
    const names = await this.columnNames();
    let skipHeader = this.config.hasHeader ?? true;
    let lineNo = 0;
    for await (const line of lines(this.url)) {
      lineNo++;
      if (skipHeader) {
        skipHeader = false;
        continue;
      }
      if (line.trim() === '') continue;
      yield this.element(names, line, lineNo);
    }
  }

  private element(names: string[], line: string, lineNo: number): Record<string, unknown> {
    const values = this.split(line);
    if (values.length !== names.length) {
      throw new DataFormatError(`data.csv: line ${lineNo} of '${this.url}' has ${values.length} fields, expected ${names.length}`);
    }
    const configs = this.config.columnConfigs ?? {};
    const xs: Record<string, CsvValue> = {};
    const ys: Record<string, CsvValue> = {};
    names.forEach((key, i) => {
      const c = configs[key];
      if (this.config.configuredColumnsOnly && !c) return;
      (c?.isLabel ? ys : xs)[key] = parseField(values[i], key, c, lineNo);
    });
    return Object.keys(ys).length === 0 ? xs : { xs, ys };
  }
}

/** tfjs' rules: empty -> default / error when required or a label / undefined; numbers by dtype; else the string. */
function parseField(value: string, key: string, c: ColumnConfig | undefined, lineNo: number): CsvValue {
  if (value === '') {
    if (c?.default !== undefined) return c.default;
    if (c?.required || c?.isLabel) throw new DataFormatError(`data.csv: required column '${key}' is empty on line ${lineNo}`);
    return undefined;
  }
  const bool = (): number => (value === '1' || value.toLowerCase() === 'true' ? 1 : 0);
  if (c?.dtype === 'string') return value;
  const n = Number(value);
  if (Number.isNaN(n)) return c?.dtype === 'bool' ? bool() : value;
  if (c?.dtype === 'int32') return Math.floor(n);
  if (c?.dtype === 'bool') return bool();
  return n;
}

/** A dataset of the rows of a CSV file (tfjs' tf.data.csv). */
export function csv(source: string, config: CSVConfig = {}): CSVDataset {
  return new CSVDataset(source, config);
}
