# "Train in Keras, serve in Node", the Python half: trains a small Keras 3 classifier on synthetic sensor readings
# (8 readings -> one of 3 machine states), saves it as sensors.keras, and writes a held-out test set with Keras's own
# predictions to sensors_test.json. examples/keras_to_node.ts loads both in Node.
# Run with a Python that has tensorflow-cpu (Keras 3):  python examples/keras/train_sensors.py
import json
import os

import numpy as np
import keras
from keras import layers

here = os.path.dirname(os.path.abspath(__file__))
keras.utils.set_random_seed(11)
rng = np.random.default_rng(5)
CENTRES = rng.normal(0, 1.2, (3, 8)).astype("float32")  # the mean reading of each machine state


def readings(n):
    states = rng.integers(0, 3, n)
    x = CENTRES[states] + rng.normal(0, 0.9, (n, 8)).astype("float32")
    return x.astype("float32"), states.astype("int32")


x_train, y_train = readings(3000)
x_test, y_test = readings(300)
model = keras.Sequential([
    keras.Input(shape=(8,), name="readings"),
    layers.Dense(32, activation="relu"),
    layers.BatchNormalization(),
    layers.Dense(16, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(3, activation="softmax", name="state"),
], name="sensors")
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=12, batch_size=64, verbose=0)
loss, acc = model.evaluate(x_test, y_test, verbose=0)
model.save(os.path.join(here, "sensors.keras"))
probs = model.predict(x_test, verbose=0)
with open(os.path.join(here, "sensors_test.json"), "w") as f:
    json.dump({"keras": keras.__version__, "accuracy": float(acc), "x": x_test.ravel().tolist(), "shape": list(x_test.shape),
               "labels": y_test.tolist(), "probs": probs.ravel().tolist()}, f)
print(f"keras {keras.__version__}: test accuracy {acc:.3f}")
