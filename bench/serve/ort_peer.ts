// The side-by-side peer of bench/serve: the same MNIST CNN exported to ONNX, run by onnxruntime-node behind fastify,
// answering the same KServe v2 infer body one request per session.run (the usual way it is deployed).
//
//   node dist/bench/serve/ort_peer.js <model.onnx> <port> [intraOpThreads]
import Fastify from 'fastify';
import { createRequire } from 'module';
import * as path from 'path';
import { repoRoot } from '../common';

/** The part of onnxruntime-node's API used here (typed locally: the package lives outside the main install). */
interface Ort {
  InferenceSession: { create(p: string, o?: object): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
}

/** onnxruntime-node from bench/serve/peer (installed there on demand: npm --prefix bench/serve/peer ci). */
export function loadOrt(): Ort {
  const req = createRequire(path.join(repoRoot(), 'bench', 'serve', 'peer', 'package.json'));
  return req('onnxruntime-node') as Ort;
}

async function main(): Promise<void> {
  const [onnxPath, port = '8090', threads = '2'] = process.argv.slice(2);
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: Number(threads), interOpNumThreads: 1, executionProviders: ['cpu'] });
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  app.post<{ Params: { name: string }; Body: { id?: string; inputs: { name: string; shape: number[]; datatype: string; data: number[] }[] } }>(
    '/v2/models/:name/infer',
    async (req, reply) => {
      const input = req.body?.inputs?.[0];
      if (!input || input.datatype !== 'FP32' || !Array.isArray(input.data)) return reply.code(400).send({ error: 'expected one FP32 input' });
      const x = new ort.Tensor('float32', Float32Array.from(input.data), input.shape);
      const out = await session.run({ [session.inputNames[0]]: x });
      const y = out[session.outputNames[0]];
      return {
        model_name: req.params.name,
        model_version: '1',
        ...(req.body.id !== undefined ? { id: req.body.id } : {}),
        outputs: [{ name: session.outputNames[0], datatype: 'FP32', shape: y.dims, data: Array.from(y.data) }],
      };
    },
  );
  const url = await app.listen({ host: '127.0.0.1', port: Number(port) });
  console.log(JSON.stringify({ msg: 'serving', url }));
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exitCode = 1;
  });
}
