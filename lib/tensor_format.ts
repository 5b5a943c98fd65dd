// Tensor text as tfjs prints it: "Tensor" then the values, nested brackets, columns padded, long dims elided.
import type { DataArray, DType } from './dtype';
import { ValueError } from './errors';

/** Dimensions longer than this show their first and last EDGE entries around '...'. */
const LIMIT = 20;
const EDGE = 3;
/** Floats are shown with at most this many decimals (trailing zeros dropped). */
const DECIMALS = 7;

function valueText(v: number, dtype: DType): string {
  return dtype === 'int32' ? String(v) : String(parseFloat(v.toFixed(DECIMALS)));
}

/** The text of every element: complex64 values (interleaved re, im) read "re + imj", as tfjs prints them. */
function elementTexts(values: DataArray, dtype: DType): string[] {
  if (dtype !== 'complex64') return Array.from(values, (v) => valueText(v, dtype));
  const out = new Array<string>(values.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = `${valueText(values[2 * i], dtype)} + ${valueText(values[2 * i + 1], dtype)}j`;
  return out;
}

/** Width of the widest text in each column (last dimension); rank < 2 is not padded. */
function columnWidths(texts: string[], shape: readonly number[]): number[] {
  if (shape.length < 2) return [];
  const cols = shape[shape.length - 1];
  const widths = new Array<number>(cols).fill(0);
  for (let i = 0; i < texts.length; i++) widths[i % cols] = Math.max(widths[i % cols], texts[i].length);
  return widths;
}

function lines(texts: string[], shape: readonly number[], widths: number[], isLast: boolean): string[] {
  const pad = (t: string, col: number): string => t.padEnd(widths[col] ?? 0);
  const rank = shape.length;
  if (rank === 0) return [texts[0]];
  const size = shape[0];
  if (rank === 1) {
    const show = (from: number, to: number) => texts.slice(from, to).map((t, i) => pad(t, from + i)).join(', ');
    if (size > LIMIT) return [`[${show(0, EDGE)}, ..., ${show(size - EDGE, size)}]`];
    return [`[${show(0, size)}]`];
  }
  const sub = shape.slice(1);
  const stride = sub.reduce((a, b) => a * b, 1);
  const out: string[] = [];
  const block = (i: number) => lines(texts.slice(i * stride, (i + 1) * stride), sub, widths, i === size - 1);
  if (size > LIMIT) {
    for (let i = 0; i < EDGE; i++) out.push(...block(i));
    out.push('...');
    for (let i = size - EDGE; i < size; i++) out.push(...block(i));
  } else {
    for (let i = 0; i < size; i++) out.push(...block(i));
  }
  const sep = rank === 2 ? ',' : '';
  out[0] = '[' + (size > 0 ? out[0] + sep : '');
  for (let i = 1; i < out.length - 1; i++) out[i] = ' ' + out[i] + sep;
  out[out.length - 1] = ' ' + out[out.length - 1] + ']' + (isLast ? '' : ',\n' + '\n'.repeat(rank - 2));
  if (size === 0 && out.length === 1) out[0] = '[]';
  return out;
}

/** The tfjs text of a tensor's values; `verbose` adds dtype, rank and shape lines. */
export function formatTensor(values: DataArray, shape: readonly number[], dtype: DType, verbose = false): string {
  const text = ['Tensor'];
  if (verbose) text.push(`  dtype: ${dtype}`, `  rank: ${shape.length}`, `  shape: [${shape}]`, '  values:');
  const texts = elementTexts(values, dtype);
  text.push(lines(texts, shape, columnWidths(texts, shape), true).map((l) => '    ' + l).join('\n'));
  return text.join('\n');
}

/** Logs a tensor as tfjs's tf.print(x, verbose) does. */
export function print(x: { toString(verbose?: boolean): string; isTensor?: boolean }, verbose = false): void {
  if (!x || x.isTensor !== true) throw new ValueError(`print: 'x' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  console.log(x.toString(verbose));
}
