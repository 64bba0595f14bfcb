/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/simplify_inference.cc
 * \brief SimplifyInference: the training-time normalisation operators become
 *  the arithmetic they compute at inference, so that later passes (FoldConstant,
 *  FuseOps) see plain elementwise and reduction operators.
 *
 *   batch_norm(x, g, b, m, v)[0]  ->  x * s + (-m * s + b),  s = 1 / sqrt(v + eps) * g
 *                                     (s and the shift expanded to x's rank after the axis)
 *   dropout(x)[0]                 ->  x
 *   layer_norm / group_norm / instance_norm -> (x - mean) / sqrt(var + eps) * g + b
 *   l2_normalize(x)               ->  x / sqrt(max(sum(x * x), eps))
 *
 * Only batch_norm's first output (and dropout's) is rewritten: the others are
 * the moving statistics, not used at inference. Needs the types of the inputs
 * (rank and shape), so the module is type-inferred first when it is not.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/expr_functor.h>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using pass_util::MakeOp;
using pass_util::ScalarConstant;

Array<Integer> IntList(const std::vector<int64_t>& v) {
  Array<Integer> out;
  for (int64_t x : v) out.push_back(Integer(static_cast<int>(x)));
  return out;
}

/*! \brief `bias` (1-d, along `axis` of a rank-`ndim` tensor) with unit axes appended so it broadcasts there. */
Expr ExpandToAxis(const Expr& bias, int ndim, int axis) {
  int pad = ndim - axis - 1;
  if (pad <= 0) return bias;
  return MakeOp("expand_dims", bias, 1, pad);
}

const TensorTypeNode* InputType(const Expr& pre_arg, const char* op_name) {
  const TensorTypeNode* t = pass_util::TensorTypeOf(pre_arg);
  TVM_CHECK(t != nullptr, "ValueError") << "SimplifyInference: the data of " << op_name
                                        << " has no tensor type; run relay.transform.InferType() first";
  return t;
}

int NormaliseAxis(int axis, int ndim, const char* op_name) {
  int a = axis < 0 ? axis + ndim : axis;
  TVM_CHECK(a >= 0 && a < ndim, "ValueError") << "SimplifyInference: " << op_name << " axis " << axis
                                              << " is out of range for a tensor of rank " << ndim;
  return a;
}

Expr BatchNormInference(const BatchNormAttrs* attrs, const Expr& data, const Expr& gamma, const Expr& beta,
                        const Expr& mean, const Expr& var, const TensorTypeNode* type) {
  Expr epsilon = ScalarConstant(type->dtype, static_cast<float>(attrs->epsilon));
  Expr scale = MakeOp("divide", ScalarConstant(type->dtype, 1.0), MakeOp("sqrt", MakeOp("add", var, epsilon)));
  if (attrs->scale) scale = MakeOp("multiply", scale, gamma);
  Expr shift = MakeOp("multiply", MakeOp("negative", mean), scale);
  if (attrs->center) shift = MakeOp("add", shift, beta);
  int ndim = static_cast<int>(type->shape.size());
  int axis = NormaliseAxis(attrs->axis, ndim, "nn.batch_norm");
  scale = ExpandToAxis(scale, ndim, axis);
  shift = ExpandToAxis(shift, ndim, axis);
  return MakeOp("add", MakeOp("multiply", data, scale), shift);
}

/*! \brief (x - mean) / sqrt(var + eps) over `axes`, keeping dims. */
Expr Standardise(const Expr& data, const Array<Integer>& axes, DataType dtype, double epsilon) {
  Expr mean = MakeOp("mean", data, axes, true, false);
  Expr var = MakeOp("_variance", data, mean, axes, true, false, false);
  Expr denom = MakeOp("sqrt", MakeOp("add", var, ScalarConstant(dtype, static_cast<float>(epsilon))));
  return MakeOp("divide", MakeOp("subtract", data, mean), denom);
}

template <typename Attrs>
Expr ScaleAndCenter(Expr out, const Attrs* attrs, const Expr& gamma, const Expr& beta, int ndim, int axis) {
  if (attrs->scale) out = MakeOp("multiply", out, ExpandToAxis(gamma, ndim, axis));
  if (attrs->center) out = MakeOp("add", out, ExpandToAxis(beta, ndim, axis));
  return out;
}

Expr LayerNormInference(const LayerNormAttrs* attrs, const Expr& data, const Expr& gamma, const Expr& beta,
                        const TensorTypeNode* type) {
  int ndim = static_cast<int>(type->shape.size());
  int axis = NormaliseAxis(attrs->axis, ndim, "nn.layer_norm");
  Expr out = Standardise(data, IntList({attrs->axis}), type->dtype, attrs->epsilon);
  return ScaleAndCenter(out, attrs, gamma, beta, ndim, axis);
}

Expr InstanceNormInference(const InstanceNormAttrs* attrs, const Expr& data, const Expr& gamma, const Expr& beta,
                           const TensorTypeNode* type) {
  int ndim = static_cast<int>(type->shape.size());
  int axis = NormaliseAxis(attrs->axis, ndim, "nn.instance_norm");
  std::vector<int64_t> reduced;  // every axis but the batch (0) and the channel
  for (int i = 1; i < ndim; ++i) {
    if (i != axis) reduced.push_back(i);
  }
  Expr out = Standardise(data, IntList(reduced), type->dtype, attrs->epsilon);
  return ScaleAndCenter(out, attrs, gamma, beta, ndim, axis);
}

int64_t StaticDim(const TensorTypeNode* type, int i, const char* op_name) {
  const auto* dim = type->shape[i].as<IntImmNode>();
  TVM_CHECK(dim != nullptr, "ValueError") << "SimplifyInference: " << op_name << " needs a static shape, got dimension "
                                          << i << " = " << type->shape[i];
  return dim->value;
}

Expr GroupNormInference(const GroupNormAttrs* attrs, Expr data, const Expr& gamma, const Expr& beta,
                        const TensorTypeNode* type) {
  int ndim = static_cast<int>(type->shape.size());
  int axis = NormaliseAxis(attrs->axis, ndim, "nn.group_norm");
  int64_t groups = attrs->num_groups;
  bool is_static = true;
  for (const PrimExpr& d : type->shape) is_static = is_static && d.as<IntImmNode>() != nullptr;
  if (!is_static) {
    // relay.Any() extents: reshape's special values split the channel axis at run time
    // (0 copies, -4 splits into (groups, -1), -2 keeps the rest) and reshape_like undoes it.
    const auto* c = type->shape[axis].as<IntImmNode>();
    TVM_CHECK(groups > 0 && (c == nullptr || c->value % groups == 0), "ValueError")
        << "SimplifyInference: nn.group_norm with num_groups=" << groups << " does not divide the "
        << type->shape[axis] << " channels";
    std::vector<int64_t> split(axis, 0), reduced;
    for (int64_t v : {int64_t(-4), groups, int64_t(-1), int64_t(-2)}) split.push_back(v);
    for (int i = axis + 1; i <= ndim; ++i) reduced.push_back(i);
    Expr out = Standardise(MakeOp("reshape", data, IntList(split), false), IntList(reduced), type->dtype,
                           attrs->epsilon);
    out = MakeOp("reshape_like", out, data, 0, ObjectRef(), 0, ObjectRef());
    return ScaleAndCenter(out, attrs, gamma, beta, ndim, axis);
  }
  int64_t channels = StaticDim(type, axis, "nn.group_norm");
  TVM_CHECK(groups > 0 && channels % groups == 0, "ValueError")
      << "SimplifyInference: nn.group_norm with num_groups=" << groups << " does not divide the " << channels
      << " channels";
  // Split the channel axis into (groups, channels / groups) and standardise over
  // everything after the group axis.
  std::vector<int64_t> old_shape, new_shape, reduced;
  for (int i = 0; i < ndim; ++i) {
    int64_t extent = StaticDim(type, i, "nn.group_norm");
    old_shape.push_back(extent);
    if (i == axis) {
      new_shape.push_back(groups);
      new_shape.push_back(channels / groups);
      reduced.push_back(i + 1);
    } else {
      if (i > axis) reduced.push_back(i + 1);
      new_shape.push_back(extent);
    }
  }
  data = MakeOp("reshape", data, IntList(new_shape), false);
  Expr out = Standardise(data, IntList(reduced), type->dtype, attrs->epsilon);
  out = MakeOp("reshape", out, IntList(old_shape), false);
  return ScaleAndCenter(out, attrs, gamma, beta, ndim, axis);
}

Expr L2NormalizeInference(const L2NormalizeAttrs* attrs, const Expr& data) {
  // The epsilon is float32 whatever the data (as TVM).
  Expr eps = ScalarConstant(DataType::Float(32), static_cast<float>(attrs->eps));
  Expr sum = MakeOp("sum", MakeOp("multiply", data, data), attrs->axis, true, false);
  return MakeOp("divide", data, MakeOp("sqrt", MakeOp("maximum", sum, eps)));
}

class InferenceSimplifier : public MixedModeMutator {
 public:
  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    if (call == nullptr) return post;
    if (pre->op.same_as(batch_norm_)) {
      // Rewritten when its first output is taken; remember the input's type for then.
      types_[call->args[0]] = InputType(pre->args[0], "nn.batch_norm");
    } else if (pre->op.same_as(layer_norm_)) {
      return LayerNormInference(call->attrs.as<LayerNormAttrs>(), call->args[0], call->args[1], call->args[2],
                                InputType(pre->args[0], "nn.layer_norm"));
    } else if (pre->op.same_as(group_norm_)) {
      return GroupNormInference(call->attrs.as<GroupNormAttrs>(), call->args[0], call->args[1], call->args[2],
                                InputType(pre->args[0], "nn.group_norm"));
    } else if (pre->op.same_as(instance_norm_)) {
      return InstanceNormInference(call->attrs.as<InstanceNormAttrs>(), call->args[0], call->args[1], call->args[2],
                                   InputType(pre->args[0], "nn.instance_norm"));
    } else if (pre->op.same_as(l2_normalize_)) {
      return L2NormalizeInference(call->attrs.as<L2NormalizeAttrs>(), call->args[0]);
    }
    return post;
  }

  Expr Rewrite_(const TupleGetItemNode* pre, const Expr& post) final {
    const auto* get = post.as<TupleGetItemNode>();
    if (get == nullptr || get->index != 0) return post;
    const auto* call = get->tuple.as<CallNode>();
    if (call == nullptr) return post;
    if (call->op.same_as(batch_norm_)) {
      auto it = types_.find(call->args[0]);
      ICHECK(it != types_.end());
      return BatchNormInference(call->attrs.as<BatchNormAttrs>(), call->args[0], call->args[1], call->args[2],
                                call->args[3], call->args[4], it->second);
    }
    if (call->op.same_as(dropout_)) return call->args[0];
    return post;
  }

 private:
  Op batch_norm_ = Op::Get("nn.batch_norm");
  Op dropout_ = Op::Get("nn.dropout");
  Op layer_norm_ = Op::Get("nn.layer_norm");
  Op group_norm_ = Op::Get("nn.group_norm");
  Op instance_norm_ = Op::Get("nn.instance_norm");
  Op l2_normalize_ = Op::Get("nn.l2_normalize");
  std::unordered_map<Expr, const TensorTypeNode*, ObjectPtrHash, ObjectPtrEqual> types_;
};

}  // namespace

Expr SimplifyInference(const Expr& expr) { return InferenceSimplifier().Mutate(expr); }

namespace transform {

Pass SimplifyInference() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::SimplifyInference(f)); }, 0, "SimplifyInference",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.SimplifyInference").set_body_typed([]() { return SimplifyInference(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
