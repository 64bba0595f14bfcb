# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.conv2d's layout alteration for x86 CPUs (relay.transform.AlterOpLayout).

The function is C++ (src/relay/op/strategy/x86_conv2d_nchwc.cc), registered as nn.conv2d's
FTVMAlterOpLayout, so a program without Python alters layouts the same way. A float32 NCHW
convolution with static shapes becomes its blocked form, whose activations stay in NCHW[x]c
between layers:

    nn.conv2d(%x, %w)  (groups 1)
      -> nn.contrib_conv2d_NCHWc(%x, %w, data_layout="NCHW16c", kernel_layout="OIHW16i16o",
                                 out_layout="NCHW16c")
    nn.conv2d(%x, %w, groups=C)  (depthwise, multiplier 1)
      -> nn.contrib_depthwise_conv2d_NCHWc(%x, %w, data_layout="NCHW16c", kernel_layout="OIHW1i16o", ...)

The block of a tensor with C channels is channel_block(C): the widest vector dividing C (16, 8 or
4 float32 lanes with AVX-512), so producer and consumer agree; input channels with no such block
(a first layer's 3) are read as plain NCHW; output channels with no block keep nn.conv2d.
topi.nn.conv2d_alter_layout, called under a "cpu" target, gives the same replacement.
"""
from ..._ffi.registry import get_global_func
from ..nn.conv import conv2d_alter_layout


@conv2d_alter_layout.register("cpu")
def _alter_conv2d_layout(attrs, inputs, tinfos, out_type):
    return get_global_func("relay.op.x86.conv2d_alter_layout")(attrs, list(inputs), list(tinfos), out_type)
