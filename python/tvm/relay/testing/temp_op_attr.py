# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TempOpAttr: give an operator attribute another value inside a `with` block."""
import tvm


class TempOpAttr:
    """Within the block, operator `op_name`'s attribute `attr_key` is `attr_value`;
    afterwards it is what it was before (or absent again).

        with TempOpAttr("nn.conv2d", "FTVMLegalize", my_legalize):
            mod = relay.transform.Legalize()(mod)
    """

    def __init__(self, op_name, attr_key, attr_value):
        self.op = tvm.ir.Op.get(op_name)
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
        if self.older_attr is not None:
            self.op.set_attr(self.attr_key, self.older_attr)
        return False
