/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/tags.h
 * \brief The tags TOPI puts on the operations it builds. Schedules and operator
 *  fusion read them to know what kind of loop nest an operation is:
 *  elementwise and broadcast operations can be inlined into their consumers,
 *  injective ones too (each output element reads a fixed set of input elements),
 *  reductions cannot. The strings are TVM's.
 */
#ifndef TVM_TOPI_TAGS_H_
#define TVM_TOPI_TAGS_H_

#include <string>

namespace tvm {
namespace topi {

constexpr const char* kElementWise = "elemwise";
constexpr const char* kInjective = "injective";
constexpr const char* kCommReduce = "comm_reduce";
constexpr const char* kCommReduceIdx = "comm_reduce_idx";
constexpr const char* kBroadcast = "broadcast";
constexpr const char* kMatMul = "matmul";
constexpr const char* kConv2dNCHW = "conv2d_nchw";
constexpr const char* kConv2dHWCN = "conv2d_hwcn";
constexpr const char* kDepthwiseConv2dNCHW = "depthwise_conv2d_nchw";
constexpr const char* kDepthwiseConv2dNHWC = "depthwise_conv2d_nhwc";
constexpr const char* kDepthwiseConv2dBackInputNHWC = "depthwise_conv2d_back_input_nhwc";
constexpr const char* kDepthwiseConv2dBackWeightNHWC = "depthwise_conv2d_back_weight_nhwc";
constexpr const char* kEinsum = "einsum";
constexpr const char* kGroupConv2d = "group_conv2d";

/*! \brief Elementwise: out[i] = f(in[i]) (also true of anything tagged "elemwise..."). */
inline bool is_elemwise(const std::string& tag) { return tag.rfind(kElementWise, 0) == 0; }
/*! \brief Broadcast or elementwise. */
inline bool is_broadcast(const std::string& tag) {
  return tag.rfind(kElementWise, 0) == 0 || tag.rfind(kBroadcast, 0) == 0;
}
/*! \brief Injective, broadcast or elementwise: safe to inline into a consumer. */
inline bool is_injective(const std::string& tag) {
  return is_broadcast(tag) || tag.rfind(kInjective, 0) == 0;
}

}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_TAGS_H_
