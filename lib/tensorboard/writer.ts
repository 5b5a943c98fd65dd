// tf.node.summaryFileWriter: TensorBoard event files (TFRecord-framed Event protos) written from Node, as tfjs-node's
// SummaryFileWriter writes them through libtensorflow: same queueing (maxQueue, flushMillis), one writer per logdir.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ShapeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { fileVersionEvent, histogramEvent, scalarEvent } from './events';
import { histogramBuckets } from './histogram';
import { tfRecord } from './tfrecord';

/** Seconds since the epoch with sub-millisecond resolution (Event.wall_time). */
const wallTime = (): number => (performance.timeOrigin + performance.now()) / 1000;

let filesCreated = 0;
const liveWriters = new Set<SummaryFileWriter>();

/** @internal Flushes every writer; runs on process exit, as libtensorflow flushes its writers when it shuts down. */
export function flushAllWriters(): void {
  for (const w of liveWriters) {
    try {
      w.flush();
    } catch {
      // the logdir was removed under a writer: at exit there is no caller left to tell, and the other writers still flush
    }
  }
}

function checkStep(op: string, step: unknown): number {
  if (!(typeof step === 'number' && Number.isSafeInteger(step))) throw new ValueError(`${op}: 'step' must be an integer, got ${String(step)}`);
  return step;
}

function checkName(op: string, name: unknown): string {
  if (typeof name !== 'string') throw new ValueError(`${op}: 'name' must be a string, got ${typeof name}`);
  return name;
}

export class SummaryFileWriter {
  /** The events file this writer appends to. */
  readonly path: string;
  private queue: Buffer[] = [];
  private lastFlush = Date.now();

  /** @internal Use summaryFileWriter(logdir), which keeps one writer per logdir. */
  constructor(
    readonly logdir: string,
    private readonly maxQueue = 10,
    private readonly flushMillis = 120000,
    filenameSuffix = '.v2',
  ) {
    fs.mkdirSync(logdir, { recursive: true });
    // TensorFlow's name is events.out.tfevents.<seconds>.<host><suffix>; the pid and a counter keep two writers
    // started in the same second (two processes, or two spellings of one logdir) from sharing a file.
    const seconds = String(Math.floor(Date.now() / 1000)).padStart(10, '0');
    this.path = path.join(logdir, `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}.${filesCreated++}${filenameSuffix}`);
    // the version record goes to disk at once, so a reader can identify the file before anything is logged
    fs.writeFileSync(this.path, tfRecord(fileVersionEvent(wallTime())), { flag: 'wx' });
    if (liveWriters.size === 0) process.on('exit', flushAllWriters);
    liveWriters.add(this);
  }

  /**
   * Writes a scalar point `value` (a number or a rank-0 tensor, stored as float32) at `step` under the tag `name`.
   * `description` is not supported yet, as in tfjs-node (it throws).
   */
  scalar(name: string, value: Tensor | number, step: number, description?: string): void {
    const op = 'SummaryFileWriter.scalar';
    checkName(op, name);
    if (description !== undefined && description !== null) throw new ValueError(`${op}: 'description' is not supported yet (as in tfjs-node)`);
    checkStep(op, step);
    let v: number;
    if (typeof value === 'number') v = value;
    else if (value instanceof Tensor) {
      if (value.rank !== 0) throw new ShapeError(`${op}: 'value' must be a scalar (rank 0) tensor, got shape [${value.shape}]`);
      v = value.dataSync()[0];
    } else throw new ValueError(`${op}: 'value' must be a number or a scalar tensor, got ${value === null ? 'null' : typeof value}`);
    this.enqueue(scalarEvent(wallTime(), step, name, v));
  }

  /**
   * Writes a histogram of all the elements of `data` (any shape) at `step` under the tag `name`, for TensorBoard's
   * Histograms and Distributions dashboards. `buckets` defaults to 30; `description` is shown (markdown) in TensorBoard.
   */
  histogram(name: string, data: Tensor, step: number, buckets?: number, description?: string): void {
    const op = 'SummaryFileWriter.histogram';
    checkName(op, name);
    checkStep(op, step);
    if (!(data instanceof Tensor)) throw new ValueError(`${op}: 'data' must be a tensor, got ${data === null ? 'null' : typeof data}`);
    this.enqueue(histogramEvent(wallTime(), step, name, histogramBuckets(data.dataSync(), buckets ?? 30), description));
  }

  /** Writes every queued event to the file. */
  flush(): void {
    if (this.queue.length > 0) fs.appendFileSync(this.path, Buffer.concat(this.queue));
    this.queue = [];
    this.lastFlush = Date.now();
  }

  private enqueue(event: Uint8Array): void {
    this.queue.push(tfRecord(event));
    // libtensorflow's rule: flush once the queue holds more than maxQueue events or flushMillis have passed
    if (this.queue.length > this.maxQueue || Date.now() - this.lastFlush > this.flushMillis) this.flush();
  }
}

// One writer per logdir string, as tfjs-node caches them: two writers on one directory would interleave files.
const writers = new Map<string, SummaryFileWriter>();

/**
 * A summary writer for TensorBoard that writes event files under `logdir` (created if needed). Events are queued
 * and written when more than `maxQueue` are waiting, when `flushMillis` have passed since the last write, on
 * flush(), and when the process exits. The same logdir string returns the same writer.
 */
export function summaryFileWriter(logdir: string, maxQueue = 10, flushMillis = 120000, filenameSuffix = '.v2'): SummaryFileWriter {
  if (typeof logdir !== 'string' || logdir.length === 0) {
    throw new ValueError(`summaryFileWriter: 'logdir' must be a non-empty string, got ${JSON.stringify(logdir)}`);
  }
  if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) throw new ValueError(`summaryFileWriter: 'maxQueue' must be a non-negative integer, got ${maxQueue}`);
  if (!(typeof flushMillis === 'number' && flushMillis >= 0)) throw new ValueError(`summaryFileWriter: 'flushMillis' must be a non-negative number, got ${flushMillis}`);
  if (typeof filenameSuffix !== 'string') throw new ValueError(`summaryFileWriter: 'filenameSuffix' must be a string, got ${typeof filenameSuffix}`);
  let w = writers.get(logdir);
  if (!w) {
    w = new SummaryFileWriter(logdir, maxQueue, flushMillis, filenameSuffix);
    writers.set(logdir, w);
  }
  return w;
}
