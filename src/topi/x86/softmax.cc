/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/softmax.cc
 * \brief The x86 softmax and its schedule (tvm/topi/x86/softmax.h), and their Python
 *  bindings topi.x86.softmax / schedule_softmax / softmax_supports, which
 *  tvm.topi.x86.softmax / schedule_softmax / supports call.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <tvm/topi/elemwise.h>
#include <tvm/topi/generic/injective.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/injective.h>
#include <tvm/topi/x86/softmax.h>
#include <tvm/topi/x86/utils.h>

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "schedule_common.h"

#include "../conv2d_nchwc_common.h"

namespace tvm {
namespace topi {
namespace x86 {

namespace {

using te::Operation;
using te::Tensor;
using tir::IterVar;
using tir::Var;

constexpr const char* kSoftmaxTag = "softmax_output";
constexpr const char* kLanesAttr = "softmax_lanes";

Array<PrimExpr> Head(const Array<PrimExpr>& a) { return Array<PrimExpr>(a.begin(), a.end() - 1); }

int64_t LanesDividing(int64_t n, DataType dtype, const Target& target) {
  int64_t lanes = dtype == DataType::Float(32) ? GetSimd32BitLanes(target) : 1;
  while (lanes > 1 && n % lanes != 0) lanes /= 2;
  return std::max<int64_t>(lanes, 1);
}

Operation FindSoftmax(const Array<Tensor>& outs) {
  std::vector<Operation> stack;
  for (const Tensor& t : outs) stack.push_back(t.op());
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    if (!seen.insert(op.get()).second) continue;
    if (const auto* c = op.as<te::ComputeOpNode>()) {
      if (c->tag == kSoftmaxTag && c->attrs.count(kLanesAttr)) return op;
    }
    for (const Tensor& t : op->InputTensors()) stack.push_back(t.op());
  }
  return Operation();
}

void VectorizeLast(te::Schedule s, const Operation& op, int64_t lanes) {
  if (lanes <= 1) return;
  const auto* c = op.as<te::ComputeOpNode>();
  IterVar outer, inner;
  s[op].split(c->axis[c->axis.size() - 1], static_cast<int>(lanes), &outer, &inner);
  s[op].vectorize(inner);
}

}  // namespace

bool softmax_supports(const Array<PrimExpr>& shape, int axis, DataType dtype) {
  if (dtype != DataType::Float(32) || shape.empty()) return false;
  return axis == -1 || axis == static_cast<int>(shape.size()) - 1;
}

namespace {

/*!
 * \brief The stages of the module docstring over `shape` with L = `lanes` accumulators and
 *  `blocks` blocks per row. `guarded` (a symbolic last extent n): the blocks are ceil(n / L) and
 *  each lane's reduction is guarded by likely(b*L + l < n) (lanes past n keep the reduction's
 *  identity); LoopPartition then runs the n / L whole blocks unguarded, in vectors, and peels
 *  the last block into a guarded scalar tail.
 */
Tensor SoftmaxStages(const Tensor& x, const Array<PrimExpr>& shape, int64_t lanes, const PrimExpr& blocks,
                     bool guarded) {
  PrimExpr n = shape[shape.size() - 1];
  // L in the type the last axis is indexed in (int64 for a relay.Any() extent).
  PrimExpr L = guarded ? make_const(n.dtype(), lanes) : PrimExpr(static_cast<int>(lanes));
  Array<PrimExpr> rows = Head(shape);
  Array<PrimExpr> rows_lanes = rows;
  rows_lanes.push_back(PrimExpr(static_cast<int>(lanes)));
  auto blocked = [&](const Tensor& t, const IterVar& blk, const Array<PrimExpr>& i) {
    Array<PrimExpr> idx = Head(i);
    idx.push_back(blk->var * L + cast(L.dtype(), i[i.size() - 1]));
    return t(idx);
  };
  auto inside = [&](const IterVar& blk, const Array<PrimExpr>& i) {
    return guarded ? tvm::likely(blk->var * L + cast(L.dtype(), i[i.size() - 1]) < n) : PrimExpr();
  };
  auto across_lanes = [&](const Tensor& partial, const char* axis_name, bool is_max, const char* name) {
    IterVar l = nchwc::ReduceAxis(PrimExpr(static_cast<int>(lanes)), axis_name);
    return nchwc::PyCompute(
        rows,
        [&](const Array<PrimExpr>& r) {
          Array<PrimExpr> idx = r;
          idx.push_back(l->var);
          return is_max ? te::max(partial(idx), {l}) : te::sum(partial(idx), {l});
        },
        name);
  };
  IterVar b = nchwc::ReduceAxis(blocks, "b");
  Tensor partial_max = nchwc::PyCompute(
      rows_lanes, [&](const Array<PrimExpr>& i) { return te::max(blocked(x, b, i), {b}, inside(b, i)); },
      "softmax_partial_max");
  Tensor row_max = across_lanes(partial_max, "lm", true, "softmax_max");
  Tensor shifted = nchwc::PyCompute(
      shape, [&](const Array<PrimExpr>& i) { return x(i) - row_max(Head(i)); }, "softmax_shifted", kElementWise);
  Tensor e = fast_exp(shifted);
  IterVar b2 = nchwc::ReduceAxis(blocks, "b2");
  Tensor partial_sum = nchwc::PyCompute(
      rows_lanes, [&](const Array<PrimExpr>& i) { return te::sum(blocked(e, b2, i), {b2}, inside(b2, i)); },
      "softmax_partial_sum");
  Tensor row_sum = across_lanes(partial_sum, "ls", false, "softmax_sum");
  Map<String, ObjectRef> attrs{{kLanesAttr, Integer(static_cast<int>(lanes))}};
  return nchwc::PyCompute(
      shape,
      [&](const Array<PrimExpr>& i) { return e(i) * (make_const(x->dtype, 1.0) / row_sum(Head(i))); },
      "T_softmax_norm", kSoftmaxTag, attrs);
}

}  // namespace

Tensor softmax(const Tensor& x, int axis, const Target& target_in) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  TVM_CHECK(softmax_supports(x->shape, axis, x->dtype), "ValueError")
      << "topi.x86.softmax: needs a float32 tensor and the last axis; got shape " << x->shape << ", dtype "
      << x->dtype << ", axis " << axis;
  PrimExpr last = x->shape[x->shape.size() - 1];
  if (!ConstExtent(last)) {
    int64_t lanes = GetSimd32BitLanes(target);
    return SoftmaxStages(x, x->shape, lanes, indexdiv(last + make_const(last.dtype(), lanes - 1),
                                                      make_const(last.dtype(), lanes)), true);
  }
  Array<PrimExpr> shape;
  for (const PrimExpr& d : x->shape) shape.push_back(ConstExtent(d) ? PrimExpr(*ConstExtent(d)) : d);
  int64_t n = *ConstExtent(last);
  int64_t lanes = LanesDividing(n, x->dtype, target);
  return SoftmaxStages(x, shape, lanes, PrimExpr(static_cast<int>(n / lanes)), false);
}

te::Schedule schedule_softmax(const Target& target_in, const Array<Tensor>& outs) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  Operation norm = FindSoftmax(outs);
  if (!norm.defined() || outs.size() != 1 || !ElementwiseFrom(outs[0].op(), norm, &norm.output(0)->shape)) {
    return generic::schedule_reduce(target, outs);
  }
  Operation out = outs[0].op();
  te::Schedule s = te::create_schedule({out});
  int64_t lanes = Downcast<Integer>(norm.as<te::ComputeOpNode>()->attrs[kLanesAttr])->value;
  // The softmax's stages, found from the output by name (the first of each name, depth first).
  std::vector<std::pair<std::string, Operation>> stages;
  std::vector<Operation> seen_ops;
  std::vector<Operation> stack{out};
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    const auto* c = op.as<te::ComputeOpNode>();
    if (c == nullptr || !seen.insert(op.get()).second) continue;
    seen_ops.push_back(op);
    bool named = false;
    for (const auto& kv : stages) named = named || kv.first == c->name;
    if (!named) stages.emplace_back(c->name, op);
    for (const Tensor& t : c->InputTensors()) stack.push_back(t.op());
  }
  auto stage_named = [&](const std::string& name) {
    for (const auto& kv : stages) {
      if (kv.first == name) return kv.second;
    }
    TVM_CHECK(false, "ValueError") << "schedule_softmax: no stage " << name;
    return Operation();
  };
  Operation e;
  for (const auto& kv : stages) {
    Array<Tensor> inputs = kv.second->InputTensors();
    if (!inputs.empty() && inputs[0].op()->name == "softmax_shifted") {
      e = kv.second;
      break;
    }
  }
  ICHECK(e.defined()) << "schedule_softmax: no exp stage";
  // Everything injective but the exp (the row buffer) is computed where it is used: the shift
  // inside the exp, the normalisation and what follows it in the output's loop.
  for (const Operation& op : seen_ops) {
    const auto* c = op.as<te::ComputeOpNode>();
    if (op.same_as(out) || op.same_as(e) || !c->reduce_axis.empty()) continue;
    if (op.same_as(norm) || is_injective(c->tag)) s[op].compute_inline();
  }
  const auto* out_op = out.as<te::ComputeOpNode>();
  Array<IterVar> row_axes(out_op->axis.begin(), out_op->axis.end() - 1);
  IterVar row;
  if (!row_axes.empty()) {
    row = row_axes[0];
    if (row_axes.size() > 1) s[out].fuse(row_axes, &row);
    s[out].parallel(row);
  }
  VectorizeLast(s, out, lanes);
  for (const char* name : {"softmax_partial_max", "softmax_max", "softmax_partial_sum", "softmax_sum"}) {
    Operation op = stage_named(name);
    te::Stage stage = s[op];
    if (row.defined()) stage.compute_at(s[out], row);
    if (std::string(name).rfind("softmax_partial", 0) == 0) {
      // The L accumulators in one vector register, the blocks of the row the loop around it.
      const auto* c = op.as<te::ComputeOpNode>();
      IterVar blk = c->reduce_axis[0];
      IterVar lane = c->axis[c->axis.size() - 1];
      stage.reorder({blk, lane});
      stage.vectorize(lane);
    }
    stage.set_scope("local");
  }
  if (row.defined()) s[e].compute_at(s[out], row);
  s[e].set_scope("local");
  VectorizeLast(s, e, lanes);
  return s;
}

TVM_REGISTER_GLOBAL("topi.x86.softmax_supports").set_body_typed([](Array<PrimExpr> shape, int axis, DataType dtype) {
  return softmax_supports(shape, axis, dtype);
});
TVM_REGISTER_GLOBAL("topi.x86.softmax").set_body_typed([](Tensor x, int axis, std::optional<Target> target) {
  return softmax(x, axis, target.value_or(Target()));
});
TVM_REGISTER_GLOBAL("topi.x86.schedule_softmax").set_body_typed([](std::optional<Target> target, ObjectRef outs) {
  Array<Tensor> tensors;
  if (const auto* t = outs.as<te::TensorNode>()) {
    tensors.push_back(GetRef<Tensor>(t));
  } else {
    tensors = Downcast<Array<Tensor>>(outs);
  }
  return schedule_softmax(target.value_or(Target()), tensors);
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
