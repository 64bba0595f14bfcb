/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/pooling.cc
 * \brief The x86 blocked-layout pool schedule (tvm/topi/x86/pooling.h) and its
 *  Python binding topi.x86.schedule_pool, which tvm.topi.x86.schedule_pool calls.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/x86/pooling.h>
#include <tvm/topi/x86/utils.h>

#include <string>
#include <vector>

namespace tvm {
namespace topi {
namespace x86 {

namespace {

using te::Operation;
using tir::IterVar;

// Lanes of dtype in one vector register (the width is the number in the dtype's name, 32 without one).
int64_t VectorLanes(DataType dtype, const Target& target) {
  std::string digits;
  for (char ch : runtime::DLDataType2String(dtype)) {
    if (ch >= '0' && ch <= '9') digits.push_back(ch);
  }
  int64_t bits = digits.empty() ? 32 : std::stoll(digits);
  if (bits == 0) bits = 32;
  return std::max<int64_t>(1, GetVectorBytes(target) * 8 / bits);
}

// The threads of the runtime's pool (what runtime.num_threads() reports to Python).
int RuntimeThreads() {
  const runtime::PackedFunc* f = runtime::Registry::Get("runtime.NumThreads");
  if (f == nullptr) return 1;
  int n = (*f)();
  return std::max(1, n);
}

}  // namespace

te::Schedule schedule_pool(const Target& target_in, const Array<te::Tensor>& outs, const std::string& layout) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  auto fallback = [&]() { return nn::default_schedule(outs); };
  if (outs.size() != 1) return fallback();
  const te::Tensor& final = outs[0];
  bool blocked = false;
  for (char ch : layout) blocked = blocked || (ch >= 'a' && ch <= 'z');
  std::vector<int64_t> shape;
  for (const PrimExpr& d : final->shape) {
    const auto* imm = d.as<IntImmNode>();
    if (imm == nullptr) return fallback();  // relay.Any() extents (the VM): symbolic loops
    shape.push_back(imm->value);
  }
  if (!blocked || shape.size() != 5) return fallback();
  const auto* final_op = final.op().as<te::ComputeOpNode>();
  if (final_op == nullptr) return fallback();
  // The window reduction: the output itself (max, or an unnormalised sum), or the sum an
  // average divides.
  Operation pool;
  if (final_op->tag == "pool_max" || final_op->tag == "pool_sum") {
    pool = final.op();
  } else {
    Array<te::Tensor> inputs = final_op->InputTensors();
    if (inputs.size() == 1) {
      const auto* in = inputs[0].op().as<te::ComputeOpNode>();
      if (in != nullptr && in->tag == "pool_sum") pool = inputs[0].op();
    }
  }
  if (!pool.defined()) return fallback();
  const auto* pool_op = pool.as<te::ComputeOpNode>();
  if (pool_op->reduce_axis.size() != 2) return fallback();  // 2-d windows only

  te::Schedule s = te::create_schedule({final.op()});
  int64_t lanes = VectorLanes(final->dtype, target);
  int64_t block = shape[4];
  int64_t vector = block > lanes && block % lanes == 0 ? lanes : block;
  int64_t n = shape[0], chunks = shape[1], out_h = shape[2];
  int64_t parts = 1;
  int64_t threads = RuntimeThreads();
  while (n * chunks * parts < 4 * threads && parts * 2 <= out_h) parts *= 2;

  te::Stage out = s[final.op()];
  IterVar b = final_op->axis[0], c = final_op->axis[1], y = final_op->axis[2], x = final_op->axis[3],
          cb = final_op->axis[4];
  IterVar y_part, y_in, c_vec, c_lane;
  out.split_by_nparts(y, static_cast<int>(parts), &y_part, &y_in);
  out.split(cb, static_cast<int>(vector), &c_vec, &c_lane);
  if (pool.same_as(final.op())) {
    IterVar kh = final_op->reduce_axis[0], kw = final_op->reduce_axis[1];
    out.reorder({b, c, y_part, y_in, x, c_vec, kh, kw, c_lane});
    out.unroll(kh);
    out.unroll(kw);
  } else {
    out.reorder({b, c, y_part, y_in, x, c_vec, c_lane});
    // The window sum in a register, divided as it is stored.
    te::Stage red = s[pool];
    red.compute_at(out, x);
    IterVar r_vec, r_lane;
    red.split(pool_op->axis[4], static_cast<int>(vector), &r_vec, &r_lane);
    IterVar kh = pool_op->reduce_axis[0], kw = pool_op->reduce_axis[1];
    red.reorder({pool_op->axis[0], pool_op->axis[1], pool_op->axis[2], pool_op->axis[3], r_vec, kh, kw, r_lane});
    red.unroll(kh);
    red.unroll(kw);
    red.vectorize(r_lane);
  }
  IterVar task;
  out.fuse(Array<IterVar>{b, c, y_part}, &task);
  out.parallel(task);
  out.vectorize(c_lane);
  te::Tensor padded = pool_op->InputTensors()[0];
  if (const auto* pad = padded.op().as<te::ComputeOpNode>()) {
    if (pad->name == "pad_temp") {
      s[padded.op()].compute_at(out, task);
      s[padded.op()].vectorize(pad->axis[pad->axis.size() - 1]);
    }
  }
  return s;
}

TVM_REGISTER_GLOBAL("topi.x86.schedule_pool")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs, std::string layout) {
      Array<te::Tensor> tensors;
      if (const auto* t = outs.as<te::TensorNode>()) {
        tensors.push_back(GetRef<te::Tensor>(t));
      } else {
        tensors = Downcast<Array<te::Tensor>>(outs);
      }
      return schedule_pool(target.value_or(Target()), tensors, layout);
    });

}  // namespace x86
}  // namespace topi
}  // namespace tvm
