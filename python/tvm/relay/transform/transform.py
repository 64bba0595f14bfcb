# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay passes. Pass, Sequential and PassContext are tvm.transform's, re-exported
here as TVM does."""
import functools
import inspect

from ...ir.transform import PassContext, PassInfo, Pass, ModulePass, Sequential, module_pass  # noqa: F401
from . import _ffi_api


def InferType():
    """The type inference pass: fills checked_type of every expression of every Relay
    function of the module. Raises tvm.error.DiagnosticError listing every type error
    found (operator, argument types, span).
    """
    return _ffi_api.InferType()


def InferTypeLocal(expr):
    """Infer the type of one expression outside a module; sets checked_type on it and
    its subexpressions and returns its type."""
    return _ffi_api.InferTypeLocal(expr)


def FuseOps(fuse_opt_level=-1):
    """Operator fusion: each group of calls that fuses (by the operators' patterns,
    TOpPattern, over the post-dominator tree) becomes a function with attribute
    Primitive=1, called where the group's result was used.

    Parameters
    ----------
    fuse_opt_level : int
        0 puts every operator alone in its own primitive function; -1 (the default)
        uses the current PassContext's opt_level.

    The PassContext config "relay.FuseOps.max_depth" (default 256) bounds the
    number of nodes in a group; "relay.FuseOps.link_params" keeps non-scalar
    constants inside the fused functions instead of passing them as arguments.
    """
    return _ffi_api.FuseOps(fuse_opt_level)


def DefuseOps():
    """The inverse of FuseOps: every call of a function literal (a fused group) is
    replaced by the function's body with the call's arguments for its parameters,
    so that DefuseOps(FuseOps(f)) equals f."""
    return _ffi_api.DefuseOps()


def SimplifyInference():
    """Rewrite the inference-time forms of the normalisation operators as arithmetic:
    batch_norm's first output, layer_norm, group_norm, instance_norm and l2_normalize
    become elementwise and reduction operators; dropout's first output becomes its input.
    """
    return _ffi_api.SimplifyInference()


def FoldConstant(fold_qnn=False):
    """Replace every operator call whose inputs are all constants by its value (a
    relay.Constant, or a tuple of them). shape_of/ndarray_size of a tensor of static
    shape fold too; qnn.* operators only with fold_qnn=True."""
    return _ffi_api.FoldConstant(fold_qnn)


def DynamicToStatic():
    """Turn each dyn.* call whose shape arguments are constants (after FoldConstant, which
    also folds shape_of of static tensors) into the static operator, repeating until none
    changes (opt_level 2). The function is also constant-folded."""
    return _ffi_api.DynamicToStatic()


def AlterOpLayout():
    """Replace each call whose operator registered an FTVMAlterOpLayout function by what that
    function returns for the target in scope (on x86: nn.dense with a constant weight becomes
    nn.contrib_dense_pack of the weight packed into panels; a float32 NCHW nn.conv2d with a
    constant weight reads it pre-packed in OIHW[i]i[o]o blocks; FoldConstant then packs the
    weights once). The replacement must keep the call's type (checked; the error names the
    operator). Runs at opt_level 3."""
    return _ffi_api.AlterOpLayout()


def ConvertLayout(desired_layouts):
    """Convert the operators named in `desired_layouts` to the layouts given there, e.g.
    {"nn.conv2d": ["NCHW", "default"]} ("default": the usual kernel layout for that data layout).
    Each named operator must register a conversion (register_convert_op_layout; convolutions do).
    The new layouts propagate through elementwise and broadcast operators, bias_add, pooling,
    concatenate and pad, and layout_transform is inserted only where the original layout is
    needed again. Runs at opt_level 3; run InferType first."""
    desired = {}
    for name, layouts in desired_layouts.items():
        if isinstance(layouts, str):
            raise TypeError(f"ConvertLayout: the layouts of {name} must be a list, e.g. ['NCHW', 'default'], "
                            f"got {layouts!r}")
        desired[str(name)] = [str(layout) for layout in layouts]
    return _ffi_api.ConvertLayout(desired)


def BackwardFoldScaleAxis():
    """Fold a per-channel scale that follows conv2d/conv3d/dense into the weights' output-channel
    axis (through relu, bias add, and adds of two such paths). Best followed by FoldConstant."""
    return _ffi_api.BackwardFoldScaleAxis()


def ForwardFoldScaleAxis():
    """Fold a per-channel scale that precedes conv2d/conv3d/dense into the weights' input-channel
    axis (through relu and bias add). Best followed by FoldConstant."""
    return _ffi_api.ForwardFoldScaleAxis()


def FoldScaleAxis():
    """BackwardFoldScaleAxis, ForwardFoldScaleAxis, then FoldConstant (opt_level 3)."""
    return _ffi_api.FoldScaleAxis()


def CombineParallelConv2D(min_num_branches=3):
    """Combine at least min_num_branches parallel conv2d calls on one input (and the
    elementwise/broadcast calls after them) into one conv2d; each branch reads its slice."""
    return _ffi_api.CombineParallelConv2D(min_num_branches)


def CombineParallelDense(min_num_branches=3, to_batch=True):
    """Combine at least min_num_branches parallel dense calls on one input: into one batch_matmul
    of the stacked operands (to_batch, equal weight shapes), or one dense of the concatenated
    weights (to_batch=False, any units). The elementwise/broadcast calls after them follow."""
    return _ffi_api.CombineParallelDense(min_num_branches, to_batch)


def CombineParallelBatchMatmul(min_num_branches=3):
    """Combine at least min_num_branches parallel batch_matmul calls on one input into one,
    the weights concatenated on their N axis."""
    return _ffi_api.CombineParallelBatchMatmul(min_num_branches)


def CombineParallelOpBatch(op_name, batch_op_name, min_num_branches=3):
    """Combine at least min_num_branches parallel calls of op_name on one input into one call of
    batch_op_name on the stacked arguments."""
    return _ffi_api.CombineParallelOpBatch(op_name, batch_op_name, min_num_branches)


def FoldConstantExpr(expr, mod, fold_qnn=False):
    """FoldConstant on one expression (mod supplies type definitions)."""
    return _ffi_api.FoldConstantExpr(expr, mod, fold_qnn)


def DeadCodeElimination(inline_once=False, ignore_impurity=False):
    """Remove let-bindings of pure values that are never used; with inline_once, also
    substitute each binding used exactly once at its use. Values with side effects
    (references, stateful operators, calls that may have them) stay unless
    ignore_impurity."""
    return _ffi_api.DeadCodeElimination(inline_once, ignore_impurity)


def EliminateCommonSubexpr(fskip=None):
    """Merge identical operator calls (same operator, structurally equal attributes,
    the same arguments) and identical tuple projections. fskip(expr) -> bool keeps the
    expressions it accepts apart."""
    return _ffi_api.EliminateCommonSubexpr(fskip)


def SimplifyExpr():
    """Local rewrites that remove work, repeated until nothing changes: consecutive
    reshapes, transposes and casts merge; identity transposes, casts, x+0, x*1, x-0, x/1
    go; *_like operators with static shapes become their concrete forms; full/ones/zeros
    operands of broadcast operators become scalars; x+x -> x*2; a/sqrt(b) -> a*rsqrt(b);
    (x+c1)*c2 and (x*c1)*c2 regroup their constants."""
    return _ffi_api.SimplifyExpr()


def SinkReshape():
    """Move elementwise operators (bias_add, activations, a residual add) above the reshape
    before them, so that they fuse into the reshape's producer, e.g. a dense's epilogue."""
    return _ffi_api.SinkReshape()


def CanonicalizeOps():
    """Write nn.bias_add as add with the bias expanded to broadcast along its axis."""
    return _ffi_api.CanonicalizeOps()


class LayoutConfig:
    """ConvertLayout options for the nn.conv2d calls it meets, in the order it meets them:
    skip_layers lists the indices of those to leave in their layouts.

        with relay.transform.LayoutConfig(skip_layers=[0]):
            mod = relay.transform.ConvertLayout({"nn.conv2d": ["NCHW", "default"]})(mod)
    """

    current = None

    def __init__(self, skip_layers=None):
        self.skip_layers = [int(i) for i in (skip_layers or [])]
        self.skip_counter = 0

    def check_skip(self):
        """Count one more nn.conv2d; whether it is one to leave alone."""
        skip = self.skip_counter in self.skip_layers
        self.skip_counter += 1
        return skip

    def reset(self):
        """Count the nn.conv2d calls from the first again."""
        self.skip_counter = 0

    def __enter__(self):
        self._previous = LayoutConfig.current
        LayoutConfig.current = self
        return self

    def __exit__(self, *exc):
        LayoutConfig.current = self._previous


def CanonicalizeCast():
    """Repeat an upcast (cast to a wider type) for each elementwise or broadcast operator that
    reads it after the first, so that each copy fuses into its reader rather than the one cast
    into its producer."""
    return _ffi_api.CanonicalizeCast()


def ToGraphNormalForm():
    """Replace let-bindings by shared graph nodes (a recursive function keeps its binding)."""
    return _ffi_api.ToGraphNormalForm()


def ToANormalForm():
    """Let-bind every intermediate value (all but variables, operators and constructors),
    in post order, in the innermost scope (function body, if branch, match clause) that
    holds all its uses."""
    return _ffi_api.ToANormalForm()


def ToANormalFormExpr(e):
    """ToANormalForm on one expression."""
    return _ffi_api.ToANormalFormExpr(e)


def _evaluate_constants(func, mod):  # pylint: disable=unused-argument
    """The values of a closed Relay function without parameters whose body is a tuple:
    one entry per field, an NDArray or (for a tuple) a list. FoldConstant's evaluator is
    C++ (src/relay/backend/constant_evaluator.cc); registering a function under
    "relay.transform._evaluate_constants" replaces it (tests count the evaluations so)."""
    from ..._ffi.registry import get_global_func  # pylint: disable=import-outside-toplevel

    return get_global_func("relay.backend.EvaluateConstants")(func)


def AnnotateSpans():
    """A pass giving every expression a span: the module is printed in the Relay text
    format and parsed back, so that errors point at a line and column of that text."""

    def annotate(mod, ctx):  # pylint: disable=unused-argument
        from ... import parser  # pylint: disable=import-outside-toplevel

        return parser.parse(mod.astext(show_meta_data=True), "GeneratedSource")

    return module_pass(annotate, opt_level=0, name="AnnotateSpans")


# A function pass is a module pass (made in C++, relay._transform.MakeFunctionPass) that
# rewrites each Relay function of the module in turn, skipping fused (Primitive) functions
# and other compilers' functions, then type-checks the result as TVM does.
FunctionPass = ModulePass


def _make_function_pass(transform_function, info):
    return _ffi_api.MakeFunctionPass(transform_function, info)


def function_pass(pass_func=None, opt_level=None, name=None, required=None, traceable=False):
    """Make a pass that rewrites each Relay function of a module: pass_func(func, mod, ctx)
    -> func, or a class with transform_function(self, func, mod, ctx). Usable as a decorator:

        @relay.transform.function_pass(opt_level=1)
        def my_pass(func, mod, ctx): ...
    """
    if opt_level is None:
        raise ValueError("function_pass needs an opt_level")
    required = list(required or [])

    def create(func):
        fname = name if name else func.__name__
        info = PassInfo(opt_level, fname, required, traceable)
        if inspect.isclass(func):

            class PyFunctionPass(ModulePass):
                def __init__(self, *args, **kwargs):
                    inst = func(*args, **kwargs)
                    self.__init_handle_by_constructor__(_make_function_pass, inst.transform_function, info)
                    self._inst = inst

                def __getattr__(self, attr):
                    return getattr(self._inst, attr)

            functools.update_wrapper(PyFunctionPass.__init__, func.__init__)
            PyFunctionPass.__name__ = func.__name__
            PyFunctionPass.__doc__ = func.__doc__
            return PyFunctionPass
        if not callable(func):
            raise TypeError("function_pass decorates a function or a class")
        return _make_function_pass(func, info)

    return create(pass_func) if pass_func is not None else create


__all__ = ["InferType", "InferTypeLocal", "SimplifyInference", "FoldConstant", "FoldConstantExpr", "AlterOpLayout",
           "ConvertLayout",
           "DeadCodeElimination", "EliminateCommonSubexpr", "SimplifyExpr", "SinkReshape", "CanonicalizeOps",
           "CanonicalizeCast", "LayoutConfig",
           "ToGraphNormalForm", "ToANormalForm", "ToANormalFormExpr", "FuseOps", "DefuseOps",
           "AnnotateSpans", "BackwardFoldScaleAxis", "ForwardFoldScaleAxis", "FoldScaleAxis",
           "CombineParallelConv2D", "CombineParallelDense", "CombineParallelBatchMatmul", "CombineParallelOpBatch",
           "PassContext", "PassInfo", "Pass", "ModulePass", "Sequential",
           "module_pass", "function_pass", "FunctionPass"]
__all__ += ["DynamicToStatic"]
