# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The Nature DQN (Mnih et al., "Human-level control through deep reinforcement
learning", 2015): three convolutions over stacked frames and two dense layers giving
one value per action."""
from tvm import relay
from . import layers
from .init import create_workload

# (channels, kernel, stride) of conv1..conv3; none is padded.
_CONVS = [(32, 8, 4), (64, 4, 2), (64, 3, 1)]


def get_net(batch_size, num_actions=18, image_shape=(4, 84, 84), dtype="float32", layout="NCHW"):
    """The DQN function of `data` (batch_size, *image_shape), image_shape in `layout`
    ('NCHW' or 'NHWC') without the batch."""
    kernel_layout = layers.conv_kernel_layout(layout)
    bias_axis = layout.index("C")
    body = relay.var("data", shape=(batch_size,) + tuple(image_shape), dtype=dtype)
    for i, (channels, kernel, stride) in enumerate(_CONVS, start=1):
        body = layers.conv2d(
            body,
            kernel_size=(kernel, kernel),
            strides=(stride, stride),
            padding=(0, 0),
            channels=channels,
            name=f"conv{i}",
            data_layout=layout,
            kernel_layout=kernel_layout,
        )
        body = relay.nn.bias_add(body, relay.var(f"conv{i}_bias"), bias_axis)
        body = relay.nn.relu(body)
    body = relay.nn.batch_flatten(body)
    body = relay.nn.relu(layers.dense_add_bias(body, units=512, name="dense1"))
    body = layers.dense_add_bias(body, units=num_actions, name="dense2")
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(batch_size, num_actions=18, image_shape=(4, 84, 84), dtype="float32", layout="NCHW"):
    """(mod, params) of the DQN."""
    net = get_net(batch_size, num_actions=num_actions, image_shape=image_shape, dtype=dtype,
                  layout=layout)
    return create_workload(net)
