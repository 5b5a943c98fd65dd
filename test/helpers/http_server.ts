// A node:http server on 127.0.0.1 for tests of HTTP loading and saving: serves fixed routes, records every request
// (method, URL, headers, body) and can answer with a chosen status or no Content-Length (a chunked body).
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Route {
  body: Buffer | string;
  status?: number;
  /** Send the body chunked, without a Content-Length header. */
  chunked?: boolean;
  contentType?: string;
}

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface TestServer {
  base: string;
  routes: Map<string, Route>;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const path = (req.url ?? '').split('?')[0];
      const route = routes.get(path) ?? (req.method === 'GET' ? undefined : { body: 'ok' });
      if (!route) {
        res.writeHead(404).end('not found');
        return;
      }
      const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body;
      const headers: Record<string, string | number> = { 'content-type': route.contentType ?? 'application/octet-stream' };
      if (!route.chunked) headers['content-length'] = body.length;
      res.writeHead(route.status ?? 200, headers);
      if (route.chunked) {
        // Several writes, so the client sees a chunked stream.
        for (let i = 0; i < body.length; i += 7) res.write(body.subarray(i, i + 7));
        res.end();
      } else res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // fetch keeps sockets alive
      }),
  };
}

/** The parts of a multipart/form-data request body, parsed by fetch's own Response.formData(). */
export async function formParts(r: Recorded): Promise<Map<string, { type: string; name: string; bytes: Buffer }>> {
  const form = await new Response(r.body, { headers: { 'content-type': String(r.headers['content-type']) } }).formData();
  const out = new Map<string, { type: string; name: string; bytes: Buffer }>();
  for (const [key, value] of form.entries()) {
    const file = value as unknown as File;
    out.set(key, { type: file.type, name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
  }
  return out;
}
