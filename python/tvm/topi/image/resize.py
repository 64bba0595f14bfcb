# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Image resizing (computed in src/topi/image_resize.cc)."""
from . import _ffi_api


def _resize(data, roi, size, layout, method, mode, rounding_method, alpha, exclude, extrapolation, out_dtype, n):
    size = list(size)
    if len(size) != n:
        raise ValueError(f"resize{n}d: size {tuple(size)} must have {n} values")
    roi = [] if roi is None else [float(r) if isinstance(r, (int, float)) else r for r in roi]
    if roi and len(roi) != 2 * n:
        raise ValueError(f"resize{n}d: roi {tuple(roi)} must have {2 * n} values")
    if roi and mode != "tf_crop_and_resize":
        roi = []
    return _ffi_api.resize(data, roi, size, layout, method, mode, rounding_method or "", float(alpha),
                           bool(exclude), float(extrapolation), "" if out_dtype is None else str(out_dtype))


def resize1d(data, roi, size, layout="NCW", method="linear", coordinate_transformation_mode="half_pixel",
             rounding_method="", bicubic_alpha=-0.5, bicubic_exclude=0, extrapolation_value=0.0, out_dtype=None,
             output_shape=None):
    """Resize the W axis to size[0]; method nearest_neighbor, linear or cubic."""
    del output_shape
    return _resize(data, roi, size, layout, method, coordinate_transformation_mode, rounding_method,
                   bicubic_alpha, bicubic_exclude, extrapolation_value, out_dtype, 1)


def resize2d(data, roi, size, layout="NCHW", method="linear", coordinate_transformation_mode="half_pixel",
             rounding_method="", bicubic_alpha=-0.5, bicubic_exclude=0, extrapolation_value=0.0, out_dtype=None,
             output_shape=None):
    """Resize the H and W axes to size; roi (y1, x1, y2, x2) is read by tf_crop_and_resize."""
    del output_shape
    return _resize(data, roi, size, layout, method, coordinate_transformation_mode, rounding_method,
                   bicubic_alpha, bicubic_exclude, extrapolation_value, out_dtype, 2)


def resize3d(data, roi, size, layout="NCDHW", method="linear", coordinate_transformation_mode="half_pixel",
             rounding_method="", bicubic_alpha=-0.5, bicubic_exclude=0, extrapolation_value=0.0, out_dtype=None,
             output_shape=None):
    """Resize the D, H and W axes to size."""
    del output_shape
    return _resize(data, roi, size, layout, method, coordinate_transformation_mode, rounding_method,
                   bicubic_alpha, bicubic_exclude, extrapolation_value, out_dtype, 3)


def crop_and_resize(data, boxes, box_indices, crop_size, layout="NCHW", method="bilinear",
                    extrapolation_value=None, out_dtype=None):
    """Crop boxes (y1, x1, y2, x2, normalised) from images box_indices and resize each to crop_size."""
    extrapolation = 0.0 if extrapolation_value is None else float(extrapolation_value)
    return _ffi_api.crop_and_resize(data, boxes, box_indices, list(crop_size), layout, method, extrapolation,
                                    "" if out_dtype is None else str(out_dtype))
