# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Schedules: how and where each stage of a tensor expression is computed.

    s = te.create_schedule(C.op)
    xo, xi = s[C].split(C.op.axis[0], factor=32)
    s[C].vectorize(xi)
    s[B].compute_at(s[C], xo)
    print(tvm.lower(s, [A, C], simple_mode=True))

Every primitive checks its arguments and raises an error naming the stage
and the axis when the schedule is not legal.
"""
from .._ffi import _init_api
from .._ffi.registry import get_global_func, register_object
from ..error import _ERROR_TYPES
from ..runtime.container import Array
from ..runtime.object import Object
from ..tir import expr as _expr
from ..tir.buffer import Buffer  # noqa: F401 (tvm.te.schedule.Buffer, as in TVM)
from ..tir.expr import IterVar, StringImm
from ..tir.function import IndexMap
from . import _ffi_api
from .tensor import Operation, Tensor


def _schedule_api(name):
    return get_global_func("schedule." + name)


def _as_op(x, what):
    if isinstance(x, Tensor):
        return x.op
    if isinstance(x, Operation):
        return x
    raise _ERROR_TYPES["TypeError"](f"{what}: expected a Tensor or an Operation, got {type(x).__name__}")


def create_schedule(ops):
    """The default schedule of the operations (or tensors) given: every stage at the root, in order."""
    if not isinstance(ops, (list, tuple, Array)):
        ops = [ops]
    return _ffi_api.CreateSchedule([_as_op(op, "create_schedule") for op in ops])


@register_object("Schedule")
class Schedule(Object):
    """The stages of all operations reachable from the outputs."""

    def __getitem__(self, k):
        return _ffi_api.ScheduleGetStage(self, _as_op(k, "Schedule[...]"))

    def __contains__(self, k):
        try:
            self[k]
        except (ValueError, TypeError):
            return False
        return True

    def normalize(self):
        """A copy with inlining applied and every loop rebased to start at 0 (lowering does this)."""
        return _ffi_api.ScheduleNormalize(self)

    def create_group(self, outputs, inputs, include_inputs=False):
        """A group stage of the operations between inputs and outputs, scheduled (compute_at) as one."""
        outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
        inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs or [])
        return _ffi_api.ScheduleCreateGroup(self, outputs, inputs, include_inputs)

    def cache_read(self, tensor, scope, readers):
        """A stage copying `tensor` into `scope`; `readers` (ops or tensors) read the copy. Returns it."""
        if isinstance(readers, (Tensor, Operation)):
            readers = [readers]
        readers = [_as_op(r, "cache_read") for r in readers]
        return _ffi_api.ScheduleCacheRead(self, tensor, scope, readers)

    def cache_write(self, tensor, scope):
        """A stage computing `tensor` (or all outputs of its op, as a list) into `scope`; the
        original stage copies the result out. Returns the cache tensor(s)."""
        if isinstance(tensor, (list, tuple, Array)):
            return list(_ffi_api.ScheduleCacheWrite(self, list(tensor), scope))
        return _ffi_api.ScheduleCacheWrite(self, tensor, scope)

    def rfactor(self, tensor, axis, factor_axis=0):
        """Factor the reduction of `tensor` over `axis` into a new stage with `axis` as a
        data-parallel dimension (at position factor_axis). Returns the factored tensor(s)."""
        factored = _ffi_api.ScheduleRFactor(self, tensor, axis, factor_axis)
        return factored[0] if len(factored) == 1 else list(factored)


@register_object("Stage")
class Stage(Object):
    """The schedule of one operation."""

    def split(self, parent, factor=None, nparts=None):
        """parent -> (outer, inner): inner has extent `factor`, or outer has extent `nparts`."""
        if nparts is not None:
            if factor is not None:
                raise _ERROR_TYPES["ValueError"]("split: give either factor or nparts, not both")
            outer, inner = _ffi_api.StageSplitByNParts(self, parent, nparts)
        else:
            if factor is None:
                raise _ERROR_TYPES["ValueError"]("split: give factor or nparts")
            outer, inner = _ffi_api.StageSplitByFactor(self, parent, factor)
        return outer, inner

    def fuse(self, *args):
        """Fuse adjacent loops (outermost first) into one; no arguments adds a loop of extent 1."""
        if len(args) == 1 and isinstance(args[0], (list, tuple, Array)):
            args = tuple(args[0])
        return _ffi_api.StageFuse(self, list(args))

    def set_scope(self, scope):
        """Store the stage's output in `scope` ("global", "shared", "local", ...)."""
        _ffi_api.StageSetScope(self, scope)

    def bind(self, ivar, thread_ivar):
        """Run loop ivar as the thread axis thread_ivar."""
        _ffi_api.StageBind(self, ivar, thread_ivar)

    def env_threads(self, threads):
        """Launch thread axes around the stage without loops of their own."""
        if isinstance(threads, IterVar):
            threads = [threads]
        _ffi_api.StageEnvThreads(self, list(threads))

    def set_store_predicate(self, predicate):
        """Store only where predicate holds."""
        _ffi_api.StageSetStorePredicate(self, predicate)

    def compute_at(self, parent, scope):
        """Compute this stage inside loop `scope` of stage `parent` (a consumer)."""
        _ffi_api.StageComputeAt(self, parent, scope)

    def compute_inline(self):
        """Inline this stage into its consumers."""
        _ffi_api.StageComputeInline(self)

    def compute_root(self):
        """Compute this stage at the root (undo compute_at / compute_inline)."""
        _ffi_api.StageComputeRoot(self)

    def reorder(self, *args):
        """Put the given loops in this order (the others keep their places)."""
        if len(args) == 1 and isinstance(args[0], (list, tuple, Array)):
            args = tuple(args[0])
        _ffi_api.StageReorder(self, list(args))

    def tile(self, x_parent, y_parent, x_factor, y_factor):
        """Split two loops and order them (x.outer, y.outer, x.inner, y.inner); returns those four."""
        xo, yo, xi, yi = _ffi_api.StageTile(self, x_parent, y_parent, x_factor, y_factor)
        return xo, yo, xi, yi

    def vectorize(self, var):
        """Vectorize loop var (its extent must be a constant)."""
        _ffi_api.StageVectorize(self, var)

    def tensorize(self, var, tensor_intrin):
        """Replace the loops from var inwards with a tensor intrinsic."""
        _ffi_api.StageTensorize(self, var, tensor_intrin)

    def unroll(self, var):
        """Unroll loop var."""
        _ffi_api.StageUnroll(self, var)

    def parallel(self, var):
        """Run loop var in parallel over CPU threads."""
        _ffi_api.StageParallel(self, var)

    def pragma(self, var, pragma_type, pragma_value=None):
        """Annotate loop var with pragma_<pragma_type> (="unroll"/"vectorize" act like those primitives)."""
        if isinstance(pragma_value, str):
            pragma_value = StringImm(pragma_value)
        _ffi_api.StagePragma(self, var, pragma_type, pragma_value)

    def prefetch(self, tensor, var, offset):
        """Prefetch `tensor` `offset` iterations of loop var ahead."""
        _ffi_api.StagePrefetch(self, tensor, var, offset)

    def storage_align(self, axis, factor, offset):
        """Pad the stride of dimension `axis` so that stride % factor == offset."""
        _ffi_api.StageStorageAlign(self, axis, factor, offset)

    def double_buffer(self):
        """Double buffer the stage's storage (overlap producing the next tile with consuming this one)."""
        _ffi_api.StageDoubleBuffer(self)

    def transform_layout(self, mapping_function):
        """Store the stage's output at ``mapping_function(*indices)`` instead of ``indices``.

        A compute stage then loops over the new axes, which are returned (they can be
        split, fused, reordered...); otherwise returns None. ``AXIS_SEPARATOR`` in the
        result starts a new physical axis.
        """
        ndim = len(self.op.output(0).shape)
        try:
            index_map, separators = IndexMap.from_func_with_separators(
                mapping_function, ndim=ndim, index_dtype="int32"
            )
        except (ValueError, TypeError) as err:
            raise type(err)(f"transform_layout of stage {self.op.name}: {err}") from None
        new_axes = _ffi_api.StageTransformLayout(self, index_map.initial_indices, index_map.final_indices)
        _ffi_api.StageSetAxisSeparators(self, separators)
        return list(new_axes) or None


@register_object("IterVarAttr")
class IterVarAttr(Object):
    """Annotations of a loop."""


@register_object("Split")
class Split(Object):
    """parent = outer * factor + inner."""


@register_object("Fuse")
class Fuse(Object):
    """fused = outer * extent(inner) + inner."""


@register_object("Rebase")
class Rebase(Object):
    """parent = rebased + min(parent)."""


@register_object("Singleton")
class Singleton(Object):
    """A loop of extent 1."""


@register_object("Transform")
class Transform(Object):
    """original = inverse_transformation(transformed) (transform_layout)."""


_init_api("schedule", __name__)


# Put between the indices a transform_layout mapping returns to start a new physical axis.
AXIS_SEPARATOR = IndexMap.AXIS_SEPARATOR
