# The seed CNN's conv/pool layers (bench/layer_shapes.ts) in PyTorch (channels_last) or TensorFlow: forward and
# forward+backward medians, printed as the JSON line the Node runner compares.
import argparse
import os

from bench_common import emit, row, time_samples


def shapes(n):
    # key, kind, NHWC input, conv [O, kh, kw] / pool [kh, kw]; 'valid' padding, pools 2x2 stride 2.
    return [
        ("conv1", "conv", (n, 28, 28, 1), (32, 3, 3)),
        ("pool1", "maxpool", (n, 26, 26, 32), (2, 2)),
        ("conv2", "conv", (n, 13, 13, 32), (64, 3, 3)),
        ("pool2", "maxpool", (n, 11, 11, 64), (2, 2)),
        ("conv3", "conv", (n, 5, 5, 64), (64, 3, 3)),
        ("conv28", "conv", (n, 28, 28, 32), (64, 3, 3)),
        ("avgpool28", "avgpool", (n, 28, 28, 64), (2, 2)),
    ]


def conv_flops(x, k):
    n, h, w, c = x
    o, kh, kw = k
    return 2 * n * (h - kh + 1) * (w - kw + 1) * o * kh * kw * c


def run_torch(a):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(a.threads)
    cl = torch.channels_last
    rows = []
    for key, kind, (n, h, w, c), k in shapes(a.batch):
        x = torch.randn(n, c, h, w).to(memory_format=cl)
        if kind == "conv":
            wt = (torch.randn(k[0], c, k[1], k[2]) * 0.1).to(memory_format=cl)
            y0 = F.conv2d(x, wt)
            dy = torch.randn_like(y0).to(memory_format=cl)

            def fwd():
                with torch.no_grad():
                    F.conv2d(x, wt)

            def both():
                xg = x.detach().requires_grad_()
                wg = wt.detach().requires_grad_()
                F.conv2d(xg, wg).backward(dy)

            f = conv_flops((n, h, w, c), k)
        else:
            pool = F.max_pool2d if kind == "maxpool" else F.avg_pool2d
            dy = torch.randn_like(pool(x, 2, 2)).to(memory_format=cl)

            def fwd():
                with torch.no_grad():
                    pool(x, 2, 2)

            def both():
                xg = x.detach().requires_grad_()
                pool(xg, 2, 2).backward(dy)

            f = None
        m, b = time_samples(fwd, a.iters, a.warmup)
        rows.append(row(f"{key}-fwd", f"{key} forward", m, b, f))
        m, b = time_samples(both, a.iters, a.warmup)
        rows.append(row(f"{key}-fwdbwd", f"{key} forward+backward", m, b, None if f is None else 3 * f))
    return {"framework": "pytorch", "version": torch.__version__, "threads": a.threads, "rows": rows}


def run_tf(a):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    rows = []
    for key, kind, (n, h, w, c), k in shapes(a.batch):
        x = tf.random.normal((n, h, w, c))
        if kind == "conv":
            wt = tf.random.normal((k[1], k[2], c, k[0])) * 0.1
            op = lambda x_, w_: tf.nn.conv2d(x_, w_, 1, "VALID")
            dy = tf.random.normal(op(x, wt).shape)
            fwd_fn = tf.function(lambda: op(x, wt))

            @tf.function
            def both_fn():
                with tf.GradientTape() as tape:
                    tape.watch([x, wt])
                    y = op(x, wt)
                return tape.gradient(y, [x, wt], output_gradients=dy)

            f = conv_flops((n, h, w, c), k)
        else:
            pool = tf.nn.max_pool2d if kind == "maxpool" else tf.nn.avg_pool2d
            op = lambda x_: pool(x_, 2, 2, "VALID")
            dy = tf.random.normal(op(x).shape)
            fwd_fn = tf.function(lambda: op(x))

            @tf.function
            def both_fn():
                with tf.GradientTape() as tape:
                    tape.watch(x)
                    y = op(x)
                return tape.gradient(y, x, output_gradients=dy)

            f = None
        m, b = time_samples(lambda: fwd_fn().numpy().ravel()[:1], a.iters, a.warmup)
        rows.append(row(f"{key}-fwd", f"{key} forward", m, b, f))
        m, b = time_samples(lambda: [g.numpy().ravel()[:1] for g in tf.nest.flatten(both_fn())], a.iters, a.warmup)
        rows.append(row(f"{key}-fwdbwd", f"{key} forward+backward", m, b, None if f is None else 3 * f))
    return {"framework": "tensorflow", "version": tf.__version__, "threads": a.threads, "rows": rows}


def main():
    p = argparse.ArgumentParser(description="seed-CNN conv/pool layer timings")
    p.add_argument("--framework", choices=["torch", "tf"], required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--iters", type=int, default=7)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    emit(run_torch(a) if a.framework == "torch" else run_tf(a))


if __name__ == "__main__":
    main()
