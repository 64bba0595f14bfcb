# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What an operator's FInferCorrectLayout hook answers (relay.op.register_infer_correct_layout)."""
from ..._ffi.registry import get_global_func, register_object
from ...runtime.object import Object


@register_object("relay._transform.InferCorrectLayoutOutput")
class InferCorrectLayoutOutput(Object):
    """The layouts a call should read its arguments in and write its results in (tvm.tir.Layout,
    or None where the hook has no say), and its attributes in those layouts (None: unchanged)."""

    def __init__(self, input_layouts, output_layouts, new_attrs):
        self.__init_handle_by_constructor__(get_global_func("relay._transform.InferCorrectLayoutOutput"),
                                            list(input_layouts), list(output_layouts), new_attrs)
