# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Registering operators and their attributes from Python (TVM's relay.op.op)."""
from ...ir import Op
from ...ir.op import register_op_attr as _ir_register_op_attr
from ..._ffi.registry import get_global_func as _get_global_func, register_object as tvm_register_object
from ...runtime.object import Object


def get(op_name):
    """The registered operator `op_name` (AttributeError naming it when unknown)."""
    return Op.get(op_name)


def register(op_name, describe=""):
    """Register a new operator `op_name`; a name registered before is an error."""
    from ...ir import _ffi_api as _ir_api  # pylint: disable=import-outside-toplevel

    if op_name in Op.list_op_names():
        raise _registered_before(op_name)
    _ir_api.RegisterOp(op_name, describe)
    return Op.get(op_name)


def _registered_before(op_name):
    from ...error import TVMError  # pylint: disable=import-outside-toplevel

    return TVMError(f"Operator {op_name} is registered before")


class OpPattern:
    """How an operator fuses with its neighbours (the values of C++ OpPatternKind)."""

    ELEMWISE = 0
    BROADCAST = 1
    INJECTIVE = 2
    COMM_REDUCE = 3
    OUT_ELEMWISE_FUSABLE = 4
    TUPLE = 7
    OPAQUE = 8


def register_op_attr(op_name, attr_key, value=None, level=10):
    """Attach attribute `attr_key` to operator `op_name`; usable as a decorator."""
    return _ir_register_op_attr(op_name, attr_key, value, level)


def register_stateful(op_name, stateful, level=10):
    """Whether the operator has side effects (TOpIsStateful)."""
    return register_op_attr(op_name, "TOpIsStateful", bool(stateful), level)


def register_pattern(op_name, pattern, level=10):
    """The fusion pattern (an OpPattern value) of the operator (TOpPattern)."""
    return register_op_attr(op_name, "TOpPattern", int(pattern), level)


def register_compute(op_name, compute=None, level=10):
    """The compute of the operator: compute(attrs, inputs, out_type) -> [te.Tensor]
    (FTVMCompute). Usable as a decorator."""
    return register_op_attr(op_name, "FTVMCompute", compute, level)


def register_schedule(op_name, schedule=None, level=10):
    """The schedule of the operator: schedule(attrs, outs, target) -> te.Schedule (FTVMSchedule)."""
    return register_op_attr(op_name, "FTVMSchedule", schedule, level)


def _strategy_schedule(name):
    """A schedule dispatched on the target through relay.op.strategy.<name> (a generic_func:
    topi's generic schedule, or a target's override)."""

    def schedule(attrs, outs, target):
        from . import strategy as _strategy  # pylint: disable=import-outside-toplevel

        with target:
            return getattr(_strategy, name)(attrs, outs, target)

    schedule.__name__ = name
    return schedule


def register_injective_schedule(op_name, level=10):
    """Schedule the operator with the target's injective schedule (strategy.schedule_injective)."""
    return register_schedule(op_name, _strategy_schedule("schedule_injective"), level)


def register_broadcast_schedule(op_name, level=10):
    """Schedule the operator with the target's injective schedule (broadcasts are injective)."""
    return register_schedule(op_name, _strategy_schedule("schedule_injective"), level)


def register_reduce_schedule(op_name, level=10):
    """Schedule the operator with the target's reduction schedule (strategy.schedule_reduce)."""
    return register_schedule(op_name, _strategy_schedule("schedule_reduce"), level)


def register_strategy(op_name, fstrategy=None, level=10):
    """The operator strategy function (FTVMStrategy): fstrategy(attrs, inputs, out_type, target)."""
    return register_op_attr(op_name, "FTVMStrategy", fstrategy, level)


def register_gradient(op_name, fgradient=None, level=10):
    """The gradient function (FPrimalGradient): fgradient(orig_call, output_grad) -> [input grads]."""
    return register_op_attr(op_name, "FPrimalGradient", fgradient, level)


def register_alter_op_layout(op_name, alter_layout=None, level=10):
    """The layout alteration function (FTVMAlterOpLayout): f(attrs, inputs, tinfos, out_type)."""
    return register_op_attr(op_name, "FTVMAlterOpLayout", alter_layout, level)


def register_convert_op_layout(op_name, convert_layout=None, level=10):
    """The layout conversion function (FTVMConvertOpLayout): f(attrs, inputs, tinfos, desired_layouts)."""
    return register_op_attr(op_name, "FTVMConvertOpLayout", convert_layout, level)


def register_infer_correct_layout(op_name, infer_layout=None, level=10):
    """The layout inference of AlterOpLayout and ConvertLayout for an operator (FInferCorrectLayout):
    infer_layout(attrs, new_in_layouts, old_in_layouts, old_in_types) -> InferCorrectLayoutOutput
    (tvm.relay.transform.infer_layout_utils), asked when an argument of a call arrives in a
    changed layout: with the original layouts as new_in_layouts (what the original call reads and
    writes), and with the current ones. Layouts are tvm.tir.Layout, None where unknown."""
    return register_op_attr(op_name, "FInferCorrectLayout", infer_layout, level)


def register_legalize(op_name, legal_op=None, level=10):
    """The legalization function (FTVMLegalize): f(attrs, inputs, types) -> expr or None."""
    return register_op_attr(op_name, "FTVMLegalize", legal_op, level)


def register_shape_func(op_name, data_dependent, shape_func=None, level=10):
    """The shape function of a dynamic-shape operator (FShapeFunc) and whether it reads
    its inputs' values (TShapeDataDependent)."""
    if not isinstance(data_dependent, list):
        data_dependent = [data_dependent]
    register_op_attr(op_name, "TShapeDataDependent", data_dependent, level)
    return register_op_attr(op_name, "FShapeFunc", shape_func, level)


# ---------------------------------------------------------------- strategies
@tvm_register_object("relay.OpImplementation")
class OpImplementation(Object):
    """One way to compute and schedule an operator (a strategy's entry)."""

    def compute(self, attrs, inputs, out_type):
        """The output tensors of a call with these attributes, inputs and output type."""
        return _get_global_func("relay.op._OpImplementationCompute")(self, attrs, inputs, out_type)

    def schedule(self, attrs, outs, target):
        """The schedule of `outs` (a fused function's outputs) for `target`."""
        return _get_global_func("relay.op._OpImplementationSchedule")(self, attrs, outs, target)


@tvm_register_object("relay.OpStrategy")
class OpStrategy(Object):
    """The implementations an operator offers for a target; the compiler takes the one of
    the highest plevel (the first added among equals)."""

    def __init__(self):
        self.__init_handle_by_constructor__(_get_global_func("relay.op._make.OpStrategy"))

    def add_implementation(self, compute, schedule, name="default", plevel=10):
        """Add an implementation: compute(attrs, inputs, out_type) -> [te.Tensor] and
        schedule(attrs, outs, target) -> te.Schedule."""
        _get_global_func("relay.op._OpStrategyAddImplementation")(self, compute, schedule, name, int(plevel))

    def best(self):
        return _get_global_func("relay.op._OpStrategyBest")(self)
