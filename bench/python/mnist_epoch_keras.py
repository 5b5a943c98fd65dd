# Keras (TensorFlow) counterpart of bench/mnist_epoch.ts: the same CNN, data, batch size and optimizer, timed per epoch on CPU.
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from mnist_data import load, parse_args


def main():
    args = parse_args("Keras MNIST CNN epoch time")
    import tensorflow as tf
    import keras

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    keras.utils.set_random_seed(args.seed)
    tx, ty, vx, vy = load(args.data)
    y, yt = keras.utils.to_categorical(ty, 10), keras.utils.to_categorical(vy, 10)
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

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
            print(f"[keras] epoch {epoch + 1}: {dt:.2f} s, loss {logs.get('loss', float('nan')):.4f}, acc {logs.get('accuracy', float('nan')):.4f}", file=sys.stderr, flush=True)

    timer = EpochTimer()
    model.fit(tx, y, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0, callbacks=[timer])
    test_loss, test_acc = model.evaluate(vx, yt, batch_size=256, verbose=0)
    print(json.dumps({
        "framework": "keras", "version": f"{keras.__version__} (tensorflow {tf.__version__})",
        "threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "epochSeconds": timer.seconds, "testLoss": float(test_loss), "testAccuracy": float(test_acc),
        "note": "model.fit, Adam defaults (lr 1e-3, eps 1e-7)",
        "rows": [],
    }), flush=True)


if __name__ == "__main__":
    main()
