# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""MobileNet v1 (Howard et al., 2017): a strided 3x3 convolution, then separable
blocks (a depthwise 3x3 convolution and a pointwise 1x1 convolution, each followed by
batch norm and ReLU), a global average pool and a dense classifier."""
from tvm import relay
from . import layers
from .init import create_workload


def conv_block(
    data,
    name,
    channels,
    kernel_size=(3, 3),
    strides=(1, 1),
    padding=(1, 1),
    epsilon=1e-5,
    layout="NCHW",
):
    """Convolution `<name>_conv`, batch norm `<name>_bn`, ReLU."""
    conv = layers.conv2d(
        data=data,
        channels=channels,
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        data_layout=layout,
        kernel_layout=layers.conv_kernel_layout(layout),
        name=f"{name}_conv",
    )
    bn = layers.batch_norm_infer(data=conv, epsilon=epsilon, axis=layout.index("C"), name=f"{name}_bn")
    return relay.nn.relu(data=bn)


def separable_conv_block(
    data,
    name,
    depthwise_channels,
    pointwise_channels,
    kernel_size=(3, 3),
    downsample=False,
    padding=(1, 1),
    epsilon=1e-5,
    layout="NCHW",
    dtype="float32",
):
    """Depthwise convolution (weight `<name>_weight`, stride 2 when downsample), batch
    norm `<name>_bn1`, ReLU, pointwise convolution `<name>_conv2` to pointwise_channels,
    batch norm `<name>_bn2`, ReLU."""
    if layout not in ("NCHW", "NHWC"):
        raise ValueError(f"mobilenet: layout must be 'NCHW' or 'NHWC', got {layout!r}")
    kernel_size = tuple(kernel_size)
    strides = (2, 2) if downsample else (1, 1)
    bn_axis = layout.index("C")
    # One filter per channel: OIHW (C, 1, kh, kw) or HWOI (kh, kw, C, 1).
    if layout == "NCHW":
        wshape = (depthwise_channels, 1) + kernel_size
    else:
        wshape = kernel_size + (depthwise_channels, 1)
    weight = relay.var(f"{name}_weight", shape=wshape, dtype=dtype)
    body = layers.conv2d(
        data=data,
        weight=weight,
        channels=depthwise_channels,
        groups=depthwise_channels,
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        data_layout=layout,
        kernel_layout=layers.conv_kernel_layout(layout, True),
        name=f"{name}_depthwise_conv1",
    )
    body = layers.batch_norm_infer(data=body, epsilon=epsilon, axis=bn_axis, name=f"{name}_bn1")
    body = relay.nn.relu(data=body)
    body = layers.conv2d(
        data=body,
        channels=pointwise_channels,
        kernel_size=(1, 1),
        strides=(1, 1),
        padding=(0, 0),
        data_layout=layout,
        kernel_layout=layers.conv_kernel_layout(layout),
        name=f"{name}_conv2",
    )
    body = layers.batch_norm_infer(data=body, epsilon=epsilon, axis=bn_axis, name=f"{name}_bn2")
    return relay.nn.relu(data=body)


def _separable_plan(is_shallow):
    """(input channels, output channels, downsample) of the separable blocks 1, 2, ...
    before the width multiplier."""
    plan = [
        (32, 64, False),
        (64, 128, True),
        (128, 128, False),
        (128, 256, True),
        (256, 256, False),
        (256, 512, True),
    ]
    if is_shallow:
        plan += [(512, 1024, True), (1024, 1024, True)]
    else:
        plan += [(512, 512, False)] * 5 + [(512, 1024, True), (1024, 1024, False)]
    return plan


def mobile_net(
    num_classes=1000,
    data_shape=(1, 3, 224, 224),
    dtype="float32",
    alpha=1.0,
    is_shallow=False,
    layout="NCHW",
):
    """The MobileNet function; alpha scales every layer's width, is_shallow replaces the
    five 512-channel blocks by a second downsampling block."""
    data = relay.var("data", shape=data_shape, dtype=dtype)
    body = conv_block(data, "conv_block_1", int(32 * alpha), strides=(2, 2), layout=layout)
    for i, (cin, cout, downsample) in enumerate(_separable_plan(is_shallow), start=1):
        body = separable_conv_block(
            body,
            f"separable_conv_block_{i}",
            int(cin * alpha),
            int(cout * alpha),
            downsample=downsample,
            layout=layout,
            dtype=dtype,
        )
    body = relay.nn.global_avg_pool2d(data=body, layout=layout)
    body = relay.nn.batch_flatten(data=body)
    body = relay.nn.dense(data=body, weight=relay.var("fc_weight"), units=num_classes)
    body = relay.nn.bias_add(body, relay.var("fc_bias"))
    body = relay.nn.softmax(data=body)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(
    batch_size=1, num_classes=1000, image_shape=(3, 224, 224), dtype="float32", layout="NCHW"
):
    """(mod, params) of MobileNet (alpha 1.0) for images of `image_shape` in `layout`
    (CHW for 'NCHW', HWC for 'NHWC')."""
    net = mobile_net(
        num_classes=num_classes,
        data_shape=(batch_size,) + tuple(image_shape),
        dtype=dtype,
        alpha=1.0,
        is_shallow=False,
        layout=layout,
    )
    return create_workload(net)
