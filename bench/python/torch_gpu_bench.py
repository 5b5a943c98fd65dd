# PyTorch GPU counterpart of bench/gpu_bench.ts: the same matmul (fp32/TF32), conv2d, pooling and launch-overhead cases, JSON on stdout.
import sys
import time

import torch
import torch.nn.functional as F

from bench_common import emit, parse_args, reps_for, row

args = parse_args("PyTorch GPU benchmarks (same cases as bench/gpu_bench.ts)", gpu=True)
dev = torch.device(args.device)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def time_cuda(sample, per_sample=1):
    """Median and best seconds per unit, measured with CUDA events around each sample on the current stream."""
    times = []
    for i in range(args.warmup + args.iters):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        sample()
        end.record()
        end.synchronize()
        if i >= args.warmup:
            times.append(start.elapsed_time(end) / 1e3 / per_sample)
    times.sort()
    return times[len(times) // 2], times[0]


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


def gemm(tag):
    rows = []
    for n in args.sizes:
        a = torch.randn(n, n, device=dev)
        b = torch.randn(n, n, device=dev)
        flops = 2 * n**3
        reps = reps_for(flops, 2e11)
        ms, best = time_cuda(lambda: [torch.mm(a, b) for _ in range(reps)], reps)
        rows.append(row(f"gemm-{n}-{tag}", f"matmul {n}x{n}x{n} {tag}", ms, best, flops))
        del a, b
    return rows


def conv(n, h, w, c, o, k, key, suffix, name_tag):
    """NHWC activations as PyTorch holds them: NCHW tensors in channels_last memory format."""
    cl = torch.channels_last
    x = torch.randn(n, c, h, w, device=dev).to(memory_format=cl)
    wt = (torch.randn(o, c, k, k, device=dev) * 0.05).to(memory_format=cl)
    dy = torch.randn(n, o, h, w, device=dev).to(memory_format=cl)
    flops = 2 * n * h * w * o * k * k * c
    reps = 5
    with torch.no_grad():
        fwd = time_cuda(lambda: [F.conv2d(x, wt, padding=k // 2) for _ in range(reps)], reps)
    xg, wg = x.clone().requires_grad_(True), wt.clone().requires_grad_(True)

    def step():
        for _ in range(reps):
            xg.grad = None
            wg.grad = None
            F.conv2d(xg, wg, padding=k // 2).backward(dy)

    both = time_cuda(step, reps)
    shape = f"N={n} {h}x{w} {c}->{o} {k}x{k} same"
    return [
        row(f"{key}-fwd{suffix}", f"conv2d forward ({shape}) {name_tag}", *fwd, flops=flops),
        row(f"{key}-fwdbwd{suffix}", f"conv2d forward+backward ({shape}) {name_tag}", *both, flops=3 * flops),
    ]


def pools(n, h, w, c, prefix):
    x = torch.randn(n, c, h, w, device=dev).to(memory_format=torch.channels_last)
    rows = []
    reps = 10
    for name, key, fn in (("maxPool2d", "maxpool", F.max_pool2d), ("avgPool2d", "avgpool", F.avg_pool2d)):
        with torch.no_grad():
            f = time_cuda(lambda: [fn(x, 2) for _ in range(reps)], reps)
        xg = x.clone().requires_grad_(True)

        def step():
            for _ in range(reps):
                xg.grad = None
                y = fn(xg, 2)
                y.backward(torch.ones_like(y))

        fb = time_cuda(step, reps)
        rows.append(row(f"{key}{prefix}-fwd", f"{name} 2x2 forward ([{n},{h},{w},{c}])", *f))
        rows.append(row(f"{key}{prefix}-fwdbwd", f"{name} 2x2 forward+backward ([{n},{h},{w},{c}])", *fb))
    return rows


def overhead():
    """Launch overhead from Python, wall clock: many tiny adds then one synchronize; and add + copy to host each call."""
    a = torch.rand(4, device=dev)
    b = torch.rand(4, device=dev)
    calls, trips = args.calls, args.round_trips

    def wall(fn, per):
        ts = []
        for i in range(args.warmup + args.iters):
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            fn()
            torch.cuda.synchronize()
            if i >= args.warmup:
                ts.append((time.perf_counter() - t0) / per)
        ts.sort()
        return ts[len(ts) // 2]

    ag = a.clone().requires_grad_(True)
    return [
        row("overhead-queued", f"add [4]+[4], {calls} launches, one sync", wall(lambda: [torch.add(a, b) for _ in range(calls)], calls), per_call_us=True),
        row("overhead-taped", "add [4]+[4] with requires_grad", wall(lambda: [torch.add(ag, b) for _ in range(calls)], calls), per_call_us=True),
        row("overhead-roundtrip", "add [4]+[4] + .cpu() each call", wall(lambda: [torch.add(a, b).cpu() for _ in range(trips)], trips), per_call_us=True),
    ]


def cnn_step(batch=128, reps=5):
    """One training step (forward, backward, Adam) of the seed CNN (bench/mnist_epoch.ts's model) on 28x28x1 inputs."""
    cl = torch.channels_last
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(64 * 5 * 5, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10),
    ).to(dev).to(memory_format=cl)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 1, 28, 28, device=dev).to(memory_format=cl)
    y = torch.randint(0, 10, (batch,), device=dev)

    def step():
        for _ in range(reps):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

    med, best = time_cuda(step, reps)
    return [row("cnn-step", f"seed CNN training step (batch {batch}, Adam) fp32", med, best)]


def main():
    if not torch.cuda.is_available():
        log("torch_gpu_bench: torch.cuda.is_available() is False")
        sys.exit(2)
    torch.manual_seed(0)
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    rows = []
    for tag in ("fp32", "tf32"):
        set_tf32(tag == "tf32")
        log(f"[torch] gemm {tag}")
        rows += gemm(tag)
        log(f"[torch] conv {tag}")
        rows += conv(64, 56, 56, 64, 64, 3, "conv56", f"-{tag}", tag)
    set_tf32(False)
    log("[torch] pools")
    rows += pools(64, 56, 56, 64, "56")
    rows += conv(args.batch, 28, 28, 32, 64, 3, "conv", "", "fp32")
    rows += pools(args.batch, 28, 28, 64, "")
    log("[torch] cnn step")
    rows += cnn_step()
    log("[torch] overhead")
    rows += overhead()
    props = torch.cuda.get_device_properties(dev)
    emit({
        "framework": "pytorch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": {
            "name": props.name,
            "capability": f"{props.major}.{props.minor}",
            "memoryGiB": round(props.total_memory / 2**30, 1),
            "cuda": torch.version.cuda,
            "cudnn": torch.backends.cudnn.version(),
            "cudnnBenchmark": args.cudnn_benchmark,
            "layout": "channels_last",
        },
        "rows": rows,
    })


if __name__ == "__main__":
    main()
