# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Image operators (tvm.topi.image)."""
from .resize import resize1d, resize2d, resize3d, crop_and_resize
from .grid_sample import affine_grid, grid_sample
from .dilation2d import dilation2d_nchw, dilation2d_nhwc
