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
        self._op = tvm.ir.Op.get(op_name)
        self._key = attr_key
        self._value = attr_value
        self._saved = None

    def __enter__(self):
        self._saved = self._op.get_attr(self._key)
        self._op.reset_attr(self._key)
        self._op.set_attr(self._key, self._value)
        return self

    def __exit__(self, ptype, value, trace):
        self._op.reset_attr(self._key)
        if self._saved is not None:
            self._op.set_attr(self._key, self._saved)
        return False
