# Keras (TensorFlow) counterpart of bench/mnist_epoch.ts: the same CNN, data, batch size and optimizer, timed per epoch on CPU.
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench_common import keras_epoch_timer
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

    timer = keras_epoch_timer(keras, "keras", "accuracy")
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
