// The addon loads and computes in several worker_threads at once, each with its own tensors.
import * as path from 'path';
import { Worker } from 'worker_threads';


describe('worker_threads', () => {
  test('four workers compute independently and exit cleanly', async () => {
    const lib = path.resolve(__dirname, '../../dist/lib/index.js');
    const script = `
      const { parentPort, workerData } = require('worker_threads');
      const tn = require(${JSON.stringify(lib)});
      (async () => {
        let acc = tn.full([64], workerData);
        for (let i = 0; i < 200; i++) acc = tn.tidy(() => tn.add(acc, 1));
        const v = await acc.data();
        parentPort.postMessage({ first: v[0], last: v[63], tensors: tn.memory().numTensors });
      })().catch((e) => parentPort.postMessage({ error: String(e) }));
    `;
    const results = await Promise.all(
      [0, 1, 2, 3].map(
        (k) =>
          new Promise<{ first: number; last: number }>((resolve, reject) => {
            const w = new Worker(script, { eval: true, workerData: k * 1000 });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    results.forEach((r, k) => {
      expect(r).toMatchObject({ first: k * 1000 + 200, last: k * 1000 + 200 });
    });
  });
});
