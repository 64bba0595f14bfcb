# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.conv2d's layout alteration for x86 CPUs (relay.transform.AlterOpLayout).

A float32 NCHW convolution becomes its blocked form, whose activations stay in NCHW[x]c between
layers (AlterOpLayout propagates the layout and transforms back only where needed):

    nn.conv2d(%x, %w)  (groups 1)
      -> nn.contrib_conv2d_NCHWc(%x, %w, data_layout="NCHW16c", kernel_layout="OIHW16i16o",
                                 out_layout="NCHW16c")
    nn.conv2d(%x, %w, groups=C)  (depthwise, multiplier 1)
      -> nn.contrib_depthwise_conv2d_NCHWc(%x, %w, data_layout="NCHW16c", kernel_layout="OIHW1i16o", ...)

The pass transforms %x and %w into those layouts (FoldConstant packs a constant weight once). The
block of a tensor with C channels is topi.x86.conv2d_nchwc.channel_block(C): the widest vector
dividing C (16, 8 or 4 float32 lanes with AVX-512), so producer and consumer agree; input
channels with no such block (a first layer's 3) are read as plain NCHW. Output channels with no
block keep nn.conv2d NCHW, with a constant kernel pre-packed for conv2d_nchw:

    nn.conv2d(%x, const) -> nn.conv2d(%x, layout_transform(const, "OIHW", "OIHW8i32o"), kernel_layout="OIHW8i32o")
"""
from ...target import Target
from ..nn.conv import conv2d_alter_layout
from ..utils import get_const_tuple
from . import _schedule_utils as utils
from .conv2d_nchwc import channel_block


_CONV2D_ATTRS = ("strides", "padding", "dilation", "groups", "channels", "kernel_size", "data_layout",
                 "kernel_layout", "out_layout", "out_dtype")


@conv2d_alter_layout.register("cpu")
def _alter_conv2d_layout(attrs, inputs, tinfos, out_type):
    from ... import relay  # pylint: disable=import-outside-toplevel

    data, kernel = inputs
    data_info, kernel_info = tinfos
    if (str(attrs.data_layout) != "NCHW" or str(attrs.kernel_layout) != "OIHW"
            or str(attrs.out_layout) not in ("", "NCHW")
            or not all(t.dtype == "float32" for t in tinfos) or out_type.dtype != "float32"):
        return None
    shapes = get_const_tuple(data_info.shape) + get_const_tuple(kernel_info.shape)
    if len(shapes) != 8 or not all(isinstance(d, int) for d in shapes):
        return None
    lanes = utils.vector_lanes("float32", Target.current())
    return _blocked_conv2d(relay, attrs, data, kernel, shapes, lanes)


def _blocked_conv2d(relay, attrs, data, kernel, shapes, lanes):
    """The NCHW[x]c form of the call, or None when its channels have no vector block."""
    in_channels, out_channels, kernel_in = shapes[1], shapes[4], shapes[5]
    groups = int(attrs.groups)
    new_attrs = {key: attrs[key] for key in _CONV2D_ATTRS}
    out_block = channel_block(out_channels, lanes)
    if not out_block:
        return None
    new_attrs["out_layout"] = f"NCHW{out_block}c"
    if groups == 1:
        in_block = channel_block(in_channels, lanes)
        new_attrs["data_layout"] = f"NCHW{in_block}c" if in_block else "NCHW"
        new_attrs["kernel_layout"] = f"OIHW{in_block or in_channels}i{out_block}o"
        return relay.nn.contrib_conv2d_nchwc(data, kernel, **new_attrs)
    if groups == in_channels == out_channels and kernel_in == 1:
        new_attrs["data_layout"] = f"NCHW{out_block}c"
        new_attrs["kernel_layout"] = f"OIHW1i{out_block}o"
        return relay.nn.contrib_depthwise_conv2d_nchwc(data, kernel, **new_attrs)
    return None
