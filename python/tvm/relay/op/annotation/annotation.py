# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.annotation: marks on expressions that passes read (TVM v0.14 names)."""
from ... import op as _op
from . import _make

__all__ = ["checkpoint"]


def checkpoint(data):
    """Mark data as a checkpoint: a gradient pass recomputes it instead of keeping it. Its value
    is data's."""
    return _make.checkpoint(data)


def _checkpoint_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    from .... import topi  # pylint: disable=import-outside-toplevel

    return [topi.identity(x) for x in inputs]


_op.register_compute("annotation.checkpoint", _checkpoint_compute)
_op.register_injective_schedule("annotation.checkpoint")
