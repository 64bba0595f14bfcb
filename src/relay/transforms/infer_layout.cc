/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/infer_layout.cc
 * \brief The per-operator layout rules AlterOpLayout propagates blocked layouts with (see the
 *  header). The rules assume a changed tensor's original layout is primal only (NCHW) and its
 *  current layout has its sub-axes last (NCHW16c), the form AlterOpLayout's hooks produce:
 *
 *    relu(x: NCHW16c)                      -> relu(x)                                  NCHW16c
 *    add(x: NCHW16c, r: NCHW, plain)       -> add(x, layout_transform(r, NCHW, NCHW16c))
 *    add(x: NCHW16c, b: (C, 1, 1))         -> add(x, layout_transform(expand_dims(b, 0), NCHW, NCHW16c))
 *    multiply(x: NCHW16c, s: (1, 1, 1))    -> multiply(x, expand_dims(s, 3))            (C/16 and 16 broadcast)
 *    nn.bias_add(x: NCHW16c, b, axis=1)    -> add(x, <b as (C, 1, 1), as above>)
 *    nn.max_pool2d(x: NCHW16c, layout=NCHW) -> nn.max_pool2d(x, layout=NCHW16c)
 *    concatenate((a, b: NCHW16c), axis=1) -> concatenate((a, b), axis=1)              NCHW16c
 *    nn.pad(x: NCHW16c, ((0,0), (0,0), (1,1), (1,1))) -> nn.pad(x, (..., (1,1), (1,1), (0,0)))
 */
#include "infer_layout.h"

#include <tvm/ir/op.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/op.h>
#include <tvm/relay/transform.h>

#include <algorithm>
#include <cctype>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace layout {

std::optional<LayoutAxes> LayoutAxes::Parse(const std::string& layout) {
  if (layout.empty()) return std::nullopt;
  LayoutAxes axes;
  axes.name = layout;
  int64_t factor = 0;
  for (char c : layout) {
    auto u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) {
      factor = factor * 10 + (c - '0');
    } else if (std::isupper(u) && factor == 0) {
      axes.letters += c;
      axes.factors.push_back(0);
    } else if (std::islower(u) && factor > 0) {
      axes.letters += c;
      axes.factors.push_back(factor);
      factor = 0;
    } else {
      return std::nullopt;
    }
  }
  if (factor != 0) return std::nullopt;
  for (char c : axes.letters) {
    if (std::count(axes.letters.begin(), axes.letters.end(), c) != 1) return std::nullopt;
    if (std::islower(static_cast<unsigned char>(c)) &&
        axes.letters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c)))) == std::string::npos) {
      return std::nullopt;
    }
  }
  return axes;
}

std::string LayoutAxes::Primal() const {
  std::string primal;
  for (char c : letters) {
    if (std::isupper(static_cast<unsigned char>(c))) primal += c;
  }
  return primal;
}

int LayoutAxes::IndexOf(char letter) const {
  auto pos = letters.find(letter);
  return pos == std::string::npos ? -1 : static_cast<int>(pos);
}

int64_t LayoutAxes::BlockOf(char axis) const {
  int i = IndexOf(static_cast<char>(std::tolower(static_cast<unsigned char>(axis))));
  return i < 0 ? 0 : factors[i];
}

bool LayoutAxes::SubAxesTrailing() const {
  bool sub = false;
  for (char c : letters) {
    if (std::islower(static_cast<unsigned char>(c))) {
      sub = true;
    } else if (sub) {
      return false;
    }
  }
  return true;
}

namespace {

template <typename T>
std::optional<OpLayouts> ConvLayouts(const Attrs& attrs) {
  const auto* p = attrs.as<T>();
  if (p == nullptr) return std::nullopt;
  return OpLayouts{{p->data_layout, p->kernel_layout}, p->out_layout.empty() ? p->data_layout : p->out_layout};
}

template <typename T>
std::optional<OpLayouts> PoolLayouts(const Attrs& attrs) {
  const auto* p = attrs.as<T>();
  if (p == nullptr) return std::nullopt;
  return OpLayouts{{p->layout}, p->out_layout.empty() ? p->layout : p->out_layout};
}

/*! \brief A pool's attributes with `layout` in place of the original one; null when the original
 *  output layout differs from the input's. */
template <typename T>
Attrs PoolAttrsIn(const Attrs& attrs, const std::string& original, const std::string& layout) {
  const auto* p = attrs.as<T>();
  if (p == nullptr || p->layout != original || (!p->out_layout.empty() && p->out_layout != p->layout)) {
    return Attrs();
  }
  auto copy = make_object<T>(*p);
  copy->layout = layout;
  if (!copy->out_layout.empty()) copy->out_layout = layout;
  return Attrs(copy);
}

const TensorTypeNode* TensorOf(const Type& type) { return type.defined() ? type.as<TensorTypeNode>() : nullptr; }

Expr ExpandDims(const Expr& expr, int axis, int count) {
  return Typed(pass_util::MakeOp("expand_dims", expr, axis, count));
}

/*!
 * \brief An argument in its original layout made to broadcast against tensors in `target`
 *  (whose original layout is `original`). Arguments align with the original layout from the
 *  right, as broadcasting does. One of only 1s broadcasts in any layout and stays as it is; one
 *  whose split axes all divide into their blocks is grown to the full rank and transformed; one
 *  whose split axes are 1 (or absent) gets a trailing 1 per sub-axis when the target keeps the
 *  original order of the primal axes. `split_only`: only the second form (concatenation needs
 *  real blocks).
 */
std::optional<Expr> Adapt(const LayoutArg& arg, const LayoutAxes& original, const LayoutAxes& target,
                          LayoutTransforms* transforms, bool split_only = false) {
  const auto* type = TensorOf(arg.original_type);
  if (type == nullptr) return std::nullopt;
  size_t rank = type->shape.size(), full = original.letters.size();
  if (rank > full || (split_only && rank != full)) return std::nullopt;
  bool ones = true;
  for (const PrimExpr& dim : type->shape) {
    const auto* d = dim.as<IntImmNode>();
    ones = ones && d != nullptr && d->value == 1;
  }
  if (ones && !split_only) return arg.expr;
  std::string letters = original.letters.substr(full - rank);
  bool all_one = true, all_split = true;
  int sub_axes = 0;
  for (size_t i = 0; i < target.letters.size(); ++i) {
    if (target.factors[i] == 0) continue;
    ++sub_axes;
    auto pos = letters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(target.letters[i]))));
    int64_t extent = 1;
    if (pos != std::string::npos) {
      const auto* dim = type->shape[pos].as<IntImmNode>();
      if (dim == nullptr) return std::nullopt;
      extent = dim->value;
    }
    all_one = all_one && extent == 1;
    all_split = all_split && pos != std::string::npos && extent % target.factors[i] == 0;
  }
  if (all_split) {
    Expr full_rank = rank < full ? ExpandDims(arg.expr, 0, static_cast<int>(full - rank)) : arg.expr;
    return transforms->Transform(full_rank, original.name, target.name);
  }
  if (all_one && !split_only && target.Primal() == original.name) {
    return ExpandDims(arg.expr, static_cast<int>(rank), sub_axes);
  }
  return std::nullopt;
}

/*! \brief Whether a changed argument can be taken to `target`: every block of `target` divides
 *  the argument's extent on that axis (a 12-channel NCHW4c tensor cannot become NCHW16c). */
bool SplitsInto(const LayoutArg& arg, const LayoutAxes& original, const LayoutAxes& target) {
  if (arg.layout.current == target.name) return true;
  const auto* type = TensorOf(arg.original_type);
  if (type == nullptr || type->shape.size() != original.letters.size()) return false;
  for (size_t i = 0; i < target.letters.size(); ++i) {
    if (target.factors[i] == 0) continue;
    int pos = original.IndexOf(static_cast<char>(std::toupper(static_cast<unsigned char>(target.letters[i]))));
    const auto* dim = pos < 0 ? nullptr : type->shape[pos].as<IntImmNode>();
    if (dim == nullptr || dim->value % target.factors[i] != 0) return false;
  }
  return true;
}

/*! \brief The target layout of a call: the first changed argument's (NCHW -> NCHW16c form) that
 *  every other changed argument can be transformed to. */
std::optional<std::pair<LayoutAxes, LayoutAxes>> TargetOf(const std::vector<LayoutArg>& args) {
  for (const auto& arg : args) {
    if (!arg.layout.Changed()) continue;
    auto original = LayoutAxes::Parse(arg.layout.original);
    auto current = LayoutAxes::Parse(arg.layout.current);
    // The original is primal only (NCHW, NHWC); the current has the same primal axes, in any
    // order, with its sub-axes last (NCHW16c).
    if (!original || !current || original->Primal() != original->name || !current->SubAxesTrailing()) {
      return std::nullopt;
    }
    std::string a = original->name, b = current->Primal();
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) {
      return std::nullopt;
    }
    bool all_split = std::all_of(args.begin(), args.end(), [&](const LayoutArg& other) {
      return !other.layout.Changed() || other.layout.original != original->name ||
             SplitsInto(other, *original, *current);
    });
    if (all_split) return std::make_pair(*original, *current);
  }
  return std::nullopt;
}

/*! \brief Every argument in the target layout (changed ones transformed, plain ones adapted). */
std::optional<Array<Expr>> ArgsIn(const std::vector<LayoutArg>& args, const LayoutAxes& original,
                                  const LayoutAxes& target, bool split_only, LayoutTransforms* transforms) {
  Array<Expr> out;
  for (const auto& arg : args) {
    if (arg.layout.Changed()) {
      if (arg.layout.original != original.name) return std::nullopt;
      out.push_back(transforms->Transform(arg.expr, arg.layout.current, target.name));
    } else {
      auto adapted = Adapt(arg, original, target, transforms, split_only);
      if (!adapted) return std::nullopt;
      out.push_back(*adapted);
    }
  }
  return out;
}

std::optional<LayoutResult> Broadcast(const Op& op, const Attrs& attrs, const Array<Type>& type_args,
                                      const Type& out_type, const std::vector<LayoutArg>& args,
                                      LayoutTransforms* transforms) {
  auto target = TargetOf(args);
  const auto* out = TensorOf(out_type);
  if (!target || out == nullptr || out->shape.size() != target->first.letters.size()) return std::nullopt;
  auto new_args = ArgsIn(args, target->first, target->second, false, transforms);
  if (!new_args) return std::nullopt;
  return LayoutResult{Typed(Call(op, *new_args, attrs, type_args)), {target->first.name, target->second.name}};
}

std::optional<LayoutResult> BiasAdd(const CallNode* pre, const std::vector<LayoutArg>& args,
                                    LayoutTransforms* transforms) {
  const auto* p = pre->attrs.as<BiasAddAttrs>();
  const auto* bias = TensorOf(args[1].original_type);
  auto target = TargetOf(args);
  if (p == nullptr || bias == nullptr || bias->shape.size() != 1 || args[1].layout.Changed() || !target) {
    return std::nullopt;
  }
  int rank = static_cast<int>(target->first.letters.size());
  int axis = p->axis < 0 ? p->axis + rank : p->axis;
  if (axis < 0 || axis >= rank) return std::nullopt;
  // bias as a tensor aligned with `axis` from the right: (C,) -> (C, 1, 1).
  LayoutArg aligned = args[1];
  if (axis < rank - 1) {
    aligned.expr = ExpandDims(args[1].expr, 1, rank - 1 - axis);
    aligned.original_type = aligned.expr->checked_type();
  }
  return Broadcast(Op::Get("add"), Attrs(), {}, pre->checked_type(), {args[0], aligned}, transforms);
}

std::optional<LayoutResult> Pool(const CallNode* pre, const std::vector<LayoutArg>& args) {
  if (args.size() != 1 || !args[0].layout.Changed()) return std::nullopt;
  auto target = TargetOf(args);
  if (!target) return std::nullopt;
  const std::string& original = args[0].layout.original;
  const std::string& current = args[0].layout.current;
  // The pooled axes must stay whole.
  for (char axis : std::string("HW")) {
    if (target->second.BlockOf(axis) != 0) return std::nullopt;
  }
  Attrs attrs;
  for (Attrs a : {PoolAttrsIn<MaxPool2DAttrs>(pre->attrs, original, current),
                  PoolAttrsIn<AvgPool2DAttrs>(pre->attrs, original, current),
                  PoolAttrsIn<GlobalPool2DAttrs>(pre->attrs, original, current),
                  PoolAttrsIn<AdaptivePool2DAttrs>(pre->attrs, original, current)}) {
    if (a.defined()) attrs = a;
  }
  if (!attrs.defined()) return std::nullopt;
  return LayoutResult{Typed(Call(pre->op, {args[0].expr}, attrs, pre->type_args)), {original, current}};
}

std::optional<LayoutResult> Concatenate(const CallNode* pre, const std::vector<LayoutArg>& fields,
                                        LayoutTransforms* transforms) {
  const auto* p = pre->attrs.as<ConcatenateAttrs>();
  auto target = TargetOf(fields);
  if (p == nullptr || !target) return std::nullopt;
  const auto& [original, current] = *target;
  int rank = static_cast<int>(original.letters.size());
  int axis = p->axis < 0 ? p->axis + rank : p->axis;
  if (axis < 0 || axis >= rank) return std::nullopt;
  auto new_fields = ArgsIn(fields, original, current, true, transforms);
  if (!new_fields) return std::nullopt;
  Tuple tuple(*new_fields);
  Array<Type> field_types;
  for (const Expr& f : *new_fields) field_types.push_back(f->checked_type());
  tuple->checked_type_ = TupleType(field_types);
  Expr call = pass_util::MakeOp("concatenate", tuple, current.IndexOf(original.letters[axis]));
  return LayoutResult{Typed(call), {original.name, current.name}};
}

/*! \brief nn.pad in the current layout: the primal axes keep their padding, sub-axes get none;
 *  padding a split axis would break its blocks. */
std::optional<LayoutResult> Pad(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<PadAttrs>();
  auto target = TargetOf(args);
  if (p == nullptr || !target || args.size() != 2 || args[1].layout.Changed() || !args[0].layout.Changed()) {
    return std::nullopt;
  }
  const auto& [original, current] = *target;
  if (p->pad_width.size() != original.letters.size()) return std::nullopt;
  Array<Array<Integer>> pad_width;
  for (size_t i = 0; i < current.letters.size(); ++i) {
    char letter = current.letters[i];
    if (current.factors[i] > 0) {
      pad_width.push_back({Integer(0), Integer(0)});
      continue;
    }
    const Array<Integer>& width = p->pad_width[original.IndexOf(letter)];
    if (current.BlockOf(letter) != 0) {
      for (const Integer& w : width) {
        if (w->value != 0) return std::nullopt;
      }
    }
    pad_width.push_back(width);
  }
  auto attrs = make_object<PadAttrs>(*p);
  attrs->pad_width = pad_width;
  return LayoutResult{Typed(Call(pre->op, {args[0].expr, args[1].expr}, Attrs(attrs), pre->type_args)),
                      {original.name, current.name}};
}

std::optional<LayoutResult> LayoutTransformOf(const CallNode* pre, const std::vector<LayoutArg>& args,
                                              LayoutTransforms* transforms) {
  const auto* p = pre->attrs.as<LayoutTransformAttrs>();
  if (p == nullptr || p->src_layout != args[0].layout.original) return std::nullopt;
  // The original program's own transform, applied to the tensor in its current layout.
  return LayoutResult{transforms->Transform(args[0].expr, args[0].layout.current, p->dst_layout), {}};
}

}  // namespace

std::optional<OpLayouts> LayoutsOf(const CallNode* call) {
  if (call == nullptr || !call->attrs.defined()) return std::nullopt;
  for (auto layouts : {ConvLayouts<Conv1DAttrs>(call->attrs), ConvLayouts<Conv2DAttrs>(call->attrs),
                       ConvLayouts<Conv2DWinogradAttrs>(call->attrs),
                       ConvLayouts<Conv3DAttrs>(call->attrs), PoolLayouts<MaxPool2DAttrs>(call->attrs),
                       PoolLayouts<AvgPool2DAttrs>(call->attrs), PoolLayouts<GlobalPool2DAttrs>(call->attrs),
                       PoolLayouts<AdaptivePool2DAttrs>(call->attrs)}) {
    if (layouts) return layouts;
  }
  return std::nullopt;
}

Expr LayoutTransforms::Transform(const Expr& expr, const std::string& src, const std::string& dst) {
  if (src == dst) return expr;
  auto key = std::make_tuple(expr.get(), src, dst);
  auto it = made_.find(key);
  if (it != made_.end()) return it->second.second;
  Expr result = Typed(pass_util::MakeOp("layout_transform", expr, src, dst));
  made_[key] = {expr, result};  // the source is kept alive: its address is the key
  return result;
}

Expr Typed(const Expr& expr) {
  const auto* call = expr.as<CallNode>();
  if (call == nullptr || expr->checked_type_.defined()) return expr;
  Array<Expr> stand_ins;
  for (const Expr& arg : call->args) {
    TVM_CHECK(arg->checked_type_.defined(), "InternalError")
        << "AlterOpLayout: an argument of a rewritten " << call->op << " call has no type";
    stand_ins.push_back(Var("arg", arg->checked_type()));
  }
  expr->checked_type_ = InferTypeLocal(Call(call->op, stand_ins, call->attrs, call->type_args));
  return expr;
}

std::optional<LayoutResult> PropagateLayout(const CallNode* pre, const std::vector<LayoutArg>& args,
                                            LayoutTransforms* transforms) {
  const auto* op = pre->op.as<OpNode>();
  bool changed = false;
  for (const auto& arg : args) changed = changed || arg.layout.Changed();
  if (op == nullptr || !changed) return std::nullopt;
  const std::string& name = op->name;
  if (name == "layout_transform") return LayoutTransformOf(pre, args, transforms);
  if (name == "concatenate") return Concatenate(pre, args, transforms);
  if (name == "nn.bias_add") return BiasAdd(pre, args, transforms);
  if (name == "nn.pad") return Pad(pre, args);
  if (name == "nn.max_pool2d" || name == "nn.avg_pool2d" || name == "nn.global_max_pool2d" ||
      name == "nn.global_avg_pool2d" || name == "nn.adaptive_max_pool2d" || name == "nn.adaptive_avg_pool2d") {
    return Pool(pre, args);
  }
  static const auto fpattern = Op::GetAttrMap<TOpPattern>("TOpPattern");
  Op call_op = GetRef<Op>(op);
  int pattern = fpattern.get(call_op, kOpaque);
  const auto* out = TensorOf(pre->checked_type());
  if (out == nullptr) return std::nullopt;
  if (pattern == kElemWise && args.size() == 1) {
    // out[i] = f(in[i]): any layout, attributes included (clip's bounds, cast's dtype).
    const auto* in = TensorOf(args[0].original_type);
    if (in == nullptr || in->shape.size() != out->shape.size()) return std::nullopt;
    return LayoutResult{Typed(Call(pre->op, {args[0].expr}, pre->attrs, pre->type_args)), args[0].layout};
  }
  // Broadcast operators whose attributes could name axes (nn.prelu's axis) are left alone.
  if ((pattern == kElemWise || pattern == kBroadcast) && !pre->attrs.defined()) {
    return Broadcast(call_op, pre->attrs, pre->type_args, pre->checked_type(), args, transforms);
  }
  return std::nullopt;
}

}  // namespace layout
}  // namespace relay
}  // namespace tvm
