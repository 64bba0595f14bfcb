/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/op_utils.h
 * \brief What the operations share when they become loops: the loop nest of
 *  a stage (MakeLoopNest), guards (MakeIfNest), nesting statements around a
 *  body (MergeNest), and rewriting tensor reads (ReplaceTensor, Substitute).
 *
 * A "nest" is a list of statement shells whose bodies are placeholders: a
 * For, LetStmt, AttrStmt, IfThenElse or AssertStmt. MergeNest puts a body
 * into the innermost shell and each shell into the one before it.
 */
#ifndef TVM_TE_OPERATION_OP_UTILS_H_
#define TVM_TE_OPERATION_OP_UTILS_H_

#include <tvm/te/schedule.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace te {

using IterVarRangeMap = std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>;
using IterVarExprMap = std::unordered_map<IterVar, PrimExpr, ObjectPtrHash, ObjectPtrEqual>;
using IterVarSet = std::unordered_set<IterVar, ObjectPtrHash, ObjectPtrEqual>;
template <typename V>
using TensorMap = std::unordered_map<Tensor, V, TensorHash, TensorEqual>;
using TensorReplaceMap = TensorMap<Tensor>;

/*!
 * \brief The loops of `stage` from leaf position begin_iter_pos inwards.
 *
 * Entry i + 1 of the result holds the shells of leaf i (entry 0 is for what
 * goes above all loops). A loop of extent 1 becomes a LetStmt (unless
 * debug_keep_trivial_loop), a thread-bound leaf an AttrStmt thread_extent
 * (or virtual_thread), and every emitted leaf is marked with an AttrStmt
 * loop_scope so that compute_at can find it.
 *
 * \param new_loop_var Use fresh variables named "<name>.init" (the
 *  initialisation nest of a reduction).
 * \param p_value_map Receives, for every iteration variable, its value in
 *  terms of the loop variables (leaves and, by PassUpIndex, the roots).
 * \throws Error naming the stage and axis when a vectorized loop does not
 *  have a constant extent.
 */
std::vector<std::vector<Stmt>> MakeLoopNest(const Stage& stage, const IterVarRangeMap& dom_map,
                                            size_t begin_iter_pos, bool new_loop_var, const IterVarSet& skip_iter,
                                            IterVarExprMap* p_value_map, bool debug_keep_trivial_loop);

/*! \brief One IfThenElse shell per predicate. */
std::vector<Stmt> MakeIfNest(const std::vector<PrimExpr>& predicates);

/*! \brief Put body inside the shells, the last one innermost. */
Stmt MergeNest(const std::vector<Stmt>& nest, Stmt body);
Stmt MergeNest(const std::vector<std::vector<Stmt>>& nest, Stmt body);

/*! \brief Reads (and writes) of tensors in `replace` go to their replacements. */
Stmt ReplaceTensor(Stmt stmt, const TensorReplaceMap& replace);
PrimExpr ReplaceTensor(PrimExpr expr, const TensorReplaceMap& replace);

/*! \brief Replace the variables of iteration variables with values. */
Stmt Substitute(Stmt stmt, const IterVarExprMap& value_map);
PrimExpr Substitute(PrimExpr expr, const IterVarExprMap& value_map);

/*! \brief The loop kind an iteration type asks for. */
ForKind IterVarTypeToForKind(IterVarType iter_type);

/*! \brief The tensors read by `exprs`, each once, in the order first read. */
Array<Tensor> CollectInputTensors(const Array<PrimExpr>& exprs);

/*! \brief Whether two reductions differ only in value_index (the outputs of one tuple reduction). */
bool ReduceEqual(const ReduceNode* a, const ReduceNode* b);

/*!
 * \brief Inline operation `op` (out[args] = body) into stmt: every read of
 *  op's output becomes body with args replaced by the read's indices.
 */
Stmt Inline(Stmt stmt, Operation op, Array<Var> args, PrimExpr body);

/*! \brief A short description of an iteration variable for error messages: its name. */
std::string AxisName(const IterVar& iv);
/*! \brief The name of a stage for error messages. */
std::string StageName(const Stage& stage);

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_OPERATION_OP_UTILS_H_
