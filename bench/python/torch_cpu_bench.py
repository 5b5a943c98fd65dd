# PyTorch CPU counterpart of `npm run bench`: the same GEMM, conv2d, pooling and per-op overhead cases, JSON on stdout.
import sys

import torch
import torch.nn.functional as F

from bench_common import emit, parse_args, reps_for, row, time_samples, wants


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def gemm(args):
    rows = []
    for n in args.sizes:
        a = torch.randn(n, n)
        b = torch.randn(n, n)
        flops = 2 * n**3
        reps = reps_for(flops, args.flops_per_sample)
        ms, best = time_samples(lambda: [torch.mm(a, b) for _ in range(reps)], args.iters, args.warmup, reps)
        rows.append(row(f"gemm-{n}", f"matmul {n}x{n}x{n} fp32", ms, best, flops))
    return rows


def conv_cases(args, layout):
    """conv2d N x 28 x 28 x 32 -> 64, 3x3 'same', as NCHW tensors in the given memory format."""
    n, h, w, c, o, k = args.batch, 28, 28, 32, 64, 3
    fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    x = torch.randn(n, c, h, w).to(memory_format=fmt)
    wt = (torch.randn(o, c, k, k) * 0.1).to(memory_format=fmt)
    dy = torch.randn(n, o, h, w).to(memory_format=fmt)
    flops = 2 * n * h * w * o * k * k * c
    with torch.no_grad():
        fwd = time_samples(lambda: F.conv2d(x, wt, padding=1), args.iters, args.warmup)
    xg = x.clone().requires_grad_(True)
    wg = wt.clone().requires_grad_(True)

    def step():
        xg.grad = None
        wg.grad = None
        F.conv2d(xg, wg, padding=1).backward(dy)

    both = time_samples(step, args.iters, args.warmup)
    shape = f"N={n} {h}x{w} {c}->{o} {k}x{k} same"
    return [
        row("conv-fwd", f"conv2d forward ({shape}) [{layout}]", *fwd, flops=flops),
        row("conv-fwdbwd", f"conv2d forward+backward ({shape}) [{layout}]", *both, flops=3 * flops),
    ]


def best_of_layouts(args, make):
    """Runs a case in both memory formats and keys the faster under the shared key (the other gets a -alt suffix)."""
    a, b = make(args, "contiguous"), make(args, "channels_last")
    out = []
    for ra, rb in zip(a, b):
        fast, slow = (ra, rb) if ra["ms"] <= rb["ms"] else (rb, ra)
        slow = dict(slow, key=slow["key"] + "-alt")
        out += [fast, slow]
    return out


def pool_cases(args, layout):
    n, h, w, c = args.batch, 28, 28, 64
    fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    x = torch.randn(n, c, h, w).to(memory_format=fmt)
    rows = []
    for name, key, fn in (("maxPool2d", "maxpool", F.max_pool2d), ("avgPool2d", "avgpool", F.avg_pool2d)):
        with torch.no_grad():
            f = time_samples(lambda: fn(x, 2), args.iters, args.warmup)
        xg = x.clone().requires_grad_(True)

        def step():
            xg.grad = None
            y = fn(xg, 2)
            y.backward(torch.ones_like(y))

        fb = time_samples(step, args.iters, args.warmup)
        rows.append(row(f"{key}-fwd", f"{name} 2x2 forward ([{n},{h},{w},{c}]) [{layout}]", *f))
        rows.append(row(f"{key}-fwdbwd", f"{name} 2x2 forward+backward ([{n},{h},{w},{c}]) [{layout}]", *fb))
    return rows


def overhead(args):
    a = torch.rand(4)
    b = torch.rand(4)
    rows = []
    q, _ = time_samples(lambda: [torch.add(a, b) for _ in range(args.calls)], args.iters, args.warmup, args.calls)
    rows.append(row("overhead-queued", f"add [4]+[4], {args.calls} calls", q, per_call_us=True))

    def chain():
        y = a
        for _ in range(1000):
            y = torch.add(y, b)
        return y

    c, _ = time_samples(chain, 200, 20, 1000)
    rows.append(row("overhead-chain", "add chain of 1000", c, per_call_us=True))
    ag = a.clone().requires_grad_(True)
    t, _ = time_samples(lambda: [torch.add(ag, b) for _ in range(args.calls)], args.iters, args.warmup, args.calls)
    rows.append(row("overhead-taped", "add [4]+[4] with requires_grad (autograd graph)", t, per_call_us=True))
    # CPU ops run synchronously in PyTorch; copying the values out is the equivalent of tensornode's data().
    rt, _ = time_samples(lambda: [torch.add(a, b).numpy().copy() for _ in range(args.round_trips)], args.iters, args.warmup, args.round_trips)
    rows.append(row("overhead-roundtrip", "add [4]+[4] + .numpy().copy() each call", rt, per_call_us=True))
    return rows


def main():
    args = parse_args("PyTorch CPU benchmarks (same cases as tensornode's npm run bench)")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rows = []
    if wants(args, "gemm"):
        log("[torch] gemm")
        rows += gemm(args)
    if wants(args, "conv"):
        log("[torch] conv")
        rows += best_of_layouts(args, conv_cases)
    if wants(args, "pool"):
        log("[torch] pool")
        rows += best_of_layouts(args, pool_cases)
    if wants(args, "overhead"):
        log("[torch] overhead")
        rows += overhead(args)
    emit({
        "framework": "pytorch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": {"kind": "cpu", "mkldnn": torch.backends.mkldnn.is_available(), "config": torch.__config__.parallel_info().splitlines()[:6]},
        "rows": rows,
    })


if __name__ == "__main__":
    main()
