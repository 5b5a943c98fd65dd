// A Keras 3 .keras file with the layers of issue 11 (separable, depthwise, transposed and causal 1-D convolutions,
// rescaling, alphaDropout, constraints; test/fixtures/keras/make_layers2_fixtures.py) predicts what Keras predicted.
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../lib';
import { expectClose } from '../helpers/gradcheck';

const dir = path.join(__dirname, '../fixtures/keras');

test('layers2.keras loads with its constraints and predicts what Keras predicted', async () => {
  const fx = JSON.parse(await fsp.readFile(path.join(dir, 'layers2.json'), 'utf8')) as { inputs: { shape: number[]; data: number[] }[]; outputs: { shape: number[]; data: number[] }[] };
  const model = await tn.loadKerasModel(path.join(dir, 'layers2.keras'));
  expect(model.layers.map((l) => l.className)).toEqual(expect.arrayContaining(['SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose', 'Conv1D', 'Rescaling', 'AlphaDropout']));
  expect(model.getLayer('dw').getConfig().depthwiseConstraint).toEqual({ className: 'NonNeg', config: {} });
  expect(model.getLayer('up').getConfig().kernelConstraint).toMatchObject({ className: 'MaxNorm', config: { maxValue: 2 } });
  const out = model.predict(tn.tensor(Float32Array.from(fx.inputs[0].data), fx.inputs[0].shape)) as tn.Tensor;
  expect(out.shape).toEqual(fx.outputs[0].shape);
  expectClose(await out.data(), fx.outputs[0].data, 1e-5, 1e-5);
});

test('rnn_cells.keras (RNN over GRUCell backwards, stacked SimpleRNN/LSTM/GRU cells, LSTMCell) predicts what Keras predicted', async () => {
  const fx = JSON.parse(await fsp.readFile(path.join(dir, 'rnn_cells.json'), 'utf8')) as { inputs: { shape: number[]; data: number[] }[]; outputs: { shape: number[]; data: number[] }[] };
  const model = await tn.loadKerasModel(path.join(dir, 'rnn_cells.keras'));
  expect(model.getLayer('rnn_stack').weights.map((w) => w.shape)).toEqual([[3, 2], [2, 2], [2], [2, 12], [3, 12], [12], [3, 6], [2, 6], [6]]);
  const out = model.predict(tn.tensor(Float32Array.from(fx.inputs[0].data), fx.inputs[0].shape)) as tn.Tensor;
  expect(out.shape).toEqual(fx.outputs[0].shape);
  expectClose(await out.data(), fx.outputs[0].data, 1e-5, 1e-5);
});
