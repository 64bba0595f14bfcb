# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The default schedule."""
from ... import te as _te
from ...target import Target
from . import _ffi_api


def default_schedule(outs, auto_inline):
    """A plain schedule of outs; with auto_inline, injective producers are inlined and each
    output's axes fused."""
    outs = [outs] if isinstance(outs, _te.Tensor) else list(outs)
    return _ffi_api.default_schedule(Target.current(allow_none=True), outs, auto_inline)
