/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/convolution_nchwc.cc
 * \brief The blocked-layout convolutions that AlterOpLayout rewrites nn.conv2d into on CPUs:
 *
 *    nn.contrib_conv2d_NCHWc            data NCHW<i>c (or plain NCHW for a first layer),
 *                                       kernel OIHW<i>i<o>o, output NCHW<o>c
 *    nn.contrib_depthwise_conv2d_NCHWc  data NCHW<c>c, kernel OIHW1i<c>o (groups = channels),
 *                                       output NCHW<c>c
 *
 *  Both take nn.conv2d's attributes (Conv2DAttrs) and share its relation, which reads shapes
 *  through the layout strings; what is checked here is only that the layouts have the blocked
 *  forms these operators promise their implementations.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <cctype>
#include <string>
#include <utility>

#include "../type_check.h"

namespace tvm {
namespace relay {

// convolution.cc: nn.conv2d's relation and attributes, which the blocked forms share.
bool Conv2DLayoutRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter);
Attrs MakeConv2DAttrs(Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation, int groups,
                      PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                      std::string kernel_layout, std::string out_layout, DataType out_dtype);

/*! \brief The block of `prefix` followed by "<n><letter>" (e.g. NCHW16c -> 16), 0 for `prefix`
 *  alone, -1 for anything else. (convolution_winograd.cc reads its layouts with it too.) */
int64_t BlockOf(const std::string& layout, const std::string& prefix, char letter) {
  if (layout.compare(0, prefix.size(), prefix) != 0) return -1;
  std::string rest = layout.substr(prefix.size());
  if (rest.empty()) return 0;
  if (rest.size() < 2 || rest.back() != letter) return -1;
  int64_t block = 0;
  for (size_t i = 0; i + 1 < rest.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return -1;
    block = block * 10 + (rest[i] - '0');
  }
  return block > 0 ? block : -1;
}

namespace {

/*! \brief (input block, output block) of an OIHW<i>i<o>o kernel layout; (-1, -1) otherwise. */
std::pair<int64_t, int64_t> KernelBlocks(const std::string& layout) {
  auto i_pos = layout.find('i');
  if (layout.compare(0, 4, "OIHW") != 0 || i_pos == std::string::npos) return {-1, -1};
  int64_t in_block = BlockOf(layout.substr(0, i_pos + 1), "OIHW", 'i');
  int64_t out_block = BlockOf("X" + layout.substr(i_pos + 1), "X", 'o');
  if (in_block <= 0 || out_block <= 0) return {-1, -1};
  return {in_block, out_block};
}

bool Conv2DNCHWcRel(bool depthwise, const Array<Type>& types, int num_inputs, const Attrs& attrs,
                    const TypeReporter& reporter) {
  const auto* p = attrs.as<Conv2DAttrs>();
  const char* op = depthwise ? "nn.contrib_depthwise_conv2d_NCHWc" : "nn.contrib_conv2d_NCHWc";
  const std::string out_layout = p->out_layout.empty() ? p->data_layout : p->out_layout;
  int64_t data_block = BlockOf(p->data_layout, "NCHW", 'c');
  int64_t out_block = BlockOf(out_layout, "NCHW", 'c');
  auto [kernel_in, kernel_out] = KernelBlocks(p->kernel_layout);
  TVM_CHECK(data_block >= 0, "TypeError") << op << ": data_layout must be NCHW<n>c (or NCHW), got \""
                                          << p->data_layout << "\"";
  TVM_CHECK(out_block > 0, "TypeError") << op << ": out_layout must be NCHW<n>c, got \"" << out_layout << "\"";
  TVM_CHECK(kernel_in > 0, "TypeError") << op << ": kernel_layout must be OIHW<i>i<o>o, got \"" << p->kernel_layout
                                        << "\"";
  TVM_CHECK(kernel_out == out_block, "TypeError")
      << op << ": the kernel's output block (" << p->kernel_layout << ") must be the output's (" << out_layout << ")";
  if (depthwise) {
    TVM_CHECK(data_block > 0 && kernel_in == 1 && data_block == out_block, "TypeError")
        << op << ": expects data NCHW<n>c, kernel OIHW1i<n>o and output NCHW<n>c with one block size, got "
        << p->data_layout << ", " << p->kernel_layout << ", " << out_layout;
    const auto* data = types[0].as<TensorTypeNode>();
    if (data != nullptr && data->shape.size() == 5) {
      auto chunks = ConstDim(data->shape[1]);
      TVM_CHECK(!chunks || *chunks * data_block == p->groups, "TypeError")
          << op << ": groups=" << p->groups << " must equal the " << *chunks * data_block
          << " input channels of data " << ShapeString(data->shape);
    }
  } else {
    TVM_CHECK(p->groups == 1, "TypeError") << op << ": groups must be 1, got " << p->groups;
    TVM_CHECK(data_block == 0 || data_block == kernel_in, "TypeError")
        << op << ": the kernel's input block (" << p->kernel_layout << ") must be the data's (" << p->data_layout
        << ")";
  }
  return Conv2DLayoutRel(types, num_inputs, attrs, reporter);
}

void RegisterNCHWc(const char* op_name, const char* make_name, bool depthwise) {
  runtime::Registry::Register(make_name).set_body_typed(
      [op_name](Expr data, Expr weight, Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation,
                int groups, PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                std::string kernel_layout, std::string out_layout, DataType out_dtype) {
        return MakeOpCall(op_name, {data, weight},
                          MakeConv2DAttrs(std::move(strides), std::move(padding), std::move(dilation), groups,
                                          std::move(channels), std::move(kernel_size), std::move(data_layout),
                                          std::move(kernel_layout), std::move(out_layout), out_dtype));
      });
  OpRegEntry::RegisterOrGet(op_name)
      .describe(depthwise ? "depthwise 2-D convolution in blocked NCHW<c>c layouts"
                          : "2-D convolution in blocked NCHW<c>c layouts with an OIHW<i>i<o>o kernel")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the filters")
      .set_attrs_type<Conv2DAttrs>()
      .set_support_level(10)
      .add_type_rel(depthwise ? "DepthwiseConv2DNCHWc" : "Conv2DNCHWc",
                    [depthwise](const Array<Type>& t, int n, const Attrs& a, const TypeReporter& r) {
                      return Conv2DNCHWcRel(depthwise, t, n, a, r);
                    })
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
}

[[maybe_unused]] const int kRegistered = [] {
  RegisterNCHWc("nn.contrib_conv2d_NCHWc", "relay.op.nn._make.contrib_conv2d_NCHWc", false);
  RegisterNCHWc("nn.contrib_depthwise_conv2d_NCHWc", "relay.op.nn._make.contrib_depthwise_conv2d_NCHWc", true);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
