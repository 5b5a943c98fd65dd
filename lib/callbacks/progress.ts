// Keras-like progress display: a live bar with ETA, loss and metrics on a TTY; one line per epoch otherwise.
import * as cliProgress from 'cli-progress';
import { Callback } from './callback';
import type { Logs } from './types';

export interface ProgressLoggerArgs {
  /** 1: bar on a TTY, a line per epoch otherwise; 2: a line per epoch always. */
  verbose?: number;
  /** Where to write (default process.stdout). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

function format(logs: Logs, skip: string[] = ['batch', 'size']): string {
  return Object.entries(logs)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`)
    .join(' - ');
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}

export class ProgressLogger extends Callback {
  override readonly lagTolerant = true;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly live: boolean;
  private bar: cliProgress.SingleBar | null = null;
  private epochStart = 0;
  private batchesDone = 0;
  private runningLoss = 0;

  constructor(args: ProgressLoggerArgs = {}) {
    super();
    this.stream = args.stream ?? process.stdout;
    this.live = (args.verbose ?? 1) === 1 && this.stream.isTTY === true;
  }

  onEpochBegin(epoch: number): void {
    this.epochStart = Date.now();
    this.batchesDone = 0;
    this.runningLoss = 0;
    const epochs = this.params?.epochs ?? 0;
    if (this.live) {
      this.stream.write(`Epoch ${epoch + 1}/${epochs}\n`);
      this.bar = new cliProgress.SingleBar(
        { format: ' {bar} {value}/{total} - ETA {eta_formatted} - {metrics}', stream: this.stream, hideCursor: true, etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.params?.steps ?? 0, 0, { metrics: '' });
    }
  }

  onBatchEnd(_batch: number, logs: Logs = {}): void {
    this.batchesDone++;
    if (typeof logs.loss === 'number') this.runningLoss += logs.loss;
    // The bar shows the running mean of the batch losses, as Keras does.
    this.bar?.update(this.batchesDone, { metrics: `loss: ${(this.runningLoss / this.batchesDone).toFixed(4)}` });
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const took = seconds(Date.now() - this.epochStart);
    if (this.bar) {
      this.bar.update(this.batchesDone, { metrics: format(logs) });
      this.bar.stop();
      this.bar = null;
      this.stream.write(` ${took}\n`);
    } else {
      this.stream.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? '?'} - ${took} - ${format(logs)}\n`);
    }
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
