# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SqueezeNet 1.0 and 1.1 (Iandola et al., "SqueezeNet: AlexNet-level accuracy with
50x fewer parameters and <0.5MB model size", 2016), in NCHW.

A fire module squeezes with a 1x1 convolution, then expands with a 1x1 and a 3x3
convolution whose outputs are concatenated along the channels."""
from tvm import relay
from .init import create_workload
from . import layers

# The stem convolution (channels, kernel, padding; stride 2) and the body: a fire
# module as (squeeze, expand 1x1, expand 3x3) channels, or "pool" for a 3x3 stride-2
# max pool.
_VERSIONS = {
    "1.0": (
        (96, 7, 3),
        ["pool", (16, 64, 64), (16, 64, 64), (32, 128, 128), "pool",
         (32, 128, 128), (48, 192, 192), (48, 192, 192), (64, 256, 256), "pool",
         (64, 256, 256)],
    ),
    "1.1": (
        (64, 3, 1),
        ["pool", (16, 64, 64), (16, 64, 64), "pool", (32, 128, 128), (32, 128, 128), "pool",
         (48, 192, 192), (48, 192, 192), (64, 256, 256), (64, 256, 256)],
    ),
}


def _make_fire_conv(net, channels, kernel_size, padding=0, prefix=""):
    """Convolution `<prefix>_conv` with its bias, then ReLU."""
    net = layers.conv2d(
        net,
        channels=channels,
        kernel_size=(kernel_size, kernel_size),
        padding=(padding, padding),
        name=f"{prefix}_conv",
    )
    net = relay.nn.bias_add(net, relay.var(f"{prefix}_conv_bias"))
    return relay.nn.relu(net)


def _make_fire(net, squeeze_channels, expand1x1_channels, expand3x3_channels, prefix):
    """A fire module whose convolutions are `<prefix>_input`, `_left` (1x1), `_right` (3x3)."""
    net = _make_fire_conv(net, squeeze_channels, 1, 0, f"{prefix}_input")
    left = _make_fire_conv(net, expand1x1_channels, 1, 0, f"{prefix}_left")
    right = _make_fire_conv(net, expand3x3_channels, 3, 1, f"{prefix}_right")
    return relay.concatenate((left, right), axis=1)


def get_net(batch_size, image_shape, num_classes, version, dtype):
    """The SqueezeNet `version` ('1.0' or '1.1') function ending in a softmax."""
    if version not in _VERSIONS:
        raise ValueError(
            f"squeezenet: unsupported version {version!r}; expected one of {sorted(_VERSIONS)}"
        )
    (stem_channels, stem_kernel, stem_pad), body_plan = _VERSIONS[version]
    net = relay.var("data", shape=(batch_size,) + tuple(image_shape), dtype=dtype)
    net = layers.conv2d(
        net,
        channels=stem_channels,
        kernel_size=(stem_kernel, stem_kernel),
        strides=(2, 2),
        padding=(stem_pad, stem_pad),
        name="conv1",
    )
    net = relay.nn.bias_add(net, relay.var("conv1_bias"))
    net = relay.nn.relu(net)
    fire = 0
    for step in body_plan:
        if step == "pool":
            net = relay.nn.max_pool2d(net, pool_size=(3, 3), strides=(2, 2))
        else:
            fire += 1
            net = _make_fire(net, *step, f"fire{fire}")
    net = relay.nn.dropout(net, rate=0.5)
    net = layers.conv2d(net, channels=num_classes, kernel_size=(1, 1), name="conv_final")
    net = relay.nn.bias_add(net, relay.var("conv_final_bias"))
    net = relay.nn.relu(net)
    net = relay.nn.global_avg_pool2d(net)
    net = relay.nn.batch_flatten(net)
    net = relay.nn.softmax(net)
    return relay.Function(relay.analysis.free_vars(net), net)


def get_workload(
    batch_size=1, num_classes=1000, version="1.0", image_shape=(3, 224, 224), dtype="float32"
):
    """(mod, params) of SqueezeNet `version` for images of `image_shape` (CHW)."""
    return create_workload(get_net(batch_size, image_shape, num_classes, version, dtype))
