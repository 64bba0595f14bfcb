# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Expressions of the loop IR (TIR), and Python operators that build them.

    x = tvm.tir.Var("x", "int32")
    e = x * 4 + 1        # Add(Mul(x, 4), 1), int32
    e // 2, e % 2        # floordiv and floormod
    x < 3                # LT node
    x == 3               # an EqualOp: an EQ node wherever an expression is expected,
                         # object identity when tested by `if` (so dict keys work)

The operators call the C++ helpers of tvm/tir/op.h, so types are promoted and
constants folded the same way for Python and C++ callers: `x_int8 + 1` stays
int8, `2 + 3` is IntImm 5.
"""
from .._ffi.registry import register_object
from ..error import _ERROR_TYPES
from ..ir import expr as _ir_expr
from ..ir.expr import PrimExpr, Range
from ..ir.op import Op
from ..runtime.object import Object
from . import _ffi_api


def _dtype_of(value):
    """The dtype string of an expression or a Python number (as FFI converts it)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int32" if -(2**31) <= value < 2**31 else "int64"
    if isinstance(value, float):
        return "float32"
    if isinstance(value, IterVar):
        return str(value.var.dtype)
    dtype = getattr(value, "dtype", None)
    return str(dtype) if dtype is not None else None


def _is_bool(value):
    dtype = _dtype_of(value)
    return dtype is not None and (dtype == "bool" or dtype.startswith("boolx"))


def _is_integer(value):
    dtype = _dtype_of(value)
    return dtype is not None and dtype.startswith(("int", "uint", "bool"))


def _operand(value, rank0_only=False):
    """An operand as the operators pass it on: a rank-0 tensor (te.placeholder(()))
    stands for its only element, A for A(), on either side of an operator.

    Other tensors raise a ValueError that asks to index them, unless rank0_only
    (== and != fall back to identity for them, so `x in [tensor]` still works).
    """
    scalar = getattr(type(value), "_scalar", None)
    if scalar is not None and (not rank0_only or getattr(value, "ndim", None) == 0):
        return scalar(value)
    return value


class ExprOp:
    """Python operators for expressions: each builds (or folds) an expression."""

    # arithmetic
    def __add__(self, other):
        return _ffi_api._OpAdd(self, _operand(other))

    def __radd__(self, other):
        return _ffi_api._OpAdd(_operand(other), self)

    def __sub__(self, other):
        return _ffi_api._OpSub(self, _operand(other))

    def __rsub__(self, other):
        return _ffi_api._OpSub(_operand(other), self)

    def __mul__(self, other):
        return _ffi_api._OpMul(self, _operand(other))

    def __rmul__(self, other):
        return _ffi_api._OpMul(_operand(other), self)

    def __truediv__(self, other):
        # Integer operands raise a TypeError (a TVMError) that points to // and truncdiv.
        return _ffi_api._OpDiv(self, _operand(other))

    def __rtruediv__(self, other):
        return _ffi_api._OpDiv(_operand(other), self)

    __div__ = __truediv__
    __rdiv__ = __rtruediv__

    def __floordiv__(self, other):
        return _ffi_api._OpFloorDiv(self, _operand(other))

    def __rfloordiv__(self, other):
        return _ffi_api._OpFloorDiv(_operand(other), self)

    def __mod__(self, other):
        return _ffi_api._OpFloorMod(self, _operand(other))

    def __rmod__(self, other):
        return _ffi_api._OpFloorMod(_operand(other), self)

    def __pow__(self, other):
        return _ffi_api._OpPow(self, _operand(other))

    def __rpow__(self, other):
        return _ffi_api._OpPow(_operand(other), self)

    def __neg__(self):
        return _ffi_api._OpNeg(self)

    def __abs__(self):
        return _ffi_api.abs(self)

    # bitwise; on two booleans & | ~ mean logical and/or/not
    def __and__(self, other):
        other = _operand(other)
        if _is_bool(self) and _is_bool(other):
            return _ffi_api._OpAnd(self, other)
        return _ffi_api.bitwise_and(self, other)

    def __rand__(self, other):
        other = _operand(other)
        if _is_bool(self) and _is_bool(other):
            return _ffi_api._OpAnd(other, self)
        return _ffi_api.bitwise_and(other, self)

    def __or__(self, other):
        other = _operand(other)
        if _is_bool(self) and _is_bool(other):
            return _ffi_api._OpOr(self, other)
        return _ffi_api.bitwise_or(self, other)

    def __ror__(self, other):
        other = _operand(other)
        if _is_bool(self) and _is_bool(other):
            return _ffi_api._OpOr(other, self)
        return _ffi_api.bitwise_or(other, self)

    def __xor__(self, other):
        return _ffi_api.bitwise_xor(self, _operand(other))

    def __rxor__(self, other):
        return _ffi_api.bitwise_xor(_operand(other), self)

    def __invert__(self):
        if _is_bool(self):
            return _ffi_api._OpNot(self)
        return _ffi_api.bitwise_not(self)

    def __lshift__(self, other):
        return _ffi_api.left_shift(self, _operand(other))

    def __rlshift__(self, other):
        return _ffi_api.left_shift(_operand(other), self)

    def __rshift__(self, other):
        return _ffi_api.right_shift(self, _operand(other))

    def __rrshift__(self, other):
        return _ffi_api.right_shift(_operand(other), self)

    # comparisons
    def __lt__(self, other):
        return _ffi_api._OpLT(self, _operand(other))

    def __le__(self, other):
        return _ffi_api._OpLE(self, _operand(other))

    def __gt__(self, other):
        return _ffi_api._OpGT(self, _operand(other))

    def __ge__(self, other):
        return _ffi_api._OpGE(self, _operand(other))

    def __eq__(self, other):
        return EqualOp(self, _operand(other, rank0_only=True))

    def __ne__(self, other):
        return NotEqualOp(self, _operand(other, rank0_only=True))

    def __hash__(self):
        return Object.__hash__(self)

    def __bool__(self):
        raise _ERROR_TYPES["ValueError"](
            f"cannot use the symbolic expression {self!r} as a Python bool (in `if`, `and`, `or`, `not`); "
            "build the condition with tvm.tir.all / tvm.tir.any / tvm.tir.Not, or choose values with "
            "tvm.tir.if_then_else / tvm.tir.Select"
        )

    __nonzero__ = __bool__

    def equal(self, other):
        """The expression self == other (always an expression, never identity)."""
        return _ffi_api._OpEQ(self, _operand(other))

    def astype(self, dtype):
        """self converted to dtype (no-op when it already has that type)."""
        return _ffi_api._cast(dtype, self)


class _LazyComparison(ExprOp, Object):
    """A == or != of two values: identity in `if`, a comparison node anywhere else.

    The node is built on first use (passing it to C++, reading a field,
    printing), so `if x == y` and dictionary lookups never build one.
    """

    def __init__(self, a, b):  # pylint: disable=super-init-not-called
        self._node = None
        self.a = a
        self.b = b

    def _build(self):
        raise NotImplementedError

    def asobject(self):
        """The comparison node."""
        if self._node is None:
            self._node = self._build()
        return self._node

    @property
    def handle(self):
        return self.asobject().handle

    def _identical(self):
        return isinstance(self.a, Object) and self.a.same_as(self.b)

    def __hash__(self):
        return Object.__hash__(self)


class EqualOp(_LazyComparison):
    """a == b."""

    def _build(self):
        return _ffi_api._OpEQ(self.a, self.b)

    def __bool__(self):
        return self._identical()

    __nonzero__ = __bool__


class NotEqualOp(_LazyComparison):
    """a != b."""

    def _build(self):
        return _ffi_api._OpNE(self.a, self.b)

    def __bool__(self):
        return not self._identical()

    __nonzero__ = __bool__


@register_object("PrimExpr")
class PrimExprWithOp(ExprOp, PrimExpr):
    """An expression with Python operators."""

    __hash__ = PrimExpr.__hash__


@register_object("tir.BinaryOp")
class BinaryOpExpr(PrimExprWithOp):
    """A two-operand node (fields a and b)."""


class ConstExpr(PrimExprWithOp):
    """A constant."""


class CmpExpr(PrimExprWithOp):
    """A comparison (bool result)."""


class LogicalExpr(PrimExprWithOp):
    """A logical operation on booleans."""


# ---------------------------------------------------------------------------
# Variables


@register_object("tir.Var")
class Var(PrimExprWithOp):
    """A variable: Var(name, dtype), dtype a str or a type (e.g. PointerType)."""

    def __init__(self, name, dtype, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Var, name, dtype)

    @property
    def name(self):
        """The variable's name (TVM reflects name_hint under this key)."""
        return self.name_hint


@register_object("tir.SizeVar")
class SizeVar(Var):
    """A variable known to be non-negative (a symbolic shape)."""

    def __init__(self, name, dtype, span=None):  # pylint: disable=super-init-not-called
        self.__init_handle_by_constructor__(_ffi_api.SizeVar, name, dtype)


@register_object("tir.IterVar")
class IterVar(Object, ExprOp):
    """A variable with a domain and an iteration kind; usable as its variable in expressions.

    IterVar(dom, var, iter_type, thread_tag=""): dom is a Range, a (begin, end)
    pair or None; var is a Var or a name.
    """

    DataPar = 0
    ThreadIndex = 1
    CommReduce = 2
    Ordered = 3
    DimInfo = 4
    Unrolled = 5
    Vectorized = 6
    Parallelized = 7
    Tensorized = 8

    def __init__(self, dom, var, iter_type, thread_tag="", span=None):
        if dom is not None:
            if isinstance(dom, (list, tuple)):
                if len(dom) != 2:
                    raise _ERROR_TYPES["TypeError"](f"IterVar: dom must be a Range or a (begin, end) pair, got {dom!r}")
                dom = Range(dom[0], dom[1])
            elif not isinstance(dom, Range):
                raise _ERROR_TYPES["TypeError"](f"IterVar: dom must be a Range, got {type(dom).__name__}")
        if not isinstance(var, Var):
            name = var if var is not None else "iter"
            dtype = "int32" if dom is None else dom.extent.dtype
            var = Var(name, dtype)
        self.__init_handle_by_constructor__(_ffi_api.IterVar, dom, var, int(iter_type), thread_tag)

    __hash__ = Object.__hash__


# ---------------------------------------------------------------------------
# Constants


@register_object("IntImm")
class IntImm(ConstExpr, _ir_expr.IntImm):
    """An integer (or bool) constant: IntImm(dtype, value)."""

    def __init__(self, dtype, value, span=None):  # pylint: disable=super-init-not-called
        self.__init_handle_by_constructor__(_ir_expr._ffi_api.IntImm, dtype, value)

    def __hash__(self):
        return hash(self.value)

    def __int__(self):
        return self.value

    def __index__(self):
        return self.value

    def __bool__(self):
        return self.value != 0

    __nonzero__ = __bool__

    def __eq__(self, other):
        if other is None:
            return False
        if isinstance(other, (bool, int, float, IntImm, FloatImm)):
            return _ffi_api._OpEQ(self, other)
        return EqualOp(self, other)

    def __ne__(self, other):
        if other is None:
            return True
        if isinstance(other, (bool, int, float, IntImm, FloatImm)):
            return _ffi_api._OpNE(self, other)
        return NotEqualOp(self, other)


@register_object("FloatImm")
class FloatImm(ConstExpr, _ir_expr.FloatImm):
    """A floating-point constant: FloatImm(dtype, value)."""

    def __init__(self, dtype, value, span=None):  # pylint: disable=super-init-not-called
        self.__init_handle_by_constructor__(_ir_expr._ffi_api.FloatImm, dtype, value)

    def __float__(self):
        return self.value

    __hash__ = Object.__hash__


@register_object("tir.StringImm")
class StringImm(ConstExpr):
    """A string constant (an argument of extern calls and asserts)."""

    def __init__(self, value, span=None):
        self.__init_handle_by_constructor__(_ffi_api.StringImm, value)

    def __eq__(self, other):
        if isinstance(other, ConstExpr):
            return self.value == other.value
        return self.value == other

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = Object.__hash__


# ---------------------------------------------------------------------------
# Operations


@register_object("tir.Cast")
class Cast(PrimExprWithOp):
    """value converted to dtype: Cast(dtype, value)."""

    def __init__(self, dtype, value, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Cast, dtype, value)


@register_object("tir.Add")
class Add(BinaryOpExpr):
    """a + b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Add, a, b)


@register_object("tir.Sub")
class Sub(BinaryOpExpr):
    """a - b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Sub, a, b)


@register_object("tir.Mul")
class Mul(BinaryOpExpr):
    """a * b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Mul, a, b)


@register_object("tir.Div")
class Div(BinaryOpExpr):
    """a / b (rounding towards zero for integers)."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Div, a, b)


@register_object("tir.Mod")
class Mod(BinaryOpExpr):
    """a % b with the sign of a (C semantics)."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Mod, a, b)


@register_object("tir.FloorDiv")
class FloorDiv(BinaryOpExpr):
    """a // b rounding towards negative infinity."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.FloorDiv, a, b)


@register_object("tir.FloorMod")
class FloorMod(BinaryOpExpr):
    """a % b with the sign of b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.FloorMod, a, b)


@register_object("tir.Min")
class Min(BinaryOpExpr):
    """min(a, b)."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Min, a, b)


@register_object("tir.Max")
class Max(BinaryOpExpr):
    """max(a, b)."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Max, a, b)


@register_object("tir.EQ")
class EQ(CmpExpr):
    """a == b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.EQ, a, b)


@register_object("tir.NE")
class NE(CmpExpr):
    """a != b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.NE, a, b)


@register_object("tir.LT")
class LT(CmpExpr):
    """a < b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.LT, a, b)


@register_object("tir.LE")
class LE(CmpExpr):
    """a <= b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.LE, a, b)


@register_object("tir.GT")
class GT(CmpExpr):
    """a > b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.GT, a, b)


@register_object("tir.GE")
class GE(CmpExpr):
    """a >= b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.GE, a, b)


@register_object("tir.And")
class And(LogicalExpr):
    """a && b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.And, a, b)


@register_object("tir.Or")
class Or(LogicalExpr):
    """a || b."""

    def __init__(self, a, b, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Or, a, b)


@register_object("tir.Not")
class Not(LogicalExpr):
    """!a."""

    def __init__(self, a, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Not, a)


@register_object("tir.Select")
class Select(PrimExprWithOp):
    """condition ? true_value : false_value, evaluating both sides.

    Use tvm.tir.if_then_else when only the chosen side may be evaluated
    (e.g. a guarded load).
    """

    def __init__(self, condition, true_value, false_value, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Select, condition, true_value, false_value)


@register_object("tir.BufferLoad")
class BufferLoad(PrimExprWithOp):
    """buffer[indices]."""

    def __init__(self, buffer, indices, span=None):
        self.__init_handle_by_constructor__(_ffi_api.BufferLoad, buffer, list(indices))


@register_object("tir.ProducerLoad")
class ProducerLoad(PrimExprWithOp):
    """producer[indices] (a te.Tensor read before buffers exist)."""

    def __init__(self, producer, indices, span=None):
        self.__init_handle_by_constructor__(_ffi_api.ProducerLoad, producer, list(indices))


@register_object("tir.Ramp")
class Ramp(PrimExprWithOp):
    """The vector base, base + stride, ..., base + (lanes - 1) * stride."""

    def __init__(self, base, stride, lanes, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Ramp, base, stride, lanes)


@register_object("tir.Broadcast")
class Broadcast(PrimExprWithOp):
    """value repeated lanes times."""

    def __init__(self, value, lanes, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Broadcast, value, lanes)


@register_object("tir.Shuffle")
class Shuffle(PrimExprWithOp):
    """Lanes picked by indices from the concatenation of vectors."""

    def __init__(self, vectors, indices, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Shuffle, list(vectors), list(indices))


@register_object("tir.Let")
class Let(PrimExprWithOp):
    """let var = value in body."""

    def __init__(self, var, value, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Let, var, value, body)


class CallEffectKind:
    """What a call may do (the TCallEffectKind attribute of its op)."""

    ExprAnnotation = 0
    Pure = 1
    ReadState = 2
    UpdateState = 3
    Embedded = 4
    ControlJump = 5
    Opaque = UpdateState


def _call_args(args):
    """Call arguments: str becomes StringImm, everything else passes as is."""
    return [StringImm(a) if isinstance(a, str) else a for a in args]


@register_object("tir.Call")
class Call(PrimExprWithOp):
    """A call of an operator: Call(dtype, op, args).

    op is an Op or its name, which must be in the tir namespace ("tir.exp");
    str arguments become StringImm.
    """

    def __init__(self, dtype, op, args, span=None):
        if isinstance(op, str):
            if not op.startswith("tir."):
                raise _ERROR_TYPES["ValueError"](
                    f"Call: operator name {op!r} is not in the tir namespace (\"tir.<name>\"); "
                    "pass tvm.ir.Op.get(name) to call another operator"
                )
            op = Op.get(op)
        self.__init_handle_by_constructor__(_ffi_api.Call, dtype, op, _call_args(args))


@register_object("tir.CommReducer")
class CommReducer(Object):
    """A commutative reducer: result(lhs, rhs) with identity_element (lists for tuple reducers)."""

    def __init__(self, lhs, rhs, result, identity_element, span=None):
        self.__init_handle_by_constructor__(_ffi_api.CommReducer, lhs, rhs, result, identity_element)

    def __call__(self, a, b):
        """Combine two tuples of values (lists, one entry per lhs)."""
        return _ffi_api.CommReducerCombine(self, a, b)


@register_object("tir.Reduce")
class Reduce(PrimExprWithOp):
    """A reduction: Reduce(combiner, src, rdom, condition, value_index, init=None)."""

    def __init__(self, combiner, src, rdom, condition, value_index, init=None, span=None):
        self.__init_handle_by_constructor__(
            _ffi_api.Reduce, combiner, list(src), list(rdom), condition, value_index, list(init) if init else []
        )


@register_object("tir.Any")
class Any(PrimExprWithOp):
    """An unknown dimension (dynamic shapes)."""

    def __init__(self, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Any)
