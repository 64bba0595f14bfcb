/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file pooling_compute.cc
 * \brief The computes (FTVMCompute: topi::nn::pool / global_pool / adaptive_pool,
 *  then a layout_transform to out_layout when it differs) and schedules
 *  (FTVMSchedule) of the pooling operators. 2-d max/avg pools in blocked layouts
 *  (NCHW16c) on "cpu" targets take topi::x86::schedule_pool; every other pool
 *  takes topi::nn::default_schedule. C++ so a program with no Python
 *  interpreter can compile them.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/nn/pooling.h>
#include <tvm/topi/transform.h>
#include <tvm/topi/x86/pooling.h>

#include <string>
#include <vector>

#include "../op_schedules.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

// Constant integer attributes as the TOPI call takes them: one value repeated to n, or n values.
Array<PrimExpr> IntList(const Array<PrimExpr>& values, size_t n, const char* name, const std::string& op) {
  std::vector<int64_t> ints;
  for (const PrimExpr& v : values) {
    const auto* imm = v.as<IntImmNode>();
    TVM_CHECK(imm != nullptr, "ValueError") << op << ": " << name << " must be constant integers, got " << values;
    ints.push_back(imm->value);
  }
  if (ints.size() == 1) ints.assign(n, ints[0]);
  TVM_CHECK(ints.size() == n, "ValueError") << op << ": " << name << " " << values << " must have " << n
                                            << " values";
  Array<PrimExpr> out;
  for (int64_t v : ints) out.push_back(PrimExpr(v));
  return out;
}

Tensor ToLayout(const Tensor& t, const std::string& src, const std::string& dst) {
  return src == dst || dst.empty() ? t : topi::layout_transform(t, src, dst);
}

template <typename AttrsT>
FTVMCompute WindowPool(const std::string& op_name, const char* pool_type, size_t n) {
  return [op_name, pool_type, n](const Attrs& attrs, const Array<Tensor>& in, const Type&) {
    const auto* p = attrs.as<AttrsT>();
    std::string layout = p->layout;
    std::string out_layout = p->out_layout.empty() ? layout : p->out_layout;
    bool count_include_pad = false;
    if constexpr (std::is_base_of_v<AvgPoolAttrsBase<1>, AttrsT> || std::is_base_of_v<AvgPoolAttrsBase<2>, AttrsT> ||
                  std::is_base_of_v<AvgPoolAttrsBase<3>, AttrsT>) {
      count_include_pad = p->count_include_pad;
    }
    std::string op = "pool" + std::to_string(n) + "d";
    Tensor out = topi::nn::pool(in[0], IntList(p->pool_size, n, "kernel", op), IntList(p->strides, n, "stride", op),
                                IntList(p->dilation, n, "dilation", op), IntList(p->padding, 2 * n, "padding", op),
                                pool_type, p->ceil_mode, layout, count_include_pad);
    return Array<Tensor>{ToLayout(out, layout, out_layout)};
  };
}

FTVMCompute GlobalPool(const char* pool_type) {
  return [pool_type](const Attrs& attrs, const Array<Tensor>& in, const Type&) {
    const auto* p = attrs.as<GlobalPool2DAttrs>();
    std::string out_layout = p->out_layout.empty() ? p->layout : p->out_layout;
    return Array<Tensor>{ToLayout(topi::nn::global_pool(in[0], pool_type, p->layout), p->layout, out_layout)};
  };
}

template <typename AttrsT>
FTVMCompute AdaptivePool(const char* pool_type) {
  return [pool_type](const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
    const auto* p = attrs.as<AttrsT>();
    std::string layout = p->layout;
    std::string out_layout = p->out_layout.empty() ? layout : p->out_layout;
    const auto* tt = out_type.as<TensorTypeNode>();
    ICHECK(tt != nullptr);
    // The output size the relation settled on (an empty output_size keeps the input's).
    Array<PrimExpr> size;
    for (char ch : layout) {
      if (ch != 'D' && ch != 'H' && ch != 'W') continue;
      size_t at = out_layout.find(ch);
      TVM_CHECK(at != std::string::npos && at < tt->shape.size(), "ValueError")
          << "adaptive pool: out_layout " << out_layout << " has no axis " << ch << " of layout " << layout;
      const auto* imm = tt->shape[at].as<IntImmNode>();
      TVM_CHECK(imm != nullptr, "ValueError") << "adaptive pool: the output extent of axis " << ch
                                              << " must be a constant, got " << tt->shape[at];
      size.push_back(PrimExpr(static_cast<int64_t>(imm->value)));
    }
    return Array<Tensor>{ToLayout(topi::nn::adaptive_pool(in[0], size, pool_type, layout), layout, out_layout)};
  };
}

te::Schedule NNDefault(const Attrs&, const Array<Tensor>& outs, const Target&) {
  return topi::nn::default_schedule(outs);
}

template <typename AttrsT>
te::Schedule Pool2DSchedule(const Attrs& attrs, const Array<Tensor>& outs, const Target& target_in) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  const std::string& layout = attrs.as<AttrsT>()->layout;
  bool blocked = false;
  for (char ch : layout) blocked = blocked || (ch >= 'a' && ch <= 'z');
  if (target.defined() && target->HasKey("cpu") && blocked) return topi::x86::schedule_pool(target, outs, layout);
  return topi::nn::default_schedule(outs);
}

void Set(const std::string& name, FTVMCompute compute, FTVMSchedule schedule) {
  OpRegEntry::RegisterOrGet(name).set_attr<FTVMCompute>("FTVMCompute", compute).set_attr<FTVMSchedule>(
      "FTVMSchedule", schedule);
}

[[maybe_unused]] const bool registered = [] {
  Set("nn.max_pool1d", WindowPool<MaxPool1DAttrs>("nn.max_pool1d", "max", 1), NNDefault);
  Set("nn.max_pool2d", WindowPool<MaxPool2DAttrs>("nn.max_pool2d", "max", 2), Pool2DSchedule<MaxPool2DAttrs>);
  Set("nn.max_pool3d", WindowPool<MaxPool3DAttrs>("nn.max_pool3d", "max", 3), NNDefault);
  Set("nn.avg_pool1d", WindowPool<AvgPool1DAttrs>("nn.avg_pool1d", "avg", 1), NNDefault);
  Set("nn.avg_pool2d", WindowPool<AvgPool2DAttrs>("nn.avg_pool2d", "avg", 2), Pool2DSchedule<AvgPool2DAttrs>);
  Set("nn.avg_pool3d", WindowPool<AvgPool3DAttrs>("nn.avg_pool3d", "avg", 3), NNDefault);
  Set("nn.global_max_pool2d", GlobalPool("max"), NNDefault);
  Set("nn.global_avg_pool2d", GlobalPool("avg"), NNDefault);
  Set("nn.adaptive_max_pool1d", AdaptivePool<AdaptivePool1DAttrs>("max"), NNDefault);
  Set("nn.adaptive_avg_pool1d", AdaptivePool<AdaptivePool1DAttrs>("avg"), NNDefault);
  Set("nn.adaptive_max_pool2d", AdaptivePool<AdaptivePool2DAttrs>("max"), NNDefault);
  Set("nn.adaptive_avg_pool2d", AdaptivePool<AdaptivePool2DAttrs>("avg"), NNDefault);
  Set("nn.adaptive_max_pool3d", AdaptivePool<AdaptivePool3DAttrs>("max"), NNDefault);
  Set("nn.adaptive_avg_pool3d", AdaptivePool<AdaptivePool3DAttrs>("avg"), NNDefault);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
