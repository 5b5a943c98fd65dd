// The fastify embedding example: concurrent requests over loopback are batched and each answer matches the model.
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../examples/fastify_predictor';
import { reference, rows, smallCnn } from './models';
import { request, tempRepo } from './server_helpers';

const repo = tempRepo();
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

test('examples/fastify_predictor batches concurrent requests and answers each with its own class', async () => {
  const model = smallCnn(51);
  await model.save(path.join(repo, 'm'));
  const app = await buildApp(path.join(repo, 'm'), { maxQueueDelayMs: 30 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const xs = Array.from({ length: 6 }, (_, i) => rows(1, 60 + i));
    const res = await Promise.all(xs.map((x) => request(`${url}/classify`, 'POST', { pixels: Array.from(x) })));
    for (let i = 0; i < xs.length; i++) {
      const ref = Array.from(await reference(model, xs[i]));
      expect(res[i].status).toBe(200);
      expect(res[i].body.class).toBe(ref.indexOf(Math.max(...ref)));
      expect(res[i].body.probability).toBeCloseTo(Math.max(...ref), 5);
    }
    expect(Math.max(...res.map((r) => r.body.batchSize))).toBeGreaterThan(1);
    const bad = await request(`${url}/classify`, 'POST', { pixels: [1, 2, 3] });
    expect([bad.status, bad.body.error]).toEqual([400, expect.stringMatching(/input 'conv_input': expected a multiple of 64 values/)]);
    expect((await request(`${url}/stats`)).body).toMatchObject({ completed: 6, queueDepth: 0 });
  } finally {
    await app.close();
    model.dispose();
  }
});
