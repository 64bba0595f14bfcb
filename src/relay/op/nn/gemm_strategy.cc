/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file gemm_strategy.cc
 * \brief The computes, schedules and strategies of nn.batch_matmul, nn.matmul and
 *  nn.contrib_dense_pack, and nn.dense's FTVMAlterOpLayout (its constant weight packed once
 *  into panels), registered from C++ so a program with no Python interpreter compiles a
 *  transformer's GEMMs.
 *
 * All are registered at plevel 5, below Python's (10), like nn.dense's: a Python process keeps
 * relay.op.strategy's functions (which call the same C++ computes and schedules), a C++-only
 * process gets these, which offer the same implementations under the same conditions:
 *   nn.batch_matmul       batch_matmul.generic (10); batch_matmul.x86 (15) for float32 3-d calls
 *   nn.matmul             matmul.generic (10); matmul_pack.x86 (15) for float32 2-d calls with a
 *                         static reduction length and tensor_b
 *   nn.contrib_dense_pack dense_pack.generic (10); dense_pack.x86 (15) for float32 calls with a
 *                         static packed weight and reduction length
 * The int8 implementations stay Python's: a call Python's strategy gives one is an error here.
 * The alteration: on "cpu" targets a float32 nn.dense of more than kDenseNopackMaxRows rows
 * whose weight is a constant becomes
 * nn.contrib_dense_pack of layout_transform(weight, "NC", "NC<n>n"), n = GemmPanelWidth, which
 * FoldConstant then computes.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/nn/dense.h>
#include <tvm/topi/x86/batch_matmul.h>
#include <tvm/topi/x86/dense.h>
#include <tvm/topi/x86/gemm.h>
#include <tvm/topi/x86/utils.h>

#include <string>

#include "../type_check.h"
#include "x86_int8_python_only.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

constexpr int kCppPlevel = 5;

DataType OutDtype(const Type& out_type) {
  const auto* tt = out_type.as<TensorTypeNode>();
  ICHECK(tt != nullptr) << "a GEMM has a tensor result";
  return tt->dtype;
}

bool IsStatic(const PrimExpr& d) { return d.as<IntImmNode>() != nullptr; }

bool AllStatic(const Array<PrimExpr>& shape) {
  for (const PrimExpr& d : shape) {
    if (!IsStatic(d)) return false;
  }
  return true;
}

bool Float32(const Array<Tensor>& tensors, const Type& out_type) {
  if (OutDtype(out_type) != DataType::Float(32)) return false;
  for (const Tensor& t : tensors) {
    if (t->dtype != DataType::Float(32)) return false;
  }
  return true;
}

te::Schedule NNDefaultSchedule(const Attrs&, const Array<Tensor>& outs, const Target&) {
  return topi::nn::default_schedule(outs);
}

// ---------------------------------------------------------------- nn.batch_matmul

Array<Tensor> BatchMatmulCompute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<BatchMatmulAttrs>();
  return {topi::nn::batch_matmul(in[0], in[1], OutDtype(out_type), a->transpose_a, a->transpose_b)};
}

Array<Tensor> BatchMatmulX86Compute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<BatchMatmulAttrs>();
  return {topi::x86::batch_matmul(in[0], in[1], OutDtype(out_type), a->transpose_a, a->transpose_b, std::nullopt,
                                  Target::Current(true))};
}

te::Schedule BatchMatmulX86Schedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_batch_matmul(target, outs);
}

OpStrategy BatchMatmulStrategy(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type,
                               const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(BatchMatmulCompute, NNDefaultSchedule, "batch_matmul.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  const auto* a = attrs.as<BatchMatmulAttrs>();
  if (a != nullptr && !a->transpose_a && a->transpose_b && PythonPicksX86Int8(inputs[0], inputs[1], out_type, target)) {
    RefuseX86Int8("nn.batch_matmul", "batch_matmul_int8.x86");
  }
  if (!Float32(inputs, out_type) || inputs[0]->shape.size() != 3 || inputs[1]->shape.size() != 3) return strategy;
  strategy.AddImplementation(BatchMatmulX86Compute, BatchMatmulX86Schedule, "batch_matmul.x86", 15);
  return strategy;
}

// ---------------------------------------------------------------- nn.matmul

Array<Tensor> MatmulCompute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<MatmulAttrs>();
  return {topi::nn::matmul(in[0], in[1], std::nullopt, OutDtype(out_type), a->transpose_a, a->transpose_b)};
}

Array<Tensor> MatmulPackCompute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<MatmulAttrs>();
  return {topi::x86::matmul_pack(in[0], in[1], std::nullopt, OutDtype(out_type), a->transpose_a, a->transpose_b,
                                 std::nullopt, Target::Current(true))};
}

te::Schedule MatmulPackSchedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_matmul_pack(target, outs);
}

OpStrategy MatmulStrategy(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type,
                          const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(MatmulCompute, NNDefaultSchedule, "matmul.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  if (inputs[0]->shape.size() != 2 || inputs[1]->shape.size() != 2 || !Float32(inputs, out_type)) return strategy;
  const PrimExpr& depth = inputs[0]->shape[attrs.as<MatmulAttrs>()->transpose_a ? 0 : 1];
  if (!IsStatic(depth) || !AllStatic(inputs[1]->shape)) return strategy;
  strategy.AddImplementation(MatmulPackCompute, MatmulPackSchedule, "matmul_pack.x86", 15);
  return strategy;
}

// ---------------------------------------------------------------- nn.contrib_dense_pack

Array<Tensor> DensePackCompute(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  // The weight is already in (N/n, K, n) panels; the GEMM reading them is plain TE.
  return {topi::x86::dense_pack(in[0], in[1], std::nullopt, OutDtype(out_type), std::nullopt, Target::Current(true))};
}

te::Schedule DensePackX86Schedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_dense_pack(target, outs);
}

OpStrategy DensePackStrategy(const Attrs&, const Array<Tensor>& inputs, const Type& out_type, const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(DensePackCompute, NNDefaultSchedule, "dense_pack.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  const Tensor& data = inputs[0];
  const Tensor& weight = inputs[1];
  if (weight->shape.size() != 3 || data->shape.size() < 2 || !Float32(inputs, out_type)) return strategy;
  if (!IsStatic(data->shape[data->shape.size() - 1]) || !AllStatic(weight->shape)) return strategy;
  strategy.AddImplementation(DensePackCompute, DensePackX86Schedule, "dense_pack.x86", 15);
  return strategy;
}

}  // namespace

// ---------------------------------------------------------------- nn.dense's FTVMAlterOpLayout

/*! \brief nn.contrib_dense_pack of the weight packed into panels, or null to keep the call. */
Expr AlterDenseLayoutX86(const Attrs& attrs, const Array<Expr>& inputs, const Array<te::Tensor>& tinfos,
                         const Type& out_type) {
  Target target = Target::Current(true);
  if (!target.defined() || !topi::x86::IsX86Target(target)) return Expr();
  const auto* a = attrs.as<DenseAttrs>();
  if (a == nullptr || inputs.size() != 2 || tinfos.size() != 2) return Expr();
  // A weight computed at run time would be repacked at run time anyway.
  if (!inputs[1].as<ConstantNode>()) return Expr();
  const Tensor& data = tinfos[0];
  const Tensor& weight = tinfos[1];
  if (data->dtype != DataType::Float(32) || weight->dtype != DataType::Float(32) ||
      OutDtype(out_type) != DataType::Float(32)) {
    return Expr();
  }
  // data's leading axes may be symbolic (relay.Any(): the VM's dynamic batch / sequence).
  if (data->shape.size() < 2 || weight->shape.size() != 2 || !IsStatic(data->shape[data->shape.size() - 1]) ||
      !AllStatic(weight->shape)) {
    return Expr();
  }
  if (AllStatic(data->shape)) {
    int64_t rows = 1;
    for (size_t k = 0; k + 1 < data->shape.size(); ++k) rows *= data->shape[k].as<IntImmNode>()->value;
    if (rows <= topi::x86::kDenseNopackMaxRows) return Expr();
  }
  PrimExpr rows = topi::x86::DenseGemmRows(data->shape).rows;
  std::optional<int64_t> static_rows;
  if (const auto* imm = rows.as<IntImmNode>()) static_rows = imm->value;
  auto nr = topi::x86::GemmPanelWidth(static_rows, weight->shape[0].as<IntImmNode>()->value,
                                      weight->shape[1].as<IntImmNode>()->value, target);
  if (!nr) return Expr();
  std::string layout = "NC" + std::to_string(*nr) + "n";
  auto transform = make_object<LayoutTransformAttrs>();
  transform->src_layout = "NC";
  transform->dst_layout = layout;
  Expr packed = MakeOpCall("layout_transform", {inputs[1]}, Attrs(transform));
  auto pack = make_object<DensePackAttrs>();
  pack->units = a->units;
  pack->out_dtype = a->out_dtype;
  pack->weight_layout = layout;
  return MakeOpCall("nn.contrib_dense_pack", {inputs[0], packed}, Attrs(pack));
}

// The C++ strategies by name, so a Python process (whose own strategies win) can compare them;
// Python's topi.x86 dense alteration calls the C++ one.
TVM_REGISTER_GLOBAL("relay.op.strategy.batch_matmul_cpp").set_body_typed(BatchMatmulStrategy);
TVM_REGISTER_GLOBAL("relay.op.strategy.matmul_cpp").set_body_typed(MatmulStrategy);
TVM_REGISTER_GLOBAL("relay.op.strategy.dense_pack_cpp").set_body_typed(DensePackStrategy);
TVM_REGISTER_GLOBAL("relay.op.x86.dense_alter_layout").set_body_typed(AlterDenseLayoutX86);

namespace {

[[maybe_unused]] const bool registered = [] {
  OpRegEntry::RegisterOrGet("nn.batch_matmul")
      .set_attr<FTVMCompute>("FTVMCompute", BatchMatmulCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", BatchMatmulStrategy, kCppPlevel);
  OpRegEntry::RegisterOrGet("nn.matmul")
      .set_attr<FTVMCompute>("FTVMCompute", MatmulCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", MatmulStrategy, kCppPlevel);
  OpRegEntry::RegisterOrGet("nn.contrib_dense_pack")
      .set_attr<FTVMCompute>("FTVMCompute", DensePackCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", DensePackStrategy, kCppPlevel);
  OpRegEntry::RegisterOrGet("nn.dense")
      .set_attr<runtime::PackedFunc>(
          "FTVMAlterOpLayout",
          runtime::TypedPackedFunc<Expr(Attrs, Array<Expr>, Array<te::Tensor>, Type)>(AlterDenseLayoutX86),
          kCppPlevel);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
