# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.dense's layout alteration on x86: a constant float32 weight is packed into NR-wide panels
once, at compile time (nn.contrib_dense_pack of layout_transform(W, "NC", "NC<n>n"), which
FoldConstant computes), instead of by dense_pack on every run. The function is C++
(src/relay/op/nn/gemm_strategy.cc, also nn.dense's FTVMAlterOpLayout in a process without
Python); this registers it for "cpu" targets."""
from ..._ffi.registry import get_global_func
from ..nn.dense import dense_alter_layout


@dense_alter_layout.register("cpu")
def _alter_dense_layout(attrs, inputs, tinfos, out_type):
    return get_global_func("relay.op.x86.dense_alter_layout")(attrs, list(inputs), list(tinfos), out_type)
