// A tiny HTTP prediction service around a saved model (node:http only). Concurrent requests are batched: requests that
// arrive within a few milliseconds of each other share one forward pass, and the event loop stays free meanwhile.
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

interface Pending {
  images: number[][];
  resolve(result: { probs: Float32Array; batchSize: number }): void;
  reject(e: Error): void;
}

const MAX_BODY = 10 * 1024 * 1024;

export async function startService(opts: ServiceOptions): Promise<Service> {
  const log = opts.log ?? console.log;
  const model = await tn.loadModel(opts.modelDir, { loadOptimizer: false });
  const sample = (model.layers[0].batchInputShape ?? []).slice(1) as number[];
  const pixels = sample.reduce((a, b) => a * b, 1);
  const classes = model.layerOutputShapes().at(-1)![1] as number;
  const maxBatch = opts.maxBatch ?? 64;
  const maxWaitMs = opts.maxWaitMs ?? 5;

  // The batcher: queue requests, flush when the batch is full or the oldest has waited maxWaitMs.
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    queue = [];
    const images = batch.flatMap((p) => p.images);
    try {
      const x = tn.tensor(Float32Array.from(images.flat()), [images.length, ...sample], { device: model.device });
      const y = model.predict(x, { batchSize: maxBatch });
      x.dispose();
      const probs = (await y.data()) as Float32Array; // awaits the device; other requests keep arriving meanwhile
      y.dispose();
      let row = 0;
      for (const p of batch) {
        p.resolve({ probs: probs.subarray(row * classes, (row + p.images.length) * classes), batchSize: images.length });
        row += p.images.length;
      }
    } catch (e) {
      for (const p of batch) p.reject(e as Error);
    }
  };
  const enqueue = (images: number[][]) =>
    new Promise<{ probs: Float32Array; batchSize: number }>((resolve, reject) => {
      queue.push({ images, resolve, reject });
      if (queue.reduce((n, p) => n + p.images.length, 0) >= maxBatch) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), maxWaitMs);
    });

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return reply(200, { status: 'ok', device: model.device, inputShape: sample });
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
      enqueue(images).then(
        ({ probs, batchSize }) => {
          const predictions = images.map((_, i) => {
            const row = Array.from(probs.subarray(i * classes, (i + 1) * classes));
            const c = row.indexOf(Math.max(...row));
            return { class: c, probability: Number(row[c].toFixed(6)) };
          });
          reply(200, { predictions, batchSize });
        },
        (e: Error) => reply(500, { error: e.message }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, opts.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  log(`serving ${opts.modelDir} on ${url} (device ${model.device}); POST /predict {"images": [[${pixels} pixels in [0, 1]], ...]}`);
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (queue.length) await flush();
      model.dispose();
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
