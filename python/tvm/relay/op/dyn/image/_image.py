# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Compute, schedule and shape function of dyn.image.resize2d."""
from ..... import topi, tir
from ... import op as _reg
from .._util import out_shape, i64, one_shape, dims_of


def _spatial_axes(layout):
    return layout.index("H"), layout.index("W")


@_reg.register_compute("dyn.image.resize2d")
def _resize2d_compute(attrs, inputs, out_type):
    layout = str(attrs.layout)
    oshape = out_shape(out_type)
    h, w = _spatial_axes(layout)
    mode = str(attrs.coordinate_transformation_mode)
    roi = None
    if mode == "tf_crop_and_resize":
        roi = [inputs[2][i] for i in range(4)]
    out_dtype = str(attrs.out_dtype) if str(attrs.out_dtype) else None
    return [
        topi.image.resize2d(inputs[0], roi, (oshape[h], oshape[w]), layout, str(attrs.method), mode,
                            str(attrs.rounding_method), float(attrs.cubic_alpha), int(attrs.cubic_exclude),
                            float(attrs.extrapolation_value), out_dtype)
    ]


_reg.register_injective_schedule("dyn.image.resize2d")


@_reg.register_shape_func("dyn.image.resize2d", True)
def _resize2d_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    dims = dims_of(inputs[0])
    h, w = _spatial_axes(str(attrs.layout))

    def values(ins):
        size = ins[1]

        def as_int(v):
            return i64(v) if str(v.dtype).startswith(("int", "uint")) else tir.Cast("int64", v)

        out = list(dims)
        out[h], out[w] = as_int(size[0]), as_int(size[1])
        return out

    return one_shape(len(dims), inputs, values, "dyn_resize2d_shape")
