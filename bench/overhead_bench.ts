// Per-op call overhead from JS: microseconds per tiny op when queued back to back, and per op + await round trip.
import * as tn from '../lib';
import { type BenchRow, median, nowMs, waitOn } from './common';

export interface OverheadBenchOptions {
  device?: tn.Device;
  /** Ops per queued sample (default 10,000). */
  calls?: number;
  /** Round trips per sample (default 2,000). */
  roundTrips?: number;
  /** Timed samples; the median is reported (default 5). */
  iters?: number;
  warmup?: number;
  group?: string;
}

export async function runOverheadBench(options: OverheadBenchOptions = {}): Promise<BenchRow[]> {
  const device = options.device ?? tn.getDefaultDevice();
  const calls = options.calls ?? 10_000;
  const roundTrips = options.roundTrips ?? 2_000;
  const iters = options.iters ?? 5;
  const warmup = options.warmup ?? 1;
  const group = options.group ?? 'overhead';
  const a = tn.rand([4], { device, seed: 1 });
  const b = tn.rand([4], { device, seed: 2 });
  const rows: BenchRow[] = [];

  // Queued: validate + enqueue + kernel + dispose for `calls` independent adds; one wait at the end covers them all.
  const queued: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = nowMs();
    const last = tn.tidy(() => {
      let y: tn.Tensor | undefined;
      for (let k = 0; k < calls; k++) y = tn.add(a, b);
      return y as tn.Tensor;
    });
    await last.data();
    const dt = nowMs() - t0;
    last.dispose();
    if (i >= warmup) queued.push((dt * 1000) / calls);
  }
  const q = median(queued);
  rows.push({ key: 'overhead-queued', group, name: `add [4]+[4], ${calls} queued in tidy, one await`, ms: q / 1000, us: q });

  // The form: a chain of 1,000 small ops (each reads the previous result) in a tidy, one await; many samples,
  // since one chain takes about a millisecond.
  const chain: number[] = [];
  const chainLength = 1000;
  for (let i = 0; i < 20 + 200; i++) {
    const t0 = nowMs();
    const last = tn.tidy(() => {
      let y = a;
      for (let k = 0; k < chainLength; k++) y = tn.add(y, b);
      return y;
    });
    await last.data();
    const dt = nowMs() - t0;
    last.dispose();
    if (i >= 20) chain.push((dt * 1000) / chainLength);
  }
  const c = median(chain);
  rows.push({ key: 'overhead-chain', group, name: `add chain of ${chainLength} in tidy, one await`, ms: c / 1000, us: c });

  // The same with autograd recording (inputs require grad): the tape's cost per op.
  const ag = a.detach();
  ag.requiresGrad = true;
  const taped: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = nowMs();
    const last = tn.tidy(() => {
      let y: tn.Tensor | undefined;
      for (let k = 0; k < calls; k++) y = tn.add(ag, b);
      return y as tn.Tensor;
    });
    await waitOn(last);
    const dt = nowMs() - t0;
    last.dispose();
    if (i >= warmup) taped.push((dt * 1000) / calls);
  }
  ag.dispose();
  const tq = median(taped);
  rows.push({ key: 'overhead-taped', group, name: `add [4]+[4] with requiresGrad (tape), queued`, ms: tq / 1000, us: tq });

  // Round trip: each op's result read back to JS before the next op is queued (async data()).
  const trips: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = nowMs();
    for (let k = 0; k < roundTrips; k++) {
      const y = tn.add(a, b);
      await y.data();
      y.dispose();
    }
    const dt = nowMs() - t0;
    if (i >= warmup) trips.push((dt * 1000) / roundTrips);
  }
  const rt = median(trips);
  rows.push({ key: 'overhead-roundtrip', group, name: `add [4]+[4] + await data() each call`, ms: rt / 1000, us: rt });

  // The same with the blocking dataSync(), for comparison with the async path.
  const syncs: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = nowMs();
    for (let k = 0; k < roundTrips; k++) {
      const y = tn.add(a, b);
      y.dataSync();
      y.dispose();
    }
    const dt = nowMs() - t0;
    if (i >= warmup) syncs.push((dt * 1000) / roundTrips);
  }
  const st = median(syncs);
  rows.push({ key: 'overhead-sync', group, name: `add [4]+[4] + dataSync() each call`, ms: st / 1000, us: st });

  a.dispose();
  b.dispose();
  return rows;
}
