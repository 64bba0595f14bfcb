# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Sorting (extern ops calling the packed functions tvm.contrib.sort.*; stable)."""
from . import _ffi_api

__all__ = ["sort", "argsort", "topk"]


def sort(data, axis=-1, is_ascend=1):
    """data sorted along axis."""
    return _ffi_api.sort(data, int(axis), bool(is_ascend))


def argsort(data, valid_count=None, axis=-1, is_ascend=1, dtype="float32"):
    """The indices that sort data along axis (ties keep their order), as dtype."""
    if valid_count is not None:
        raise NotImplementedError("topi.argsort: valid_count is not supported")
    return _ffi_api.argsort(data, int(axis), bool(is_ascend), dtype)


def topk(data, k=1, axis=-1, ret_type="both", is_ascend=False, dtype="int64"):
    """The k largest (smallest with is_ascend) elements along axis: [values, indices] for
    ret_type 'both', else the one asked for."""
    outs = _ffi_api.topk(data, int(k), int(axis), ret_type, bool(is_ascend), dtype)
    return list(outs) if ret_type == "both" else outs[0]
