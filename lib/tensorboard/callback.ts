// tf.node.tensorBoard: the fit() callback that logs losses and metrics (and weight histograms) for TensorBoard, with
// tfjs-node's tags: 'batch_<key>' / 'epoch_<key>' under <logdir>/train, and validation values under <logdir>/val.
import * as path from 'path';
import { CustomCallback } from '../callbacks/custom';
import type { Logs } from '../callbacks/types';
import { ValueError } from '../errors';
import { summaryFileWriter, type SummaryFileWriter } from './writer';

export interface TensorBoardCallbackArgs {
  /** 'batch': write after every batch as well as every epoch; 'epoch' (default): after every epoch only. */
  updateFreq?: 'batch' | 'epoch';
  /** Every this many epochs (counting from epoch 0), write a histogram of every weight; 0 (default): never. */
  histogramFreq?: number;
}

// batch-log bookkeeping keys, not values to plot
const SKIPPED = new Set(['batch', 'size', 'num_steps']);

/** A tf.CustomCallback, as tfjs-node's is (it yields to the event loop the same way). */
export class TensorBoardCallback extends CustomCallback {
  // the values written per batch are that batch's own, so they may arrive while the next batch computes
  override readonly lagTolerant = true;
  private trainWriter: SummaryFileWriter | null = null;
  private valWriter: SummaryFileWriter | null = null;
  /** Batches seen over the whole run: the step of 'batch_' points. */
  private batchesSeen = 0;
  readonly updateFreq: 'batch' | 'epoch';
  readonly histogramFreq: number;

  constructor(readonly logdir = './logs', args: TensorBoardCallbackArgs = {}) {
    super({
      onBatchEnd: (_batch, logs) => this.batchEnd(logs ?? {}),
      onEpochEnd: (epoch, logs) => this.epochEnd(epoch, logs ?? {}),
      onTrainEnd: () => this.trainEnd(),
    });
    const updateFreq = args.updateFreq ?? 'epoch';
    if (updateFreq !== 'batch' && updateFreq !== 'epoch') throw new ValueError(`tensorBoard: 'updateFreq' must be 'batch' or 'epoch', got ${JSON.stringify(updateFreq)}`);
    const histogramFreq = args.histogramFreq ?? 0;
    if (!(Number.isInteger(histogramFreq) && histogramFreq >= 0)) throw new ValueError(`tensorBoard: 'histogramFreq' must be a non-negative integer, got ${histogramFreq}`);
    this.updateFreq = updateFreq;
    this.histogramFreq = histogramFreq;
  }

  private batchEnd(logs: Logs): void {
    this.batchesSeen++;
    if (this.updateFreq === 'batch') this.logMetrics(logs, 'batch_', this.batchesSeen);
  }

  private epochEnd(epoch: number, logs: Logs): void {
    this.logMetrics(logs, 'epoch_', epoch + 1);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) this.logWeights(epoch);
  }

  private trainEnd(): void {
    this.trainWriter?.flush();
    this.valWriter?.flush();
  }

  private logMetrics(logs: Logs, prefix: string, step: number): void {
    for (const [key, value] of Object.entries(logs)) {
      if (SKIPPED.has(key)) continue;
      if (key.startsWith('val_')) this.val().scalar(prefix + key.slice(4), value, step);
      else this.train().scalar(prefix + key, value, step);
    }
  }

  /** One histogram per weight, tagged with its name, at step `epoch` (tfjs-node's step for these). */
  private logWeights(epoch: number): void {
    if (!this.model) return;
    for (const w of this.model.weights) this.train().histogram(w.name, w.value, epoch);
  }

  private train(): SummaryFileWriter {
    return (this.trainWriter ??= summaryFileWriter(path.join(this.logdir, 'train')));
  }

  private val(): SummaryFileWriter {
    return (this.valWriter ??= summaryFileWriter(path.join(this.logdir, 'val')));
  }
}

/**
 * A callback for fit() / fitDataset() that writes the loss and metrics to TensorBoard event files under `logdir`
 * (`train/` and `val/` subdirectories), after every epoch or, with updateFreq 'batch', every batch too.
 */
export function tensorBoard(logdir = './logs', args?: TensorBoardCallbackArgs): TensorBoardCallback {
  return new TensorBoardCallback(logdir, args);
}
