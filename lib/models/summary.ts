// model.summary(): the Keras-style layer table (name and type, output shape, parameter count) and totals.
import type { Sequential } from './sequential';

function fit(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)} ` : text.padEnd(width);
}

export function formatSummary(model: Sequential, lineLength = 65, positions = [0.45, 0.85, 1]): string {
  const cols = positions.map((p) => Math.round(p <= 1 ? p * lineLength : p));
  const widths = cols.map((c, i) => c - (i === 0 ? 0 : cols[i - 1]));
  const row = (cells: string[]) => cells.map((c, i) => fit(c, widths[i])).join('').trimEnd();
  const shapes = model.layerOutputShapes();
  const lines = [`Model: "${model.name}"`, '_'.repeat(lineLength), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(lineLength)];
  model.layers.forEach((l, i) => {
    lines.push(row([`${l.name} (${l.className})`, `[${shapes[i].map((d) => (d === null ? 'null' : d)).join(',')}]`, String(l.countParams())]));
    lines.push(i === model.layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, v) => n + v.value.size, 0);
  lines.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(lineLength));
  return lines.join('\n');
}
