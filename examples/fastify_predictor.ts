// Embedding tn.serve.Predictor in your own fastify app: one route, dynamic batching across concurrent requests,
// 429 when the queue is full, 504 past a deadline, and the batcher's stats on a second route.
//
//   node dist/examples/fastify_predictor.js models/mnist-cnn 8080
//   curl -s localhost:8080/classify -H 'content-type: application/json' -d '{"pixels": [... 784 numbers in [0, 1] ...]}'
//   -> {"class":7,"probability":0.998,"batchSize":3}
import Fastify, { type FastifyInstance } from 'fastify';
import * as tn from '../lib';

export async function buildApp(modelDir: string, opts: tn.serve.PredictorOptions = {}): Promise<FastifyInstance> {
  const predictor = await tn.serve.Predictor.load(modelDir, { maxBatchSize: 32, maxQueueDelayMs: 2, maxQueueSize: 256, ...opts });
  const [input] = predictor.signature.inputs;
  const [output] = predictor.signature.outputs;
  const app = Fastify();
  app.addHook('onClose', () => predictor.close()); // app.close() drains the queue, then frees the model

  app.post<{ Body: { pixels?: number[] } }>('/classify', async (req, reply) => {
    const pixels = req.body?.pixels;
    if (!Array.isArray(pixels)) return reply.code(400).send({ error: 'expected {"pixels": [...]}' });
    try {
      // A flat row is reshaped to the model's input; the Predictor checks the size and names the input if it is wrong.
      const r = await predictor.predict({ [input.name]: Float32Array.from(pixels) }, { deadlineMs: 1000 });
      const probs = Array.from(r.outputs[output.name].data);
      const best = probs.indexOf(Math.max(...probs));
      return { class: best, probability: probs[best], batchSize: r.batchSize };
    } catch (e) {
      if (e instanceof tn.serve.OverloadedError) return reply.code(429).header('retry-after', e.retryAfterSeconds).send({ error: e.message });
      if (e instanceof tn.serve.DeadlineExceededError) return reply.code(504).send({ error: e.message });
      if (e instanceof tn.ShapeError || e instanceof tn.ValueError) return reply.code(400).send({ error: e.message });
      throw e;
    }
  });
  app.get('/stats', async () => predictor.stats());
  return app;
}

if (require.main === module) {
  const [modelDir = 'models/mnist-cnn', port = '8080'] = process.argv.slice(2);
  buildApp(modelDir).then(
    (app) => app.listen({ host: '127.0.0.1', port: Number(port) }).then((url) => console.log(`listening on ${url}`)),
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
