# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Tags: a label that te.compute records on the operations it builds.

    with te.tag_scope("elemwise"):
        B = te.compute(A.shape, lambda i: A[i] + 1)   # B.op.tag == "elemwise"

    @te.tag_scope("broadcast")
    def my_op(A): ...                                    # every compute inside is tagged
"""
import functools
import threading

_local = threading.local()


class TagScope:
    """A scope in which te.compute uses `tag` when none is given."""

    def __init__(self, tag):
        self.tag = tag

    @staticmethod
    def get_current():
        stack = getattr(_local, "stack", None)
        return stack[-1] if stack else None

    def __enter__(self):
        current = TagScope.get_current()
        if current is not None:
            # One tag an operation: which of two nested scopes would be meant is unclear.
            raise ValueError(f"te.tag_scope({self.tag!r}) inside te.tag_scope({current.tag!r}): "
                             "nested tag scopes are not allowed")
        if not hasattr(_local, "stack"):
            _local.stack = []
        _local.stack.append(self)
        return self

    def __exit__(self, *args):
        _local.stack.pop()

    def __call__(self, func):
        @functools.wraps(func)
        def tagged(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return tagged


def tag_scope(tag):
    """A TagScope usable as a context manager or a decorator."""
    return TagScope(tag)
