# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""softmax and log_softmax (computed in src/topi/nn_softmax.cc)."""
from . import _ffi_api


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along axis, stabilised by the maximum."""
    return _ffi_api.softmax(x, int(axis))


def fast_softmax(x, axis=-1):
    """softmax (the same computation; no approximate exp here)."""
    return _ffi_api.softmax(x, int(axis))


def log_softmax(x, axis=-1):
    """x - log(sum(exp(x))) along axis."""
    return _ffi_api.log_softmax(x, int(axis))
