# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Diagnostic renderers (TVM's tvm.ir.diagnostics names).

Errors found by the type checker and the parser are raised as
tvm.error.DiagnosticError with their rendered text. A renderer installed with
override_renderer(render_func) is recorded here (render_func receives the
context of the diagnostics); the C++ side does not call back into Python, so
the default renderer is what formats the messages of this build.
"""

_CUSTOM = [None]


class DiagnosticRenderer:
    """A renderer: render(diag_ctx) hands the diagnostics of a context to its function."""

    def __init__(self, render_func=None):
        self._render_func = render_func

    def render(self, diag_ctx):
        """Render the diagnostics of diag_ctx (the default renderer leaves them to the error text)."""
        if self._render_func is not None:
            self._render_func(diag_ctx)


def get_renderer():
    """The renderer in use: the one override_renderer installed, else the default."""
    return DiagnosticRenderer(_CUSTOM[0])


def override_renderer(render_func):
    """Install render_func(diag_ctx) as the renderer; None restores the default."""
    if render_func is not None and not callable(render_func):
        raise TypeError(f"override_renderer: expected a callable or None, got {type(render_func).__name__}")
    _CUSTOM[0] = render_func
