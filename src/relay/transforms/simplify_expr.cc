/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/simplify_expr.cc
 * \brief SimplifyExpr: local algebraic rewrites that remove work.
 *
 *   reshape(reshape(x))            -> reshape(x, final static shape)
 *   transpose(transpose(x))        -> transpose(x, composed axes); an identity transpose -> x
 *   cast(x, dtype of x)            -> x;  cast(cast(x)) -> cast(x) when the first cast widens
 *   zeros_like / ones_like / full_like / reshape_like / collapse_sum_like /
 *   broadcast_to_like / cast_like  -> the same op with the static shape or dtype
 *   x + 0, x * 1, x - 0, x / 1     -> x (when the result has x's type)
 *   op(x, full(c)) (broadcast op)  -> op(x, c)
 *   x + x -> x * 2;  a / sqrt(b) -> a * rsqrt(b)
 *   (x + c1) * c2 -> x * c2 + c1 * c2;  (x * c1) * c2 -> x * (c1 * c2)  (constants folded)
 *   cast(clip(x)) to a type holding the clipped range -> clip(x); clip over a whole dtype -> x
 *   a*x*x + b*x*y + c*y*y          -> a * (x + p*y) * (x + q*y)   (real roots only)
 *   batch_matmul(a, transpose(x, [p0, p1, p2])) -> batch_matmul(a, transpose(x, [p0, p2, p1]))
 *                                     with the operand's transpose flag flipped, when p1 is x's last
 *                                     axis (x itself when [p0, p2, p1] is the identity); either operand
 *
 * The rules are TVM's (the batch_matmul one is ours: attention's q @ k^T, where the transposed key
 * would otherwise be copied with its innermost axis scattered), tried in TVM's order at each node, bottom-up; the
 * rewrite is repeated, with types inferred again between rounds, until
 * nothing changes. A node a rule produces takes the type of the node it
 * replaces (rewrites keep types), so later rules at its parents can read it.
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/attrs/elemwise.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include <cfloat>
#include <cmath>
#include <optional>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using pass_util::MakeOp;
using pass_util::ScalarConstant;

const CallNode* AsCall(const Expr& e, std::initializer_list<const char*> names) {
  const auto* call = e.as<CallNode>();
  if (call == nullptr) return nullptr;
  const auto* op = call->op.as<OpNode>();
  if (op == nullptr) return nullptr;
  for (const char* n : names) {
    if (op->name == n) return call;
  }
  return nullptr;
}

const TensorTypeNode* TypeOf(const Expr& e) { return pass_util::TensorTypeOf(e); }

/*! \brief The static shape of `e`'s type, or nothing when it has a symbolic dimension. */
std::optional<Array<Integer>> StaticShape(const Expr& e) {
  const TensorTypeNode* t = TypeOf(e);
  if (t == nullptr) return std::nullopt;
  Array<Integer> out;
  for (const PrimExpr& d : t->shape) {
    const auto* imm = d.as<IntImmNode>();
    if (imm == nullptr) return std::nullopt;
    out.push_back(Integer(static_cast<int>(imm->value)));
  }
  return out;
}

/*! \brief The value of a 0-d numeric constant. */
std::optional<double> ScalarValue(const Expr& e) {
  const auto* c = e.as<ConstantNode>();
  if (c == nullptr || c->data->ndim != 0) return std::nullopt;
  DataType t(c->data->dtype);
  const void* p = static_cast<const char*>(c->data->data) + c->data->byte_offset;
  if (t.is_float() && t.bits() == 32) return *static_cast<const float*>(p);
  if (t.is_float() && t.bits() == 64) return *static_cast<const double*>(p);
  if (t.is_float16()) return text::HalfToFloat(*static_cast<const uint16_t*>(p));
  if (t.is_bool()) return *static_cast<const bool*>(p) ? 1.0 : 0.0;
  if (t.is_int()) {
    switch (t.bits()) {
      case 8: return *static_cast<const int8_t*>(p);
      case 16: return *static_cast<const int16_t*>(p);
      case 32: return *static_cast<const int32_t*>(p);
      case 64: return static_cast<double>(*static_cast<const int64_t*>(p));
    }
  }
  if (t.is_uint()) {
    switch (t.bits()) {
      case 8: return *static_cast<const uint8_t*>(p);
      case 16: return *static_cast<const uint16_t*>(p);
      case 32: return *static_cast<const uint32_t*>(p);
      case 64: return static_cast<double>(*static_cast<const uint64_t*>(p));
    }
  }
  return std::nullopt;
}

bool SameType(const Expr& a, const Expr& b) {
  return a->checked_type_.defined() && b->checked_type_.defined() &&
         StructuralEqual()(a->checked_type_, b->checked_type_);
}

std::string DTypeString(DataType t) { return runtime::DLDataType2String(t); }

/*! \brief The axes of a layout, one letter each: "NCHW4c" -> "NCHWc" (split factors dropped). */
std::string LayoutAxes(const std::string& layout) {
  std::string out;
  for (char c : layout) {
    if (std::isalpha(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

/*! \brief `layout`'s axes reordered: axis i of the result is axis order[i] of `layout` (a plain layout). */
std::string PermuteLayout(const std::string& layout, const std::vector<int>& order) {
  std::string out;
  for (int i : order) out.push_back(layout[i]);
  return out;
}

/*! \brief The permutation a transpose or a same-rank layout_transform applies (output axis i = input axis axes[i]). */
std::optional<std::vector<int>> PermutationOf(const CallNode* call, int ndim) {
  if (const auto* attrs = call->attrs.as<TransposeAttrs>()) {
    std::vector<int> axes;
    if (!attrs->axes.defined() || attrs->axes.empty()) {
      for (int i = ndim - 1; i >= 0; --i) axes.push_back(i);
      return axes;
    }
    if (static_cast<int>(attrs->axes.size()) != ndim) return std::nullopt;
    for (const Integer& a : attrs->axes) {
      int v = static_cast<int>(a->value);
      axes.push_back(v < 0 ? v + ndim : v);
    }
    return axes;
  }
  if (const auto* attrs = call->attrs.as<LayoutTransformAttrs>()) {
    std::string src = LayoutAxes(attrs->src_layout);
    std::string dst = LayoutAxes(attrs->dst_layout);
    if (static_cast<int>(dst.size()) != ndim || src.size() != dst.size()) return std::nullopt;
    std::vector<int> axes;
    for (char c : dst) {
      size_t at = src.find(c);
      if (at == std::string::npos) return std::nullopt;
      axes.push_back(static_cast<int>(at));
    }
    return axes;
  }
  return std::nullopt;
}

/*! \brief The range of values `dtype` holds. */
std::pair<double, double> DTypeRange(DataType t) {
  if (t.is_int()) return {-std::ldexp(1.0, t.bits() - 1), std::ldexp(1.0, t.bits() - 1) - 1};
  if (t.is_uint()) return {0.0, std::ldexp(1.0, t.bits()) - 1};
  if (t.is_bool()) return {0.0, 1.0};
  if (t.is_float16()) return {-65504.0, 65504.0};
  if (t.is_bfloat16()) return {-3.38953139e38, 3.38953139e38};
  if (t.is_float() && t.bits() == 32) return {-FLT_MAX, FLT_MAX};
  return {-DBL_MAX, DBL_MAX};
}

Array<Integer> ToIntegers(const std::vector<int>& v) {
  Array<Integer> out;
  for (int x : v) out.push_back(Integer(x));
  return out;
}

class ExprSimplifier : public MixedModeMutator {
 public:
  bool changed_ = false;

  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post_expr) final {
    // A rewrite keeps the type: the rebuilt node gets its original's, for the rules at its users.
    if (!post_expr->checked_type_.defined()) post_expr->checked_type_ = pre->checked_type_;
    const auto* call = post_expr.as<CallNode>();
    if (call == nullptr || !call->op.as<OpNode>()) return post_expr;
    Expr out = Apply(post_expr, call);
    if (!out.same_as(post_expr)) {
      changed_ = true;
      if (!out->checked_type_.defined()) out->checked_type_ = pre->checked_type_;
    }
    return out;
  }

 private:
  using Rule = Expr (ExprSimplifier::*)(const Expr&, const CallNode*);

  Expr Apply(const Expr& post, const CallNode* call) {
    static const Rule rules[] = {
        &ExprSimplifier::ConcretizeLike,   &ExprSimplifier::SimplifyAdd,
        &ExprSimplifier::SimplifyRSqrt,    &ExprSimplifier::EliminateIdentity,
        &ExprSimplifier::SimplifyReshape,  &ExprSimplifier::SimplifyTranspose,
        &ExprSimplifier::NoOpTranspose,    &ExprSimplifier::SameCast,
        &ExprSimplifier::ConsecutiveCast,  &ExprSimplifier::FullElementwise,
        &ExprSimplifier::SwitchAddMultiply, &ExprSimplifier::AdjacentMultiplyOrAdd,
        &ExprSimplifier::ClipAndConsecutiveCast, &ExprSimplifier::SimplifyClip,
        &ExprSimplifier::SimplifyBinomial, &ExprSimplifier::TransposeIntoBatchMatmul,
    };
    for (Rule rule : rules) {
      Expr out = (this->*rule)(post, call);
      if (!out.same_as(post)) return out;
    }
    return post;
  }

  /*!
   * \brief batch_matmul reads either operand transposed (its transpose_a / transpose_b flags), so a
   *  transpose producing the operand can swap its last two output axes for free. Done when that
   *  leaves x's innermost axis innermost: the copy becomes contiguous rows (or disappears), where
   *  before it scattered every element. Shape-preserving reshapes and broadcast_tos between the
   *  transpose and the batch_matmul (the PyTorch frontend's bmm adds them) are looked through.
   */
  Expr TransposeIntoBatchMatmul(const Expr& post, const CallNode* call) {
    const CallNode* matmul = AsCall(post, {"nn.batch_matmul"});
    const auto* attrs = matmul == nullptr ? nullptr : matmul->attrs.as<BatchMatmulAttrs>();
    if (attrs == nullptr || call->args.size() != 2) return post;
    Expr operands[2] = {call->args[0], call->args[1]};
    bool transposed[2] = {attrs->transpose_a, attrs->transpose_b};
    bool changed = false;
    for (int side = 0; side < 2; ++side) {
      if (std::optional<Expr> swapped = SwapLastTwoAxes(operands[side])) {
        operands[side] = *swapped;
        transposed[side] = !transposed[side];
        changed = true;
      }
    }
    if (!changed) return post;
    return MakeOp("nn.batch_matmul", operands[0], operands[1], attrs->out_dtype, transposed[0], transposed[1]);
  }

  /*! \brief `e` (3-d, transpose(x, p) up to shape-preserving ops) with its last two axes swapped,
   *  when that is transpose(x, p') with p' keeping x's last axis last, or x itself. */
  static std::optional<Expr> SwapLastTwoAxes(Expr e) {
    while (const CallNode* same = AsCall(e, {"reshape", "broadcast_to"})) {
      if (!SameType(same->args[0], e)) break;
      e = same->args[0];
    }
    const CallNode* transpose = AsCall(e, {"transpose"});
    const TensorTypeNode* type = TypeOf(e);
    if (transpose == nullptr || type == nullptr || type->shape.size() != 3) return std::nullopt;
    std::optional<std::vector<int>> axes = PermutationOf(transpose, 3);
    if (!axes) return std::nullopt;
    std::swap((*axes)[1], (*axes)[2]);
    if ((*axes)[2] != 2) return std::nullopt;  // still a scattering copy: leave it
    if ((*axes)[0] == 0) return transpose->args[0];  // [0, 1, 2]
    return MakeOp("transpose", transpose->args[0], ToIntegers(*axes));
  }

  // zeros_like(x) -> zeros(shape, dtype) and the other *_like operators, when the shape is static.
  Expr ConcretizeLike(const Expr& post, const CallNode* call) {
    const TensorTypeNode* type = TypeOf(post);
    if (type == nullptr) return post;
    if (AsCall(post, {"cast_like"})) return MakeOp("cast", call->args[0], DTypeString(type->dtype));
    if (!AsCall(post, {"zeros_like", "ones_like", "full_like", "reshape_like", "collapse_sum_like",
                       "broadcast_to_like"})) {
      return post;
    }
    std::optional<Array<Integer>> shape = StaticShape(post);
    if (!shape) return post;
    const std::string name = call->op.as<OpNode>()->name;
    if (name == "zeros_like") return MakeOp("zeros", *shape, type->dtype);
    if (name == "ones_like") return MakeOp("ones", *shape, type->dtype);
    if (name == "full_like") return MakeOp("full", call->args[1], *shape, type->dtype);
    if (name == "reshape_like") return MakeOp("reshape", call->args[0], *shape, false);
    if (name == "broadcast_to_like") return MakeOp("broadcast_to", call->args[0], *shape);
    // collapse_sum_like: the target shape as an int32 constant, as relay.collapse_sum_to makes it.
    runtime::NDArray dims =
        runtime::NDArray::Empty({static_cast<int64_t>(shape->size())}, DataType::Int(32), DLDevice{kDLCPU, 0});
    for (size_t i = 0; i < shape->size(); ++i) {
      static_cast<int32_t*>(dims->data)[i] = static_cast<int32_t>((*shape)[i]->value);
    }
    return MakeOp("collapse_sum_to", call->args[0], Constant(dims));
  }

  // x + x -> x * 2
  Expr SimplifyAdd(const Expr& post, const CallNode* call) {
    const TensorTypeNode* type = TypeOf(post);
    if (!AsCall(post, {"add"}) || type == nullptr || !call->args[0].same_as(call->args[1])) return post;
    return MakeOp("multiply", call->args[0], ScalarConstant(type->dtype, 2));
  }

  // a / sqrt(b) -> a * rsqrt(b)
  Expr SimplifyRSqrt(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"divide"})) return post;
    const CallNode* root = AsCall(call->args[1], {"sqrt"});
    if (root == nullptr) return post;
    return MakeOp("multiply", call->args[0], MakeOp("rsqrt", root->args[0]));
  }

  /*! \brief Whether `e` is zero (value 0) or one (value 1) everywhere, as the identity rules accept it. */
  static bool IsFill(const Expr& e, double value) {
    if (e.as<ConstantNode>()) {
      std::optional<double> v = ScalarValue(e);
      return v && *v == value;
    }
    const CallNode* call = AsCall(e, {value == 0 ? "zeros" : "ones", value == 0 ? "zeros_like" : "ones_like"});
    if (call == nullptr) return false;
    const std::string name = call->op.as<OpNode>()->name;
    return (name == "zeros" || name == "ones") ? call->args.empty() : call->args.size() == 1;
  }

  // x + 0, 0 + x, x * 1, 1 * x, x - 0, x / 1 -> x, when x already has the result's type.
  Expr EliminateIdentity(const Expr& post, const CallNode* call) {
    const CallNode* c = AsCall(post, {"add", "multiply", "subtract", "divide"});
    if (c == nullptr || c->args.size() != 2) return post;
    const std::string name = c->op.as<OpNode>()->name;
    double neutral = (name == "add" || name == "subtract") ? 0 : 1;
    bool commutative = name == "add" || name == "multiply";
    for (int side = 0; side < (commutative ? 2 : 1); ++side) {
      const Expr& x = c->args[side];
      const Expr& other = c->args[1 - side];
      if (IsFill(other, neutral) && SameType(x, post)) return x;
    }
    return post;
  }

  // reshape(reshape(x)) -> reshape(x, static shape)
  Expr SimplifyReshape(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"reshape", "contrib_reverse_reshape"})) return post;
    const CallNode* inner = AsCall(call->args[0], {"reshape", "contrib_reverse_reshape"});
    if (inner == nullptr) return post;
    std::optional<Array<Integer>> shape = StaticShape(post);
    if (!shape) return post;
    return MakeOp("reshape", inner->args[0], *shape, false);
  }

  // transpose(transpose(x)) -> transpose(x, composed)   (layout_transform of equal rank counts as a transpose)
  Expr SimplifyTranspose(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"transpose", "layout_transform"})) return post;
    const CallNode* inner = AsCall(call->args[0], {"transpose", "layout_transform"});
    const TensorTypeNode* type = TypeOf(post);
    if (inner == nullptr || type == nullptr) return post;
    Expr folded = FoldRankChangingLayout(post, call, inner);
    if (!folded.same_as(post)) return folded;
    int ndim = static_cast<int>(type->shape.size());
    auto outer_axes = PermutationOf(call, ndim);
    auto inner_axes = PermutationOf(inner, ndim);
    if (!outer_axes || !inner_axes) return post;
    std::vector<int> axes(ndim);
    for (int i = 0; i < ndim; ++i) axes[i] = (*inner_axes)[(*outer_axes)[i]];
    return MakeOp("transpose", inner->args[0], ToIntegers(axes));
  }

  /*!
   * \brief A transpose next to a layout_transform that changes the rank (NCHW <-> NCHW4c),
   *  or two such transforms, as one layout_transform from or to the permuted layout.
   */
  Expr FoldRankChangingLayout(const Expr& post, const CallNode* outer, const CallNode* inner) {
    auto changes_rank = [](const CallNode* c) {
      const auto* a = c->attrs.as<LayoutTransformAttrs>();
      return a != nullptr && LayoutAxes(a->src_layout).size() != LayoutAxes(a->dst_layout).size();
    };
    std::string src, dst;
    const CallNode* other = nullptr;
    if (changes_rank(outer)) {
      const auto* a = outer->attrs.as<LayoutTransformAttrs>();
      src = a->src_layout;
      dst = a->dst_layout;
      other = inner;
    }
    if (changes_rank(inner)) {
      const auto* a = inner->attrs.as<LayoutTransformAttrs>();
      if (other == nullptr) {
        src = a->src_layout;
        dst = a->dst_layout;
        other = outer;
      } else {
        if (a->dst_layout != src) return post;  // the two do not meet in one layout
        src = a->src_layout;
      }
    }
    if (other == nullptr) return post;
    size_t src_rank = LayoutAxes(src).size(), dst_rank = LayoutAxes(dst).size();
    const Expr& data = inner->args[0];
    Expr result;
    if (src_rank < dst_rank) {
      auto axes = PermutationOf(other, static_cast<int>(src_rank));
      if (!axes || src.size() != src_rank) return post;
      std::vector<int> inverse(axes->size());
      for (size_t i = 0; i < axes->size(); ++i) inverse[(*axes)[i]] = static_cast<int>(i);
      result = MakeOp("layout_transform", data, PermuteLayout(src, inverse), dst);
    } else if (src_rank > dst_rank) {
      auto axes = PermutationOf(other, static_cast<int>(dst_rank));
      if (!axes || dst.size() != dst_rank) return post;
      result = MakeOp("layout_transform", data, src, PermuteLayout(dst, *axes));
    } else if (other->attrs.as<LayoutTransformAttrs>()) {
      if (src == dst) return data;
      result = MakeOp("layout_transform", data, src, dst);
    } else {
      return post;
    }
    return result;
  }

  // transpose(x, identity) -> x; layout_transform(x, L, L) -> x
  Expr NoOpTranspose(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"transpose", "layout_transform"})) return post;
    if (const auto* attrs = call->attrs.as<LayoutTransformAttrs>()) {
      if (attrs->src_layout == attrs->dst_layout) return call->args[0];
      return post;
    }
    const TensorTypeNode* type = TypeOf(post);
    if (type == nullptr) return post;
    auto axes = PermutationOf(call, static_cast<int>(type->shape.size()));
    if (!axes) return post;
    for (size_t i = 0; i < axes->size(); ++i) {
      if ((*axes)[i] != static_cast<int>(i)) return post;
    }
    return call->args[0];
  }

  // cast(x) to x's own dtype -> x
  Expr SameCast(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"cast", "cast_like"})) return post;
    const TensorTypeNode* from = TypeOf(call->args[0]);
    const TensorTypeNode* to = TypeOf(post);
    if (from == nullptr || to == nullptr || from->dtype != to->dtype) return post;
    return call->args[0];
  }

  static bool IsWidening(DataType from, DataType to) {
    if (from.code() == to.code() && from.bits() <= to.bits()) return true;
    if (from.code() == DataType::kBFloat || to.code() == DataType::kBFloat) return false;
    return from.code() < to.code() && from.bits() <= to.bits();
  }

  // cast(cast(x, wider), t) -> cast(x, t)
  Expr ConsecutiveCast(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"cast", "cast_like"})) return post;
    const CallNode* inner = AsCall(call->args[0], {"cast", "cast_like"});
    if (inner == nullptr) return post;
    const TensorTypeNode* data = TypeOf(inner->args[0]);
    const TensorTypeNode* mid = TypeOf(call->args[0]);
    const TensorTypeNode* out = TypeOf(post);
    if (data == nullptr || mid == nullptr || out == nullptr || !IsWidening(data->dtype, mid->dtype)) return post;
    return MakeOp("cast", inner->args[0], DTypeString(out->dtype));
  }

  /*! \brief The scalar a full/ones/zeros(-like) call fills with, as a constant of `dtype`. */
  static std::optional<Expr> FillValue(const Expr& e, DataType dtype) {
    if (const CallNode* c = AsCall(e, {"full", "full_like"})) {
      const Expr& value = c->args.back();
      if (c->args.size() != (c->op.as<OpNode>()->name == "full" ? 1u : 2u)) return std::nullopt;
      if (!value.as<ConstantNode>() || value.as<ConstantNode>()->data->ndim != 0) return std::nullopt;
      return value;
    }
    if (const CallNode* c = AsCall(e, {"ones", "ones_like", "zeros", "zeros_like"})) {
      const std::string name = c->op.as<OpNode>()->name;
      if (c->args.size() != (name.find("_like") != std::string::npos ? 1u : 0u)) return std::nullopt;
      return ScalarConstant(dtype, name.rfind("ones", 0) == 0 ? 1 : 0);
    }
    return std::nullopt;
  }

  // broadcast_op(full(c), x) -> broadcast_op(c, x) when x already has the result's shape
  Expr FullElementwise(const Expr& post, const CallNode* call) {
    const auto* op = call->op.as<OpNode>();
    if (call->args.size() != 2 || pattern_.get(GetRef<Op>(op), -1) != kBroadcast) return post;
    const TensorTypeNode* type = TypeOf(post);
    if (type == nullptr) return post;
    for (int full_side = 0; full_side < 2; ++full_side) {
      const Expr& x = call->args[1 - full_side];
      std::optional<Expr> value = FillValue(call->args[full_side], type->dtype);
      if (!value || !SameType(x, post)) continue;
      Array<Expr> args = full_side == 0 ? Array<Expr>{*value, x} : Array<Expr>{x, *value};
      return Call(call->op, args, call->attrs, call->type_args, call->span);
    }
    return post;
  }

  /*! \brief For a commutative binary call: (the non-constant side, the constant side), if one side is constant. */
  static std::optional<std::pair<Expr, Expr>> SplitConstant(const CallNode* c) {
    if (c->args.size() != 2) return std::nullopt;
    if (c->args[1].as<ConstantNode>()) return std::make_pair(c->args[0], c->args[1]);
    if (c->args[0].as<ConstantNode>()) return std::make_pair(c->args[1], c->args[0]);
    return std::nullopt;
  }

  Expr Fold(const Expr& e) { return FoldConstantExpr(e, IRModule(), false); }

  // (x + c1) * c2 -> x * c2 + (c1 * c2)
  Expr SwitchAddMultiply(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"multiply"})) return post;
    auto outer = SplitConstant(call);
    if (!outer) return post;
    const CallNode* add = AsCall(outer->first, {"add"});
    if (add == nullptr) return post;
    auto inner = SplitConstant(add);
    if (!inner || inner->first.as<ConstantNode>()) return post;
    Expr c2 = outer->second;
    return MakeOp("add", MakeOp("multiply", inner->first, c2), Fold(MakeOp("multiply", inner->second, c2)));
  }

  // (x * c1) * c2 -> x * (c1 * c2), and the same for add
  Expr AdjacentMultiplyOrAdd(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"multiply", "add"})) return post;
    const std::string name = call->op.as<OpNode>()->name;
    auto outer = SplitConstant(call);
    if (!outer) return post;
    const CallNode* inner_call = AsCall(outer->first, {name.c_str()});
    if (inner_call == nullptr) return post;
    auto inner = SplitConstant(inner_call);
    if (!inner || inner->first.as<ConstantNode>()) return post;
    return MakeOp(name, inner->first, Fold(MakeOp(name, inner->second, outer->second)));
  }

  // cast(...cast(clip(x))...): a cast whose dtype holds the whole clipped range changes nothing and goes.
  Expr ClipAndConsecutiveCast(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"cast"})) return post;
    std::vector<Expr> casts;
    Expr e = post;
    while (AsCall(e, {"cast"})) {
      casts.push_back(e);
      e = e.as<CallNode>()->args[0];
    }
    const CallNode* clip = AsCall(e, {"clip"});
    if (clip == nullptr) return post;
    const auto* attrs = clip->attrs.as<ClipAttrs>();
    std::vector<Expr> kept;  // outermost first
    for (const Expr& c : casts) {
      const TensorTypeNode* t = TypeOf(c);
      if (t == nullptr) return post;
      auto range = DTypeRange(t->dtype);
      if (!(attrs->a_max <= range.second && attrs->a_min >= range.first)) kept.push_back(c);
    }
    const TensorTypeNode* out_type = TypeOf(post);
    const TensorTypeNode* last = TypeOf(kept.empty() ? e : kept.front());
    if (out_type == nullptr || last == nullptr) return post;
    bool extra_cast = last->dtype != out_type->dtype;
    if (kept.size() + (extra_cast ? 1 : 0) >= casts.size()) return post;  // only ever shorten the chain
    Expr result = e;
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
      result = MakeOp("cast", result, DTypeString(it->as<CallNode>()->attrs.as<CastAttrs>()->dtype));
      result->checked_type_ = (*it)->checked_type_;
    }
    if (extra_cast) result = MakeOp("cast", result, DTypeString(out_type->dtype));
    return result;
  }

  // clip(x) whose bounds cover every value of its dtype -> x
  Expr SimplifyClip(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"clip"})) return post;
    if (AsCall(call->args[0], {"qnn.requantize", "qnn.add"})) return post;
    const TensorTypeNode* t = TypeOf(post);
    if (t == nullptr) return post;
    const auto* attrs = call->attrs.as<ClipAttrs>();
    auto range = DTypeRange(t->dtype);
    if (attrs->a_max >= range.second && attrs->a_min <= range.first) return call->args[0];
    return post;
  }

  /*! \brief A term k * u * v of a binomial: the two factors and the constant (undefined: 1). */
  struct Term {
    Expr u, v, k;
  };

  /*! \brief `e` as u * v, k * (u * v) or u * (k * v), in either operand order. */
  static std::optional<Term> AsTerm(const Expr& e) {
    const CallNode* m = AsCall(e, {"multiply"});
    if (m == nullptr) return std::nullopt;
    for (int side = 0; side < 2; ++side) {
      const Expr& a = m->args[side];
      const Expr& b = m->args[1 - side];
      if (const CallNode* inner = AsCall(b, {"multiply"})) {
        if (a.as<ConstantNode>() && !inner->args[0].as<ConstantNode>() && !inner->args[1].as<ConstantNode>()) {
          return Term{inner->args[0], inner->args[1], a};  // k * (u * v)
        }
        for (int j = 0; j < 2; ++j) {
          if (inner->args[j].as<ConstantNode>() && !inner->args[1 - j].as<ConstantNode>() && !a.as<ConstantNode>()) {
            return Term{a, inner->args[1 - j], inner->args[j]};  // u * (k * v)
          }
        }
      }
    }
    if (m->args[0].as<ConstantNode>() || m->args[1].as<ConstantNode>()) return std::nullopt;
    return Term{m->args[0], m->args[1], Expr()};
  }

  /*! \brief A constant coefficient as a number (1 when absent or of another dtype than `dtype`, as TVM). */
  static double Coefficient(const Expr& k, DataType dtype) {
    if (!k.defined()) return 1;
    if (dtype != DataType::Int(32) && dtype != DataType::Float(32) && dtype != DataType::Float(64)) return 1;
    const auto* c = k.as<ConstantNode>();
    if (c == nullptr || DataType(c->data->dtype) != dtype) return 1;
    std::optional<double> v = ScalarValue(k);
    return v ? *v : 1;
  }

  // a*x*x + b*x*y + c*y*y (any order, constants anywhere in a term) -> a * (x + p*y) * (x + q*y)
  Expr SimplifyBinomial(const Expr& post, const CallNode* call) {
    if (!AsCall(post, {"add"})) return post;
    const TensorTypeNode* type = TypeOf(post);
    if (type == nullptr) return post;
    for (int side = 0; side < 2; ++side) {
      const CallNode* inner = AsCall(call->args[side], {"add"});
      if (inner == nullptr) continue;
      std::optional<Term> terms[3] = {AsTerm(inner->args[0]), AsTerm(inner->args[1]), AsTerm(call->args[1 - side])};
      if (!terms[0] || !terms[1] || !terms[2]) continue;
      // Two squares (of different variables) and their cross term.
      int sq[2], n_sq = 0, cross = -1;
      for (int i = 0; i < 3; ++i) {
        if (terms[i]->u.same_as(terms[i]->v)) {
          if (n_sq < 2) sq[n_sq] = i;
          ++n_sq;
        } else {
          cross = i;
        }
      }
      if (n_sq != 2 || cross < 0) continue;
      Expr x = terms[sq[0]]->u, y = terms[sq[1]]->u;
      const Term& xy = *terms[cross];
      if (x.same_as(y) || !((xy.u.same_as(x) && xy.v.same_as(y)) || (xy.u.same_as(y) && xy.v.same_as(x)))) continue;
      double a = Coefficient(terms[sq[0]]->k, type->dtype);
      double b = Coefficient(xy.k, type->dtype);
      double c = Coefficient(terms[sq[1]]->k, type->dtype);
      if (c == 1 && a > 1) {
        std::swap(x, y);
        std::swap(a, c);
      }
      double disc = b * b - 4 * a * c;
      if (disc < 0) return post;
      bool same = disc < 1e-4;
      double root = std::sqrt(disc);
      Expr first = MakeOp("add", x, MakeOp("multiply", y, ScalarConstant(type->dtype, (b + root) / (2 * a))));
      Expr second =
          same ? first : MakeOp("add", x, MakeOp("multiply", y, ScalarConstant(type->dtype, (b - root) / (2 * a))));
      return MakeOp("multiply", ScalarConstant(type->dtype, a), MakeOp("multiply", first, second));
    }
    return post;
  }

  OpAttrMap<TOpPattern> pattern_ = Op::GetAttrMap<TOpPattern>("TOpPattern");
};

/*! \brief `func` with types inferred again (inside `mod`, as it may call globals). */
Function Retype(const Function& func, IRModule mod) {
  GlobalVar gv("__simplify_expr_retype__");
  mod.CopyOnWrite()->Add(gv, func, true);
  return Downcast<Function>(transform::InferType()(mod)->Lookup(gv));
}

Function SimplifyFunction(Function func, const IRModule& mod) {
  for (int round = 0; round < 10; ++round) {
    ExprSimplifier simplifier;
    Function out = Downcast<Function>(simplifier.Mutate(func));
    if (!simplifier.changed_) return out;
    func = Retype(out, mod);
  }
  return func;
}

}  // namespace

namespace transform {

Pass SimplifyExpr() {
  return pass_util::FunctionRewritePass([](Function f, IRModule mod) { return SimplifyFunction(f, mod); }, 0,
                                        "SimplifyExpr", {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.SimplifyExpr").set_body_typed([]() { return SimplifyExpr(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
