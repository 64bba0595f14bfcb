# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A tuning task: a template name and its arguments; its workload is their hashable form."""


def _serialize(value):
    # Tensors become ("TENSOR", shape, dtype); lists become tuples; constants their values.
    from ... import te, tir  # pylint: disable=import-outside-toplevel

    if isinstance(value, te.Tensor):
        return ("TENSOR", tuple(_serialize(s) for s in value.shape), value.dtype)
    if isinstance(value, (list, tuple)):
        return tuple(_serialize(v) for v in value)
    if isinstance(value, (tir.IntImm, tir.FloatImm)):
        return value.value
    if isinstance(value, tir.StringImm):
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tir.PrimExpr):
        return str(value)
    raise TypeError(f"autotvm: cannot put a {type(value).__name__} into a workload: {value!r}")


def args_to_workload(args, task_name=None):
    """(task_name, *args) in hashable form (the key of tuned configurations)."""
    body = _serialize(list(args))
    return (task_name,) + body if task_name is not None else body


class Task:
    """A tuning task: the template `name` applied to `args`."""

    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.kwargs = {}
        self.workload = args_to_workload(args, name)

    def __repr__(self):
        return f"Task(name={self.name}, args={self.args})"
