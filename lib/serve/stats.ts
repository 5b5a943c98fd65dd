// Running statistics of a Predictor: counters and a bounded window of recent timings for percentiles.

/** The last `capacity` samples of a duration (ms); memory stays fixed however long the service runs. */
export class Window {
  private readonly buf: Float64Array;
  private n = 0;
  constructor(capacity = 2048) {
    this.buf = new Float64Array(capacity);
  }
  add(v: number): void {
    this.buf[this.n++ % this.buf.length] = v;
  }
  /** Nearest-rank percentiles (p in [0, 100]) of the window; 0 when empty. */
  percentiles(ps: number[]): number[] {
    const size = Math.min(this.n, this.buf.length);
    if (size === 0) return ps.map(() => 0);
    const sorted = this.buf.slice(0, size).sort();
    return ps.map((p) => sorted[Math.min(size - 1, Math.max(0, Math.ceil((p / 100) * size) - 1))]);
  }
  mean(): number {
    const size = Math.min(this.n, this.buf.length);
    let s = 0;
    for (let i = 0; i < size; i++) s += this.buf[i];
    return size ? s / size : 0;
  }
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentilesOf(w: Window): Percentiles {
  const [p50, p90, p99, max] = w.percentiles([50, 90, 99, 100]);
  return { p50, p90, p99, max };
}

/** What Predictor.stats() reports. Times in milliseconds over the most recent requests/batches. */
export interface PredictorStats {
  /** Requests waiting for a batch now. */
  queueDepth: number;
  /** Rows (samples) waiting now. */
  queuedRows: number;
  /** Batches computing now. */
  inFlightBatches: number;
  /** Requests answered with outputs. */
  completed: number;
  /** Requests refused with OverloadedError. */
  overloaded: number;
  /** Requests dropped because their deadline passed while queued. */
  expired: number;
  /** Requests dropped because their AbortSignal fired while queued. */
  aborted: number;
  /** Requests whose batch failed. */
  failed: number;
  /** Forward passes run (warmup excluded). */
  batches: number;
  /** Rows computed by those passes. */
  rows: number;
  /** rows / batches. */
  avgBatchSize: number;
  queueMs: Percentiles;
  computeMs: Percentiles;
}
