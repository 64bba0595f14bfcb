# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Upsampling by a scale: resize with the output size rounded from the scale."""
import re

from ... import tir
from ..image import resize2d, resize3d
from ..transform import reshape

_METHODS = {"nearest_neighbor": "nearest_neighbor", "bilinear": "linear", "trilinear": "linear",
            "bicubic": "cubic", "linear": "linear", "cubic": "cubic"}


def _scaled(dim, scale):
    if isinstance(dim, tir.IntImm) and isinstance(scale, (int, float)):
        return int(round(dim.value * scale))
    return tir.Cast(dim.dtype, tir.round(tir.Cast("float32", dim) * scale))


def _method(method, op):
    if method not in _METHODS:
        raise ValueError(f"{op}: unsupported method {method}")
    return _METHODS[method]


_BLOCKED_NCHW = re.compile(r"^NCHW(\d+)c$")


def upsampling(data, scale_h, scale_w, layout="NCHW", method="nearest_neighbor", align_corners=False,
               output_shape=None):
    """Scale H and W of data (layout NCHW, NHWC or NCHW<n>c); method nearest_neighbor, bilinear or bicubic."""
    if _BLOCKED_NCHW.match(layout):
        # (N, C/n, H, W, n) is (N * C/n) images of n channels in NHWC: resized as those.
        batch, blocks, height, width, block = data.shape
        if output_shape is None:
            size = (_scaled(height, scale_h), _scaled(width, scale_w))
        else:
            size = (output_shape[2], output_shape[3])
        images = reshape(data, (batch * blocks, height, width, block))
        mode = "align_corners" if align_corners else "asymmetric"
        out = resize2d(images, None, size, "NHWC", _method(method, "upsampling"), mode)
        return reshape(out, (batch, blocks, size[0], size[1], block))
    h, w = (layout.index("H"), layout.index("W")) if layout in ("NCHW", "NHWC") else (None, None)
    if h is None:
        raise ValueError(f"upsampling: layout must be NCHW, NHWC or NCHW<n>c, got {layout}")
    if output_shape is None:
        size = (_scaled(data.shape[h], scale_h), _scaled(data.shape[w], scale_w))
    else:
        size = (output_shape[h], output_shape[w])
    mode = "align_corners" if align_corners else "asymmetric"
    return resize2d(data, None, size, layout, _method(method, "upsampling"), mode)


def upsampling3d(data, scale_d, scale_h, scale_w, layout="NCDHW", method="nearest_neighbor",
                 coordinate_transformation_mode="half_pixel", output_shape=None):
    """Scale D, H and W of data; method nearest_neighbor, trilinear or tricubic."""
    if layout not in ("NCDHW", "NDHWC"):
        raise ValueError(f"upsampling3d: layout must be NCDHW or NDHWC, got {layout}")
    axes = [layout.index(c) for c in "DHW"]
    if output_shape is None:
        size = [_scaled(data.shape[a], s) for a, s in zip(axes, (scale_d, scale_h, scale_w))]
    else:
        size = [output_shape[a] for a in axes]
    method = "cubic" if method == "tricubic" else method
    return resize3d(data, None, size, layout, _method(method, "upsampling3d"), coordinate_transformation_mode)
