# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Winograd 3-D convolution on CUDA: the choice of tile size."""
from ..utils import get_const_tuple


def _infer_tile_size(data, kernel):
    """The Winograd output tile size m of F(m, r) for an NCDHW input: 4 where the
    height splits into whole 8-row blocks (fewer transforms per output), else 2.
    data and kernel may be tensors, Relay-typed values or numpy arrays (their shapes are read)."""
    shape = get_const_tuple(data.shape)
    if len(shape) != 5:
        raise ValueError(f"conv3d winograd: the input must be NCDHW (5-D), got shape {tuple(shape)}")
    height = shape[3]
    if not isinstance(height, int):
        raise ValueError(f"conv3d winograd: the input height must be a constant, got {height}")
    return 4 if height % 8 == 0 else 2
