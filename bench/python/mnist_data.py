# Reads the digit split that bench/mnist_epoch.ts exports (raw little-endian arrays + meta.json), and the shared CLI.
import argparse
import json
import os

import numpy as np


def parse_args(description, extra=None):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", required=True, help="directory written by bench/mnist_epoch.ts --compare")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    if extra:
        extra(p)
    return p.parse_args()


def load(directory):
    """Returns (train_x [N,28,28,1] float32 NHWC, train_y [N] int32, test_x, test_y)."""
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    h, w, c = meta["imageShape"]

    def arr(name, dtype, shape):
        return np.fromfile(os.path.join(directory, name), dtype=dtype).reshape(shape)

    return (
        arr("train_x.f32", "<f4", (meta["train"], h, w, c)),
        arr("train_y.i32", "<i4", (meta["train"],)),
        arr("test_x.f32", "<f4", (meta["test"], h, w, c)),
        arr("test_y.i32", "<i4", (meta["test"],)),
    )
