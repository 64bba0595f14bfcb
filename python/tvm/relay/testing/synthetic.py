# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A small synthetic network mixing the operator kinds of real models (dense along
the last axis, 3x3 convolutions with softmax, bias and batch norm), for fast tests."""
from tvm import relay
from .init import create_workload, Constant
from . import layers


def _dense_conv_pair(x, data_shape, dense_name, conv_name, wtype):
    """relu(dense) applied along the last axis plus softmax(conv 3x3) of `x`."""
    width = data_shape[3]
    dense = relay.nn.dense(
        relay.reshape(x, [-1, width]),
        relay.var(dense_name, shape=[width, width], dtype=wtype),
    )
    # Back to the input's shape (TVM's zoo writes reshape_like(dense, data)).
    dense = relay.reshape(relay.nn.relu(dense), list(data_shape))
    channels = data_shape[1]
    conv = relay.nn.conv2d(
        x,
        relay.var(conv_name, shape=[channels, channels, 3, 3], dtype=wtype),
        padding=1,
        kernel_size=3,
    )
    return relay.add(dense, relay.nn.softmax(conv))


def get_net(input_shape=(1, 3, 24, 12), dtype="float32", wtype=None):
    """The synthetic function of `data` (input_shape, NCHW); weights have dtype wtype
    (dtype when None)."""
    input_shape = tuple(input_shape)
    if len(input_shape) != 4:
        raise ValueError(f"synthetic: input_shape must be NCHW (4 dimensions), got {input_shape}")
    wtype = dtype if wtype is None else wtype
    data = relay.var("data", shape=input_shape, dtype=dtype)
    body = _dense_conv_pair(data, input_shape, "dense_weight", "conv_weight", wtype)
    body = relay.nn.bias_add(body, relay.var("bias", dtype=wtype))
    body = layers.batch_norm_infer(body, name="batch_norm")
    body = _dense_conv_pair(body, input_shape, "dense2_weight", "conv2_weight", wtype)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(input_shape=(1, 3, 24, 12), dtype="float32", wtype=None):
    """(mod, params) of the synthetic network, every weight constant (Constant())."""
    return create_workload(get_net(input_shape, dtype, wtype), initializer=Constant())
