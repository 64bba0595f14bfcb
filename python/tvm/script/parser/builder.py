# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The statement builder behind the TVMScript parser.

The parser walks a function top to bottom; statements that have a body
(a loop, an allocation, a let binding) are frames on a stack. A frame
collects the statements of its body and, when it closes, becomes one
statement of the frame below it:

    for i in T.serial(4):          # ForFrame pushed
        A[i] = 0.0                 # BufferStore added to the ForFrame
                                   # ForFrame closed -> For(i, 0, 4, body)

Some frames have no Python block of their own: `x: T.int32 = 1`, `assert c, m`,
`buf = T.allocate(...)`, `T.launch_thread(...)` wrap everything that follows them
in the same block. They are "implicit" and close (innermost first) just before
the explicit frame that encloses them.
"""
import threading

from ... import tir
from ...error import DiagnosticError


def as_stmt(stmts):
    """The statement list of a frame's body as one statement.

    Nested sequences are flattened and Evaluate(0) (a no-op placeholder)
    dropped; an empty body is Evaluate(0).
    """
    flat = []

    def add(stmt):
        if isinstance(stmt, tir.SeqStmt):
            for inner in stmt.seq:
                add(inner)
        elif (
            isinstance(stmt, tir.Evaluate)
            and isinstance(stmt.value, tir.IntImm)
            and stmt.value.value == 0
        ):
            return
        else:
            flat.append(stmt)

    for stmt in stmts:
        add(stmt)
    if not flat:
        return tir.Evaluate(tir.const(0, "int32"))
    if len(flat) == 1:
        return flat[0]
    return tir.SeqStmt(flat)


class Frame:
    """A statement with a body under construction."""

    # The construct as the user writes it, for error messages.
    construct = "frame"

    def __init__(self):
        self.stmts = []
        self.implicit = False

    def enter(self):
        """Called when the frame is pushed; returns the value the script binds (`as x`)."""
        return None

    def finish(self, body):
        """The statement this frame becomes around body (None for nothing)."""
        raise NotImplementedError

    # Frames are also Python context managers, for `with` in the parser.
    def __enter__(self):
        return current_builder().push(self)

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            current_builder().pop(self)
        else:
            current_builder().discard(self)


class Builder:
    """A stack of frames; the bottom frame's result is the builder's result."""

    def __init__(self):
        self.frames = []
        self.result = None

    def push(self, frame, implicit=False):
        frame.implicit = implicit
        self.frames.append(frame)
        return frame.enter()

    def pop(self, frame):
        # Implicit frames opened inside `frame` close first, innermost first.
        while self.frames and self.frames[-1] is not frame and self.frames[-1].implicit:
            self._close(self.frames[-1])
        if not self.frames or self.frames[-1] is not frame:
            raise DiagnosticError(f"internal error: {frame.construct} closed out of order")
        self._close(frame)

    def discard(self, frame):
        """Drop frame and everything above it (after an error)."""
        while self.frames:
            top = self.frames.pop()
            if top is frame:
                break

    def _close(self, frame):
        self.frames.pop()
        stmt = frame.finish(as_stmt(frame.stmts))
        if stmt is not None:
            self.add(stmt)

    def add(self, stmt):
        """Append a statement to the innermost frame (or make it the result)."""
        if self.frames:
            self.frames[-1].stmts.append(stmt)
        elif self.result is None:
            self.result = stmt
        else:
            raise DiagnosticError("a statement outside of any function")

    def find(self, frame_type):
        """The innermost frame of frame_type, or None."""
        for frame in reversed(self.frames):
            if isinstance(frame, frame_type):
                return frame
        return None


_state = threading.local()


def current_builder():
    """The builder of the script being parsed now."""
    stack = getattr(_state, "stack", None)
    if not stack:
        raise DiagnosticError(
            "this TVMScript construct builds IR only inside a function parsed by "
            "@T.prim_func / @I.ir_module (it was called outside of one)"
        )
    return stack[-1]


class building:
    """Context: make builder the current one."""

    def __init__(self, builder):
        self.builder = builder

    def __enter__(self):
        if not hasattr(_state, "stack"):
            _state.stack = []
        _state.stack.append(self.builder)
        return self.builder

    def __exit__(self, *args):
        _state.stack.pop()
