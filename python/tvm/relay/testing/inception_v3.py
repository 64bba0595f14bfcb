# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Inception v3 (Szegedy et al., "Rethinking the Inception Architecture for Computer
Vision", 2015) for images of about 299x299, in NCHW, with the layer names of TVM's
model zoo: every convolution is followed by batch norm (without scale) and ReLU.

Each Inception7X module runs several towers side by side on the same input and
concatenates their outputs along the channels."""
# pylint: disable=invalid-name
from tvm import relay
from .init import create_workload
from . import layers


def Conv(data, num_filter, kernel=(1, 1), stride=(1, 1), pad=(0, 0), name=None, suffix=""):
    """Convolution `<name><suffix>_conv1`, batch norm `<name><suffix>_bn`, ReLU."""
    body = layers.conv2d(
        data=data,
        channels=int(num_filter),
        kernel_size=kernel,
        strides=stride,
        padding=pad,
        name=f"{name}{suffix}_conv1",
    )
    body = layers.batch_norm_infer(data=body, epsilon=2e-5, scale=False, name=f"{name}{suffix}_bn")
    return relay.nn.relu(data=body)


def Pooling(data, kernel, stride, pad, pool_type, name):  # pylint: disable=unused-argument
    """Max or average (padding counted) pooling; `name` is kept for the zoo's signature."""
    if pool_type == "max":
        return relay.nn.max_pool2d(data=data, pool_size=kernel, strides=stride, padding=pad)
    if pool_type == "avg":
        return relay.nn.avg_pool2d(
            data=data, pool_size=kernel, strides=stride, padding=pad, count_include_pad=True
        )
    raise ValueError(f"inception_v3: invalid pooling type {pool_type!r}; expected 'max' or 'avg'")


def _tower(data, name, steps):
    """A chain of Conv layers named `name` with suffixes; steps: (suffix, filters, kernel,
    stride, pad) in order."""
    body = data
    for suffix, filters, kernel, stride, pad in steps:
        body = Conv(body, filters, kernel=kernel, stride=stride, pad=pad, name=name, suffix=suffix)
    return body


def _pool_proj(data, pool, proj, name):
    """The pooling tower: a 3x3 stride-1 pool and a 1x1 projection to proj channels."""
    pooled = Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type=pool,
                     name=f"{pool}_pool_{name}_pool")
    return Conv(pooled, proj, name=f"{name}_tower_2", suffix="_conv")


_ONE = (1, 1)
_NOPAD = (0, 0)


def Inception7A(data, num_1x1, num_3x3_red, num_3x3_1, num_3x3_2, num_5x5_red, num_5x5, pool, proj, name):
    """Towers 1x1; 1x1-5x5; 1x1-3x3-3x3; pool-1x1 (35x35 grid)."""
    towers = [
        Conv(data, num_1x1, name=f"{name}_conv"),
        _tower(data, f"{name}_tower", [
            ("_conv", num_5x5_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_5x5, (5, 5), _ONE, (2, 2)),
        ]),
        _tower(data, f"{name}_tower_1", [
            ("_conv", num_3x3_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_3x3_1, (3, 3), _ONE, _ONE),
            ("_conv_2", num_3x3_2, (3, 3), _ONE, _ONE),
        ]),
        _pool_proj(data, pool, proj, name),
    ]
    return relay.concatenate(towers, axis=1)


def Inception7B(data, num_3x3, num_d3x3_red, num_d3x3_1, num_d3x3_2, pool, name):  # pylint: disable=unused-argument
    """Grid reduction 35 -> 17: towers 3x3/2; 1x1-3x3-3x3/2; 3x3/2 max pool."""
    towers = [
        Conv(data, num_3x3, kernel=(3, 3), pad=_NOPAD, stride=(2, 2), name=f"{name}_conv"),
        _tower(data, f"{name}_tower", [
            ("_conv", num_d3x3_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_d3x3_1, (3, 3), _ONE, _ONE),
            ("_conv_2", num_d3x3_2, (3, 3), (2, 2), _NOPAD),
        ]),
        Pooling(data=data, kernel=(3, 3), stride=(2, 2), pad=_NOPAD, pool_type="max",
                name=f"max_pool_{name}_pool"),
    ]
    return relay.concatenate(towers, axis=1)


def Inception7C(data, num_1x1, num_d7_red, num_d7_1, num_d7_2, num_q7_red, num_q7_1, num_q7_2,
                num_q7_3, num_q7_4, pool, proj, name):
    """Towers with factorised 7x7 convolutions (1x7 and 7x1) on the 17x17 grid."""
    towers = [
        Conv(data=data, num_filter=num_1x1, kernel=_ONE, name=f"{name}_conv"),
        _tower(data, f"{name}_tower", [
            ("_conv", num_d7_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_d7_1, (1, 7), _ONE, (0, 3)),
            ("_conv_2", num_d7_2, (7, 1), _ONE, (3, 0)),
        ]),
        _tower(data, f"{name}_tower_1", [
            ("_conv", num_q7_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_q7_1, (7, 1), _ONE, (3, 0)),
            ("_conv_2", num_q7_2, (1, 7), _ONE, (0, 3)),
            ("_conv_3", num_q7_3, (7, 1), _ONE, (3, 0)),
            ("_conv_4", num_q7_4, (1, 7), _ONE, (0, 3)),
        ]),
        _pool_proj(data, pool, proj, name),
    ]
    return relay.concatenate(towers, axis=1)


def Inception7D(data, num_3x3_red, num_3x3, num_d7_3x3_red, num_d7_1, num_d7_2, num_d7_3x3, pool, name):
    """Grid reduction 17 -> 8: towers 1x1-3x3/2; 1x1-1x7-7x1-3x3/2; 3x3/2 pool."""
    towers = [
        _tower(data, f"{name}_tower", [
            ("_conv", num_3x3_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_3x3, (3, 3), (2, 2), _NOPAD),
        ]),
        _tower(data, f"{name}_tower_1", [
            ("_conv", num_d7_3x3_red, _ONE, _ONE, _NOPAD),
            ("_conv_1", num_d7_1, (1, 7), _ONE, (0, 3)),
            ("_conv_2", num_d7_2, (7, 1), _ONE, (3, 0)),
            ("_conv_3", num_d7_3x3, (3, 3), (2, 2), _NOPAD),
        ]),
        Pooling(data=data, kernel=(3, 3), stride=(2, 2), pad=_NOPAD, pool_type=pool,
                name=f"{pool}_pool_{name}_pool"),
    ]
    return relay.concatenate(towers, axis=1)


def Inception7E(data, num_1x1, num_d3_red, num_d3_1, num_d3_2, num_3x3_d3_red, num_3x3,
                num_3x3_d3_1, num_3x3_d3_2, pool, proj, name):
    """The 8x8 modules: two towers end in a 1x3 and a 3x1 branch, both kept."""
    one = Conv(data=data, num_filter=num_1x1, kernel=_ONE, name=f"{name}_conv")
    d3 = Conv(data=data, num_filter=num_d3_red, name=f"{name}_tower", suffix="_conv")
    q3 = _tower(data, f"{name}_tower_1", [
        ("_conv", num_3x3_d3_red, _ONE, _ONE, _NOPAD),
        ("_conv_1", num_3x3, (3, 3), _ONE, _ONE),
    ])

    def split(x, tower, filters_a, filters_b):
        a = Conv(x, filters_a, kernel=(1, 3), pad=(0, 1), name=tower, suffix="_mixed_conv")
        b = Conv(x, filters_b, kernel=(3, 1), pad=(1, 0), name=tower, suffix="_mixed_conv_1")
        return [a, b]

    towers = (
        [one]
        + split(d3, f"{name}_tower", num_d3_1, num_d3_2)
        + split(q3, f"{name}_tower_1", num_3x3_d3_1, num_3x3_d3_2)
        + [_pool_proj(data, pool, proj, name)]
    )
    return relay.concatenate(towers, axis=1)


def get_net(batch_size, num_classes, image_shape, dtype):
    """The Inception v3 function ending in a softmax over num_classes."""
    data = relay.var("data", shape=(batch_size,) + tuple(image_shape), dtype=dtype)
    # Stem: 299 -> 35.
    body = Conv(data, 32, kernel=(3, 3), stride=(2, 2), name="conv")
    body = Conv(body, 32, kernel=(3, 3), name="conv_1")
    body = Conv(body, 64, kernel=(3, 3), pad=(1, 1), name="conv_2")
    body = Pooling(data=body, kernel=(3, 3), stride=(2, 2), pool_type="max", pad=_NOPAD, name="pool")
    body = Conv(body, 80, kernel=(1, 1), name="conv_3")
    body = Conv(body, 192, kernel=(3, 3), name="conv_4")
    body = Pooling(data=body, kernel=(3, 3), stride=(2, 2), pool_type="max", pad=_NOPAD, name="pool1")
    # 35x35.
    body = Inception7A(body, 64, 64, 96, 96, 48, 64, "avg", 32, "mixed")
    body = Inception7A(body, 64, 64, 96, 96, 48, 64, "avg", 64, "mixed_1")
    body = Inception7A(body, 64, 64, 96, 96, 48, 64, "avg", 64, "mixed_2")
    body = Inception7B(body, 384, 64, 96, 96, "max", "mixed_3")
    # 17x17.
    for name, width in (("mixed_4", 128), ("mixed_5", 160), ("mixed_6", 160), ("mixed_7", 192)):
        body = Inception7C(body, 192, width, width, 192, width, width, width, width, 192, "avg", 192, name)
    body = Inception7D(body, 192, 320, 192, 192, 192, 192, "max", "mixed_8")
    # 8x8.
    body = Inception7E(body, 320, 384, 384, 384, 448, 384, 384, 384, "avg", 192, "mixed_9")
    body = Inception7E(body, 320, 384, 384, 384, 448, 384, 384, 384, "max", 192, "mixed_10")
    body = Pooling(data=body, kernel=(8, 8), stride=(1, 1), pool_type="avg", pad=_NOPAD, name="global_pool")
    body = relay.nn.batch_flatten(body)
    body = relay.nn.dense(body, relay.var("fc1_weight"), units=num_classes)
    # The zoo names this bias fc2_bias (sic); kept so parameter names match.
    body = relay.nn.bias_add(body, relay.var("fc2_bias"), axis=-1)
    body = relay.nn.softmax(data=body)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(batch_size=1, num_classes=1000, image_shape=(3, 299, 299), dtype="float32"):
    """(mod, params) of Inception v3 for images of `image_shape` (CHW; the final 8x8
    pool needs about 299x299)."""
    return create_workload(get_net(batch_size, num_classes, image_shape, dtype))
