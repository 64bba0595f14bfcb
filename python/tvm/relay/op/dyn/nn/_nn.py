# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes, schedules and shape functions of dyn.nn.pad, dyn.nn.upsampling and
dyn.nn.upsampling3d."""
from ..... import te, tir, topi
from ... import op as _reg
from .._util import INDEX, out_shape, i64, scalar, one_shape, shape_extern, dims_of, check


@_reg.register_compute("dyn.nn.pad")
def _pad_compute(attrs, inputs, out_type):
    """out[i] = data[i - before] inside; outside, pad_value (constant), the nearest edge
    element (edge) or the element mirrored about the edge (reflect)."""
    data, pad_width, pad_value = inputs
    oshape = out_shape(out_type)
    mode = str(attrs.pad_mode)
    value = scalar(pad_value)
    value = value if value.dtype == data.dtype else tir.Cast(data.dtype, value)

    def f(*idx):
        src, inside = [], []
        for k, i in enumerate(idx):
            dim = i64(data.shape[k])
            pos = i64(i) - i64(pad_width[k, 0])
            inside.append(tir.all(pos >= 0, pos < dim))
            if mode == "edge":
                pos = tir.max(tir.min(pos, dim - 1), 0)
            elif mode == "reflect":
                # Mirror about the first and last elements, which are not repeated.
                period = tir.max(2 * dim - 2, 1)
                m = tir.floormod(pos, period)
                pos = tir.Select(m < dim, m, period - m)
            else:
                pos = tir.max(tir.min(pos, dim - 1), 0)  # read in bounds; the value is discarded
            src.append(pos)
        if mode != "constant":
            return data(*src)
        return tir.Select(tir.all(*inside) if len(inside) > 1 else inside[0], data(*src), value)

    return [te.compute(oshape, f, name="T_pad", tag="injective")]


_reg.register_broadcast_schedule("dyn.nn.pad")


@_reg.register_shape_func("dyn.nn.pad", True)
def _pad_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    dims = dims_of(inputs[0])

    def body(ib, ins, outs):
        width = ins[1]
        for k, d in enumerate(dims):
            before, after = i64(width[k, 0]), i64(width[k, 1])
            if str(attrs.pad_mode) == "reflect":
                check(ib, tir.all(before < d, after < d), f"dyn.nn.pad: reflect padding of axis {k} is not "
                                                          "smaller than its extent")
            outs[0][k] = d + before + after
            check(ib, outs[0][k] >= 0, f"dyn.nn.pad: axis {k} is cropped below 0")

    return shape_extern([len(dims)], inputs, body, "dyn_pad_shape")


@_reg.register_compute("dyn.nn.upsampling")
def _upsampling_compute(attrs, inputs, out_type):
    return [topi.nn.upsampling(inputs[0], 1.0, 1.0, str(attrs.layout), str(attrs.method),
                               bool(attrs.align_corners), out_shape(out_type))]


@_reg.register_compute("dyn.nn.upsampling3d")
def _upsampling3d_compute(attrs, inputs, out_type):
    return [topi.nn.upsampling3d(inputs[0], 1.0, 1.0, 1.0, str(attrs.layout), str(attrs.method),
                                 str(attrs.coordinate_transformation_mode), out_shape(out_type))]


_reg.register_injective_schedule("dyn.nn.upsampling")
_reg.register_injective_schedule("dyn.nn.upsampling3d")


def _scaled_shape(inputs, layout, letters, name):
    dims = dims_of(inputs[0])
    axes = [layout.index(c) for c in letters]

    def values(ins):
        out = list(dims)
        for a, scale in zip(axes, ins[1:]):
            s = scale[0]
            s = s if s.dtype == "float64" else tir.Cast("float64", s)
            out[a] = tir.Cast(INDEX, tir.round(tir.Cast("float64", dims[a]) * s))
        return out

    return one_shape(len(dims), inputs, values, name)


@_reg.register_shape_func("dyn.nn.upsampling", True)
def _upsampling_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _scaled_shape(inputs, str(attrs.layout), "HW", "dyn_upsampling_shape")


@_reg.register_shape_func("dyn.nn.upsampling3d", True)
def _upsampling3d_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _scaled_shape(inputs, str(attrs.layout), "DHW", "dyn_upsampling3d_shape")
