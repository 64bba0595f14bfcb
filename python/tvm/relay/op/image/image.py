# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""image.resize1d/2d/3d (TVM v0.14 signatures; static sizes)."""
from ...expr import Constant, Expr
from ...expr import const
from . import _make

__all__ = ["resize1d", "resize2d", "resize3d", "dilation2d"]


def _static(value, what, n):
    if isinstance(value, Constant):
        value = value.data.numpy().reshape(-1).tolist()
    if isinstance(value, Expr):
        raise ValueError("image.resize: a dynamic %s is not supported yet" % what)
    if isinstance(value, int):
        value = [value] * n
    return list(value)


def _resize(make, n, data, size, roi, layout, method, coordinate_transformation_mode, rounding_method,
            cubic_alpha, cubic_exclude, extrapolation_value, out_dtype):
    roi = [0.0] * (2 * n) if roi is None else [float(r) for r in _static(roi, "roi", 2 * n)]
    return make(data, _static(size, "size", n), roi, layout, method, coordinate_transformation_mode,
                rounding_method, float(cubic_alpha), int(cubic_exclude), float(extrapolation_value),
                out_dtype or "")


def resize1d(data, size, roi=None, layout="NCW", method="linear", coordinate_transformation_mode="half_pixel",
             rounding_method="", cubic_alpha=-0.5, cubic_exclude=0, extrapolation_value=0.0, out_dtype=None):
    """Resize the width to size (one entry)."""
    return _resize(_make.resize1d, 1, data, size, roi, layout, method, coordinate_transformation_mode,
                   rounding_method, cubic_alpha, cubic_exclude, extrapolation_value, out_dtype)


def resize2d(data, size, roi=None, layout="NCHW", method="linear", coordinate_transformation_mode="half_pixel",
             rounding_method="", cubic_alpha=-0.5, cubic_exclude=0, extrapolation_value=0.0, out_dtype=None):
    """Resize height and width to size (a tensor expression for size or roi: dyn.image.resize2d)."""
    dynamic = [isinstance(v, Expr) and not isinstance(v, Constant) for v in (size, roi)]
    if any(dynamic):
        from ..dyn.image import _make as _dyn_make  # pylint: disable=import-outside-toplevel

        if not dynamic[0]:
            size = const([int(v) for v in _static(size, "size", 2)], "int64")
        if not dynamic[1]:
            roi = const([0.0] * 4 if roi is None else [float(r) for r in _static(roi, "roi", 4)], "float32")
        return _dyn_make.resize2d(data, size, roi, layout, method, coordinate_transformation_mode, rounding_method,
                                  float(cubic_alpha), int(cubic_exclude), float(extrapolation_value), out_dtype or "")
    return _resize(_make.resize2d, 2, data, size, roi, layout, method, coordinate_transformation_mode,
                   rounding_method, cubic_alpha, cubic_exclude, extrapolation_value, out_dtype)


def resize3d(data, size, roi=None, layout="NCDHW", method="linear", coordinate_transformation_mode="half_pixel",
             rounding_method="", cubic_alpha=-0.5, cubic_exclude=0, extrapolation_value=0.0, out_dtype=None):
    """Resize depth, height and width to size."""
    return _resize(_make.resize3d, 3, data, size, roi, layout, method, coordinate_transformation_mode,
                   rounding_method, cubic_alpha, cubic_exclude, extrapolation_value, out_dtype)


def dilation2d(data, weight, strides=(1, 1), padding=(0, 0), dilations=(1, 1), data_layout="NCHW",
               kernel_layout="IHW", out_dtype=""):
    """Grey-scale morphological dilation of data by weight (one kernel channel per data channel).

    strides and dilations are (h, w) or (1, h, w, 1); padding is (h, w) or (top, left, bottom, right).
    """
    return _make.dilation2d(data, weight, list(strides), list(padding), list(dilations), data_layout,
                            kernel_layout, out_dtype)


# ---------------------------------------------------------------- sampling (src/relay/op/image/sampling.cc)

__all__ += ["crop_and_resize", "affine_grid", "grid_sample"]


def crop_and_resize(data, boxes, box_indices, crop_size, layout, method="bilinear", extrapolation_value=0,
                    out_dtype=None):
    """Crop each box (y1, x1, y2, x2, normalised) of image box_indices[i] and resize it to crop_size."""
    return _make.crop_and_resize(data, boxes, box_indices, list(crop_size), layout, method,
                                 float(extrapolation_value), out_dtype or "")


def affine_grid(data, target_shape=None):
    """The (batch, 2, height, width) sampling grid of affine matrices data (batch, 2, 3)."""
    if target_shape is None:
        raise ValueError("image.affine_grid: target_shape (height, width) is required")
    return _make.affine_grid(data, list(target_shape))


def grid_sample(data, grid, method="bilinear", layout="NCHW", padding_mode="zeros", align_corners=True):
    """data sampled at grid (batch, 2 or 3, out...) of positions normalised to [-1, 1]."""
    return _make.grid_sample(data, grid, method, layout, padding_mode, bool(align_corners))
