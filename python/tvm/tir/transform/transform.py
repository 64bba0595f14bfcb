# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The lowering passes of the loop IR, as tvm.transform.Pass objects.

    mod = tvm.tir.transform.StorageFlatten(64)(mod)
    mod = tvm.transform.Sequential([tvm.tir.transform.Simplify(),
                                    tvm.tir.transform.RemoveNoOp()])(mod)

Options come from the PassContext config, e.g.
``config={"tir.UnrollLoop": {"auto_max_step": 16}}``.
"""
import functools
import inspect

from ..._ffi.registry import register_object
from ...ir.transform import Pass, PassInfo
from . import _ffi_api

__all__ = [
    "PrimFuncPass",
    "prim_func_pass",
    "Apply",
    "ApplyLayoutTransforms",
    "StorageFlatten",
    "InstrumentBoundCheckers",
    "Simplify",
    "LoopPartition",
    "VectorizeLoop",
    "InjectVirtualThread",
    "InjectDoubleBuffer",
    "StorageRewrite",
    "PointerValueTypeRewrite",
    "SkipAssert",
    "UnrollLoop",
    "RemoveNoOp",
    "MakePackedAPI",
    "LowerIntrin",
    "LowerTVMBuiltin",
    "ConvertSSA",
    "LowerOpaqueBlock",
    "FlattenBuffer",
]


@register_object("tir.PrimFuncPass")
class PrimFuncPass(Pass):
    """A pass applied to every PrimFunc of a module."""


def _wrap_class_function_pass(pass_cls, pass_info):
    class PyFunctionPass(PrimFuncPass):
        def __init__(self, *args, **kwargs):
            inst = pass_cls(*args, **kwargs)

            def run(func, mod, ctx):
                return inst.transform_function(func, mod, ctx)

            self.__init_handle_by_constructor__(_ffi_api.CreatePrimFuncPass, run, pass_info)
            self._inst = inst

        def __getattr__(self, name):
            return getattr(self._inst, name)

    functools.update_wrapper(PyFunctionPass.__init__, pass_cls.__init__)
    PyFunctionPass.__name__ = pass_cls.__name__
    PyFunctionPass.__doc__ = pass_cls.__doc__
    return PyFunctionPass


def prim_func_pass(pass_func=None, opt_level=None, name=None, required=None, traceable=False):
    """Make a PrimFunc pass from f(func, mod, ctx) -> func, or from a class with transform_function.

        @tvm.tir.transform.prim_func_pass(opt_level=0)
        def double_loops(func, mod, ctx):
            return func
    """
    if opt_level is None:
        raise ValueError("prim_func_pass needs an opt_level")
    required = list(required or [])

    def create(func):
        fname = name if name else func.__name__
        info = PassInfo(opt_level, fname, required, traceable)
        if inspect.isclass(func):
            return _wrap_class_function_pass(func, info)
        if not callable(func):
            raise TypeError("prim_func_pass decorates a function or a class")
        return _ffi_api.CreatePrimFuncPass(func, info)

    return create(pass_func) if pass_func is not None else create


def Apply(ftransform):
    """A pass applying ftransform(func) -> func to every PrimFunc."""

    def run(func, mod, ctx):
        return ftransform(func)

    return _ffi_api.CreatePrimFuncPass(run, PassInfo(0, "tir.Apply"))


def ApplyLayoutTransforms():
    """Store buffers in the layouts chosen by te's ``transform_layout`` (their shapes and every access)."""
    return _ffi_api.ApplyLayoutTransforms()


def StorageFlatten(cache_line_size=64, create_bound_attribute=False):
    """Multi-dimensional buffers -> flat allocations and 1-D accesses (applies storage_align, tensorize binds)."""
    return _ffi_api.StorageFlatten(cache_line_size, create_bound_attribute)


def InstrumentBoundCheckers():
    """Assert at run time that every access is inside its buffer (needs StorageFlatten's bound attributes)."""
    return _ffi_api.InstrumentBoundCheckers()


def Simplify():
    """Simplify expressions with the arith Analyzer; drop conditions proven true or false."""
    return _ffi_api.Simplify()


def LoopPartition():
    """Split loops where their likely() conditions are known (config "tir.LoopPartition")."""
    return _ffi_api.LoopPartition()


def VectorizeLoop(enable_vectorize=True):
    """Turn vectorized loops into vector expressions (or serial loops when disabled or impossible)."""
    return _ffi_api.VectorizeLoop(enable_vectorize)


def InjectVirtualThread():
    """Run virtual threads (vthread, cthread) interleaved inside one thread."""
    return _ffi_api.InjectVirtualThread()


def InjectDoubleBuffer():
    """Double-buffer stages marked double_buffer (config "tir.InjectDoubleBuffer")."""
    return _ffi_api.InjectDoubleBuffer()


def StorageRewrite():
    """Plan memory: hoist allocations to their attach scope, share storage between disjoint
    lifetimes (in place where safe), pack special memories, vectorise element types."""
    return _ffi_api.StorageRewrite()


def PointerValueTypeRewrite():
    """Give pointers (parameters included) accessed only as aligned whole vectors a vector type."""
    return _ffi_api.PointerValueTypeRewrite()


def SkipAssert():
    """Remove every AssertStmt, keeping its body (what tvm.build does under tir.disable_assert)."""
    return _ffi_api.SkipAssert()


def UnrollLoop():
    """Unroll loops marked unroll, and small loops when asked (config "tir.UnrollLoop")."""
    return _ffi_api.UnrollLoop()


def RemoveNoOp():
    """Remove statements without effect."""
    return _ffi_api.RemoveNoOp()


def MakePackedAPI():
    """The packed calling convention: unpack (args, type codes, num_args) and check every argument."""
    return _ffi_api.MakePackedAPI()


def LowerIntrin():
    """Lower math intrinsics for the function's target (and floor division to C division)."""
    return _ffi_api.LowerIntrin()


def LowerTVMBuiltin():
    """Lower tvm_call_packed and stack arrays to explicit stack memory; large allocations to workspace calls."""
    return _ffi_api.LowerTVMBuiltin()


def ConvertSSA():
    """One definition per variable: later definitions of a loop, let or allocation variable get fresh copies."""
    return _ffi_api.ConvertSSA()


def LowerOpaqueBlock():
    """Loop annotations to what lowering reads: pragma_* keys become AttrStmts, thread-binding loops launches,
    loops of extent 1 without annotations their body (this IR has no blocks to lower)."""
    return _ffi_api.LowerOpaqueBlock()


def FlattenBuffer():
    """Multi-dimensional buffer accesses to flat ones (functions not from TE; those use StorageFlatten)."""
    return _ffi_api.FlattenBuffer()
