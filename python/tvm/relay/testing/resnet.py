# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ResNet with pre-activation residual units (He et al., "Identity Mappings in Deep
Residual Networks", 2016): batch norm and ReLU come before each convolution.

Images up to 28 pixels high get the CIFAR variant (three stages, a 3x3 stem);
taller ones the ImageNet variant (four stages, a 7x7 stride-2 stem and a max pool)."""
from tvm import relay
from .init import create_workload
from . import layers

# Units per stage of the ImageNet variants, by depth.
_IMAGENET_UNITS = {
    18: [2, 2, 2, 2],
    34: [3, 4, 6, 3],
    50: [3, 4, 6, 3],
    101: [3, 4, 23, 3],
    152: [3, 8, 36, 3],
    200: [3, 24, 36, 3],
    269: [3, 30, 48, 8],
}


def _bn_relu(data, name, bn_axis):
    out = layers.batch_norm_infer(data=data, epsilon=2e-5, axis=bn_axis, name=name)
    return relay.nn.relu(data=out)


def _residual_unit(data, num_filter, stride, dim_match, name, bottle_neck, conv, bn_axis, ndim):
    """The residual unit for `ndim` spatial dimensions; conv(x, name, channels, kernel,
    stride, padding) makes one convolution."""
    one, three, zero = (1,) * ndim, (3,) * ndim, (0,) * ndim
    act1 = _bn_relu(data, f"{name}_bn1", bn_axis)
    if bottle_neck:
        inner = int(num_filter * 0.25)
        # (suffix, channels, kernel, stride, padding) of the convolutions in order.
        plan = [
            ("conv1", inner, one, stride, zero),
            ("conv2", inner, three, one, one),
            ("conv3", num_filter, one, one, zero),
        ]
    else:
        plan = [
            ("conv1", num_filter, three, stride, one),
            ("conv2", num_filter, three, one, one),
        ]
    body = act1
    for k, (suffix, channels, kernel, conv_stride, pad) in enumerate(plan):
        if k > 0:
            body = _bn_relu(body, f"{name}_bn{k + 1}", bn_axis)
        body = conv(body, f"{name}_{suffix}", channels, kernel, conv_stride, pad)
    shortcut = data if dim_match else conv(act1, f"{name}_sc", num_filter, one, stride, zero)
    return relay.add(body, shortcut)


def _conv_maker(layer, data_layout, kernel_layout):
    def conv(x, name, channels, kernel, stride, pad):
        return layer(
            data=x,
            channels=channels,
            kernel_size=kernel,
            strides=stride,
            padding=pad,
            name=name,
            data_layout=data_layout,
            kernel_layout=kernel_layout,
        )

    return conv


def residual_unit(
    data,
    num_filter,
    stride,
    dim_match,
    name,
    bottle_neck=True,
    data_layout="NCHW",
    kernel_layout="IOHW",
):
    """One pre-activation residual unit named `name` with `num_filter` output channels.

    bottle_neck: 1x1 (num_filter/4), 3x3 (num_filter/4), 1x1 (num_filter) convolutions,
    else two 3x3 convolutions; `stride` applies to the first. dim_match: the shortcut
    is the input itself, else a strided 1x1 convolution `<name>_sc` of the activated
    input."""
    conv = _conv_maker(layers.conv2d, data_layout, kernel_layout)
    return _residual_unit(
        data, num_filter, stride, dim_match, name, bottle_neck, conv, data_layout.index("C"), 2
    )


def _stages(body, units, filter_list, bottle_neck, unit_fn, ndim):
    """The residual stages: the first keeps the resolution; each later one halves it in
    its first unit."""
    for stage, count in enumerate(units):
        stride = (1 if stage == 0 else 2,) * ndim
        for unit in range(count):
            body = unit_fn(
                body,
                filter_list[stage + 1],
                stride if unit == 0 else (1,) * ndim,
                unit > 0,
                f"stage{stage + 1}_unit{unit + 1}",
                bottle_neck,
            )
    return body


def _depth_config(num_layers, height):
    """(units per stage, filter_list, bottle_neck) of the ResNet of depth num_layers for
    images `height` pixels high (see get_net)."""
    if height <= 28:
        if num_layers >= 164 and (num_layers - 2) % 9 == 0:
            return [(num_layers - 2) // 9] * 3, [16, 64, 128, 256], True
        if num_layers < 164 and (num_layers - 2) % 6 == 0:
            return [(num_layers - 2) // 6] * 3, [16, 16, 32, 64], False
        raise ValueError(
            f"resnet: no CIFAR ResNet (image height {height} <= 28) has num_layers="
            f"{num_layers}; use 6n+2 below 164 or 9n+2 from 164"
        )
    if num_layers not in _IMAGENET_UNITS:
        raise ValueError(
            f"resnet: no ImageNet ResNet has num_layers={num_layers}; choose one of "
            f"{sorted(_IMAGENET_UNITS)}"
        )
    bottle_neck = num_layers >= 50
    filter_list = [64, 256, 512, 1024, 2048] if bottle_neck else [64, 64, 128, 256, 512]
    return list(_IMAGENET_UNITS[num_layers]), filter_list, bottle_neck


def resnet(
    units,
    num_stages,
    filter_list,
    num_classes,
    data_shape,
    bottle_neck=True,
    layout="NCHW",
    dtype="float32",
):
    """The ResNet function: `units[i]` residual units in stage i, filter_list[0] channels
    from the stem and filter_list[i + 1] in stage i; data of `data_shape` in `layout`
    ('NCHW' or 'NHWC'); a softmax over `num_classes` at the end."""
    if layout not in ("NCHW", "NHWC"):
        raise ValueError(f"resnet: layout must be 'NCHW' or 'NHWC', got {layout!r}")
    if len(units) != num_stages:
        raise ValueError(
            f"resnet: units {list(units)} lists {len(units)} stages but num_stages={num_stages}"
        )
    if len(filter_list) != num_stages + 1:
        raise ValueError(
            f"resnet: filter_list {list(filter_list)} needs num_stages + 1 = {num_stages + 1} entries"
        )
    kernel_layout = "OIHW" if layout == "NCHW" else "HWIO"
    bn_axis = layout.index("C")
    height = data_shape[layout.index("H")]
    conv = _conv_maker(layers.conv2d, layout, kernel_layout)

    data = relay.var("data", shape=data_shape, dtype=dtype)
    body = layers.batch_norm_infer(data=data, epsilon=2e-5, axis=bn_axis, scale=False, name="bn_data")
    if height <= 32:
        # Small images (CIFAR): keep the resolution in the stem.
        body = conv(body, "conv0", filter_list[0], (3, 3), (1, 1), (1, 1))
    else:
        body = conv(body, "conv0", filter_list[0], (7, 7), (2, 2), (3, 3))
        body = _bn_relu(body, "bn0", bn_axis)
        body = relay.nn.max_pool2d(
            data=body, pool_size=(3, 3), strides=(2, 2), padding=(1, 1), layout=layout
        )

    def unit(x, num_filter, stride, dim_match, name, bottle):
        return _residual_unit(x, num_filter, stride, dim_match, name, bottle, conv, bn_axis, 2)

    body = _stages(body, units, filter_list, bottle_neck, unit, 2)
    body = _bn_relu(body, "bn1", bn_axis)
    body = relay.nn.global_avg_pool2d(data=body, layout=layout)
    body = relay.nn.batch_flatten(data=body)
    body = layers.dense_add_bias(data=body, units=num_classes, name="fc1")
    body = relay.nn.softmax(data=body)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_net(
    batch_size,
    num_classes,
    num_layers=50,
    image_shape=(3, 224, 224),
    layout="NCHW",
    dtype="float32",
    **kwargs,
):  # pylint: disable=unused-argument
    """The ResNet of depth `num_layers` for images of `image_shape` (CHW, or HWC when
    layout is 'NHWC').

    Images up to 28 high: CIFAR ResNets of 3 equal stages; depth 6n+2 below 164
    (basic units, 16/16/32/64 filters) or 9n+2 from 164 (bottleneck units,
    16/64/128/256). Taller: the ImageNet depths 18, 34 (basic units, 64..512 filters)
    and 50, 101, 152, 200, 269 (bottleneck units, 64..2048 filters)."""
    if layout not in ("NCHW", "NHWC"):
        raise ValueError(f"resnet: layout must be 'NCHW' or 'NHWC', got {layout!r}")
    image_shape = tuple(image_shape)
    height = image_shape[0] if layout == "NHWC" else image_shape[1]
    units, filter_list, bottle_neck = _depth_config(num_layers, height)
    return resnet(
        units=units,
        num_stages=len(units),
        filter_list=filter_list,
        num_classes=num_classes,
        data_shape=(batch_size,) + image_shape,
        bottle_neck=bottle_neck,
        layout=layout,
        dtype=dtype,
    )


def get_workload(
    batch_size=1,
    num_classes=1000,
    num_layers=18,
    image_shape=(3, 224, 224),
    layout="NCHW",
    dtype="float32",
    **kwargs,
):
    """(mod, params) of the ResNet that get_net describes."""
    net = get_net(
        batch_size=batch_size,
        num_classes=num_classes,
        num_layers=num_layers,
        image_shape=image_shape,
        layout=layout,
        dtype=dtype,
        **kwargs,
    )
    return create_workload(net)
