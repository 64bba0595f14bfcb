# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A multilayer perceptron: flatten, dense 128, dense 64, dense num_classes, softmax."""
from tvm import relay
from .init import create_workload
from . import layers

# Hidden layer widths; a ReLU follows each hidden layer.
_HIDDEN = (128, 64)


def get_net(batch_size, num_classes=10, image_shape=(1, 28, 28), dtype="float32"):
    """The perceptron as a relay.Function of `data` (batch_size, *image_shape) and its
    weights fc1..fc3 (`fc<i>_weight`, `fc<i>_bias`)."""
    data = relay.var("data", shape=(batch_size,) + tuple(image_shape), dtype=dtype)
    body = relay.nn.batch_flatten(data)
    widths = _HIDDEN + (num_classes,)
    for i, units in enumerate(widths, start=1):
        body = layers.dense_add_bias(body, units=units, name=f"fc{i}")
        if i < len(widths):
            body = relay.nn.relu(body)
    body = relay.nn.softmax(data=body)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(batch_size, num_classes=10, image_shape=(1, 28, 28), dtype="float32"):
    """(mod, params) of the perceptron; see get_net."""
    return create_workload(get_net(batch_size, num_classes, image_shape, dtype))
