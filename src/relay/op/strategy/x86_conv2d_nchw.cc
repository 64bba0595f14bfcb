/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/strategy/x86_conv2d_nchw.cc
 * \brief nn.conv2d's compute, schedule and strategy registered from C++, so a program with no
 *  Python interpreter compiles a CNN whose convolutions stay nn.conv2d (below opt_level 3, where
 *  AlterOpLayout does not turn them into the blocked forms).
 *
 * All three are registered at plevel 5, below Python's (10), like nn.dense's: a Python process
 * keeps relay.op.strategy's conv2d strategy (which adds the int8 implementations), a C++-only
 * process gets this one: conv2d.generic (topi::nn::conv in the call's layouts, the default nn
 * schedule) at plevel 10 and, on "cpu" targets, conv2d_nchw.x86 / depthwise_conv2d_nchw.x86 at
 * plevel 15 under exactly the conditions of Python's x86 strategy (_add_conv2d_x86), so both
 * processes pick the same implementation for float32 NCHW calls.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>
#include <tvm/topi/nn/conv.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/transform.h>
#include <tvm/topi/x86/conv2d_nchw.h>

#include <cctype>
#include <string>
#include <vector>

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

// Below the Python registrations, which win where they exist.
constexpr int kCppPlevel = 5;

std::vector<int64_t> ConstInts(const Array<PrimExpr>& values, const char* what) {
  std::vector<int64_t> out;
  for (const PrimExpr& v : values) {
    const auto* imm = v.as<IntImmNode>();
    TVM_CHECK(imm != nullptr, "ValueError") << "nn.conv2d: " << what << " must be constant integers, got " << v;
    out.push_back(imm->value);
  }
  return out;
}

/*! \brief Python ints as Python passes them to an operator (int32 immediates). */
Array<PrimExpr> PyInts(const std::vector<int64_t>& values) {
  Array<PrimExpr> out;
  for (int64_t v : values) out.push_back(PrimExpr(v));
  return out;
}

Array<Integer> Integers(const std::vector<int64_t>& values) {
  Array<Integer> out;
  for (int64_t v : values) out.push_back(Integer(v));
  return out;
}

DataType OutDtype(const Type& out_type) {
  const auto* tt = out_type.as<TensorTypeNode>();
  ICHECK(tt != nullptr) << "nn.conv2d has a tensor result";
  return tt->dtype;
}

/*! \brief nn.conv2d's own compute: the direct convolution in the call's layouts (Python:
 *  relay.op.nn._nn._conv_compute with topi.nn.conv), then to out_layout when it differs. */
Array<Tensor> Conv2DCompute(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type) {
  const auto* a = attrs.as<Conv2DAttrs>();
  ICHECK(a != nullptr) << "nn.conv2d has Conv2DAttrs";
  const std::string data_layout = a->data_layout;
  const std::string out_layout = a->out_layout.empty() ? data_layout : std::string(a->out_layout);
  std::vector<int64_t> padding = ConstInts(a->padding, "padding");
  // topi.nn.conv's padding: all begins, then all ends (get_pad_tuple_generic).
  if (padding.size() == 1) padding = {padding[0], padding[0], padding[0], padding[0]};
  if (padding.size() == 2) padding = {padding[0], padding[1], padding[0], padding[1]};
  TVM_CHECK(padding.size() == 4, "ValueError")
      << "nn.conv2d: padding must have 1, 2 or 4 values, got " << a->padding;
  // Blocked layouts (NCHW4c, OIHW4i4o) are computed in their primal ones, between transforms.
  auto primal = [](const std::string& layout) {
    std::string out;
    for (char ch : layout) {
      if (!std::islower(static_cast<unsigned char>(ch)) && !std::isdigit(static_cast<unsigned char>(ch))) out += ch;
    }
    return out;
  };
  const std::string kernel_layout = a->kernel_layout;
  const std::string plain_data = primal(data_layout), plain_kernel = primal(kernel_layout);
  Tensor data = inputs[0], weight = inputs[1];
  if (plain_data != data_layout) data = topi::layout_transform(data, data_layout, plain_data);
  if (plain_kernel != kernel_layout) weight = topi::layout_transform(weight, kernel_layout, plain_kernel);
  std::string tag = (a->groups == 1 ? "conv2d_" : "group_conv2d_");
  for (char ch : plain_data) tag += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  Tensor out = topi::nn::conv(data, weight, PyInts(ConstInts(a->strides, "strides")), PyInts(padding),
                              PyInts(ConstInts(a->dilation, "dilation")), a->groups, plain_data, plain_kernel,
                              OutDtype(out_type), "conv", tag);
  if (out_layout != plain_data) out = topi::layout_transform(out, plain_data, out_layout);
  return {out};
}

te::Schedule NNDefaultSchedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  With<Target> scope(target);
  return topi::nn::default_schedule(outs);
}

using X86ConvCompute = Tensor (*)(const Tensor&, const Tensor&, const Array<Integer>&, const Array<Integer>&,
                                  const Array<Integer>&, DataType, int);
using X86ConvSchedule = te::Schedule (*)(const Array<Tensor>&);

/*! \brief An x86 NCHW compute with the call's ints; lanes 0: the target in scope's vectors. */
FTVMCompute X86Compute(X86ConvCompute compute) {
  return FTVMCompute([compute](const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type) {
    const auto* a = attrs.as<Conv2DAttrs>();
    return Array<Tensor>{compute(inputs[0], inputs[1], Integers(ConstInts(a->strides, "strides")),
                                 Integers(ConstInts(a->padding, "padding")),
                                 Integers(ConstInts(a->dilation, "dilation")), OutDtype(out_type), 0)};
  });
}

FTVMSchedule X86Schedule(X86ConvSchedule schedule) {
  return FTVMSchedule([schedule](const Attrs&, const Array<Tensor>& outs, const Target& target) {
    With<Target> scope(target);
    return schedule(outs);
  });
}

/*! \brief OIHW<i>i<o>o (a kernel AlterOpLayout packed for conv2d_nchw.x86). */
bool PackedKernelLayout(const std::string& layout) {
  if (layout.size() < 8 || layout.compare(0, 4, "OIHW") != 0 || layout.back() != 'o') return false;
  size_t i = 4, digits = 0;
  for (; i < layout.size() && std::isdigit(static_cast<unsigned char>(layout[i])); ++i) ++digits;
  if (digits == 0 || i >= layout.size() || layout[i] != 'i') return false;
  size_t j = i + 1, odigits = 0;
  for (; j < layout.size() && std::isdigit(static_cast<unsigned char>(layout[j])); ++j) ++odigits;
  return odigits > 0 && j == layout.size() - 1;
}

/*! \brief conv2d_nchw.x86 / depthwise_conv2d_nchw.x86 (plevel 15) for float32 NCHW x OIHW calls
 *  whose output stays NCHW (Python: relay.op.strategy.x86._add_conv2d_x86). */
void AddConv2DX86(OpStrategy* strategy, const Conv2DAttrs* a, const Array<Tensor>& inputs, const Type& out_type) {
  const Tensor& data = inputs[0];
  const Tensor& kernel = inputs[1];
  const std::string kernel_layout = a->kernel_layout;
  const bool prepacked = PackedKernelLayout(kernel_layout) && kernel->shape.size() == 6;
  const DataType f32 = DataType::Float(32);
  if (a->data_layout != "NCHW" || (kernel_layout != "OIHW" && !prepacked) ||
      !(a->out_layout.empty() || a->out_layout == "NCHW") || data->shape.size() != 4 || data->dtype != f32 ||
      kernel->dtype != f32 || OutDtype(out_type) != f32) {
    return;
  }
  // A symbolic batch only bounds the outermost loop; other symbolic extents take the generic one.
  std::vector<int64_t> shapes;
  for (size_t i = 0; i < data->shape.size() + kernel->shape.size(); ++i) {
    const PrimExpr& d = i < 4 ? data->shape[i] : kernel->shape[i - 4];
    const auto* imm = d.as<IntImmNode>();
    if (imm == nullptr && i > 0) return;
    shapes.push_back(imm ? imm->value : -1);
  }
  if (a->groups == 1) {
    strategy->AddImplementation(X86Compute(topi::x86::Conv2DNCHW), X86Schedule(topi::x86::ScheduleConv2DNCHW),
                                "conv2d_nchw.x86", 15);
  } else if (!prepacked && a->groups == shapes[1] && shapes[5] == 1 && shapes[4] % a->groups == 0) {
    strategy->AddImplementation(X86Compute(topi::x86::DepthwiseConv2DNCHW),
                                X86Schedule(topi::x86::ScheduleDepthwiseConv2DNCHW), "depthwise_conv2d_nchw.x86",
                                15);
  }
}

OpStrategy Conv2DStrategy(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type,
                          const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(Conv2DCompute, NNDefaultSchedule, "conv2d.generic", 10);
  if (target.defined() && target->HasKey("cpu")) {
    AddConv2DX86(&strategy, attrs.as<Conv2DAttrs>(), inputs, out_type);
  }
  return strategy;
}

}  // namespace

// The C++ strategy by name, so a Python process (whose own strategy wins) can compare the two.
TVM_REGISTER_GLOBAL("relay.op.strategy.conv2d_cpp").set_body_typed(Conv2DStrategy);

namespace {

[[maybe_unused]] const bool registered = [] {
  OpRegEntry::RegisterOrGet("nn.conv2d")
      .set_attr<FTVMCompute>("FTVMCompute", Conv2DCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", Conv2DStrategy, kCppPlevel);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
