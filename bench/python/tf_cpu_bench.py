# TensorFlow CPU counterpart of `npm run bench` (eager ops, NHWC as tensornode): GEMM, conv2d, pooling, per-op overhead.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench_common import emit, parse_args, reps_for, row, time_samples, wants


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def main():
    args = parse_args("TensorFlow CPU benchmarks (same cases as tensornode's npm run bench)")
    import tensorflow as tf

    # Thread pools must be sized before the first op runs.
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    tf.random.set_seed(0)
    # Eager CPU ops execute synchronously by default, so returning from the op means the work is done.
    rows = []
    if wants(args, "gemm"):
        log("[tf] gemm")
        for n in args.sizes:
            a = tf.random.normal([n, n])
            b = tf.random.normal([n, n])
            flops = 2 * n**3
            reps = reps_for(flops, args.flops_per_sample)
            ms, best = time_samples(lambda: [tf.linalg.matmul(a, b) for _ in range(reps)], args.iters, args.warmup, reps)
            rows.append(row(f"gemm-{n}", f"matmul {n}x{n}x{n} fp32", ms, best, flops))
    if wants(args, "conv"):
        log("[tf] conv")
        n, h, w, c, o, k = args.batch, 28, 28, 32, 64, 3
        x = tf.random.normal([n, h, w, c])
        wt = tf.random.normal([k, k, c, o]) * 0.1  # HWIO, TensorFlow's filter layout
        dy = tf.random.normal([n, h, w, o])
        flops = 2 * n * h * w * o * k * k * c
        fwd = time_samples(lambda: tf.nn.conv2d(x, wt, 1, "SAME"), args.iters, args.warmup)

        def step():
            with tf.GradientTape() as tape:
                tape.watch([x, wt])
                y = tf.nn.conv2d(x, wt, 1, "SAME")
            return tape.gradient(y, [x, wt], output_gradients=dy)

        both = time_samples(step, args.iters, args.warmup)
        shape = f"N={n} {h}x{w} {c}->{o} {k}x{k} same"
        rows.append(row("conv-fwd", f"conv2d forward ({shape})", *fwd, flops=flops))
        rows.append(row("conv-fwdbwd", f"conv2d forward+backward ({shape})", *both, flops=3 * flops))
    if wants(args, "pool"):
        log("[tf] pool")
        n, h, w, c = args.batch, 28, 28, 64
        x = tf.random.normal([n, h, w, c])
        for name, key, fn in (("maxPool2d", "maxpool", tf.nn.max_pool2d), ("avgPool2d", "avgpool", tf.nn.avg_pool2d)):
            f = time_samples(lambda: fn(x, 2, 2, "VALID"), args.iters, args.warmup)

            def step():
                with tf.GradientTape() as tape:
                    tape.watch(x)
                    y = fn(x, 2, 2, "VALID")
                return tape.gradient(y, x, output_gradients=tf.ones_like(y))

            fb = time_samples(step, args.iters, args.warmup)
            rows.append(row(f"{key}-fwd", f"{name} 2x2 forward ([{n},{h},{w},{c}])", *f))
            rows.append(row(f"{key}-fwdbwd", f"{name} 2x2 forward+backward ([{n},{h},{w},{c}])", *fb))
    if wants(args, "overhead"):
        log("[tf] overhead")
        a = tf.random.uniform([4])
        b = tf.random.uniform([4])
        q, _ = time_samples(lambda: [tf.add(a, b) for _ in range(args.calls)], args.iters, args.warmup, args.calls)
        rows.append(row("overhead-queued", f"add [4]+[4], {args.calls} eager calls", q, per_call_us=True))

        def chain():
            y = a
            for _ in range(1000):
                y = tf.add(y, b)
            return y.numpy()

        c, _ = time_samples(chain, 200, 20, 1000)
        rows.append(row("overhead-chain", "add chain of 1000, one .numpy()", c, per_call_us=True))

        def taped():
            with tf.GradientTape() as tape:
                tape.watch(a)
                for _ in range(args.calls):
                    tf.add(a, b)

        t, _ = time_samples(taped, args.iters, args.warmup, args.calls)
        rows.append(row("overhead-taped", "add [4]+[4] under GradientTape", t, per_call_us=True))
        rt, _ = time_samples(lambda: [tf.add(a, b).numpy() for _ in range(args.round_trips)], args.iters, args.warmup, args.round_trips)
        rows.append(row("overhead-roundtrip", "add [4]+[4] + .numpy() each call", rt, per_call_us=True))
    emit({
        "framework": "tensorflow",
        "version": tf.__version__,
        "threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "device": {"kind": "cpu", "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")},
        "rows": rows,
    })


if __name__ == "__main__":
    main()
