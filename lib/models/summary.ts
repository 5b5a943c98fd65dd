// model.summary(): the Keras-style layer table (name and type, output shape, parameter count; for a functional
// model also the layers each one receives) and totals.
import type { LayersModel } from './layers_model';
import type { Sequential } from './sequential';

function fit(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)} ` : text.padEnd(width);
}

export function formatSummary(model: LayersModel | Sequential, lineLength?: number, positions?: number[]): string {
  const sequential = model.className === 'Sequential';
  lineLength ??= sequential ? 65 : 98;
  positions ??= sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  const cols = positions.map((p) => Math.round(p <= 1 ? p * lineLength! : p));
  const widths = cols.map((c, i) => c - (i === 0 ? 0 : cols[i - 1]));
  const row = (cells: string[]) => cells.map((c, i) => fit(c, widths[i] ?? c.length)).join('').trimEnd();
  const shapes = model.layerOutputShapes();
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(sequential ? [] : ['Receives inputs'])];
  const lines = [`Model: "${model.name}"`, '_'.repeat(lineLength), row(header), '='.repeat(lineLength)];
  model.layers.forEach((l, i) => {
    const cells = [`${l.name} (${l.className})`, `[${shapes[i].map((d) => (d === null ? 'null' : d)).join(',')}]`, String(l.countParams())];
    if (!sequential) cells.push(model.inboundLayerNames(l).join(', '));
    lines.push(row(cells));
    lines.push(i === model.layers.length - 1 ? '='.repeat(lineLength!) : '_'.repeat(lineLength!));
  });
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, v) => n + v.value.size, 0);
  lines.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(lineLength));
  return lines.join('\n');
}
