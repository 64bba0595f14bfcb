# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.conv2d's layout alteration for x86 CPUs (relay.transform.AlterOpLayout).

conv2d_nchw packs an OIHW kernel into OIHW[i]i[o]o blocks inside the operator, every run. When
the kernel is a constant, the call is rewritten to take it already packed:

    nn.conv2d(%x, const, kernel_layout="OIHW")
      -> nn.conv2d(%x, layout_transform(const, "OIHW", "OIHW8i32o"), kernel_layout="OIHW8i32o")

which FoldConstant turns into a packed constant, so the packing happens once, at compile time.
Data and output stay NCHW.
"""
from ...target import Target
from ..nn.conv import conv2d_alter_layout
from ..utils import get_const_tuple
from . import _schedule_utils as utils
from .conv2d import packed_kernel_layout


_CONV2D_ATTRS = ("strides", "padding", "dilation", "groups", "channels", "kernel_size", "data_layout",
                 "kernel_layout", "out_layout", "out_dtype")


@conv2d_alter_layout.register("cpu")
def _alter_conv2d_layout(attrs, inputs, tinfos, out_type):
    from ... import relay  # pylint: disable=import-outside-toplevel

    data, kernel = inputs
    data_info, kernel_info = tinfos
    if (not isinstance(kernel, relay.Constant) or int(attrs.groups) != 1
            or str(attrs.data_layout) != "NCHW" or str(attrs.kernel_layout) != "OIHW"
            or str(attrs.out_layout) not in ("", "NCHW")
            or not all(t.dtype == "float32" for t in tinfos) or out_type.dtype != "float32"):
        return None
    shapes = get_const_tuple(data_info.shape) + get_const_tuple(kernel_info.shape)
    # The batch may be symbolic (relay.Any() in the VM): it only bounds the outermost loop.
    if len(shapes) != 8 or not all(isinstance(d, int) for d in shapes[1:]):
        return None
    layout = packed_kernel_layout(shapes[1], shapes[4], utils.vector_lanes("float32", Target.current()))
    if layout is None:
        return None
    new_attrs = {key: attrs[key] for key in _CONV2D_ATTRS}
    new_attrs["kernel_layout"] = layout
    return relay.nn.conv2d(data, relay.layout_transform(kernel, "OIHW", layout), **new_attrs)
