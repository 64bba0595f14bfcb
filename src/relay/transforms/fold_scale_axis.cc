/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/fold_scale_axis.cc
 * \brief FoldScaleAxis: a multiplication by a constant per-channel scale next to
 *  a convolution or dense layer moves into that layer's weights, where
 *  FoldConstant then computes it once (batch norm at inference is exactly such
 *  a scale).
 *
 *  Backward (the scale comes after the layer, folds into the weights' output channels):
 *    relu(conv2d(x, w) + b) * s   ->  relu(conv2d(x, w * s') + b * s)
 *  Forward (the scale comes before the layer, folds into the input channels):
 *    conv2d(relu(x * s) + b, w)   ->  conv2d(relu(x) + b / s, w * s')
 *
 *  Between the scale and the layer the chain may hold: add/subtract of a
 *  per-channel bias (the bias is scaled too), nn.bias_add (backward), relu and
 *  leaky_relu (only for a scale known positive: a constant, possibly squeezed,
 *  reshaped or repeated), and backward an add of two such chains (both get the
 *  scale). Layouts: NCHW, NHWC, NCDHW... and the blocked NCHW[x]c with
 *  OIHW[x]i[y]o kernels; convolutions plain or depthwise.
 *
 *  Left alone (the graph comes back as it was): a scale that is not constant
 *  or not positive where it has to cross a relu, a value with a consumer that
 *  cannot take the scale (backward: any value used twice), values bound by
 *  let, different channel axes on two joined paths.
 *
 *  How, without recursion along the graph (models are long chains):
 *  - Backward: one post-order walk computes, for each call used exactly once,
 *    along which axes its output could be scaled for free (the "message"
 *    coming up from conv/dense). A reverse walk then lets each multiply that
 *    meets such a message push its scale down the chain (a plan per node), and
 *    a post-order rewrite builds each planned node with the scale applied.
 *  - Forward: a reverse walk computes the axes along which each value may
 *    arrive scaled at all its consumers (intersection over the consumers); a
 *    post-order rewrite carries (value, scale) pairs beside the graph from the
 *    multiply to the layer that absorbs the scale. Every node keeps its plain
 *    rewrite as well, so a consumer that cannot take the scale sees the
 *    original computation.
 *  The forms of the scale expressions (squeeze of the constant, expand_dims or
 *  reshape to the weight's axes, multiply(weight, scale)) are TVM's, so that
 *  graphs compare structurally with those its tests expect.
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/runtime/ndarray.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../ir/walk.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace fold_scale_axis {
namespace {

using pass_util::MakeOp;

/*! \brief Axes (sorted) along which a value is scaled, and whether the scale must be positive. */
struct Message {
  bool defined{false};
  std::vector<int> axes;
  bool require_positive{false};
  static Message Make(std::vector<int> axes, bool positive) {
    Message m;
    m.defined = !axes.empty();
    m.axes = std::move(axes);
    m.require_positive = positive;
    return m;
  }
};

/*! \brief Two consumers' requirements on one value: they must agree on the axes. */
Message Merge(const Message& a, const Message& b) {
  if (!a.defined || !b.defined || a.axes != b.axes) return Message();
  return Message::Make(a.axes, a.require_positive || b.require_positive);
}

Array<Integer> IntArray(const std::vector<int>& v) {
  Array<Integer> out;
  for (int x : v) out.push_back(Integer(x));
  return out;
}

bool ConstInt(const PrimExpr& e, int64_t* value) {
  const auto* imm = e.as<IntImmNode>();
  if (imm == nullptr) return false;
  *value = imm->value;
  return true;
}

/*!
 * \brief Index of the layout axis named `axis` ('C', 'c', 'O', ...) in a layout
 *  string such as "NCHW16c" (digits are block sizes, not axes); -1 if absent.
 */
int LayoutIndexOf(const std::string& layout, char axis) {
  int index = 0;
  for (char ch : layout) {
    if (ch >= '0' && ch <= '9') continue;
    if (ch == axis) return index;
    ++index;
  }
  return -1;
}

int LayoutNdim(const std::string& layout) {
  int n = 0;
  for (char ch : layout) n += (ch >= '0' && ch <= '9') ? 0 : 1;
  return n;
}

const TensorTypeNode* TypeOf(const Expr& e) { return pass_util::TensorTypeOf(e); }

/*!
 * \brief Whether `trhs` broadcasts onto `tlhs` touching only `lhs_axes` (its
 *  other dimensions are 1). With `rhs_value`, it is rewritten to the 1-d (or
 *  blocked k-d) scale along those axes: squeezed, or, for a scalar, expanded
 *  and repeated to the axes' extents.
 */
bool MatchBroadcastToLeftAxes(const TensorTypeNode* tlhs, const TensorTypeNode* trhs, const std::vector<int>& lhs_axes,
                              Expr* rhs_value = nullptr) {
  if (tlhs == nullptr || trhs == nullptr) return false;
  if (tlhs->shape.size() < trhs->shape.size()) return false;
  if (trhs->shape.empty() && rhs_value != nullptr && !lhs_axes.empty()) {
    Expr value = MakeOp("expand_dims", *rhs_value, 0, static_cast<int>(lhs_axes.size()));
    for (size_t i = 0; i < lhs_axes.size(); ++i) {
      int64_t extent;
      if (!ConstInt(tlhs->shape[lhs_axes[i]], &extent)) return false;
      value = MakeOp("repeat", value, static_cast<int>(extent), static_cast<int>(i));
    }
    *rhs_value = value;
    return true;
  }
  StructuralEqual equal;
  size_t base = tlhs->shape.size() - trhs->shape.size();
  size_t j = 0;
  std::vector<int> squeeze_axes;
  for (size_t i = 0; i < tlhs->shape.size(); ++i) {
    if (j < lhs_axes.size() && static_cast<int>(i) == lhs_axes[j]) {
      if (i < base || !equal(tlhs->shape[i], trhs->shape[i - base])) return false;
      ++j;
    } else if (i >= base) {
      int64_t extent;
      if (!ConstInt(trhs->shape[i - base], &extent) || extent != 1) return false;
      squeeze_axes.push_back(static_cast<int>(i - base));
    }
  }
  if (rhs_value != nullptr && !squeeze_axes.empty()) {
    *rhs_value = MakeOp("squeeze", *rhs_value, IntArray(squeeze_axes));
  }
  return true;
}

/*! \brief `bias` laid along `axes` of a rank-`ndim` tensor by inserting unit axes (expand_dims). */
Expr ExpandBiasToMatchAxis(Expr bias, int ndim, const std::vector<int>& axes) {
  for (size_t i = axes.size(); i != 0; --i) {
    int pad = i == axes.size() ? ndim - axes[i - 1] - 1 : axes[i] - axes[i - 1] - 1;
    if (pad > 0) bias = MakeOp("expand_dims", bias, static_cast<int>(i), pad);
  }
  return bias;
}

/*! \brief Whether ReshapeToMatchAxis can build its shape (static extents at `axes`). */
bool StaticAt(const Array<PrimExpr>& shape, const std::vector<int>& axes) {
  for (int a : axes) {
    int64_t v;
    if (a < 0 || a >= static_cast<int>(shape.size()) || !ConstInt(shape[a], &v)) return false;
  }
  return true;
}

/*! \brief `scale` reshaped to `shape`'s extents at `axes` and 1 elsewhere; undefined if not static. */
Expr ReshapeToMatchAxis(const Expr& scale, const Array<PrimExpr>& shape, const std::vector<int>& axes) {
  Array<Integer> newshape;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (std::find(axes.begin(), axes.end(), static_cast<int>(i)) != axes.end()) {
      int64_t v;
      if (!ConstInt(shape[i], &v)) return Expr();
      newshape.push_back(Integer(static_cast<int>(v)));
    } else {
      newshape.push_back(Integer(1));
    }
  }
  return MakeOp("reshape", scale, newshape, false);
}

/*! \brief Blocked scales (several axes) are reshaped, 1-d ones expanded. */
Expr ReshapeOrExpandToMatchAxis(const Expr& scale, const Array<PrimExpr>& shape, const std::vector<int>& axes) {
  if (axes.size() > 1) return ReshapeToMatchAxis(scale, shape, axes);
  return ExpandBiasToMatchAxis(scale, static_cast<int>(shape.size()), axes);
}

template <typename T>
bool AllPositive(const runtime::NDArray& arr) {
  size_t n = 1;
  for (int i = 0; i < arr->ndim; ++i) n *= static_cast<size_t>(arr->shape[i]);
  const T* data = static_cast<const T*>(arr->data);
  for (size_t i = 0; i < n; ++i) {
    if (!(data[i] > T(0))) return false;
  }
  return true;
}

/*! \brief A constant with every element > 0, seen through the reshaping ops the pass itself adds. */
bool IsAllPositiveConstant(Expr expr) {
  static const std::unordered_set<std::string> kPeel = {"expand_dims", "reshape", "transpose", "squeeze", "repeat"};
  while (true) {
    if (const auto* c = expr.as<ConstantNode>()) {
      const runtime::NDArray& arr = c->data;
      DataType t = arr.DataType();
      if (t.lanes() != 1) return false;
      if (t.is_float() && t.bits() == 32) return AllPositive<float>(arr);
      if (t.is_float() && t.bits() == 64) return AllPositive<double>(arr);
      if (t.is_int() && t.bits() == 8) return AllPositive<int8_t>(arr);
      if (t.is_int() && t.bits() == 16) return AllPositive<int16_t>(arr);
      if (t.is_int() && t.bits() == 32) return AllPositive<int32_t>(arr);
      if (t.is_int() && t.bits() == 64) return AllPositive<int64_t>(arr);
      if (t.is_uint()) return t.bits() == 8 ? AllPositive<uint8_t>(arr) : false;
      return false;
    }
    const auto* call = expr.as<CallNode>();
    if (call == nullptr || call->args.empty()) return false;
    const auto* op = call->op.as<OpNode>();
    if (op == nullptr || !kPeel.count(op->name)) return false;
    expr = call->args[0];
  }
}

/*! \brief What the pass reads from a conv2d/conv3d call. */
struct ConvInfo {
  std::string data_layout, kernel_layout, out_layout;
  int groups{1};
  bool depthwise{false};
};

bool GetConvInfo(const CallNode* call, ConvInfo* info) {
  auto read = [&](const auto* attrs) {
    info->data_layout = attrs->data_layout;
    info->kernel_layout = attrs->kernel_layout;
    info->out_layout = attrs->out_layout.empty() ? attrs->data_layout : attrs->out_layout;
    info->groups = attrs->groups;
  };
  if (const auto* a2 = call->attrs.as<Conv2DAttrs>()) {
    read(a2);
  } else if (const auto* a3 = call->attrs.as<Conv3DAttrs>()) {
    read(a3);
  } else {
    return false;
  }
  // Depthwise: the kernel's output channels (O times o) equal the groups, one input channel each.
  const TensorTypeNode* wtype = call->args.size() == 2 ? TypeOf(call->args[1]) : nullptr;
  if (wtype == nullptr) return false;
  int64_t out_channels = 1, in_channels = 1;
  const std::string& k = info->kernel_layout;
  for (char axis : {'O', 'o', 'I', 'i'}) {
    int index = LayoutIndexOf(k, axis);
    if (index < 0) continue;
    int64_t extent;
    if (index >= static_cast<int>(wtype->shape.size()) || !ConstInt(wtype->shape[index], &extent)) return false;
    (axis == 'O' || axis == 'o' ? out_channels : in_channels) *= extent;
  }
  info->depthwise = out_channels == info->groups && in_channels == 1;
  return true;
}

/*!
 * \brief The channel axes of `layout` ({C} or {C, c}) when a conv with these
 *  layouts can take a per-channel scale in its weights: plain or depthwise,
 *  kernel and data both blocked or both not. Empty otherwise.
 */
std::vector<int> ConvChannelAxes(const ConvInfo& info, const std::string& layout) {
  int c_big = LayoutIndexOf(layout, 'C');
  int c_small = LayoutIndexOf(layout, 'c');
  if (c_big < 0) return {};
  if (info.groups != 1 && !info.depthwise) return {};
  int ko_small = LayoutIndexOf(info.kernel_layout, 'o');
  int ki_small = LayoutIndexOf(info.kernel_layout, 'i');
  bool simple = ko_small < 0 && ki_small < 0 && c_small < 0;
  bool blocked = ko_small >= 0 && ki_small >= 0 && c_small >= 0;
  if (LayoutIndexOf(info.kernel_layout, 'I') < 0 || LayoutIndexOf(info.kernel_layout, 'O') < 0) return {};
  if (!simple && !blocked) return {};
  std::vector<int> axes{c_big};
  if (c_small >= 0) axes.push_back(c_small);
  return axes;
}

/*!
 * \brief `weight * scale'` with the scale laid along the kernel's `big`
 *  ('O' or 'I') and `small` ('o' or 'i') axes; undefined when the blocked
 *  kernel's extents are not static.
 */
Expr ScaleWeight(const Expr& weight, const TensorTypeNode* wtype, const std::string& kernel_layout, char big,
                 char small, const Expr& scale) {
  int big_axis = LayoutIndexOf(kernel_layout, big);
  int small_axis = LayoutIndexOf(kernel_layout, small);
  Expr wscale;
  if (small_axis < 0) {
    wscale = ExpandBiasToMatchAxis(scale, LayoutNdim(kernel_layout), {big_axis});
  } else {
    if (wtype == nullptr) return Expr();
    wscale = ReshapeToMatchAxis(scale, wtype->shape, {big_axis, small_axis});
    if (!wscale.defined()) return Expr();
  }
  return MakeOp("multiply", weight, wscale);
}

/*! \brief The operators the pass knows, looked up once. */
struct Ops {
  Op relu = Op::Get("nn.relu");
  Op leaky_relu = Op::Get("nn.leaky_relu");
  Op add = Op::Get("add");
  Op subtract = Op::Get("subtract");
  Op multiply = Op::Get("multiply");
  Op bias_add = Op::Get("nn.bias_add");
  Op conv2d = Op::Get("nn.conv2d");
  Op conv3d = Op::Get("nn.conv3d");
  Op dense = Op::Get("nn.dense");
  bool IsRelu(const Expr& op) const { return op.same_as(relu) || op.same_as(leaky_relu); }
  bool IsAddSub(const Expr& op) const { return op.same_as(add) || op.same_as(subtract); }
  bool IsConv(const Expr& op) const { return op.same_as(conv2d) || op.same_as(conv3d); }
};

const Ops& GetOps() {
  static const Ops ops;
  return ops;
}

/*! \brief Every node under `root` (function bodies included), children before parents. */
std::vector<Expr> PostOrder(const Expr& root) {
  std::vector<Expr> order;
  std::unordered_set<const Object*> seen;
  detail::PostOrderWalk(
      root, [&](const Expr& e) { return seen.count(e.get()) != 0; },
      [&](const Expr& e) {
        seen.insert(e.get());
        order.push_back(e);
      },
      /*enter_functions=*/true);
  return order;
}

using MessageMap = std::unordered_map<const Object*, Message>;

Message Lookup(const MessageMap& map, const Expr& e) {
  auto it = map.find(e.get());
  return it == map.end() ? Message() : it->second;
}

// ---------------------------------------------------------------------------
// Backward: the scale after the layer.

/*! \brief How an add/subtract passes a scale on: to both operands, or to one (the other is a bias). */
enum class AddMode { kNone, kBoth, kLhs, kRhs };

class BackwardFolder : public MixedModeMutator {
 public:
  Expr Fold(const Expr& root) {
    std::vector<Expr> order = PostOrder(root);
    if (!Prepare(root, order)) return root;
    if (!Plan(order)) return root;
    return Mutate(root);
  }

 private:
  struct Scaling {
    Message message;
    Expr scale;  // the scale, 1-d (or k-d for blocked layouts) along message.axes
  };

  /*! \brief The messages: along which axes each call's output could be scaled for free. */
  bool Prepare(const Expr& root, const std::vector<Expr>& order) {
    std::unordered_map<const Object*, int> uses;
    uses[root.get()] = 1;
    std::vector<Expr> children;
    for (const Expr& node : order) {
      children.clear();
      detail::AllChildren(node, &children, /*enter_functions=*/true);
      for (const Expr& c : children) ++uses[c.get()];
    }
    bool any = false;
    for (const Expr& node : order) {
      const auto* call = node.as<CallNode>();
      if (call == nullptr || uses[call] != 1) continue;  // a value used twice keeps its scale
      Message m = PrepCall(call);
      if (m.defined) {
        messages_[call] = m;
        any = true;
      }
    }
    return any;
  }

  Message PrepCall(const CallNode* call) {
    const Ops& ops = GetOps();
    const TensorTypeNode* tout = TypeOf(GetRef<Call>(call));
    if (tout == nullptr) return Message();
    if (ops.IsConv(call->op)) {
      ConvInfo info;
      if (!GetConvInfo(call, &info)) return Message();
      std::vector<int> axes = ConvChannelAxes(info, info.out_layout);
      if (axes.empty()) return Message();
      if (axes.size() > 1) {  // the blocked kernel's O and o extents shape the scale
        const TensorTypeNode* wtype = TypeOf(call->args[1]);
        if (!StaticAt(wtype->shape, {LayoutIndexOf(info.kernel_layout, 'O'), LayoutIndexOf(info.kernel_layout, 'o')}))
          return Message();
      }
      return Message::Make(axes, false);
    }
    if (call->op.same_as(ops.dense)) {
      const TensorTypeNode* wtype = TypeOf(call->args[1]);
      if (wtype == nullptr || wtype->shape.size() != 2 || tout->shape.empty()) return Message();
      return Message::Make({static_cast<int>(tout->shape.size()) - 1}, false);
    }
    if (call->args.empty()) return Message();
    Message lhs = Lookup(messages_, call->args[0]);
    if (ops.IsRelu(call->op)) {
      if (!lhs.defined) return Message();
      return Message::Make(lhs.axes, true);
    }
    if (call->op.same_as(ops.bias_add)) {
      const auto* attrs = call->attrs.as<BiasAddAttrs>();
      if (attrs == nullptr) return Message();
      int axis = attrs->axis < 0 ? attrs->axis + static_cast<int>(tout->shape.size()) : attrs->axis;
      if (lhs.defined && lhs.axes.size() == 1 && lhs.axes[0] == axis) return lhs;
      return Message();
    }
    if (ops.IsAddSub(call->op) && call->args.size() == 2) {
      Message rhs = Lookup(messages_, call->args[1]);
      const TensorTypeNode* tlhs = TypeOf(call->args[0]);
      const TensorTypeNode* trhs = TypeOf(call->args[1]);
      if (tlhs == nullptr || trhs == nullptr) return Message();
      // The bias is multiplied by the scale reshaped to the scaled side's shape.
      if (lhs.defined && MatchBroadcastToLeftAxes(tlhs, trhs, lhs.axes) &&
          (lhs.axes.size() == 1 || StaticAt(tlhs->shape, lhs.axes))) {
        add_mode_[call] = AddMode::kLhs;
        return lhs;
      }
      if (rhs.defined && MatchBroadcastToLeftAxes(trhs, tlhs, rhs.axes) &&
          (rhs.axes.size() == 1 || StaticAt(trhs->shape, rhs.axes))) {
        add_mode_[call] = AddMode::kRhs;
        return rhs;
      }
      if (lhs.defined && rhs.defined && lhs.axes == rhs.axes && StructuralEqual()(tlhs->shape, trhs->shape)) {
        add_mode_[call] = AddMode::kBoth;
        return Merge(lhs, rhs);
      }
    }
    return Message();
  }

  /*!
   * \brief Consumers first: each multiply by a fitting scale hands the scale
   *  to its scaled operand, and each planned node on to its own operands,
   *  down to the layer that absorbs it.
   */
  bool Plan(const std::vector<Expr>& order) {
    const Ops& ops = GetOps();
    bool any = false;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const auto* call = it->as<CallNode>();
      if (call == nullptr) continue;
      if (call->op.same_as(ops.multiply) && call->args.size() == 2) {
        const TensorTypeNode* tlhs = TypeOf(call->args[0]);
        const TensorTypeNode* trhs = TypeOf(call->args[1]);
        Message lhs = Lookup(messages_, call->args[0]);
        Message rhs = Lookup(messages_, call->args[1]);
        // The scale is taken as written (never itself rewritten: it holds no layer).
        if (lhs.defined) {
          Expr scale = call->args[1];
          if (MatchBroadcastToLeftAxes(tlhs, trhs, lhs.axes, &scale) &&
              (!lhs.require_positive || IsAllPositiveConstant(scale))) {
            folded_multiply_[call] = 0;
            plan_[call->args[0].get()] = {lhs, scale};
            any = true;
          }
        } else if (rhs.defined) {
          Expr scale = call->args[0];
          if (MatchBroadcastToLeftAxes(trhs, tlhs, rhs.axes, &scale) &&
              (!rhs.require_positive || IsAllPositiveConstant(scale))) {
            folded_multiply_[call] = 1;
            plan_[call->args[1].get()] = {rhs, scale};
            any = true;
          }
        }
        continue;
      }
      auto pit = plan_.find(call);
      if (pit == plan_.end()) continue;
      Scaling scaling = pit->second;
      if (ops.IsRelu(call->op) || call->op.same_as(ops.bias_add)) {
        plan_[call->args[0].get()] = scaling;
      } else if (ops.IsAddSub(call->op)) {
        AddMode mode = add_mode_.at(call);
        if (mode == AddMode::kLhs || mode == AddMode::kBoth) plan_[call->args[0].get()] = scaling;
        if (mode == AddMode::kRhs || mode == AddMode::kBoth) plan_[call->args[1].get()] = scaling;
      }
    }
    return any;
  }

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    if (call == nullptr) return post;
    auto fit = folded_multiply_.find(pre);
    if (fit != folded_multiply_.end()) return call->args[fit->second];  // the scale now lives below
    auto pit = plan_.find(pre);
    if (pit == plan_.end()) return post;
    const Ops& ops = GetOps();
    const Message& message = pit->second.message;
    const Expr& scale = pit->second.scale;
    if (ops.IsConv(pre->op)) {
      ConvInfo info;
      ICHECK(GetConvInfo(pre, &info));
      // The output channels: the kernel's O (and o) axes, for plain and depthwise kernels alike.
      Expr weight = ScaleWeight(call->args[1], TypeOf(pre->args[1]), info.kernel_layout, 'O', 'o', scale);
      ICHECK(weight.defined()) << "BackwardFoldScaleAxis: the kernel extents were checked static in the prepare walk";
      return Call(call->op, {call->args[0], weight}, call->attrs, call->type_args);
    }
    if (pre->op.same_as(ops.dense)) {
      Expr weight = MakeOp("multiply", call->args[1], ExpandBiasToMatchAxis(scale, 2, {0}));
      return Call(call->op, {call->args[0], weight}, call->attrs, call->type_args);
    }
    if (pre->op.same_as(ops.bias_add)) {
      return Call(call->op, {call->args[0], MakeOp("multiply", call->args[1], scale)}, call->attrs, call->type_args);
    }
    if (ops.IsAddSub(pre->op)) {
      AddMode mode = add_mode_.at(pre);
      if (mode == AddMode::kLhs) {
        Expr bias_scale = ReshapeOrExpandToMatchAxis(scale, TypeOf(pre->args[0])->shape, message.axes);
        return Call(call->op, {call->args[0], MakeOp("multiply", call->args[1], bias_scale)}, call->attrs,
                    call->type_args);
      }
      if (mode == AddMode::kRhs) {
        Expr bias_scale = ReshapeOrExpandToMatchAxis(scale, TypeOf(pre->args[1])->shape, message.axes);
        return Call(call->op, {MakeOp("multiply", call->args[0], bias_scale), call->args[1]}, call->attrs,
                    call->type_args);
      }
    }
    return post;  // relu, add of two scaled paths: the operands already carry the scale
  }

  MessageMap messages_;
  std::unordered_map<const Object*, AddMode> add_mode_;
  std::unordered_map<const Object*, Scaling> plan_;
  std::unordered_map<const Object*, int> folded_multiply_;
};

// ---------------------------------------------------------------------------
// Forward: the scale before the layer.

class ForwardFolder : public MixedModeMutator {
 public:
  Expr Fold(const Expr& root) {
    std::vector<Expr> order = PostOrder(root);
    if (!Prepare(root, order)) return root;
    return Mutate(root);
  }

 private:
  /*! \brief A value that stands for `value * scale`, the scale along `axes`. */
  struct Scaled {
    Expr value;
    Expr scale;
    std::vector<int> axes;
  };

  void Update(const Expr& node, const Message& m) {
    auto it = messages_.find(node.get());
    if (it == messages_.end()) {
      messages_[node.get()] = m;
    } else {
      it->second = Merge(it->second, m);
    }
  }

  /*! \brief Consumers first: the axes along which each value may reach every consumer scaled. */
  bool Prepare(const Expr& root, const std::vector<Expr>& order) {
    Update(root, Message());
    std::vector<Expr> children;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      if (const auto* call = it->as<CallNode>()) {
        std::vector<Message> in = PrepCall(call, Lookup(messages_, *it));
        for (size_t i = 0; i < call->args.size(); ++i) Update(call->args[i], i < in.size() ? in[i] : Message());
        if (!call->op.as<OpNode>()) Update(call->op, Message());
      } else {
        children.clear();
        detail::AllChildren(*it, &children, /*enter_functions=*/true);
        for (const Expr& c : children) Update(c, Message());
      }
    }
    for (const auto& kv : messages_) {
      if (kv.second.defined) return true;
    }
    return false;
  }

  /*! \brief The messages a call sends its operands, given the one it received. */
  std::vector<Message> PrepCall(const CallNode* call, const Message& out) {
    const Ops& ops = GetOps();
    if (ops.IsConv(call->op)) {
      ConvInfo info;
      if (!GetConvInfo(call, &info)) return {};
      std::vector<int> axes = ConvChannelAxes(info, info.data_layout);
      if (axes.empty()) return {};
      return {Message::Make(axes, false), Message()};
    }
    if (call->op.same_as(ops.dense)) {
      const TensorTypeNode* tdata = TypeOf(call->args[0]);
      const TensorTypeNode* wtype = TypeOf(call->args[1]);
      if (tdata == nullptr || wtype == nullptr || wtype->shape.size() != 2 || tdata->shape.empty()) return {};
      return {Message::Make({static_cast<int>(tdata->shape.size()) - 1}, false), Message()};
    }
    if (!out.defined) return {};
    if (ops.IsRelu(call->op)) return {Message::Make(out.axes, true)};
    if (ops.IsAddSub(call->op) && call->args.size() == 2) {
      const TensorTypeNode* tlhs = TypeOf(call->args[0]);
      const TensorTypeNode* trhs = TypeOf(call->args[1]);
      if (MatchBroadcastToLeftAxes(tlhs, trhs, out.axes)) return {out, Message()};
      if (MatchBroadcastToLeftAxes(trhs, tlhs, out.axes)) return {Message(), out};
    }
    return {};
  }

  const Scaled* ScaledArg(const CallNode* pre, size_t i) const {
    auto it = scaled_.find(pre->args[i].get());
    return it == scaled_.end() ? nullptr : &it->second;
  }

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    if (call == nullptr) return post;
    const Ops& ops = GetOps();
    if (pre->op.same_as(ops.multiply) && pre->args.size() == 2) {
      Message m = Lookup(messages_, GetRef<Expr>(pre));
      if (!m.defined) return post;
      const TensorTypeNode* tlhs = TypeOf(pre->args[0]);
      const TensorTypeNode* trhs = TypeOf(pre->args[1]);
      Expr lhs = call->args[0], rhs = call->args[1];
      if (MatchBroadcastToLeftAxes(tlhs, trhs, m.axes, &rhs) && (!m.require_positive || IsAllPositiveConstant(rhs))) {
        scaled_[pre] = {lhs, rhs, m.axes};
      } else if (MatchBroadcastToLeftAxes(trhs, tlhs, m.axes, &lhs) &&
                 (!m.require_positive || IsAllPositiveConstant(lhs))) {
        scaled_[pre] = {call->args[1], lhs, m.axes};
      }
      return post;
    }
    if (ops.IsRelu(pre->op)) {
      if (const Scaled* s = ScaledArg(pre, 0)) {
        scaled_[pre] = {Call(call->op, {s->value}, call->attrs, call->type_args), s->scale, s->axes};
      }
      return post;
    }
    if (ops.IsAddSub(pre->op) && pre->args.size() == 2) {
      // The unscaled operand (the bias) is divided by the scale instead.
      for (size_t i = 0; i < 2; ++i) {
        const Scaled* s = ScaledArg(pre, i);
        if (s == nullptr) continue;
        const TensorTypeNode* tscaled = TypeOf(pre->args[i]);
        const TensorTypeNode* tother = TypeOf(pre->args[1 - i]);
        if (!MatchBroadcastToLeftAxes(tscaled, tother, s->axes)) break;
        Expr scale = ReshapeOrExpandToMatchAxis(s->scale, tscaled->shape, s->axes);
        if (!scale.defined()) break;
        Expr other = MakeOp("divide", call->args[1 - i], scale);
        Array<Expr> args = i == 0 ? Array<Expr>{s->value, other} : Array<Expr>{other, s->value};
        scaled_[pre] = {Call(call->op, args, call->attrs, call->type_args), s->scale, s->axes};
        break;
      }
      return post;
    }
    if (ops.IsConv(pre->op)) {
      const Scaled* s = ScaledArg(pre, 0);
      if (s == nullptr) return post;
      ConvInfo info;
      if (!GetConvInfo(pre, &info)) return post;
      // A depthwise kernel holds each input channel on its output axis.
      char big = info.depthwise ? 'O' : 'I';
      char small = info.depthwise ? 'o' : 'i';
      Expr weight = ScaleWeight(call->args[1], TypeOf(pre->args[1]), info.kernel_layout, big, small, s->scale);
      if (!weight.defined()) return post;
      return Call(call->op, {s->value, weight}, call->attrs, call->type_args);
    }
    if (pre->op.same_as(ops.dense)) {
      const Scaled* s = ScaledArg(pre, 0);
      if (s == nullptr) return post;
      return Call(call->op, {s->value, MakeOp("multiply", call->args[1], s->scale)}, call->attrs, call->type_args);
    }
    return post;
  }

  MessageMap messages_;
  std::unordered_map<const Object*, Scaled> scaled_;
};

}  // namespace
}  // namespace fold_scale_axis

Expr ForwardFoldScaleAxis(const Expr& expr) { return fold_scale_axis::ForwardFolder().Fold(expr); }
Expr BackwardFoldScaleAxis(const Expr& expr) { return fold_scale_axis::BackwardFolder().Fold(expr); }

namespace transform {

Pass ForwardFoldScaleAxis() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::ForwardFoldScaleAxis(f)); }, 3,
      "ForwardFoldScaleAxis", {"InferType"}, /*needs_types=*/true);
}

Pass BackwardFoldScaleAxis() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::BackwardFoldScaleAxis(f)); }, 3,
      "BackwardFoldScaleAxis", {"InferType"}, /*needs_types=*/true);
}

Pass FoldScaleAxis() {
  // Backward first: batch norm after a conv is the common case, and its scale folds there.
  return tvm::transform::Sequential({BackwardFoldScaleAxis(), ForwardFoldScaleAxis(), FoldConstant()}, 0,
                                    "FoldScaleAxis");
}

TVM_REGISTER_GLOBAL("relay._transform.ForwardFoldScaleAxis").set_body_typed([]() { return ForwardFoldScaleAxis(); });
TVM_REGISTER_GLOBAL("relay._transform.BackwardFoldScaleAxis").set_body_typed([]() {
  return BackwardFoldScaleAxis();
});
TVM_REGISTER_GLOBAL("relay._transform.FoldScaleAxis").set_body_typed([]() { return FoldScaleAxis(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
