// A model repository on disk (<root>/<model>/<version>/): loads the served version of each model, polls for new
// versions, swaps them in without dropping a request, and refuses a broken version while the old one keeps serving.
import { promises as fsp } from 'fs';
import * as path from 'path';
import { ValueError } from '../errors';
import { ModelNotFoundError } from './errors';
import { detectFormat } from './loader';
import { Predictor, type PredictorOptions } from './predictor';

/** Structured log sink: one call per event (the HTTP server passes its pino logger). */
export interface ServeLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface RepositoryOptions {
  /** Options of every Predictor (batching, queue, replicas, devices); `onBatch` is set per model by `onBatchFor`. */
  predictor?: Omit<PredictorOptions, 'onBatch'>;
  /** Per-batch hook for a model version (metrics). */
  onBatchFor?: (model: string, version: string) => PredictorOptions['onBatch'];
  /** Seconds between scans for new versions; 0 scans once at start (default 0). */
  pollSeconds?: number;
  /** Pinned versions by model name; models not listed serve their highest version. */
  pinned?: Record<string, string>;
  log?: ServeLogger;
}

/** A loaded model version. */
export interface Served {
  name: string;
  version: string;
  platform: string;
  predictor: Predictor;
}

interface Entry {
  name: string;
  current: Served | null;
  /** Every version found on disk at the last scan, ascending. */
  versions: string[];
  /** `version@mtime` of loads that failed, so a broken version is not retried every poll until it changes. */
  refused: Set<string>;
  loading: boolean;
}

const quiet: ServeLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const isVersion = (s: string): boolean => /^\d+$/.test(s);

async function isDir(p: string): Promise<boolean> {
  return (await fsp.stat(p).catch(() => null))?.isDirectory() ?? false;
}

export class ModelRepository {
  private readonly entries = new Map<string, Entry>();
  private readonly log: ServeLogger;
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly root: string,
    private readonly opts: RepositoryOptions = {},
  ) {
    this.log = opts.log ?? quiet;
    if (opts.pollSeconds !== undefined && !(opts.pollSeconds >= 0)) throw new ValueError(`serve: pollSeconds must be >= 0, got ${opts.pollSeconds}`);
  }

  /** First scan (every model loaded or refused), then polling when pollSeconds > 0. */
  async start(): Promise<void> {
    if (!(await isDir(this.root))) throw new ModelNotFoundError(`${this.root}: no such model repository directory`);
    await this.scan();
    const every = this.opts.pollSeconds ?? 0;
    if (every > 0) {
      const tick = () => {
        this.timer = setTimeout(() => void this.scan().finally(() => !this.closed && tick()), every * 1000);
        this.timer.unref();
      };
      tick();
    }
  }

  /**
   * The models of the repository: `<root>/<name>/<version>/` (numeric version folders), `<root>/<name>/` holding a
   * model directly (version "1": what `tensornode train` saves), or `<root>` itself holding one model.
   */
  private async discover(): Promise<Map<string, { versions: Map<string, string> }>> {
    const found = new Map<string, { versions: Map<string, string> }>();
    if (await detectFormat(this.root)) {
      found.set(path.basename(path.resolve(this.root)), { versions: new Map([['1', this.root]]) });
      return found;
    }
    for (const d of await fsp.readdir(this.root, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name.startsWith('.')) continue;
      const dir = path.join(this.root, d.name);
      const versions = new Map<string, string>();
      if (await detectFormat(dir)) versions.set('1', dir);
      else {
        // A version folder counts once a format recognizes it (model.json is written last, so not while half-saved).
        for (const v of await fsp.readdir(dir, { withFileTypes: true })) {
          const vdir = path.join(dir, v.name);
          if (v.isDirectory() && isVersion(v.name) && (await detectFormat(vdir))) versions.set(String(Number(v.name)), vdir);
        }
      }
      if (versions.size) found.set(d.name, { versions });
    }
    return found;
  }

  /** One pass: find versions, load the one each model should serve, swap it in. Concurrent calls share one pass. */
  scan(): Promise<void> {
    this.scanning ??= this.scanOnce().finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    let found: Awaited<ReturnType<ModelRepository['discover']>>;
    try {
      found = await this.discover();
    } catch (e) {
      this.log.error({ repository: this.root, error: (e as Error).message }, 'repository scan failed');
      return;
    }
    for (const [name, { versions }] of found) {
      let entry = this.entries.get(name);
      if (!entry) this.entries.set(name, (entry = { name, current: null, versions: [], refused: new Set(), loading: false }));
      entry.versions = [...versions.keys()].sort((a, b) => Number(a) - Number(b));
      const pinned = this.opts.pinned?.[name];
      const want = pinned ?? entry.versions.at(-1)!;
      if (entry.current?.version === want || this.closed) continue;
      const dir = versions.get(want);
      if (!dir) {
        this.log.warn({ model: name, version: want, available: entry.versions }, 'pinned version not found');
        continue;
      }
      await this.loadVersion(entry, want, dir);
    }
  }

  private async loadVersion(entry: Entry, version: string, dir: string): Promise<void> {
    const stamp = `${version}@${(await fsp.stat(path.join(dir)).catch(() => null))?.mtimeMs ?? 0}:${await this.filesStamp(dir)}`;
    if (entry.refused.has(stamp)) return;
    const started = Date.now();
    let served: Served;
    try {
      const format = await detectFormat(dir);
      if (!format) throw new ValueError(`${dir}: no model this server can load`);
      const predictor = await Predictor.load(dir, { ...this.opts.predictor, onBatch: this.opts.onBatchFor?.(entry.name, version) });
      served = { name: entry.name, version, platform: `tensornode_${format.name}`, predictor };
    } catch (e) {
      entry.refused.add(stamp);
      this.log.warn(
        { model: entry.name, version, dir, error: (e as Error).message, serving: entry.current?.version ?? null },
        entry.current ? 'new version refused; the previous version keeps serving' : 'model version refused',
      );
      return;
    }
    if (this.closed) {
      await served.predictor.close();
      return;
    }
    const old = entry.current;
    entry.current = served; // new requests go to the new version from here on
    this.log.info({ model: entry.name, version, previous: old?.version ?? null, ms: Date.now() - started }, old ? 'model version swapped in' : 'model loaded');
    if (old) {
      // The old version answers what it already queued, then frees its weights.
      await old.predictor.close();
      this.log.info({ model: entry.name, version: old.version }, 'previous version drained and unloaded');
    }
  }

  /** Latest mtime of the files in `dir`: a rewritten broken version is retried. */
  private async filesStamp(dir: string): Promise<number> {
    let t = 0;
    for (const f of await fsp.readdir(dir).catch(() => [] as string[])) t = Math.max(t, (await fsp.stat(path.join(dir, f)).catch(() => null))?.mtimeMs ?? 0);
    return t;
  }

  /** Names of the models with a version being served. */
  modelNames(): string[] {
    return [...this.entries.values()].filter((e) => e.current).map((e) => e.name);
  }

  /** Versions found on disk for `name` (served or not). */
  versionsOf(name: string): string[] {
    return this.entries.get(name)?.versions ?? [];
  }

  /** The served version of `name`; with `version`, only if that version is the one served. */
  get(name: string, version?: string): Served {
    const cur = this.entries.get(name)?.current;
    if (!cur) throw new ModelNotFoundError(`model '${name}' is not served here`);
    if (version !== undefined && version !== cur.version) throw new ModelNotFoundError(`model '${name}' version '${version}' is not served (serving version ${cur.version})`);
    return cur;
  }

  /** True when every model found has a version serving. */
  ready(): boolean {
    return !this.closed && this.entries.size > 0 && [...this.entries.values()].every((e) => e.current?.predictor.accepting);
  }

  /** Stops polling and drains every model's queue. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.scanning;
    await Promise.all([...this.entries.values()].map((e) => e.current?.predictor.close()));
  }
}
