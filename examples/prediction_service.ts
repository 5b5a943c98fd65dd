// A tiny HTTP prediction service around a saved model: node:http for the routes, tn.serve.Predictor for everything
// else (concurrent requests share one forward pass, a bounded queue answers 429, the event loop stays free).
// For the standard protocols (KServe v2, TF Serving REST), metrics and versions, run `tensornode serve models/`.
//
//   node dist/examples/mnist_cnn.js                       # trains and saves models/mnist-cnn
//   node dist/examples/prediction_service.js [modelDir] [port]   # or TENSORNODE_MODEL_DIR / PORT
//   curl -s localhost:8080/predict -d '{"images": [[0, 0.5, ... 784 values in [0, 1]]]}'
//   -> {"predictions":[{"class":7,"probability":0.998}],"batchSize":1}
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as tn from '../lib';

export interface ServiceOptions {
  modelDir: string;
  port?: number; // 0 picks a free port
  host?: string; // default 127.0.0.1 (loopback only)
  maxBatch?: number; // images per forward pass, default 64
  maxWaitMs?: number; // how long the first queued request waits for company, default 5
  log?: (line: string) => void;
}

export interface Service {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

export async function startService(opts: ServiceOptions): Promise<Service> {
  const log = opts.log ?? console.log;
  const predictor = await tn.serve.Predictor.load(opts.modelDir, { maxBatchSize: opts.maxBatch ?? 64, maxQueueDelayMs: opts.maxWaitMs ?? 5 });
  const input = predictor.signature.inputs[0];
  const output = predictor.signature.outputs[0].name;
  const sample = input.shape.slice(1) as number[];
  const pixels = sample.reduce((a, b) => a * b, 1);

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return reply(200, { status: 'ok', inputShape: sample, stats: predictor.stats() });
    if (req.method !== 'POST' || req.url !== '/predict') return reply(404, { error: 'POST /predict or GET /health' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reply(413, { error: `body larger than ${MAX_BODY} bytes` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      let images: number[][];
      try {
        images = parseImages(Buffer.concat(chunks).toString('utf8'), pixels);
      } catch (e) {
        return reply(400, { error: (e as Error).message });
      }
      // A client that hangs up while its request is queued is dropped before compute.
      const gone = new AbortController();
      res.once('close', () => res.writableFinished || gone.abort());
      predictor.predict({ data: Float32Array.from(images.flat()), shape: [images.length, ...sample] }, { signal: gone.signal }).then(
        ({ outputs, batchSize }) => {
          const probs = outputs[output].data;
          const classes = probs.length / images.length;
          const predictions = images.map((_, i) => {
            const row = Array.from(probs.subarray(i * classes, (i + 1) * classes));
            const c = row.indexOf(Math.max(...row));
            return { class: c, probability: Number(row[c].toFixed(6)) };
          });
          reply(200, { predictions, batchSize });
        },
        (e: Error) => {
          if (e instanceof tn.serve.OverloadedError) reply(429, { error: e.message }, { 'retry-after': String(e.retryAfterSeconds) });
          else reply(500, { error: e.message });
        },
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, opts.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  log(`serving ${opts.modelDir} on ${url}; POST /predict {"images": [[${pixels} pixels in [0, 1]], ...]}`);
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await predictor.close(); // answers what is still queued, then frees the model
    },
  };
}

/** `{"images": [[...], ...]}` or `{"image": [...]}`, each image `pixels` finite numbers in [0, 1]. */
export function parseImages(body: string, pixels: number): number[][] {
  let json: { images?: unknown; image?: unknown };
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error('body is not valid JSON');
  }
  const images = json?.image !== undefined ? [json.image] : json?.images;
  if (!Array.isArray(images) || images.length === 0) throw new Error('expected {"images": [[...], ...]} or {"image": [...]}');
  images.forEach((img, i) => {
    if (!Array.isArray(img) || img.length !== pixels) throw new Error(`image ${i}: expected ${pixels} values, got ${Array.isArray(img) ? img.length : typeof img}`);
    if (!img.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) throw new Error(`image ${i}: values must be numbers in [0, 1]`);
  });
  return images as number[][];
}

if (require.main === module) {
  const modelDir = process.argv[2] ?? process.env.TENSORNODE_MODEL_DIR ?? 'models/mnist-cnn';
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
  startService({ modelDir, port }).then(
    (service) => process.once('SIGINT', () => void service.close()),
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
