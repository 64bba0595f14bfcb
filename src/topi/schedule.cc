/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/schedule.cc
 * \brief Generic schedules (tvm/topi/generic/injective.h) and their Python
 *  bindings (topi.generic.schedule_injective, ...).
 *
 * CPU: the output's axes are fused into one loop; when its extent is known and
 * divisible by the vector width it is split, the inner piece vectorised; the
 * outer loop is parallel when the work is large enough to pay for the thread
 * pool. GPU (targets with the "gpu" key): the fused loop is split by the
 * thread count and bound to blockIdx.x / threadIdx.x.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/topi/generic/injective.h>
#include <tvm/topi/tags.h>

#include <unordered_set>

namespace tvm {
namespace topi {
namespace generic {

using te::Schedule;
using te::Stage;
using te::Tensor;
using tir::IterVar;
using te::Operation;

namespace {

// Below this many elements a parallel loop costs more than it saves.
constexpr int64_t kParallelThreshold = 4096;

Target CurrentOr(const Target& target) {
  if (target.defined()) return target;
  return Target::Current(true);
}

bool IsGPU(const Target& target) { return target.defined() && target->HasKey("gpu"); }

int GPUThreads(const Target& target) {
  auto n = target->GetAttr<Integer>("max_num_threads");
  int64_t v = n ? (*n)->value : 256;
  return static_cast<int>(std::min<int64_t>(v, 256));
}

Array<Operation> OpsOf(const Array<Tensor>& outs) {
  Array<Operation> ops;
  for (const Tensor& t : outs) ops.push_back(t.op());
  return ops;
}

// The vector width the CPU schedules use: 256 bits of the element type, at most 16 lanes.
int VectorLanes(DataType t) { return t.bits() >= 8 ? std::min(16, 256 / t.bits()) : 1; }

// CPU, an elementwise-shaped stage with a symbolic (relay.Any()) extent: the loops keep a
// vector body. When the trailing static axes hold whole vectors they are fused and split into
// vectors (the leading axes and the vector count form the parallel loop); when the innermost
// axis is symbolic it is split by the vector width (its guarded tail is peeled off by
// LoopPartition), vectorised, and the other axes form the parallel loop. False: not such a
// stage, or no vector layout fits (the caller fuses and parallelises as for static extents).
bool ScheduleSymbolicSpatial(Stage stage, const te::ComputeOpNode* op) {
  const Array<IterVar>& axes = op->axis;
  size_t first_static = axes.size();  // the trailing axes [first_static, n) are static
  int64_t static_product = 1;
  while (first_static > 0) {
    auto e = tvm::as_const_int(axes[first_static - 1]->dom->extent);
    if (!e) break;
    static_product *= *e;
    --first_static;
  }
  if (first_static == 0) return false;  // all static: the ordinary path
  DataType t = op->body[0].dtype();
  int lanes = VectorLanes(t);
  if (!op->reduce_axis.empty() || lanes <= 1 || t.is_bool() || op->body.size() != 1) {
    if (axes.size() > 1) {
      IterVar fused;
      stage.fuse(axes, &fused);
      stage.parallel(fused);
    } else {
      stage.parallel(axes[0]);
    }
    return true;
  }
  Array<IterVar> leading(axes.begin(), axes.begin() + first_static);
  if (first_static < axes.size()) {
    if (static_product < lanes || static_product % lanes != 0) return false;
    IterVar inner = axes[first_static];
    if (first_static + 1 < axes.size()) {
      stage.fuse(Array<IterVar>(axes.begin() + first_static, axes.end()), &inner);
    }
    IterVar vec_outer, vec;
    stage.split(inner, lanes, &vec_outer, &vec);
    leading.push_back(vec_outer);
    IterVar outer;
    stage.fuse(leading, &outer);
    stage.vectorize(vec);
    stage.parallel(outer);
    return true;
  }
  // The innermost axis is symbolic: vectors along it, a tail per row. Not when it is provably
  // shorter than a vector (min(n, 7) of a clamped slice): the split would leave an inner loop
  // of that symbolic extent, which cannot be vectorised.
  IterVar last = axes[axes.size() - 1];
  arith::Analyzer analyzer;
  if (analyzer.CanProve(last->dom->extent < make_const(last->dom->extent.dtype(), lanes))) return false;
  IterVar vec_outer, vec;
  stage.split(last, lanes, &vec_outer, &vec);
  stage.vectorize(vec);
  leading.pop_back();
  if (leading.empty()) {
    stage.parallel(vec_outer);
  } else {
    IterVar outer = leading[0];
    if (leading.size() > 1) stage.fuse(leading, &outer);
    stage.parallel(outer);
  }
  return true;
}

// Fuse the data-parallel axes of a compute stage into one loop, then parallelise /
// vectorise (CPU) or bind (GPU) it. Reduction axes, if any, stay inside.
void ScheduleSpatial(Stage stage, const Target& target) {
  const auto* op = stage->op.as<te::ComputeOpNode>();
  if (op == nullptr || op->axis.empty()) return;
  // An empty output has no loop to run; fusing would divide indices by its zero extent.
  for (const IterVar& iv : op->axis) {
    if (tvm::is_zero(iv->dom->extent)) return;
  }
  if (!IsGPU(target) && ScheduleSymbolicSpatial(stage, op)) return;
  IterVar fused;
  stage.fuse(op->axis, &fused);
  std::optional<int64_t> extent = 1;
  for (const IterVar& iv : op->axis) {
    auto e = tvm::as_const_int(iv->dom->extent);
    if (!e || !extent) {
      extent = std::nullopt;
    } else {
      *extent *= *e;
    }
  }
  if (IsGPU(target)) {
    int threads = GPUThreads(target);
    IterVar bx, tx;
    stage.split(fused, threads, &bx, &tx);
    stage.bind(bx, te::thread_axis(Range(), "blockIdx.x"));
    stage.bind(tx, te::thread_axis(Range(), "threadIdx.x"));
    return;
  }
  bool parallel = !extent || *extent >= kParallelThreshold;
  DataType t = op->body[0].dtype();
  // Vector width: 256 bits of the element type, at most 16 lanes; only for
  // elementwise-shaped stages (no reduction inside the loop).
  int lanes = VectorLanes(t);
  bool vectorize = op->reduce_axis.empty() && lanes > 1 && extent && *extent >= lanes && *extent % lanes == 0 &&
                   !t.is_bool() && op->body.size() == 1;
  if (vectorize) {
    IterVar outer, inner;
    stage.split(fused, lanes, &outer, &inner);
    stage.vectorize(inner);
    if (parallel) stage.parallel(outer);
  } else if (parallel) {
    stage.parallel(fused);
  }
}

// Inline injective, non-output compute stages, except those an extern or scan
// operation reads: those read whole buffers and need the producer materialised.
void InlineInjective(Schedule sch) {
  std::unordered_set<const Object*> read_opaquely;
  for (const Stage& stage : sch->stages) {
    if (stage->op.as<te::ComputeOpNode>() != nullptr) continue;
    for (const Tensor& t : stage->op->InputTensors()) read_opaquely.insert(t.op().get());
  }
  for (Stage stage : sch->stages) {
    const auto* op = stage->op.as<te::ComputeOpNode>();
    if (op == nullptr || stage->is_output || !op->reduce_axis.empty() || !is_injective(op->tag)) continue;
    if (read_opaquely.count(stage->op.get())) continue;
    stage.compute_inline();
  }
}

}  // namespace

Schedule schedule_injective_from_existing(Schedule sch, const Tensor& out, const Target& target) {
  ScheduleSpatial(sch[out.op()], CurrentOr(target));
  return sch;
}

Schedule schedule_injective(const Target& target_in, const Array<Tensor>& outs) {
  Target target = CurrentOr(target_in);
  Schedule sch = te::create_schedule(OpsOf(outs));
  InlineInjective(sch);
  for (const Tensor& out : outs) {
    const auto* op = out.op().as<te::ComputeOpNode>();
    if (op == nullptr) continue;
    TVM_CHECK(op->reduce_axis.empty(), "ValueError")
        << "schedule_injective: output " << op->name << " (tag '" << op->tag
        << "') is a reduction; use schedule_reduce";
    ScheduleSpatial(sch[out.op()], target);
  }
  return sch;
}

Schedule schedule_reduce(const Target& target_in, const Array<Tensor>& outs) {
  Target target = CurrentOr(target_in);
  Schedule sch = te::create_schedule(OpsOf(outs));
  InlineInjective(sch);
  for (Stage stage : sch->stages) {
    const auto* op = stage->op.as<te::ComputeOpNode>();
    if (op == nullptr || stage->attach_type == te::kInline || stage->attach_type == te::kInlinedAlready) continue;
    // Tuple reductions (argmax) share one stage through each output; schedule it once.
    if (op->reduce_axis.empty() && !stage->is_output) continue;
    ScheduleSpatial(stage, target);
  }
  return sch;
}

Schedule default_schedule(const Target& target_in, const Array<Tensor>& outs, bool auto_inline) {
  Target target = CurrentOr(target_in);
  Schedule sch = te::create_schedule(OpsOf(outs));
  if (auto_inline) InlineInjective(sch);
  for (const Tensor& out : outs) {
    const auto* op = out.op().as<te::ComputeOpNode>();
    if (op == nullptr || op->axis.empty()) continue;
    if (IsGPU(target)) {
      ScheduleSpatial(sch[out.op()], target);
    } else {
      IterVar fused;
      sch[out.op()].fuse(op->axis, &fused);
    }
  }
  return sch;
}

Schedule schedule_extern(const Target& target_in, const Array<Tensor>& outs) {
  Schedule sch = te::create_schedule(OpsOf(outs));
  InlineInjective(sch);
  return sch;
}

namespace {

Array<Tensor> AsTensors(const ObjectRef& outs) {
  if (const auto* t = outs.as<te::TensorNode>()) return {GetRef<Tensor>(t)};
  return Downcast<Array<Tensor>>(outs);
}

}  // namespace

TVM_REGISTER_GLOBAL("topi.generic.schedule_injective")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs) {
      return schedule_injective(target.value_or(Target()), AsTensors(outs));
    });
TVM_REGISTER_GLOBAL("topi.generic.schedule_injective_from_existing")
    .set_body_typed([](Schedule sch, Tensor out, std::optional<Target> target) {
      return schedule_injective_from_existing(sch, out, target.value_or(Target()));
    });
TVM_REGISTER_GLOBAL("topi.generic.schedule_reduce")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs) {
      return schedule_reduce(target.value_or(Target()), AsTensors(outs));
    });
TVM_REGISTER_GLOBAL("topi.generic.default_schedule")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs, bool auto_inline) {
      return default_schedule(target.value_or(Target()), AsTensors(outs), auto_inline);
    });
TVM_REGISTER_GLOBAL("topi.generic.schedule_extern")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs) {
      return schedule_extern(target.value_or(Target()), AsTensors(outs));
    });

}  // namespace generic
}  // namespace topi
}  // namespace tvm
