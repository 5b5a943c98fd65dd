// Helpers for the HTTP tests: a model repository in a temp dir, JSON requests on loopback, a log sink.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { smallCnn } from './models';

export function tempRepo(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tn-serve-'));
}

/** Saves a seeded small CNN as `<repo>/<name>/<version>/` (or `<repo>/<name>/` when version is null). */
export async function saveVersion(repo: string, name: string, version: string | null, seed: number): Promise<void> {
  const m = smallCnn(seed);
  await m.save(version === null ? path.join(repo, name) : path.join(repo, name, version));
  m.dispose();
}

/** Collects the server's log lines (one JSON object each). */
export class LogSink extends Writable {
  lines: Record<string, unknown>[] = [];
  _write(chunk: Buffer, _enc: string, cb: () => void): void {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) this.lines.push(JSON.parse(l));
    cb();
  }
  has(msg: string): boolean {
    return this.lines.some((l) => l.msg === msg);
  }
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export async function request(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const res = await fetch(url, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
