# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Layer helpers for the model zoo: each one makes the free variables of its
weights, named `<name>_weight`, `<name>_bias`, ..., unless they are given, so
that `create_workload` can find and initialise them by name."""
from tvm import relay


def _layer_name(helper, kwargs):
    """Pop the mandatory `name` keyword: it prefixes every weight the layer makes."""
    name = kwargs.pop("name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(
            f"layers.{helper}: a `name` keyword (a non-empty str) is required to name the "
            f"layer's weights; got name={name!r}"
        )
    return name


def _weight(given, name, suffix):
    return given if given is not None else relay.var(f"{name}_{suffix}")


def batch_norm_infer(data, gamma=None, beta=None, moving_mean=None, moving_var=None, **kwargs):
    """relay.nn.batch_norm for inference: its normalised output only (element 0 of the
    result tuple). Missing statistics become variables `<name>_gamma`, `<name>_beta`,
    `<name>_moving_mean` and `<name>_moving_var`; other keywords go to batch_norm."""
    name = _layer_name("batch_norm_infer", kwargs)
    result = relay.nn.batch_norm(
        data,
        gamma=_weight(gamma, name, "gamma"),
        beta=_weight(beta, name, "beta"),
        moving_mean=_weight(moving_mean, name, "moving_mean"),
        moving_var=_weight(moving_var, name, "moving_var"),
        **kwargs,
    )
    return result[0]


def conv2d(data, weight=None, **kwargs):
    """relay.nn.conv2d with a variable `<name>_weight` when no weight is given."""
    name = _layer_name("conv2d", kwargs)
    return relay.nn.conv2d(data, _weight(weight, name, "weight"), **kwargs)


def conv3d(data, weight=None, **kwargs):
    """relay.nn.conv3d with a variable `<name>_weight` when no weight is given."""
    name = _layer_name("conv3d", kwargs)
    return relay.nn.conv3d(data, _weight(weight, name, "weight"), **kwargs)


def conv2d_transpose(data, weight=None, **kwargs):
    """relay.nn.conv2d_transpose with a variable `<name>_weight` when no weight is given."""
    name = _layer_name("conv2d_transpose", kwargs)
    return relay.nn.conv2d_transpose(data, _weight(weight, name, "weight"), **kwargs)


def dense_add_bias(data, weight=None, bias=None, units=None, **kwargs):
    """A fully connected layer: relay.nn.dense then bias_add on the last axis, with
    variables `<name>_weight` and `<name>_bias` for what is not given."""
    name = _layer_name("dense_add_bias", kwargs)
    out = relay.nn.dense(data, _weight(weight, name, "weight"), units, **kwargs)
    return relay.nn.bias_add(out, _weight(bias, name, "bias"), axis=-1)


# The kernel layout that goes with a data layout (TOPI has computes for these pairs).
_KERNEL_LAYOUT = {"NCHW": "OIHW", "NHWC": "HWIO"}
_DEPTHWISE_KERNEL_LAYOUT = {"NCHW": "OIHW", "NHWC": "HWOI"}


def conv_kernel_layout(data_layout, is_depthwise=False):
    """The kernel layout for a convolution whose data has `data_layout` ('NCHW' or 'NHWC')."""
    table = _DEPTHWISE_KERNEL_LAYOUT if is_depthwise else _KERNEL_LAYOUT
    if data_layout not in table:
        raise ValueError(
            f"conv_kernel_layout: unknown data layout {data_layout!r}; expected one of "
            f"{sorted(table)}"
        )
    return table[data_layout]
