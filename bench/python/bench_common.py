# Shared helpers for the PyTorch/TensorFlow bench scripts: argument parsing, median timing, the JSON result line.
import argparse
import json
import statistics
import time


def parse_args(description, gpu=False):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (CPU)")
    p.add_argument("--sizes", default="1024,2048,4096,8192" if gpu else "256,512,1024,2048", help="square matmul sizes")
    p.add_argument("--iters", type=int, default=7, help="timed samples per case (median reported)")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--only", default="", help="comma list of groups: gemm,conv,pool,overhead")
    p.add_argument("--flops-per-sample", type=float, default=2e9, help="matmuls per sample reach about this many flops")
    p.add_argument("--batch", type=int, default=64, help="conv/pool batch")
    p.add_argument("--calls", type=int, default=10000, help="tiny ops per overhead sample")
    p.add_argument("--round-trips", type=int, default=2000, help="op + readback pairs per round-trip sample")
    p.add_argument("--quick", action="store_true")
    if gpu:
        p.add_argument("--device", default="cuda:0")
        p.add_argument("--no-cudnn-benchmark", dest="cudnn_benchmark", action="store_false")
    a = p.parse_args()
    a.sizes = [int(s) for s in a.sizes.split(",") if s]
    a.only = set(g for g in a.only.split(",") if g)
    if a.quick:
        a.iters, a.warmup, a.calls, a.round_trips = 3, 1, 2000, 500
    return a


def wants(args, group):
    return not args.only or group in args.only


def time_samples(sample, iters, warmup, per_sample=1, sync=None):
    """Median and best seconds per unit of `sample()` (which does `per_sample` units); `sync()` waits for async work."""
    times = []
    for i in range(warmup + iters):
        t0 = time.perf_counter()
        sample()
        if sync:
            sync()
        dt = time.perf_counter() - t0
        if i >= warmup:
            times.append(dt / per_sample)
    return statistics.median(times), min(times)


def reps_for(flops, target):
    return max(1, -(-int(target) // int(flops)))


def row(key, name, seconds, best=None, flops=None, per_call_us=False):
    r = {"key": key, "name": name, "ms": seconds * 1e3}
    if best is not None:
        r["bestMs"] = best * 1e3
    if flops is not None:
        r["gflops"] = flops / seconds / 1e9
    if per_call_us:
        r["us"] = seconds * 1e6
    return r


def emit(result):
    """The last stdout line is the JSON result the Node runner parses."""
    print(json.dumps(result), flush=True)


def keras_epoch_timer(keras, tag, metric=None):
    """A Keras callback collecting each epoch's wall seconds in `.seconds` and logging it (and loss/metric) to stderr."""
    import sys

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            dt = time.perf_counter() - self.t0
            self.seconds.append(dt)
            logs = logs or {}
            extra = f", {metric} {logs.get(metric, float('nan')):.4f}" if metric else ""
            print(f"[{tag}] epoch {epoch + 1}: {dt:.2f} s, loss {logs.get('loss', float('nan')):.4f}{extra}", file=sys.stderr, flush=True)

    return EpochTimer()
