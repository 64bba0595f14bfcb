# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Operators of the loop IR: constants, math, division flavours, calls and reducers.

Everything here returns an expression, folded when its operands are
constants: tvm.tir.max(2, 3) is IntImm 3, tvm.tir.exp(x) is a call of tir.exp.
"""
from ..error import _ERROR_TYPES
from ..ir.op import Op
from ..runtime.container import Array, convert
from . import _ffi_api
from .expr import Call, CommReducer, IntImm, IterVar, PrimExprWithOp, Reduce, StringImm, Var, _dtype_of, _is_integer
from ..ir.expr import PrimExpr

# ---------------------------------------------------------------------------
# Constants


def _infer_dtype(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int32" if -(2**31) <= value < 2**31 else "int64"
    if isinstance(value, float):
        return "float32"
    dtype = getattr(value, "dtype", None)  # numpy scalars
    if dtype is not None:
        return str(dtype)
    raise _ERROR_TYPES["TypeError"](f"const: cannot infer a dtype for {type(value).__name__} value {value!r}")


def const(value, dtype=None, span=None):
    """A constant of dtype (inferred when None: bool, int32 or int64 for ints, float32).

    A vector dtype ("float32x4") gives a Broadcast of the scalar constant.
    """
    if dtype is None:
        dtype = _infer_dtype(value)
    dtype = str(dtype)
    if hasattr(value, "item") and not isinstance(value, (bool, int, float)):
        value = value.item()  # numpy scalar -> Python number
    if not isinstance(value, (bool, int, float)):
        raise _ERROR_TYPES["TypeError"](f"const: the value must be a number, got {type(value).__name__}")
    if dtype == "uint64" and isinstance(value, int) and value >= 2**63:
        if value >= 2**64:
            raise _ERROR_TYPES["ValueError"](f"const: {value} does not fit in uint64")
        low = _ffi_api.const("uint32", value & 0xFFFFFFFF)
        high = _ffi_api.const("uint32", value >> 32)
        return Call("uint64", "tir.large_uint_imm", [low, high])
    return _ffi_api.const(dtype, value)


def min_value(dtype, span=None):
    """The smallest finite value of dtype."""
    return _ffi_api.min_value(dtype)


def max_value(dtype, span=None):
    """The largest finite value of dtype."""
    return _ffi_api.max_value(dtype)


def infinity(dtype, span=None):
    """Positive infinity of a float dtype."""
    return _ffi_api.infinity(dtype)


def reinterpret(dtype, value, span=None):
    """The bits of value read as dtype (same total size)."""
    return _ffi_api.reinterpret(dtype, value)


# ---------------------------------------------------------------------------
# Calls


def _op(name):
    return Op.get(name) if isinstance(name, str) else name


def call_intrin(dtype, func_name, *args, span=None):
    """A call of the operator func_name ("tir.exp" or an Op) returning dtype."""
    return Call(dtype, _op(func_name), list(args))


def call_pure_extern(dtype, func_name, *args, span=None):
    """A call of the side-effect-free C function func_name."""
    return Call(dtype, Op.get("tir.call_pure_extern"), [StringImm(func_name)] + list(args))


def call_extern(dtype, func_name, *args, span=None):
    """A call of the C function func_name."""
    return Call(dtype, Op.get("tir.call_extern"), [StringImm(func_name)] + list(args))


def _pack_buffer(buf):
    """A Buffer argument of a packed call becomes a DLTensor built on the stack."""
    shape = Call("handle", Op.get("tir.tvm_stack_make_shape"), list(buf.shape))
    strides = Call("handle", Op.get("tir.tvm_stack_make_shape"), list(buf.strides)) if buf.strides else const(0, "int32")
    pack_args = [buf.data, shape, strides, const(len(buf.shape), "int32"), const(0, buf.dtype), buf.elem_offset]
    return Call("handle", Op.get("tir.tvm_stack_make_array"), pack_args)


def _packed_args(args):
    from .buffer import Buffer

    return [_pack_buffer(a) if isinstance(a, Buffer) else a for a in args]


def call_packed(*args, span=None):
    """A call of the packed function named args[0] with the remaining arguments (returns int32).

    Buffer arguments are passed as DLTensors (NDArrays on the other side)."""
    return Call("int32", Op.get("tir.tvm_call_packed"), _packed_args(args))


def call_cpacked(*args, span=None):
    """Like call_packed, but calls a C symbol of the module directly."""
    return Call("int32", Op.get("tir.tvm_call_cpacked"), _packed_args(args))


def call_packed_lowered(*args, span=None):
    return Call("int32", Op.get("tir.tvm_call_packed_lowered"), list(args))


def call_cpacked_lowered(*args, span=None):
    return Call("int32", Op.get("tir.tvm_call_cpacked_lowered"), list(args))


def _llvm_intrinsic_id(name):
    # The intrinsic is kept by name, as the C++ lowering rules keep it; the LLVM
    # code generator resolves it (an IntImm id, as TVM makes, is accepted too).
    if not isinstance(name, str):
        return name.value if isinstance(name, IntImm) else name
    return StringImm(name)


def call_llvm_intrin(dtype, name, *args, span=None):
    """A call of the LLVM intrinsic name ("llvm.ctpop"); args[0] is usually the number of
    overloaded signature arguments, e.g. tvm.tir.const(1, "uint32")."""
    llvm_id = _llvm_intrinsic_id(name)
    if isinstance(llvm_id, int):
        llvm_id = const(llvm_id, "uint32")
    return Call(dtype, Op.get("tir.call_llvm_intrin"), [llvm_id] + list(args))


def call_llvm_pure_intrin(dtype, name, *args, span=None):
    """A side-effect-free call_llvm_intrin."""
    llvm_id = _llvm_intrinsic_id(name)
    if isinstance(llvm_id, int):
        llvm_id = const(llvm_id, "uint32")
    return Call(dtype, Op.get("tir.call_llvm_pure_intrin"), [llvm_id] + list(args))


def ret(val, span=None):
    """Return val from the function."""
    val = convert(val)
    return Call(val.dtype, Op.get("tir.ret"), [val])


def likely(cond, span=None):
    """cond, marked as likely true (a hint for loop partitioning and branch layout)."""
    return _ffi_api.likely(cond)


def address_of(buffer_load, span=None):
    """The address of the element that buffer_load reads."""
    return Call("handle", Op.get("tir.address_of"), [buffer_load])


def lookup_param(param_name, span=None):
    """A handle to the linked parameter param_name."""
    return Call("handle", Op.get("tir.lookup_param"), [StringImm(param_name)])


def isnullptr(x, span=None):
    """Whether the handle x is null."""
    return Call("bool", Op.get("tir.isnullptr"), [x])


def type_annotation(dtype):
    """A call whose dtype carries a type (the first argument of tvm_access_ptr)."""
    return Call(dtype, Op.get("tir.type_annotation"), [])


def tvm_access_ptr(ptype, data, offset, extent, rw_mask):
    """A pointer into data for an extern call: tvm_access_ptr(type_annotation, data, offset, extent, mask)."""
    return Call("handle", Op.get("tir.tvm_access_ptr"), [ptype, data, offset, extent, rw_mask])


def tvm_struct_get(arr, index, field, dtype):
    """Field `field` (builtin.TVMStructFieldKind) of element index of arr."""
    return Call(dtype, Op.get("tir.tvm_struct_get"), [arr, index, field])


def tvm_struct_set(arr, index, field, value):
    """Set field `field` of element index of arr to value."""
    return Call("int32", Op.get("tir.tvm_struct_set"), [arr, index, field, value])


def tvm_stack_alloca(dtype_str, num):
    """Stack space for num values of kind dtype_str ("shape", "arg_value", "arg_tcode", "array")."""
    return Call("handle", Op.get("tir.tvm_stack_alloca"), [StringImm(dtype_str), num])


def tvm_stack_make_shape(*args):
    """A shape array on the stack."""
    return Call("handle", Op.get("tir.tvm_stack_make_shape"), list(args))


def tvm_stack_make_array(data, shape, strides, ndim, arr_dtype, elem_offset):
    """A DLTensor on the stack."""
    return Call("handle", Op.get("tir.tvm_stack_make_array"), [data, shape, strides, ndim, arr_dtype, elem_offset])


def tvm_tuple(*value):
    """A tuple of values (an argument of other builtins)."""
    return Call("handle", Op.get("tir.tvm_tuple"), list(value))


def tvm_storage_sync(storage_scope):
    """A barrier on memory of storage_scope ("shared", "global", "warp")."""
    return Call("int32", Op.get("tir.tvm_storage_sync"), [StringImm(storage_scope)])


def tvm_warp_shuffle(mask, value, warp_id, width, warp_size):
    return Call(_dtype_of(value), Op.get("tir.tvm_warp_shuffle"), [mask, value, warp_id, width, warp_size])


def tvm_warp_shuffle_up(mask, value, offset, width, warp_size):
    return Call(_dtype_of(value), Op.get("tir.tvm_warp_shuffle_up"), [mask, value, offset, width, warp_size])


def tvm_warp_shuffle_down(mask, value, offset, width, warp_size):
    return Call(_dtype_of(value), Op.get("tir.tvm_warp_shuffle_down"), [mask, value, offset, width, warp_size])


def tvm_warp_activemask():
    return Call("uint32", Op.get("tir.tvm_warp_activemask"), [])


def tvm_load_matrix_sync(fragment, m, n, k, index, buffer_ptr, stride, layout):
    """Load an m x n x k tensor-core fragment (its element `index`) from memory (CUDA wmma)."""
    return Call("handle", Op.get("tir.tvm_load_matrix_sync"), [fragment, m, n, k, index, buffer_ptr, stride, layout])


def tvm_store_matrix_sync(fragment, m, n, k, index, buffer_ptr, stride, layout):
    """Store a tensor-core fragment to memory (CUDA wmma)."""
    return Call("handle", Op.get("tir.tvm_store_matrix_sync"), [fragment, m, n, k, index, buffer_ptr, stride, layout])


def tvm_mma_sync(fragment_d, index_d, fragment_a, index_a, fragment_b, index_b, fragment_c, index_c):
    """d = a * b + c on tensor-core fragments (CUDA wmma)."""
    return Call(
        "handle",
        Op.get("tir.tvm_mma_sync"),
        [fragment_d, index_d, fragment_a, index_a, fragment_b, index_b, fragment_c, index_c],
    )


def tvm_fill_fragment(fragment, m, n, k, index, value):
    """Set every element of a tensor-core fragment to `value` (CUDA wmma)."""
    return Call("handle", Op.get("tir.tvm_fill_fragment"), [fragment, m, n, k, index, value])


def tvm_thread_allreduce(*freduce_args):
    return Call("handle", Op.get("tir.tvm_thread_allreduce"), list(freduce_args))


def tvm_throw_last_error():
    return Call("handle", Op.get("tir.tvm_throw_last_error"), [])


def TVMBackendAllocWorkspace(device_type, device_id, nbytes, dtype_code_hint, dtype_bits_hint):
    """A block of nbytes from the runtime's workspace pool of a device (a handle; null on failure)."""
    return Call(
        "handle",
        Op.get("tir.TVMBackendAllocWorkspace"),
        [device_type, device_id, nbytes, dtype_code_hint, dtype_bits_hint],
    )


def TVMBackendFreeWorkspace(device_type, device_id, ptr):
    """Return a workspace block to its pool (0 on success)."""
    return Call("int32", Op.get("tir.TVMBackendFreeWorkspace"), [device_type, device_id, ptr])


def tvm_check_return(expected, return_unexpected, nested_call):
    return Call("int32", Op.get("tir.tvm_check_return"), [expected, return_unexpected, nested_call])


def assume(cond=None):
    """A fact the optimiser may use (removed before code generation)."""
    return Call("bool", Op.get("tir.assume"), [cond])


def undef():
    """An unspecified value."""
    return Call("int32", Op.get("tir.undef"), [])


def vectorlow(dtype, vec):
    return Call(dtype, Op.get("tir.vectorlow"), [vec])


def vectorhigh(dtype, vec):
    return Call(dtype, Op.get("tir.vectorhigh"), [vec])


def vectorcombine(dtype, vec1, vec2):
    return Call(dtype, Op.get("tir.vectorcombine"), [vec1, vec2])


def start_profile_intrinsic(id):  # pylint: disable=redefined-builtin
    return Call("handle", Op.get("tir.start_profile_intrinsic"), [id])


def end_profile_intrinsic(id):  # pylint: disable=redefined-builtin
    return Call("handle", Op.get("tir.end_profile_intrinsic"), [id])


# ---------------------------------------------------------------------------
# Logic and selection


def all(*args, span=None):  # pylint: disable=redefined-builtin
    """args[0] && args[1] && ... (folded where constant)."""
    if not args:
        raise _ERROR_TYPES["ValueError"]("tvm.tir.all needs at least one argument")
    result = convert(args[0])
    for arg in args[1:]:
        result = _ffi_api._OpAnd(result, arg)
    return result


def any(*args, span=None):  # pylint: disable=redefined-builtin
    """args[0] || args[1] || ... (folded where constant)."""
    if not args:
        raise _ERROR_TYPES["ValueError"]("tvm.tir.any needs at least one argument")
    result = convert(args[0])
    for arg in args[1:]:
        result = _ffi_api._OpOr(result, arg)
    return result


def if_then_else(cond, t, f, span=None):
    """cond ? t : f, evaluating only the chosen side (unlike Select)."""
    return _ffi_api._OpIfThenElse(cond, t, f)


# ---------------------------------------------------------------------------
# Division flavours


def div(a, b, span=None):
    """a / b as in C: true division for floats, rounding towards zero for integers."""
    if _is_integer(a) and _is_integer(b):
        return _ffi_api._OpTruncDiv(a, b)
    return _ffi_api._OpDiv(a, b)


def indexdiv(a, b, span=None):
    """a // b for non-negative index expressions."""
    return _ffi_api._OpIndexDiv(a, b)


def indexmod(a, b, span=None):
    """a % b for non-negative index expressions."""
    return _ffi_api._OpIndexMod(a, b)


def truncdiv(a, b, span=None):
    """Integer a / b rounding towards zero."""
    return _ffi_api._OpTruncDiv(a, b)


def truncmod(a, b, span=None):
    """Integer remainder with the sign of a."""
    return _ffi_api._OpTruncMod(a, b)


def floordiv(a, b, span=None):
    """a / b rounding towards negative infinity."""
    return _ffi_api._OpFloorDiv(a, b)


def floormod(a, b, span=None):
    """Remainder with the sign of b."""
    return _ffi_api._OpFloorMod(a, b)


def ceildiv(lhs, rhs, span=None):
    """Integer lhs / rhs rounding towards positive infinity."""
    return _ffi_api._OpCeilDiv(lhs, rhs)


# ---------------------------------------------------------------------------
# Math


def _intrinsic(name, *args):
    return _ffi_api.CallIntrinsic(name, list(args))


def exp(x):
    return _intrinsic("exp", x)


def exp2(x):
    return _intrinsic("exp2", x)


def exp10(x):
    return _intrinsic("exp10", x)


def log(x):
    return _intrinsic("log", x)


def log2(x):
    return _intrinsic("log2", x)


def log10(x):
    return _intrinsic("log10", x)


def log1p(x):
    return _intrinsic("log1p", x)


def sqrt(x):
    return _intrinsic("sqrt", x)


def rsqrt(x):
    return _intrinsic("rsqrt", x)


def tanh(x):
    return _intrinsic("tanh", x)


def sigmoid(x):
    return _intrinsic("sigmoid", x)


def erf(x):
    return _intrinsic("erf", x)


def sin(x):
    return _intrinsic("sin", x)


def cos(x):
    return _intrinsic("cos", x)


def tan(x):
    return _intrinsic("tan", x)


def asin(x):
    return _intrinsic("asin", x)


def acos(x):
    return _intrinsic("acos", x)


def atan(x):
    return _intrinsic("atan", x)


def sinh(x):
    return _intrinsic("sinh", x)


def cosh(x):
    return _intrinsic("cosh", x)


def asinh(x):
    return _intrinsic("asinh", x)


def acosh(x):
    return _intrinsic("acosh", x)


def atanh(x):
    return _intrinsic("atanh", x)


def atan2(x1, x2):
    return _intrinsic("atan2", x1, x2)


def copysign(x1, x2):
    return _intrinsic("copysign", x1, x2)


def hypot(x1, x2):
    return _intrinsic("hypot", x1, x2)


def nextafter(x1, x2):
    return _intrinsic("nextafter", x1, x2)


def ldexp(x1, x2):
    return _intrinsic("ldexp", x1, x2)


def clz(x):
    """The number of leading zero bits of an integer."""
    return _intrinsic("clz", x)


def popcount(x):
    """The number of set bits of an integer."""
    return Call(_dtype_of(x), Op.get("tir.popcount"), [x])


def floor(x, span=None):
    return _ffi_api.floor(x)


def ceil(x, span=None):
    return _ffi_api.ceil(x)


def round(x, span=None):  # pylint: disable=redefined-builtin
    """Round half away from zero."""
    return _ffi_api.round(x)


def nearbyint(x, span=None):
    """Round half to even."""
    return _ffi_api.nearbyint(x)


def trunc(x, span=None):
    return _ffi_api.trunc(x)


def abs(x, span=None):  # pylint: disable=redefined-builtin
    return _ffi_api.abs(x)


def isnan(x, span=None):
    return _ffi_api.isnan(x)


def isinf(x, span=None):
    return _ffi_api.isinf(x)


def isfinite(x, span=None):
    return _ffi_api.isfinite(x)


def power(x, y, span=None):
    """x ** y (floats)."""
    return _ffi_api._OpPow(x, y)


pow = power  # pylint: disable=redefined-builtin


def fmod(x, y):
    """Float remainder with the sign of x."""
    return _ffi_api.fmod(x, y)


def q_multiply_shift(x, y, q, s):
    """round(x * y * 2^-s) with y a Q(q) fixed-point number (int32)."""
    return _ffi_api.q_multiply_shift(x, y, q, s)


# ---------------------------------------------------------------------------
# Bitwise


def bitwise_and(x, y, span=None):
    return _ffi_api.bitwise_and(x, y)


def bitwise_or(x, y, span=None):
    return _ffi_api.bitwise_or(x, y)


def bitwise_xor(x, y, span=None):
    return _ffi_api.bitwise_xor(x, y)


def bitwise_not(x, span=None):
    return _ffi_api.bitwise_not(x)


def shift_left(x, y, span=None):
    return _ffi_api.left_shift(x, y)


def shift_right(x, y, span=None):
    return _ffi_api.right_shift(x, y)


# ---------------------------------------------------------------------------
# Reducers


def comm_reducer(fcombine, fidentity, name="reduce"):
    """A reducer from a commutative combine function and its identity.

    fcombine(x, y) combines two values (or two tuples of values for a tuple
    reducer such as argmax); fidentity(dtype, ...) gives the identity element(s).
    The result is called in two ways:

        mysum = comm_reducer(lambda x, y: x + y, lambda t: const(0, t), name="mysum")
        mysum(A[i, k], axis=k, where=None, init=None)   # a Reduce expression over axis
        mysum(a, b, c)                                  # combine values directly: (a + b) + c
    """

    def combine_directly(*args):
        result = fcombine(args[0], args[1])
        for arg in args[2:]:
            result = fcombine(result, arg)
        return result

    def make_reduce(expr, axis, where=None, init=None):
        code = fcombine.__code__
        if code.co_argcount != 2:
            raise _ERROR_TYPES["TypeError"](f"{name}: the combine function must take 2 arguments")
        expr = convert(expr)
        if isinstance(expr, Array):
            size = len(expr)
            dtypes = [str(e.dtype) for e in expr]
            lhs = [Var(f"{code.co_varnames[0]}_{i}", dtypes[i]) for i in range(size)]
            rhs = [Var(f"{code.co_varnames[1]}_{i}", dtypes[i]) for i in range(size)]
            result = fcombine(convert(lhs), convert(rhs))
            identity = fidentity(*dtypes)
            sources = list(expr)
            if init is not None:
                init = list(convert(init))
                if len(init) != size:
                    raise _ERROR_TYPES["ValueError"](f"{name}: init needs {size} values, got {len(init)}")
        else:
            if not isinstance(expr, PrimExpr):
                raise _ERROR_TYPES["TypeError"](f"{name}: cannot reduce a {type(expr).__name__}")
            size = 1
            dtype = str(expr.dtype)
            lhs = [Var(code.co_varnames[0], dtype)]
            rhs = [Var(code.co_varnames[1], dtype)]
            result = [fcombine(lhs[0], rhs[0])]
            identity = [fidentity(dtype)]
            sources = [expr]
            if init is not None:
                init = [convert(init)]
        result = [convert(r) for r in result]
        identity = [convert(e) for e in identity]
        combiner = CommReducer(lhs, rhs, result, identity)
        axis = list(axis) if isinstance(axis, (list, tuple, Array)) else [axis]
        outputs = tuple(Reduce(combiner, sources, axis, where, i, init) for i in range(size))
        return outputs[0] if size == 1 else outputs

    def reducer(expr, axis, where=None, init=None, *args):
        if isinstance(axis, (IterVar, list, tuple)):
            if args:
                raise _ERROR_TYPES["TypeError"](f"{name}: unexpected extra arguments after init")
            return make_reduce(expr, axis, where, init)
        values = [expr, axis] + [v for v in (where, init) if v is not None] + list(args)
        return combine_directly(*values)

    reducer.__name__ = name
    reducer.__qualname__ = name
    reducer.__doc__ = (
        f"Reduce with {name}: {name}(expr, axis, where=None, init=None) makes a Reduce over axis "
        f"(an IterVar or a list of them); {name}(a, b, ...) combines values directly."
    )
    return reducer


def _combine_sum(x, y):
    return x + y


def _combine_min(x, y):
    return _ffi_api._OpMin(x, y)


def _combine_max(x, y):
    return _ffi_api._OpMax(x, y)


# As in TVM, min and max are reducers: min(a, b) is the element-wise minimum,
# min(A[k], axis=k) a reduction.
sum = comm_reducer(_combine_sum, lambda t: const(0, dtype=t), name="sum")  # pylint: disable=redefined-builtin
min = comm_reducer(_combine_min, max_value, name="min")  # pylint: disable=redefined-builtin
max = comm_reducer(_combine_max, min_value, name="max")  # pylint: disable=redefined-builtin
