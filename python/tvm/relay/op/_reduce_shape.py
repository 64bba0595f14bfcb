# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape functions of the reductions (sum, mean, max, min, prod, all, any, argmax, argmin,
variance): the data's shape without the reduced axes, or with extent 1 there (keepdims).
Which axes are reduced is static (axis, exclude), as in src/relay/op/tensor/reduce.cc."""
from ._shape_util import i64, dims, norm_axis, register, shapes


def reduced_axes(attrs, ndim):
    """Which of the ndim axes the attributes reduce (axis None: all of them)."""
    if attrs.axis is None:
        return [True] * ndim
    reduced = [False] * ndim
    for a in attrs.axis:
        reduced[norm_axis(a, ndim)] = True
    if bool(attrs.exclude):
        reduced = [not r for r in reduced]
    return reduced


def reduced_dims(data, reduced, keepdims):
    out = []
    for d, r in zip(data, reduced):
        if not r:
            out.append(d)
        elif keepdims:
            out.append(i64(1))
    return out


@shapes
def reduce(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    return [reduced_dims(data, reduced_axes(attrs, len(data)), bool(attrs.keepdims))]


for _name in ["sum", "mean", "max", "min", "prod", "all", "any", "argmax", "argmin", "variance"]:
    register(_name, False, reduce)
