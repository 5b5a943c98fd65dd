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

/** Width of the widest value in each column (last dimension); rank < 2 is not padded. */
function columnWidths(values: DataArray, shape: readonly number[], dtype: DType): number[] {
  if (shape.length < 2) return [];
  const cols = shape[shape.length - 1];
  const widths = new Array<number>(cols).fill(0);
  for (let i = 0; i < values.length; i++) widths[i % cols] = Math.max(widths[i % cols], valueText(values[i], dtype).length);
  return widths;
}

function lines(values: DataArray, shape: readonly number[], dtype: DType, widths: number[], isLast: boolean): string[] {
  const pad = (v: number, col: number): string => valueText(v, dtype).padEnd(widths[col] ?? 0);
  const rank = shape.length;
  if (rank === 0) return [valueText(values[0], dtype)];
  const size = shape[0];
  if (rank === 1) {
    const show = (from: number, to: number) => Array.from(values.subarray(from, to), (v, i) => pad(v, from + i)).join(', ');
    if (size > LIMIT) return [`[${show(0, EDGE)}, ..., ${show(size - EDGE, size)}]`];
    return [`[${show(0, size)}]`];
  }
  const sub = shape.slice(1);
  const stride = sub.reduce((a, b) => a * b, 1);
  const out: string[] = [];
  const block = (i: number) => lines(values.subarray(i * stride, (i + 1) * stride), sub, dtype, widths, i === size - 1);
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
  text.push(lines(values, shape, dtype, columnWidths(values, shape, dtype), true).map((l) => '    ' + l).join('\n'));
  return text.join('\n');
}

/** Logs a tensor as tfjs's tf.print(x, verbose) does. */
export function print(x: { toString(verbose?: boolean): string; isTensor?: boolean }, verbose = false): void {
  if (!x || x.isTensor !== true) throw new ValueError(`print: 'x' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  console.log(x.toString(verbose));
}
