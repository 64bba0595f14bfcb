/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/cross_thread_reduction.cc
 * \brief A reduction whose reduction loops are bound to GPU threads: each
 *  thread reduces its share (over the reduction loops that are not bound)
 *  into a local temporary, the threads then combine their values with
 *  tvm_thread_allreduce, and one thread writes the result:
 *
 *   attr threadIdx.x thread_extent 32
 *     normal_reduce_temp0[0] = 0
 *     for k.outer: normal_reduce_temp0[0] += A[..., k.outer * 32 + threadIdx.x]
 *     attr [comm_reducer] "reduce_scope" 0
 *       tvm_thread_allreduce(1, normal_reduce_temp0[0], True, reduce_temp0[0], threadIdx.x)
 *     if threadIdx.x == 0: B[...] = reduce_temp0[0]
 *
 *  Lowering tvm_thread_allreduce (shuffles or shared memory) belongs to the
 *  code generator.
 */
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

#include "../schedule/message_passing.h"
#include "compute_op.h"

namespace tvm {
namespace te {

namespace {

bool UsesVars(const PrimExpr& e, const std::unordered_set<const VarNode*>& vars) {
  bool found = false;
  PostOrderVisit(e, [&](const ObjectRef& n) {
    if (const auto* v = n.as<VarNode>()) found = found || vars.count(v);
  });
  return found;
}

PrimExpr AllOf(const std::vector<PrimExpr>& conds) {
  PrimExpr out;
  for (const PrimExpr& c : conds) out = out.defined() ? logical_and(out, c) : c;
  return out.defined() ? out : const_true();
}

}  // namespace

Stmt MakeCrossThreadReduction(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                              bool debug_keep_trivial_loop) {
  Array<PrimExpr> args;
  for (const IterVar& iv : self->axis) args.push_back(iv->var);
  IterVarExprMap value_map;
  std::vector<std::vector<Stmt>> nest =
      MakeLoopNest(stage, dom_map, 0, false, {}, &value_map, debug_keep_trivial_loop);
  size_t size = self->body.size();
  const auto* reduce = self->body[0].as<ReduceNode>();
  ICHECK(reduce != nullptr);
  TVM_CHECK(reduce->init.empty(), "ValueError")
      << "stage " << StageName(stage) << ": a reduction with an init value cannot be bound to threads";

  std::vector<IterVar> normal_red;
  std::unordered_set<const VarNode*> red_vars;
  Array<PrimExpr> thread_vars;
  for (size_t i = 0; i < stage->leaf_iter_vars.size(); ++i) {
    const IterVar& iv = stage->leaf_iter_vars[i];
    if (iv->iter_type != kCommReduce) continue;
    auto attr = stage->iter_var_attrs.Get(iv);
    if (attr.has_value() && (*attr)->bind_thread.defined()) {
      thread_vars.push_back((*attr)->bind_thread->var);
      red_vars.insert((*attr)->bind_thread->var.get());
    } else {
      normal_red.push_back(iv);
    }
    red_vars.insert(iv->var.get());
  }
  std::vector<PrimExpr> preds = MakeBoundCheck(stage, dom_map, value_map, false, {});
  std::vector<PrimExpr> input_preds{reduce->condition}, output_preds;
  for (const PrimExpr& p : preds) {
    input_preds.push_back(p);
    if (!UsesVars(p, red_vars)) output_preds.push_back(p);
  }
  if (stage->store_predicate.defined()) output_preds.push_back(stage->store_predicate);

  std::vector<Buffer> results;
  for (size_t i = 0; i < size; ++i) {
    results.push_back(decl_buffer({1}, reduce->source[i].dtype(), "reduce_temp" + std::to_string(i), "local"));
  }
  Array<PrimExpr> values;
  PrimExpr allreduce_cond;
  Stmt normal_stmt;
  std::vector<Buffer> normal_results;
  if (!normal_red.empty()) {
    // Per-thread partial reduction over the loops that are not bound to threads.
    Array<PrimExpr> lhs;
    for (size_t i = 0; i < size; ++i) {
      normal_results.push_back(
          decl_buffer({1}, reduce->source[i].dtype(), "normal_reduce_temp" + std::to_string(i), "local"));
      lhs.push_back(BufferLoad(normal_results[i], {0}));
    }
    Array<PrimExpr> update = (*reduce->combiner.operator->())(lhs, reduce->source);
    std::vector<Stmt> inits, updates;
    for (size_t i = 0; i < size; ++i) {
      inits.push_back(BufferStore(normal_results[i], reduce->combiner->identity_element[i], {0}));
    }
    std::vector<Var> temps;
    for (size_t i = 0; i < size; ++i) {
      if (size == 1) {
        updates.push_back(BufferStore(normal_results[i], update[i], {0}));
      } else {
        temps.emplace_back("reduce_next" + std::to_string(i), update[i].dtype());
        updates.push_back(BufferStore(normal_results[i], temps.back(), {0}));
      }
    }
    Stmt update_stmt = SeqStmt::Flatten(updates);
    for (size_t i = temps.size(); i != 0; --i) update_stmt = LetStmt(temps[i - 1], update[i - 1], update_stmt);
    update_stmt = IfThenElse(AllOf(input_preds), update_stmt);
    // The loops of the unbound reduction axes move inside, around the update.
    std::vector<std::vector<Stmt>> reduce_loops;
    for (size_t i = 0; i < stage->leaf_iter_vars.size(); ++i) {
      for (const IterVar& iv : normal_red) {
        if (iv.same_as(stage->leaf_iter_vars[i])) {
          reduce_loops.push_back(nest[i + 1]);
          nest[i + 1].clear();
        }
      }
    }
    normal_stmt = SeqStmt::Flatten(SeqStmt::Flatten(inits), MergeNest(reduce_loops, update_stmt));
    for (size_t i = 0; i < size; ++i) values.push_back(BufferLoad(normal_results[i], {0}));
    allreduce_cond = const_true();
  } else {
    for (size_t i = 0; i < size; ++i) values.push_back(reduce->source[i]);
    allreduce_cond = AllOf(input_preds);
  }

  Array<PrimExpr> allreduce_args{make_const(DataType::UInt(32), static_cast<int64_t>(size))};
  for (const PrimExpr& v : values) allreduce_args.push_back(v);
  allreduce_args.push_back(allreduce_cond);
  for (const Buffer& b : results) allreduce_args.push_back(BufferLoad(b, {0}));
  for (const PrimExpr& v : thread_vars) allreduce_args.push_back(v);
  Stmt allreduce = Evaluate(Call(DataType::Handle(), builtin::tvm_thread_allreduce(), allreduce_args));
  allreduce = AttrStmt(reduce->combiner, tir::attr::reduce_scope, make_zero(DataType::Handle()), allreduce);

  // One thread writes the result.
  std::vector<PrimExpr> write_preds = output_preds;
  for (const PrimExpr& v : thread_vars) write_preds.push_back(equal(v, make_zero(v.dtype())));
  std::vector<Stmt> stores;
  for (size_t i = 0; i < size; ++i) {
    stores.push_back(ProducerStore(stage->op.output(i), BufferLoad(results[i], {0}), args));
  }
  Stmt write = MergeNest(MakeIfNest(write_preds), SeqStmt::Flatten(stores));

  Stmt body = SeqStmt::Flatten(normal_stmt, allreduce, write);
  for (size_t i = size; i != 0; --i) {
    body = Allocate(results[i - 1]->data, results[i - 1]->dtype, {1}, const_true(), body);
    if (!normal_results.empty()) {
      body = Allocate(normal_results[i - 1]->data, normal_results[i - 1]->dtype, {1}, const_true(), body);
    }
  }
  body = Substitute(body, value_map);
  return MergeNest(nest, body);
}

}  // namespace te
}  // namespace tvm
