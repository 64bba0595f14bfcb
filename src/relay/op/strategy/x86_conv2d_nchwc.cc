/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/strategy/x86_conv2d_nchwc.cc
 * \brief The blocked x86 convolution path of relay.build, in C++ so that a program without
 *  Python compiles it the same way Python does:
 *
 *  - FTVMAlterOpLayout of nn.conv2d: on "cpu" targets a float32 NCHW x OIHW convolution with
 *    static shapes becomes its blocked form; AlterOpLayout then transforms the operands (a
 *    constant weight is packed once by FoldConstant) and keeps activations blocked between layers:
 *
 *      nn.conv2d(%x, %w)             -> nn.contrib_conv2d_NCHWc(%x, %w, data_layout="NCHW16c",
 *                                         kernel_layout="OIHW16i16o", out_layout="NCHW16c")
 *      nn.conv2d(%x, %w, groups=C)   -> nn.contrib_depthwise_conv2d_NCHWc(%x, %w,
 *                                         data_layout="NCHW16c", kernel_layout="OIHW1i16o", ...)
 *
 *    The block of C channels is topi::x86::ChannelBlock(C, lanes) (producer and consumer agree);
 *    input channels without a block (a first layer's 3) stay plain NCHW; output channels without
 *    one keep nn.conv2d. Other targets keep every call. A stride-1 3x3 convolution of blocked
 *    data becomes Winograd's where topi::x86::WinogradTileSize finds it faster:
 *
 *      nn.conv2d(%x, %w)             -> nn.contrib_conv2d_winograd_without_weight_transform(%x,
 *                                         layout_transform(nn.contrib_conv2d_winograd_weight_transform(
 *                                         %w, tile_size=m), "HWOI", "HWOI16o"), data_layout="NCHW16c", ...)
 *
 *  - FTVMCompute of nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc: the plain TE
 *    blocked convolutions (topi::nn::Conv2DNCHWc, DepthwiseConv2DNCHWc).
 *  - FTVMStrategy of both: the generic implementation (plevel 10: that compute with the operator's
 *    FTVMSchedule, the generic nn schedule tvm.relay registers) and, on "cpu" targets for float32
 *    calls with static shapes, the register-tiled topi::x86 one (plevel 15).
 *  - FTVMCompute, FTVMSchedule and FTVMStrategy of the two Winograd operators.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>
#include <tvm/topi/nn/conv2d_nchwc.h>
#include <tvm/topi/nn/conv2d_winograd.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/ir/transform.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/topi/x86/conv2d_nchwc.h>
#include <tvm/topi/x86/conv2d_winograd.h>
#include <tvm/topi/x86/utils.h>

#include <string>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

// convolution.cc: nn.conv2d's attributes from its constructor's arguments.
Attrs MakeConv2DAttrs(Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation, int groups,
                      PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                      std::string kernel_layout, std::string out_layout, DataType out_dtype);

namespace {

const char* kConvNCHWc = "nn.contrib_conv2d_NCHWc";
const char* kDepthwiseNCHWc = "nn.contrib_depthwise_conv2d_NCHWc";
const char* kWinogradConfig = "relay.x86.winograd";
const bool kWinogradConfigRegistered = (transform::PassContext::RegisterConfigOption(kWinogradConfig, "IntImm"), true);

bool StaticShape(const Array<PrimExpr>& shape, std::vector<int64_t>* dims) {
  for (const PrimExpr& d : shape) {
    const auto* imm = d.as<IntImmNode>();
    if (imm == nullptr) return false;
    dims->push_back(imm->value);
  }
  return true;
}

// ---------------------------------------------------------------------------
// FTVMStrategy

/*! \brief Static shapes, float32 inputs and output: what the x86 implementations take. */
bool StaticFloat32(const Array<te::Tensor>& inputs, const Type& out_type) {
  for (const te::Tensor& t : inputs) {
    std::vector<int64_t> dims;
    if (!StaticShape(t->shape, &dims)) return false;
  }
  for (const te::Tensor& t : inputs) {
    if (t->dtype != DataType::Float(32)) return false;
  }
  const auto* tt = out_type.as<TensorTypeNode>();
  return tt != nullptr && tt->dtype == DataType::Float(32);
}

int64_t Dim(const te::Tensor& t, size_t i) { return t->shape[i].as<IntImmNode>()->value; }

Array<Integer> Ints(const Array<PrimExpr>& values) {
  Array<Integer> out;
  for (const PrimExpr& v : values) {
    const auto* imm = v.as<IntImmNode>();
    TVM_CHECK(imm != nullptr, "ValueError") << "expected constant integers, got " << v;
    out.push_back(Integer(imm->value));
  }
  return out;
}

using BlockedCompute = te::Tensor (*)(const te::Tensor&, const te::Tensor&, const Array<Integer>&,
                                      const Array<Integer>&, const Array<Integer>&, const std::string&,
                                      const std::string&, DataType, int);
using GenericBlockedCompute = te::Tensor (*)(const te::Tensor&, const te::Tensor&, const Array<Integer>&,
                                             const Array<Integer>&, const Array<Integer>&, const std::string&,
                                             const std::string&, DataType);
using BlockedSchedule = te::Schedule (*)(const Array<te::Tensor>&);

/*! \brief The call's operands as the blocked computes take them (out_layout defaults to data_layout). */
template <typename F>
Array<te::Tensor> CallBlocked(F compute, const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type) {
  const auto* a = attrs.as<Conv2DAttrs>();
  const std::string out_layout = a->out_layout.empty() ? a->data_layout : a->out_layout;
  DataType dtype = out_type.as<TensorTypeNode>()->dtype;
  return {compute(inputs[0], inputs[1], Ints(a->strides), Ints(a->padding), Ints(a->dilation), a->data_layout,
                  out_layout, dtype)};
}

FTVMCompute X86Compute(BlockedCompute compute) {
  return FTVMCompute([compute](const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type) {
    // lanes 0: the vector width of the target in scope.
    auto with_target_lanes = [compute](const te::Tensor& d, const te::Tensor& k, const Array<Integer>& s,
                                       const Array<Integer>& p, const Array<Integer>& dl, const std::string& l,
                                       const std::string& ol, DataType t) {
      return compute(d, k, s, p, dl, l, ol, t, 0);
    };
    return CallBlocked(with_target_lanes, attrs, inputs, out_type);
  });
}

/*! \brief The operators' own compute (FTVMCompute): the plain TE blocked convolution. */
FTVMCompute GenericCompute(GenericBlockedCompute compute) {
  return FTVMCompute([compute](const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type) {
    return CallBlocked(compute, attrs, inputs, out_type);
  });
}

FTVMSchedule X86Schedule(BlockedSchedule schedule) {
  return FTVMSchedule([schedule](const Attrs&, const Array<te::Tensor>& outs, const Target& target) {
    With<Target> scope(target);
    return schedule(outs);
  });
}

/*! \brief The operator's own FTVMSchedule (the generic nn schedule, registered by tvm.relay), looked
 *  up when the implementation runs. */
FTVMSchedule OwnSchedule(std::string op_name) {
  return FTVMSchedule([op_name](const Attrs& attrs, const Array<te::Tensor>& outs, const Target& target) {
    static const auto fschedule = Op::GetAttrMap<FTVMSchedule>("FTVMSchedule");
    Op op = Op::Get(op_name);
    TVM_CHECK(fschedule.count(op), "NotImplementedError")
        << op_name << ": the generic implementation needs the operator's FTVMSchedule, which is not registered";
    return fschedule[op](attrs, outs, target);
  });
}

OpStrategy Conv2DNCHWcStrategy(const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type,
                               const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(GenericCompute(topi::nn::Conv2DNCHWc), OwnSchedule(kConvNCHWc), "conv2d_NCHWc.generic",
                             10);
  if (!topi::x86::IsX86Target(target) || inputs.size() != 2) return strategy;
  const te::Tensor &data = inputs[0], &kernel = inputs[1];
  if (StaticFloat32(inputs, out_type) &&
      (data->shape.size() == 4 || (data->shape.size() == 5 && kernel->shape.size() == 6 &&
                                   Dim(data, 4) == Dim(kernel, 4)))) {
    strategy.AddImplementation(X86Compute(topi::x86::Conv2DNCHWc), X86Schedule(topi::x86::ScheduleConv2DNCHWc),
                               "conv2d_NCHWc.x86", 15);
  }
  return strategy;
}

OpStrategy DepthwiseConv2DNCHWcStrategy(const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type,
                                        const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(GenericCompute(topi::nn::DepthwiseConv2DNCHWc), OwnSchedule(kDepthwiseNCHWc),
                             "depthwise_conv2d_NCHWc.generic", 10);
  if (!topi::x86::IsX86Target(target) || inputs.size() != 2) return strategy;
  const te::Tensor &data = inputs[0], &kernel = inputs[1];
  if (StaticFloat32(inputs, out_type) && data->shape.size() == 5 && kernel->shape.size() == 6 &&
      Dim(data, 4) == Dim(kernel, 5) && Dim(kernel, 0) * Dim(kernel, 5) == Dim(data, 1) * Dim(data, 4)) {
    strategy.AddImplementation(X86Compute(topi::x86::DepthwiseConv2DNCHWc),
                               X86Schedule(topi::x86::ScheduleDepthwiseConv2DNCHWc), "depthwise_conv2d_NCHWc.x86",
                               15);
  }
  return strategy;
}

// The Winograd operators (convolution_winograd.cc): NCHW data takes topi::nn's plain TE (plevel
// 10); blocked NCHW<c>c data takes topi::x86's register-tiled one on "cpu" targets (plevel 15) and
// the same compute with the generic schedule elsewhere (plevel 10). The weight transform has the
// generic schedule (FoldConstant runs it once per constant weight).

Array<te::Tensor> WinogradCompute(const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type) {
  const auto* a = attrs.as<Conv2DWinogradAttrs>();
  DataType dtype = out_type.as<TensorTypeNode>()->dtype;
  if (inputs[0]->shape.size() == 4) {
    return {topi::nn::Conv2DWinogradNCHW(inputs[0], inputs[1], Ints(a->padding), a->tile_size, dtype)};
  }
  return {topi::x86::Conv2DWinogradNCHWc(inputs[0], inputs[1], Ints(a->padding), a->tile_size, dtype)};
}

Array<te::Tensor> WinogradWeightTransformCompute(const Attrs& attrs, const Array<te::Tensor>& inputs, const Type&) {
  return {topi::nn::Conv2DWinogradWeightTransform(inputs[0], attrs.as<ConvWinogradWeightTransformAttrs>()->tile_size)};
}

te::Schedule GenericSchedule(const Attrs&, const Array<te::Tensor>& outs, const Target& target) {
  With<Target> scope(target);
  return topi::nn::default_schedule(outs);
}

OpStrategy WinogradStrategy(const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type,
                            const Target& target) {
  OpStrategy strategy;
  const bool blocked = inputs[0]->shape.size() == 5;
  strategy.AddImplementation(WinogradCompute, GenericSchedule,
                             blocked ? "conv2d_winograd_NCHWc.generic" : "conv2d_winograd_nchw.generic", 10);
  if (blocked && topi::x86::IsX86Target(target)) {
    strategy.AddImplementation(WinogradCompute, X86Schedule(topi::x86::ScheduleConv2DWinogradNCHWc),
                               "conv2d_winograd_NCHWc.x86", 15);
  }
  return strategy;
}

OpStrategy WinogradWeightTransformStrategy(const Attrs&, const Array<te::Tensor>&, const Type&, const Target&) {
  OpStrategy strategy;
  strategy.AddImplementation(WinogradWeightTransformCompute, GenericSchedule,
                             "conv2d_winograd_weight_transform.generic", 10);
  return strategy;
}

// ---------------------------------------------------------------------------
// FTVMAlterOpLayout of nn.conv2d

/*! \brief padding as the Python constructors widen it: 4 values (top, left, bottom, right). */
Array<PrimExpr> FourPads(const Array<PrimExpr>& padding) {
  if (padding.size() == 2) return {padding[0], padding[1], padding[0], padding[1]};
  if (padding.size() == 1) return {padding[0], padding[0], padding[0], padding[0]};
  return padding;
}

bool AllOnes(const Array<PrimExpr>& values) {
  for (const PrimExpr& v : values) {
    const auto* imm = v.as<IntImmNode>();
    if (imm == nullptr || imm->value != 1) return false;
  }
  return true;
}

/*! \brief A stride-1 3x3 convolution of blocked data as Winograd F(m x m, 3 x 3) when
 *  topi::x86::WinogradTileSize finds it faster (and PassContext config relay.x86.winograd is not
 *  false): the weight transform and its packing are calls FoldConstant folds for a constant weight.
 *  Null to keep the direct convolution. shapes: data NCHW then kernel OIHW. */
Expr WinogradForm(const Conv2DAttrs* a, const Array<Expr>& inputs, const std::vector<int64_t>& shapes,
                  int64_t in_block, int64_t out_block) {
  auto ctx = transform::PassContext::Current();
  if (ctx->GetConfig<IntImm>(kWinogradConfig, IntImm(DataType::Bool(), 1)).value()->value == 0) return Expr();
  if (shapes[6] != 3 || shapes[7] != 3 || !AllOnes(a->strides) || !AllOnes(a->dilation)) return Expr();
  Array<PrimExpr> pads = FourPads(a->padding);
  std::vector<int64_t> pad;
  for (const PrimExpr& p : pads) {
    const auto* imm = p.as<IntImmNode>();
    if (imm == nullptr) return Expr();
    pad.push_back(imm->value);
  }
  const int64_t out_h = shapes[2] + pad[0] + pad[2] - 2, out_w = shapes[3] + pad[1] + pad[3] - 2;
  if (out_h <= 0 || out_w <= 0) return Expr();
  const int tile = topi::x86::WinogradTileSize(shapes[0], out_h, out_w, shapes[1], shapes[4]);
  if (tile == 0) return Expr();
  auto transform_attrs = make_object<ConvWinogradWeightTransformAttrs>();
  transform_attrs->tile_size = tile;
  Expr weight = MakeOpCall("nn.contrib_conv2d_winograd_weight_transform", {inputs[1]}, Attrs(transform_attrs));
  const std::string packed = "HWOI" + std::to_string(out_block) + "o";
  auto pack_attrs = make_object<LayoutTransformAttrs>();
  pack_attrs->src_layout = "HWOI";
  pack_attrs->dst_layout = packed;
  weight = MakeOpCall("layout_transform", {weight}, Attrs(pack_attrs));
  auto attrs = make_object<Conv2DWinogradAttrs>();
  attrs->tile_size = tile;
  attrs->strides = a->strides;
  attrs->padding = pads;
  attrs->dilation = a->dilation;
  attrs->groups = 1;
  attrs->channels = a->channels;
  attrs->kernel_size = a->kernel_size;
  attrs->data_layout = "NCHW" + std::to_string(in_block) + "c";
  attrs->kernel_layout = packed;
  attrs->out_layout = "NCHW" + std::to_string(out_block) + "c";
  attrs->out_dtype = a->out_dtype;
  return MakeOpCall("nn.contrib_conv2d_winograd_without_weight_transform", {inputs[0], weight}, Attrs(attrs));
}

/*! \brief The blocked form of a float32 NCHW conv2d call on an x86 target, or null to keep it. */
Expr AlterConv2DLayoutX86(const Attrs& attrs, const Array<Expr>& inputs, const Array<te::Tensor>& tinfos,
                          const Type& out_type) {
  Target target = Target::Current(true);
  if (!target.defined() || !topi::x86::IsX86Target(target)) return Expr();
  const auto* a = attrs.as<Conv2DAttrs>();
  const auto* out = out_type.as<TensorTypeNode>();
  if (a == nullptr || out == nullptr || inputs.size() != 2 || tinfos.size() != 2) return Expr();
  if (a->data_layout != "NCHW" || a->kernel_layout != "OIHW" || (!a->out_layout.empty() && a->out_layout != "NCHW")) {
    return Expr();
  }
  for (const te::Tensor& t : tinfos) {
    if (t->dtype != DataType::Float(32)) return Expr();
  }
  if (out->dtype != DataType::Float(32)) return Expr();
  // A symbolic batch (relay.Any() in the VM) keeps nn.conv2d NCHW (conv2d_nchw.x86 takes it);
  // the blocked forms need static shapes.
  std::vector<int64_t> shapes;
  if (!StaticShape(tinfos[0]->shape, &shapes) || !StaticShape(tinfos[1]->shape, &shapes) || shapes.size() != 8) {
    return Expr();
  }
  const int64_t lanes = topi::x86::GetSimd32BitLanes(target);
  const int64_t in_channels = shapes[1], out_channels = shapes[4], kernel_in = shapes[5];
  const int64_t out_block = topi::x86::ChannelBlock(out_channels, lanes);
  if (out_block == 0) return Expr();
  const std::string out_layout = "NCHW" + std::to_string(out_block) + "c";
  auto make = [&](const char* op, const std::string& data_layout, const std::string& kernel_layout) {
    return MakeOpCall(op, {inputs[0], inputs[1]},
                      MakeConv2DAttrs(a->strides, FourPads(a->padding), a->dilation, a->groups, a->channels,
                                      a->kernel_size, data_layout, kernel_layout, out_layout, a->out_dtype));
  };
  if (a->groups == 1) {
    const int64_t in_block = topi::x86::ChannelBlock(in_channels, lanes);
    if (in_block > 0) {
      Expr winograd = WinogradForm(a, inputs, shapes, in_block, out_block);
      if (winograd.defined()) return winograd;
    }
    const std::string data_layout = in_block ? "NCHW" + std::to_string(in_block) + "c" : "NCHW";
    const std::string kernel_layout =
        "OIHW" + std::to_string(in_block ? in_block : in_channels) + "i" + std::to_string(out_block) + "o";
    return make(kConvNCHWc, data_layout, kernel_layout);
  }
  if (a->groups == in_channels && in_channels == out_channels && kernel_in == 1) {
    return make(kDepthwiseNCHWc, out_layout, "OIHW1i" + std::to_string(out_block) + "o");
  }
  return Expr();
}

const int kRegistered = [] {
  OpRegEntry::RegisterOrGet(kConvNCHWc)
      .set_attr<FTVMCompute>("FTVMCompute", GenericCompute(topi::nn::Conv2DNCHWc))
      .set_attr<FTVMStrategy>("FTVMStrategy", Conv2DNCHWcStrategy);
  OpRegEntry::RegisterOrGet(kDepthwiseNCHWc)
      .set_attr<FTVMCompute>("FTVMCompute", GenericCompute(topi::nn::DepthwiseConv2DNCHWc))
      .set_attr<FTVMStrategy>("FTVMStrategy", DepthwiseConv2DNCHWcStrategy);
  OpRegEntry::RegisterOrGet("nn.contrib_conv2d_winograd_without_weight_transform")
      .set_attr<FTVMCompute>("FTVMCompute", WinogradCompute)
      .set_attr<FTVMSchedule>("FTVMSchedule", GenericSchedule)
      .set_attr<FTVMStrategy>("FTVMStrategy", WinogradStrategy);
  OpRegEntry::RegisterOrGet("nn.contrib_conv2d_winograd_weight_transform")
      .set_attr<FTVMCompute>("FTVMCompute", WinogradWeightTransformCompute)
      .set_attr<FTVMSchedule>("FTVMSchedule", GenericSchedule)
      .set_attr<FTVMStrategy>("FTVMStrategy", WinogradWeightTransformStrategy);
  OpRegEntry::RegisterOrGet("nn.conv2d")
      .set_attr<runtime::PackedFunc>(
          "FTVMAlterOpLayout",
          runtime::TypedPackedFunc<Expr(Attrs, Array<Expr>, Array<te::Tensor>, Type)>(AlterConv2DLayoutX86));
  return 0;
}();

}  // namespace

// Python's topi.nn.conv2d_alter_layout("cpu") calls this (tests call that generic function).
TVM_REGISTER_GLOBAL("relay.op.x86.conv2d_alter_layout").set_body_typed(AlterConv2DLayoutX86);

}  // namespace relay
}  // namespace tvm
