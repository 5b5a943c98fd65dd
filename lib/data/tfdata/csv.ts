// tf.data.csv: rows of a CSV file (local path, file:// or http(s)://) as objects, with tfjs-data's header,
// delimiter, column configs (dtype, default, required, isLabel -> {xs, ys}) and missing-value rules.
import { ValueError } from '../../errors';
import { DataFormatError } from '../errors';
import { DataSource, FileDataSource, sourceLines, URLDataSource } from './data_sources';
import { Dataset } from './dataset';

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

/** Lines of a CSV source: a DataSource, or a path / file:// / http(s) URL read through URLDataSource (as tfjs). */
function lines(source: string | DataSource): AsyncGenerator<string, void, undefined> {
  return sourceLines(typeof source === 'string' ? new URLDataSource(source) : source);
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

  /** The path or URL read (for a DataSource: its path or URL, or '<bytes>'). */
  readonly url: string;
  /** What the rows are read from (tfjs's `base` is the TextLineDataset over it). */
  readonly input: string | DataSource;
  readonly config: CSVConfig;

  /** `source`: a DataSource (tfjs's form), or a path, file:// or http(s) URL. */
  constructor(source: string | DataSource, config: CSVConfig = {}) {
    super(async () => this.rows(), null);
    if (typeof source !== 'string' && !(source instanceof DataSource)) throw new ValueError(`data.csv: 'source' must be a DataSource or a path or URL string, got ${source === null ? 'null' : typeof source}`);
    this.input = source;
    this.url = typeof source === 'string' ? source : source instanceof URLDataSource ? source.href : source instanceof FileDataSource && typeof source.input === 'string' ? source.input : '<bytes>';
    this.config = config ?? {};
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
      const gen = lines(this.input);
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
    for await (const line of lines(this.input)) {
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

/** A dataset of the rows of a CSV file (tfjs' tf.data.csv): a path, file:// or http(s) URL, or a fetch Request. */
export function csv(source: string | { url: string }, config: CSVConfig = {}): CSVDataset {
  if (typeof source !== 'string' && !(source && typeof source === 'object' && typeof (source as { url?: unknown }).url === 'string')) {
    throw new ValueError(`data.csv: 'source' must be a path or URL string (or a Request), got ${source === null ? 'null' : typeof source}`);
  }
  return new CSVDataset(typeof source === 'string' ? source : new URLDataSource(source), config);
}
