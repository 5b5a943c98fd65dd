# PyTorch counterpart of bench/mnist_epoch.ts: the same CNN, data, batch size and optimizer, timed per epoch on CPU.
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn

from mnist_data import load, parse_args


def main():
    args = parse_args("PyTorch MNIST CNN epoch time", extra=lambda p: p.add_argument(
        "--layout", choices=["channels_last", "contiguous"], default="channels_last", help="memory format of images and conv weights (channels_last measured faster here)"))
    fmt = torch.channels_last if args.layout == "channels_last" else torch.contiguous_format
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tx, ty, vx, vy = load(args.data)
    # NHWC -> NCHW tensors, stored in the chosen memory format.
    def images(a):
        return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2))).to(memory_format=fmt)

    x, y = images(tx), torch.from_numpy(ty.astype(np.int64))
    xt, yt = images(vx), torch.from_numpy(vy.astype(np.int64))
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 10),
    ).to(memory_format=fmt)
    # The softmax is folded into the loss (cross_entropy on logits), as Keras and tensornode fuse it.
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = x.shape[0]
    epoch_seconds = []
    for epoch in range(args.epochs):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        total, correct, seen = 0.0, 0, 0
        for i in range(0, n, args.batch_size):
            idx = perm[i:i + args.batch_size]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            seen += len(idx)
        dt = time.perf_counter() - t0
        epoch_seconds.append(dt)
        print(f"[torch] epoch {epoch + 1}: {dt:.2f} s, loss {total / seen:.4f}, acc {correct / seen:.4f}", file=sys.stderr, flush=True)
    model.eval()
    with torch.no_grad():
        out = model(xt)
        test_loss = loss_fn(out, yt).item()
        test_acc = (out.argmax(1) == yt).float().mean().item()
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
        "epochSeconds": epoch_seconds, "testLoss": test_loss, "testAccuracy": test_acc,
        "note": f"custom loop, {args.layout}, CrossEntropyLoss on logits, Adam lr 1e-3",
        "rows": [],
    }), flush=True)


if __name__ == "__main__":
    main()
