/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/combine_parallel_conv2d.cc
 * \brief CombineParallelConv2D: conv2d calls on the same input with the same
 *  strides, padding, dilation, layouts and kernel extent become one conv2d
 *  whose kernels are concatenated on the output-channel axis; following
 *  elementwise/broadcast calls whose other arguments run along the channels
 *  (a per-channel scale or bias) are merged too, and each branch reads its
 *  channels back with strided_slice(..., slice_mode="size").
 *
 *    conv2d(x, w1) * s1, conv2d(x, w2) * s2
 *      -> y = conv2d(x, concat(w1, w2)) * concat(s1, s2); y[:, :C1], y[:, C1:C1+C2]
 *
 *  Only ungrouped convolutions with static output channels combine.
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/attrs/nn.h>

#include "combine_parallel_op.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using pass_util::MakeOp;

class ParallelConv2DCombiner : public ParallelOpCombiner {
 public:
  explicit ParallelConv2DCombiner(uint64_t min_num_branches) : ParallelOpCombiner("nn.conv2d", min_num_branches) {}

 protected:
  bool IsSupportedOp(const CallNode* n) final {
    const auto* attrs = n->attrs.as<Conv2DAttrs>();
    return attrs != nullptr && attrs->groups == 1 && n->args.size() == 2 && OutChannels(n) > 0 &&
           TypeOf(n) != nullptr;
  }

  bool CanOpsBeCombined(const CallNode* a, const CallNode* b) final {
    StructuralEqual eq;
    const auto* pa = a->attrs.as<Conv2DAttrs>();
    const auto* pb = b->attrs.as<Conv2DAttrs>();
    if (!(eq(pa->strides, pb->strides) && eq(pa->padding, pb->padding) && eq(pa->dilation, pb->dilation) &&
          pa->groups == pb->groups && pa->data_layout == pb->data_layout && pa->kernel_layout == pb->kernel_layout &&
          pa->out_layout == pb->out_layout && pa->out_dtype == pb->out_dtype)) {
      return false;
    }
    // Same kernel extent (the output channels may differ).
    const auto& sa = TypeOf(a->args[1])->shape;
    const auto& sb = TypeOf(b->args[1])->shape;
    for (char axis : {'H', 'W'}) {
      int i = LayoutAxisIndex(pa->kernel_layout, axis);
      if (i < 0 || !eq(sa[i], sb[i])) return false;
    }
    return true;
  }

  Call MakeCombinedOp(const Group& branches) final {
    const CallNode* first = branches[0][0];
    const auto* attrs = first->attrs.as<Conv2DAttrs>();
    Array<Expr> weights;
    int64_t channels = 0;
    for (const Branch& branch : branches) {
      weights.push_back(branch[0]->args[1]);
      channels += OutChannels(branch[0]);
    }
    Expr weight = MakeOp("concatenate", Tuple(weights), LayoutAxisIndex(attrs->kernel_layout, 'O'));
    auto new_attrs = make_object<Conv2DAttrs>(*attrs);
    new_attrs->channels = IntImm(DataType::Int(32), channels);
    channel_pos_ = LayoutAxisIndex(attrs->out_layout.empty() ? attrs->data_layout : attrs->out_layout, 'C');
    ICHECK_GE(channel_pos_, 0);
    return Call(first->op, {first->args[0], weight}, Attrs(new_attrs), {});
  }

  /*! \brief Where argument `index` of `call` has its channel axis (aligned at the right), or -1. */
  int ArgChannelPos(const CallNode* call, size_t index) {
    int out_ndim = static_cast<int>(TypeOf(call)->shape.size());
    int arg_ndim = static_cast<int>(TypeOf(call->args[index])->shape.size());
    return channel_pos_ - out_ndim + arg_ndim;
  }

  bool IsArgCompatible(const CallNode* a, const CallNode* b, size_t index) final {
    StructuralEqual eq;
    const TensorTypeNode* ta = TypeOf(a->args[index]);
    const TensorTypeNode* tb = TypeOf(b->args[index]);
    const TensorTypeNode* oa = TypeOf(a);
    const TensorTypeNode* ob = TypeOf(b);
    if (ta == nullptr || tb == nullptr || oa == nullptr || ob == nullptr) return false;
    // The argument must run along the channels (not broadcast over them) to be concatenated.
    int pos = ArgChannelPos(a, index);
    return SameShapeExcept(ta, tb, pos) && pos >= 0 && eq(ta->shape[pos], oa->shape[channel_pos_]) &&
           eq(tb->shape[pos], ob->shape[channel_pos_]);
  }

  Call MakeCombinedCallFromFollowingOps(const Expr& data, const Group& branches, size_t depth,
                                        size_t parent_index) final {
    const CallNode* call = branches[0][depth];
    return MergeFollowingCall(data, branches, depth, parent_index, [&](size_t i, Array<Expr> parts) {
      return MakeOp("concatenate", Tuple(parts), ArgChannelPos(call, i));
    });
  }

  std::vector<Expr> SplitOutputs(const Expr& data, const Group& branches, size_t depth) final {
    std::vector<Expr> outputs;
    int64_t offset = 0;
    for (const Branch& branch : branches) {
      int64_t channels = OutChannels(branch[0]);
      outputs.push_back(SliceAxis(data, channel_pos_ + 1, channel_pos_, offset, channels));
      offset += channels;
    }
    return outputs;
  }

 private:
  /*! \brief The kernel's extent on its 'O' axis (-1 when unknown). */
  static int64_t OutChannels(const CallNode* conv) {
    const auto* attrs = conv->attrs.as<Conv2DAttrs>();
    const TensorTypeNode* wtype = TypeOf(conv->args[1]);
    int index = LayoutAxisIndex(attrs->kernel_layout, 'O');
    if (wtype == nullptr || index < 0 || index >= static_cast<int>(wtype->shape.size())) return -1;
    const auto* extent = wtype->shape[index].as<IntImmNode>();
    return extent == nullptr ? -1 : extent->value;
  }

  int channel_pos_{-1};
};

}  // namespace

namespace transform {

Pass CombineParallelConv2D(uint64_t min_num_branches) {
  return pass_util::FunctionRewritePass(
      [=](Function f, IRModule) { return Downcast<Function>(ParallelConv2DCombiner(min_num_branches).Combine(f)); },
      4, "CombineParallelConv2D", {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.CombineParallelConv2D").set_body_typed([](int64_t min_num_branches) {
  return CombineParallelConv2D(MinNumBranches("CombineParallelConv2D", min_num_branches));
});

}  // namespace transform
}  // namespace relay
}  // namespace tvm
