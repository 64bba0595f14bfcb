# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Annotations: identity operators that carry a hint for the passes."""
from .... import topi
from ...._ffi import get_global_func
from ..op import register_compute, register_injective_schedule
from . import _make

_make_stop_fusion = get_global_func("relay.op.annotation._make.stop_fusion")


def stop_fusion(data):
    """data unchanged; FuseOps keeps it out of the fused groups of the ops that use it.

    Parameters
    ----------
    data : relay.Expr
        The tensor whose producer must not be fused with its users.
    """
    return _make_stop_fusion(data)


def checkpoint(data):
    """Mark data as a checkpoint: a gradient pass recomputes it instead of keeping it. Its value
    is data's (a tensor or a tuple)."""
    return _make.checkpoint(data)


def _identity_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.identity(x) for x in inputs]


register_compute("annotation.stop_fusion", _identity_compute)
register_injective_schedule("annotation.stop_fusion")
register_compute("annotation.checkpoint", _identity_compute)
register_injective_schedule("annotation.checkpoint")

__all__ = ["stop_fusion", "checkpoint"]
