# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.dense's layout alteration on x86: a constant float32 weight is packed into NR-wide panels
once, at compile time (nn.contrib_dense_pack of layout_transform(W, "NC", "NC<n>n"), which
FoldConstant computes), instead of by dense_pack on every run."""
from ..nn.dense import dense_alter_layout
from ..utils import get_const_tuple
from . import gemm as _gemm
from .dense import NOPACK_MAX_ROWS, gemm_rows


@dense_alter_layout.register("cpu")
def _alter_dense_layout(attrs, inputs, tinfos, out_type):
    from ... import relay  # pylint: disable=import-outside-toplevel

    data, weight = tinfos
    if not isinstance(inputs[1], relay.Constant):
        return None  # a weight computed at run time would be repacked at run time anyway
    if data.dtype != "float32" or weight.dtype != "float32" or str(out_type.dtype) != "float32":
        return None
    shape, (cols, depth) = get_const_tuple(data.shape), get_const_tuple(weight.shape)
    # data's leading axes may be symbolic (relay.Any(): the VM's dynamic batch / sequence).
    if not all(isinstance(d, int) for d in shape[-1:] + (cols, depth)) or len(shape) < 2:
        return None
    if all(isinstance(d, int) for d in shape):
        rows = 1
        for d in shape[:-1]:
            rows *= d
        if rows <= NOPACK_MAX_ROWS:
            return None
    nr = _gemm.panel_width(gemm_rows(shape)[1], cols, depth)
    if nr is None:
        return None
    layout = f"NC{nr}n"
    packed = relay.layout_transform(inputs[1], "NC", layout)
    return relay.nn.contrib_dense_pack(inputs[0], packed, layout, attrs.units, attrs.out_dtype)
