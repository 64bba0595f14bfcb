# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""3D ResNet for action recognition on video clips (Hara et al., "Can Spatiotemporal
3D CNNs Retrace the History of 2D CNNs and ImageNet?", CVPR 2018): the ResNet of
resnet.py with 3D convolutions over (depth/time, height, width).

Clips up to 28 pixels high get the CIFAR-style variant (3x3x3 stem, three stages);
taller ones a 3x7x7 stem striding over height and width and four stages."""
from tvm import relay
from .init import create_workload
from . import layers
from .resnet import _bn_relu, _conv_maker, _depth_config, _residual_unit, _stages

_KERNEL_LAYOUT = {"NCDHW": "OIDHW", "NDHWC": "DHWIO"}


def _check_layout(layout):
    if layout not in _KERNEL_LAYOUT:
        raise ValueError(f"resnet_3d: layout must be 'NCDHW' or 'NDHWC', got {layout!r}")


def residual_unit(
    data,
    num_filter,
    stride,
    dim_match,
    name,
    bottle_neck=True,
    data_layout="NCDHW",
    kernel_layout="OIDHW",
):
    """One pre-activation residual unit with 3D convolutions (see resnet.residual_unit)."""
    conv = _conv_maker(layers.conv3d, data_layout, kernel_layout)
    return _residual_unit(
        data, num_filter, stride, dim_match, name, bottle_neck, conv, data_layout.index("C"), 3
    )


def resnet(
    units,
    num_stages,
    filter_list,
    num_classes,
    data_shape,
    bottle_neck=True,
    layout="NCDHW",
    dtype="float32",
):
    """The 3D ResNet function for clips of data_shape in `layout` ('NCDHW' or 'NDHWC')."""
    _check_layout(layout)
    if len(units) != num_stages or len(filter_list) != num_stages + 1:
        raise ValueError(
            f"resnet_3d: units {list(units)} and filter_list {list(filter_list)} must have "
            f"num_stages={num_stages} and num_stages + 1 entries"
        )
    bn_axis = layout.index("C")
    conv = _conv_maker(layers.conv3d, layout, _KERNEL_LAYOUT[layout])
    data = relay.var("data", shape=data_shape, dtype=dtype)
    body = layers.batch_norm_infer(data=data, epsilon=2e-5, axis=bn_axis, scale=False, name="bn_data")
    if data_shape[layout.index("H")] <= 32:
        body = conv(body, "conv0", filter_list[0], (3, 3, 3), (1, 1, 1), (1, 1, 1))
    else:
        # Stride over space only: clips are short.
        body = conv(body, "conv0", filter_list[0], (3, 7, 7), (1, 2, 2), (1, 3, 3))
        body = _bn_relu(body, "bn0", bn_axis)

    def unit(x, num_filter, stride, dim_match, name, bottle):
        return _residual_unit(x, num_filter, stride, dim_match, name, bottle, conv, bn_axis, 3)

    body = _stages(body, units, filter_list, bottle_neck, unit, 3)
    body = _bn_relu(body, "bn1", bn_axis)
    body = relay.nn.global_avg_pool3d(data=body, layout=layout)
    body = relay.nn.batch_flatten(data=body)
    body = layers.dense_add_bias(data=body, units=num_classes, name="fc1")
    body = relay.nn.softmax(data=body)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_net(
    batch_size,
    num_classes,
    num_layers=50,
    image_shape=(3, 16, 112, 112),
    layout="NCDHW",
    dtype="float32",
    **kwargs,
):  # pylint: disable=unused-argument
    """The 3D ResNet of depth num_layers for clips of image_shape (CDHW, or DHWC when
    layout is 'NDHWC'); the depths are those of resnet.get_net."""
    _check_layout(layout)
    image_shape = tuple(image_shape)
    height = image_shape[layout.index("H") - 1]
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
    image_shape=(3, 16, 112, 112),
    layout="NCDHW",
    dtype="float32",
    **kwargs,
):
    """(mod, params) of the 3D ResNet that get_net describes."""
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
