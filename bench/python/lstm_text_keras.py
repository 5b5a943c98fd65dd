# Keras (TensorFlow CPU) counterpart of bench/lstm_text.ts: embedding 64 > LSTM 128 > dense softmax on the same
# random token batches, timed per training step (model.fit over fixed batches, median of the epochs after the first).
import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench_common import keras_epoch_timer


def main():
    p = argparse.ArgumentParser(description="Keras LSTM text model step time")
    p.add_argument("--data", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=3)
    args = p.parse_args()
    import numpy as np
    import tensorflow as tf
    import keras

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    meta = json.load(open(os.path.join(args.data, "meta.json")))
    n, seq, vocab, classes, batch = meta["samples"], meta["seq"], meta["vocab"], meta["classes"], meta["batch"]
    x = np.fromfile(os.path.join(args.data, "x.i32"), dtype="<i4").reshape(n, seq)
    y = np.fromfile(os.path.join(args.data, "y.i32"), dtype="<i4")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(seq,), dtype="int32"),
        keras.layers.Embedding(vocab, 64),
        keras.layers.LSTM(128),
        keras.layers.Dense(classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

    timer = keras_epoch_timer(keras, "keras")
    model.fit(x, y, batch_size=batch, epochs=args.epochs, shuffle=False, verbose=0, callbacks=[timer])
    print(json.dumps({
        "framework": "keras", "version": f"{keras.__version__} (tensorflow {tf.__version__})",
        "threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "epochSeconds": timer.seconds, "steps": n // batch,
        "note": "model.fit; LSTM defaults (sigmoid gates, cuDNN-compatible kernel selection on CPU)",
        "rows": [],
    }), flush=True)


if __name__ == "__main__":
    main()
