/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/sink_reshape.cc
 * \brief SinkReshape: elementwise operators move above the reshape before them, so that
 *  FuseOps fuses them into the reshape's producer (a dense's epilogue) and the reshape
 *  becomes a view (__nop) of the result.
 *
 * Frontends write a linear layer on a 3-d input as reshape -> dense -> reshape -> bias_add;
 * the second reshape cuts dense off from its bias, activation and residual add, which then
 * run as kernels of their own, each one more pass over the activations.
 *
 *   bias_add(reshape(x), b, axis=last)    -> reshape(bias_add(x, b, axis=-1))
 *   f(reshape(x))        (f unary elementwise)        -> reshape(f(x))
 *   g(reshape(x), c)     (g binary elementwise; c a scalar or a vector along the last axis,
 *                         whose length x's last axis keeps)              -> reshape(g(x, c))
 *   g(reshape(x), y)     (y of the result's full shape)  -> reshape(g(x, reshape(y, x's shape)))
 *   g(reshape(x), reshape(z))  (z of x's shape)          -> reshape(g(x, z))
 *
 * Only static shapes; the operand order is kept (subtract, divide). One bottom-up walk
 * (MixedModeMutator, no recursion): chains move in one pass, each new node typed as it is made.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include <optional>
#include <string>
#include <unordered_set>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

const std::unordered_set<std::string>& UnaryElementwise() {
  static const std::unordered_set<std::string> ops{"nn.relu", "sigmoid", "tanh", "erf", "negative", "exp",
                                                   "sqrt", "rsqrt", "fast_tanh", "fast_erf", "fast_exp"};
  return ops;
}

const std::unordered_set<std::string>& BinaryElementwise() {
  static const std::unordered_set<std::string> ops{"add", "subtract", "multiply", "divide"};
  return ops;
}

/*! \brief A static shape as integers, or nullopt. */
std::optional<std::vector<int64_t>> StaticShape(const TensorTypeNode* t) {
  if (t == nullptr) return std::nullopt;
  std::vector<int64_t> dims;
  for (const PrimExpr& d : t->shape) {
    const auto* v = d.as<IntImmNode>();
    if (v == nullptr) return std::nullopt;
    dims.push_back(v->value);
  }
  return dims;
}

Array<Integer> ToArray(const std::vector<int64_t>& dims) {
  Array<Integer> out;
  for (int64_t d : dims) out.push_back(Integer(static_cast<int>(d)));
  return out;
}

class ReshapeSinker : public MixedModeMutator {
 public:
  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    const auto* op = call == nullptr ? nullptr : call->op.as<OpNode>();
    if (op == nullptr) return post;
    const TensorTypeNode* out_type = pre->checked_type_.defined() ? pre->checked_type_.as<TensorTypeNode>() : nullptr;
    std::optional<std::vector<int64_t>> out_shape = StaticShape(out_type);
    if (!out_shape || out_shape->empty()) return post;
    const std::string& name = op->name;
    if (UnaryElementwise().count(name) && call->args.size() == 1) {
      auto source = ReshapeSource(call->args[0], pre->args[0], *out_shape);
      if (!source) return post;
      return Reshaped(Call(call->op, {source->first}, call->attrs, call->type_args), source->second, out_type);
    }
    if (name == "nn.bias_add") {
      int axis = call->attrs.as<BiasAddAttrs>()->axis;
      if (axis < 0) axis += static_cast<int>(out_shape->size());
      if (axis != static_cast<int>(out_shape->size()) - 1) return post;
      auto source = ReshapeSource(call->args[0], pre->args[0], *out_shape);
      if (!source || source->second.back() != out_shape->back()) return post;
      return Reshaped(pass_util::MakeOp("nn.bias_add", source->first, call->args[1], -1), source->second, out_type);
    }
    if (BinaryElementwise().count(name) && call->args.size() == 2) {
      for (int side = 0; side < 2; ++side) {
        auto source = ReshapeSource(call->args[side], pre->args[side], *out_shape);
        if (!source) continue;
        std::optional<Expr> other = OtherOperand(call->args[1 - side], pre->args[1 - side], *out_shape, source->second);
        if (!other) continue;
        Array<Expr> args = side == 0 ? Array<Expr>{source->first, *other} : Array<Expr>{*other, source->first};
        return Reshaped(Call(call->op, args, call->attrs, call->type_args), source->second, out_type);
      }
    }
    return post;
  }

 private:
  /*!
   * \brief When `e` is reshape(x) to the result's shape, with x of a static shape other than it:
   *  x and its shape.
   */
  std::optional<std::pair<Expr, std::vector<int64_t>>> ReshapeSource(const Expr& e, const Expr& pre,
                                                                      const std::vector<int64_t>& out_shape) {
    const auto* call = e.as<CallNode>();
    if (call == nullptr || !call->op.same_as(reshape_)) return std::nullopt;
    const Expr& x = call->args[0];
    // A node the walk rebuilt (its inputs changed) has no type yet: the input's node has it.
    const auto* pre_call = pre.as<CallNode>();
    Expr pre_x = pre_call != nullptr && pre_call->op.same_as(reshape_) ? pre_call->args[0] : Expr();
    const TensorTypeNode* x_type = TypeOf(x, pre_x);
    std::optional<std::vector<int64_t>> x_shape = StaticShape(x_type);
    const TensorTypeNode* r_type = TypeOf(e, pre);
    std::optional<std::vector<int64_t>> r_shape = StaticShape(r_type);
    if (!x_shape || x_shape->empty() || !r_shape || *r_shape != out_shape || *x_shape == out_shape) return std::nullopt;
    return std::make_pair(x, *x_shape);
  }

  /*!
   * \brief The other operand of a binary op, rewritten to combine with x (of x_shape) instead of
   *  reshape(x): nullopt when it broadcasts in a way the reshape does not keep.
   */
  std::optional<Expr> OtherOperand(const Expr& post, const Expr& pre, const std::vector<int64_t>& out_shape,
                                   const std::vector<int64_t>& x_shape) {
    if (auto source = ReshapeSource(post, pre, out_shape)) {
      if (source->second == x_shape) return source->first;
    }
    const TensorTypeNode* type = TypeOf(post, pre);
    std::optional<std::vector<int64_t>> shape = StaticShape(type);
    if (!shape || shape->size() > out_shape.size()) return std::nullopt;
    if (*shape == out_shape) return Typed(pass_util::MakeOp("reshape", post, ToArray(x_shape), false), x_shape, type);
    // A scalar or a vector along the last axis (leading unit axes allowed).
    for (size_t i = 0; i + 1 < shape->size(); ++i) {
      if ((*shape)[i] != 1) return std::nullopt;
    }
    int64_t last = shape->empty() ? 1 : shape->back();
    if (last != 1 && (last != out_shape.back() || x_shape.back() != out_shape.back())) return std::nullopt;
    if (shape->size() <= 1) return post;
    return Typed(pass_util::MakeOp("reshape", post, ToArray({last}), false), {last}, type);
  }

  /*!
   * \brief The tensor type of `post`: its own (an input node, or one this pass made), else that of
   *  `pre`, the input node it was rebuilt from (rewrites keep types).
   */
  static const TensorTypeNode* TypeOf(const Expr& post, const Expr& pre) {
    if (post->checked_type_.defined()) return post->checked_type_.as<TensorTypeNode>();
    if (pre.defined() && pre->checked_type_.defined()) return pre->checked_type_.as<TensorTypeNode>();
    return nullptr;
  }

  Expr Typed(Expr e, const std::vector<int64_t>& shape, const TensorTypeNode* like) {
    // Dimensions of the index type the input's shapes use.
    DataType index = like->shape.empty() ? DataType::Int(32) : like->shape[0].dtype();
    Array<PrimExpr> dims;
    for (int64_t d : shape) dims.push_back(IntImm(index, d));
    e->checked_type_ = TensorType(dims, like->dtype);
    return e;
  }

  /*! \brief reshape(inner) to the call's type; inner typed with x's shape and the result's dtype. */
  Expr Reshaped(Expr inner, const std::vector<int64_t>& inner_shape, const TensorTypeNode* out_type) {
    Typed(inner, inner_shape, out_type);
    std::vector<int64_t> out_shape = *StaticShape(out_type);
    Expr out = pass_util::MakeOp("reshape", inner, ToArray(out_shape), false);
    out->checked_type_ = GetRef<Type>(out_type);
    return out;
  }

  Op reshape_ = Op::Get("reshape");
};

}  // namespace

Expr SinkReshape(const Expr& expr) { return ReshapeSinker().Mutate(expr); }

namespace transform {

Pass SinkReshape() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::SinkReshape(f)); }, 1, "SinkReshape",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.SinkReshape").set_body_typed([]() { return SinkReshape(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
