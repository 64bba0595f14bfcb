# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""affine_grid and grid_sample (computed in src/topi/image_grid_sample.cc)."""
from . import _ffi_api


def affine_grid(data, target_shape):
    """Sampling grid (batch, 2, H, W) from affine matrices data (batch, 2, 3)."""
    return _ffi_api.affine_grid(data, list(target_shape))


def grid_sample(data, grid, method="bilinear", layout="NCHW", padding_mode="zeros", align_corners=True):
    """Sample data at grid (batch, 2 or 3, out...); method nearest, bilinear or bicubic."""
    return _ffi_api.grid_sample(data, grid, method, layout, padding_mode, bool(align_corners))
