# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Scatters (extern ops of TIR loops applying the updates in order; src/topi/scatter.cc)."""
from . import _ffi_api

__all__ = ["scatter_nd", "scatter_elements"]


def scatter_nd(data, indices, updates, mode="update"):
    """data with updates[y, ...] combined (update, add, mul, min, max) into
    data[indices[0, y], ..., indices[M-1, y], ...]."""
    return _ffi_api.scatter_nd(data, indices, updates, mode)


def scatter_elements(data, indices, updates, axis=0, reduction="update"):
    """data with updates[i] combined (update, add, mul, min, max) into data[i with axis
    replaced by indices[i]]."""
    if reduction == "mean":
        raise NotImplementedError("topi.scatter_elements: reduction 'mean' is not supported")
    return _ffi_api.scatter_elements(data, indices, updates, int(axis), reduction)
