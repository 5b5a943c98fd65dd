// Prometheus metrics of the server (prom-client, own registry): requests, inferences, executions, durations, queue depth.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchInfo } from '../predictor';

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServeMetrics {
  readonly registry = new Registry();
  readonly success: Counter<'model' | 'version' | 'protocol'>;
  readonly failure: Counter<'model' | 'version' | 'protocol' | 'code'>;
  readonly inferences: Counter<'model' | 'version'>;
  readonly executions: Counter<'model' | 'version'>;
  readonly queueSeconds: Histogram<'model' | 'version'>;
  readonly computeSeconds: Histogram<'model' | 'version'>;
  readonly requestSeconds: Histogram<'model' | 'version' | 'protocol'>;

  /** `queues()` reports each served model version's queue depth when /metrics is scraped. */
  constructor(queues: () => { model: string; version: string; depth: number }[]) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry }); // process CPU, RSS, heap, event-loop lag, GC
    this.success = new Counter({ name: 'tensornode_inference_request_success_total', help: 'Inference requests answered with outputs', labelNames: ['model', 'version', 'protocol'], registers });
    this.failure = new Counter({ name: 'tensornode_inference_request_failure_total', help: 'Inference requests answered with an error, by HTTP status', labelNames: ['model', 'version', 'protocol', 'code'], registers });
    this.inferences = new Counter({ name: 'tensornode_inference_count_total', help: 'Rows (samples) inferred; divided by executions it is the mean batch size', labelNames: ['model', 'version'], registers });
    this.executions = new Counter({ name: 'tensornode_inference_exec_count_total', help: 'Forward passes (batches) executed', labelNames: ['model', 'version'], registers });
    this.queueSeconds = new Histogram({ name: 'tensornode_inference_queue_duration_seconds', help: 'Time a request waited for its batch', labelNames: ['model', 'version'], buckets: SECONDS, registers });
    this.computeSeconds = new Histogram({ name: 'tensornode_inference_compute_duration_seconds', help: 'Time of one forward pass (a batch)', labelNames: ['model', 'version'], buckets: SECONDS, registers });
    this.requestSeconds = new Histogram({ name: 'tensornode_inference_request_duration_seconds', help: 'Time from the parsed request to its answer', labelNames: ['model', 'version', 'protocol'], buckets: SECONDS, registers });
    new Gauge({
      name: 'tensornode_inference_queue_depth',
      help: 'Requests waiting for a batch',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const q of queues()) this.set({ model: q.model, version: q.version }, q.depth);
      },
    });
  }

  /** The Predictor hook for one model version: counts executions and their compute time. */
  onBatch(model: string, version: string): (b: BatchInfo) => void {
    const labels = { model, version };
    return (b) => {
      this.executions.inc(labels);
      this.computeSeconds.observe(labels, b.computeMs / 1000);
    };
  }
}
