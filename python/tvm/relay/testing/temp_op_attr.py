# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TempOpAttr: give an operator attribute another value inside a `with` block (to try a
pass with a test's own FTVMAlterOpLayout, FTVMLegalize, ...), restored on exit."""
from tvm import relay


class TempOpAttr:
    """`with TempOpAttr("nn.conv2d", "FTVMAlterOpLayout", f): ...` sets the attribute of
    the operator for the block; on exit the attribute has its old value again (or none,
    when it had none), even if the block raised."""

    def __init__(self, op_name, attr_key, attr_value):
        self.op = relay.op.get(op_name)
        self.attr_key = attr_key
        self.attr_value = attr_value
        self.older_attr = None

    def __enter__(self):
        self.older_attr = self.op.get_attr(self.attr_key)
        self.op.reset_attr(self.attr_key)
        self.op.set_attr(self.attr_key, self.attr_value)
        return self

    def __exit__(self, ptype, value, trace):
        self.op.reset_attr(self.attr_key)
        # `is not None`: a falsy old value (pattern 0, False) is a value to restore too.
        if self.older_attr is not None:
            self.op.set_attr(self.attr_key, self.older_attr)
