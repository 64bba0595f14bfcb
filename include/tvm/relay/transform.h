/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/transform.h
 * \brief Relay's passes over an IRModule (one pass a file in src/relay/transforms).
 *
 *   IRModule mod = ...;
 *   mod = relay::transform::InferType()(mod);   // every expression gets checked_type()
 */
#ifndef TVM_RELAY_TRANSFORM_H_
#define TVM_RELAY_TRANSFORM_H_

#include <tvm/ir/module.h>
#include <tvm/ir/transform.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>

namespace tvm {
namespace relay {
namespace transform {

using tvm::transform::Pass;
using tvm::transform::PassContext;

/*!
 * \brief Type inference of every Relay function of the module, together (global
 *  functions may call each other and themselves). Fills checked_type() on every
 *  expression and type_args on calls. All type errors found are raised at once, as
 *  one DiagnosticError naming each operator, its arguments' types and the span.
 */
TVM_DLL Pass InferType();

/*! \brief batch_norm / layer_norm / group_norm / instance_norm / l2_normalize / dropout as inference arithmetic. */
TVM_DLL Pass SimplifyInference();

/*! \brief Replace every operator call whose inputs are all constants by its value (qnn.* ops only with fold_qnn). */
TVM_DLL Pass FoldConstant(bool fold_qnn = false);
/*! \brief dyn.* calls whose shape arguments fold to constants become the static operators (opt_level 2). */
TVM_DLL Pass DynamicToStatic();
/*! \brief Replace calls by what their operators' FTVMAlterOpLayout functions return (opt_level 3). */
TVM_DLL Pass AlterOpLayout();
/*!
 * \brief Give the operators named in `desired_layouts` the layouts listed there ({"nn.conv2d":
 *  ["NCHW", "default"]}) through their FTVMConvertOpLayout functions; the new layouts propagate
 *  like AlterOpLayout's and are transformed back only where needed (opt_level 3).
 */
TVM_DLL Pass ConvertLayout(const Map<String, Array<String>>& desired_layouts);

/*!
 * \brief Drop let-bindings of pure values that are never used (and, with inline_once,
 *  substitute those used once); ignore_impurity treats every value as pure.
 */
TVM_DLL Pass DeadCodeElimination(bool inline_once = false, bool ignore_impurity = false);

/*!
 * \brief Merge calls of the same operator with equal attributes and the same arguments
 *  (and projections of the same tuple); `fskip(expr) -> bool` (may be null) keeps some apart.
 */
TVM_DLL Pass EliminateCommonSubexpr(runtime::PackedFunc fskip = runtime::PackedFunc());

/*! \brief Local rewrites that remove work (reshape/transpose/cast chains, identities, *_like), to a fixed point. */
TVM_DLL Pass SimplifyExpr();

/*! \brief nn.bias_add as expand_dims + add. */
TVM_DLL Pass CanonicalizeOps();

/*! \brief An upcast read by several elementwise/broadcast operators: one copy per reader, to fuse into each. */
TVM_DLL Pass CanonicalizeCast();

/*! \brief Let-bound values become shared graph nodes (recursive functions keep their binding). */
TVM_DLL Pass ToGraphNormalForm();

/*! \brief Every intermediate value let-bound, in the innermost scope holding its uses. */
TVM_DLL Pass ToANormalForm();

/*!
 * \brief A pass that rewrites each Relay function of a module with
 *  `pass_func(func, mod, ctx)`. Functions marked Primitive (already fused),
 *  Compiler, Extern or SkipOptimization are left alone. The input module is not
 *  changed; the result is type-checked again (InferType) before it is returned.
 */
TVM_DLL Pass CreateFunctionPass(const runtime::TypedPackedFunc<Function(Function, IRModule, PassContext)>& pass_func,
                                int opt_level, String name, Array<String> required = {});

/*!
 * \brief Operator fusion: each group of calls that fuses (by the ops' TOpPattern
 *  and the post-dominator tree) becomes a Primitive=1 function called in place.
 *  PassContext config: relay.FuseOps.max_depth (nodes per group, default 256),
 *  relay.FuseOps.link_params (keep non-scalar constants inside).
 * \param fuse_opt_level 0: every op alone; -1: the PassContext's opt_level.
 */
TVM_DLL Pass FuseOps(int fuse_opt_level = -1);

/*! \brief The inverse of FuseOps: calls of function literals are replaced by their bodies. */
TVM_DLL Pass DefuseOps();

/*! \brief A per-channel scale after conv2d/conv3d/dense moves into the weights (opt_level 3). */
TVM_DLL Pass BackwardFoldScaleAxis();
/*! \brief A per-channel scale before conv2d/conv3d/dense moves into the weights (opt_level 3). */
TVM_DLL Pass ForwardFoldScaleAxis();
/*! \brief BackwardFoldScaleAxis, ForwardFoldScaleAxis, then FoldConstant. */
TVM_DLL Pass FoldScaleAxis();

/*! \brief Elementwise operators after a reshape move before it, next to what they follow (opt_level 1). */
TVM_DLL Pass SinkReshape();

/*! \brief Parallel conv2d calls on one input become one conv2d (opt_level 4). */
TVM_DLL Pass CombineParallelConv2D(uint64_t min_num_branches = 3);
/*! \brief Parallel dense calls on one input become one batch_matmul (to_batch) or one dense (opt_level 4). */
TVM_DLL Pass CombineParallelDense(uint64_t min_num_branches = 3, bool to_batch = true);
/*! \brief Parallel batch_matmul calls on one input become one batch_matmul (opt_level 4). */
TVM_DLL Pass CombineParallelBatchMatmul(uint64_t min_num_branches = 3);
/*! \brief Parallel calls of `op_name` become one call of `batch_op_name` on stacked inputs (opt_level 4). */
TVM_DLL Pass CombineParallelOpBatch(const String& op_name, const String& batch_op_name, uint64_t min_num_branches = 3);

}  // namespace transform

/*! \brief SimplifyInference on one expression (its types must be inferred). */
TVM_DLL Expr SimplifyInference(const Expr& expr);

/*! \brief ToANormalForm on one expression (a function keeps its parameters). */
TVM_DLL Expr ToANormalFormExpr(const Expr& expr);

/*! \brief FoldConstant on one expression; `mod` supplies type definitions (may be undefined). */
TVM_DLL Expr FoldConstantExpr(const Expr& expr, const IRModule& mod, bool fold_qnn = false);

/*!
 * \brief Type inference of one expression outside any module (no global calls):
 *  fills checked_type() of it and its subexpressions and returns its type.
 */
TVM_DLL Type InferTypeLocal(const Expr& expr);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_TRANSFORM_H_
