// The functional two-heads example learns both heads and reloads identically; the Keras-to-Node example predicts
// what Keras predicted on the same readings and serves them.
import * as fs from 'fs';
import * as path from 'path';
import { main as twoHeads } from '../../examples/functional_two_heads';
import { main as kerasToNode } from '../../examples/keras_to_node';

const lines: string[] = [];
const log = (l: string): void => void lines.push(l);

test('functional_two_heads: both heads learn; the saved tfjs model reloads with identical predictions', async () => {
  const r = await twoHeads({ small: true, log });
  expect(r.priceMae).toBeLessThan(0.15); // prices span about [-4, 4]
  expect(r.sellsAccuracy).toBeGreaterThan(0.9);
  expect(r.reloadedMaxDiff).toBe(0);
}, 120_000);

test('keras_to_node: the committed Keras model predicts here what it predicted in Keras, and serves', async () => {
  const r = await kerasToNode({ log });
  expect(r.maxProbDiff).toBeLessThan(1e-5);
  expect(r.accuracy).toBeCloseTo(r.kerasAccuracy, 6);
  expect(r.accuracy).toBeGreaterThan(0.9);
  const keras = JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/keras/sensors_test.json'), 'utf8')) as { probs: number[] };
  const first = keras.probs.slice(0, 3);
  expect(r.servedState).toBe(first.indexOf(Math.max(...first))); // the served answer is Keras's answer
  expect(lines.some((l) => l.includes('Total params: 995'))).toBe(true);
}, 120_000);
