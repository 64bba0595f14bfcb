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
 *    sum(x: NCHW16c, axis=[1], keepdims=True)  -> sum(x, axis=[1, 4], keepdims=True)    NCHW1c
 *
 *  ConvertLayout's conversions between primal layouts (NHWC -> NCHW) are the same rules with no
 *  sub-axes: an operator that names axes gets them renamed by letter.
 */
#include "infer_layout.h"

#include <tvm/ir/op.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/image.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/reduce.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/attrs/vision.h>
#include <tvm/relay/op.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/data_layout.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <type_traits>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace layout {

std::optional<LayoutAxes> LayoutAxes::Parse(const std::string& layout) {
  auto parsed = tir::Layout::Parse(layout);
  if (!parsed) return std::nullopt;
  LayoutAxes axes;
  axes.name = layout;
  axes.letters = (*parsed)->axes;
  for (const Integer& f : (*parsed)->factors) axes.factors.push_back(f->value);
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

/*! \brief Whether a changed argument broadcasts against tensors in `target` as it is: its current
 *  layout has the target's axes in the target's order, and where the blocks differ its extent is 1
 *  (a mean over C kept as NCHW1c against NCHW8c: (N, 1, H, W, 1) against (N, C/8, H, W, 8)). */
bool BroadcastsInto(const LayoutArg& arg, const LayoutAxes& original, const LayoutAxes& target) {
  auto current = LayoutAxes::Parse(arg.layout.current);
  const auto* type = TensorOf(arg.original_type);
  if (!current || current->letters != target.letters || type == nullptr ||
      type->shape.size() != original.letters.size()) {
    return false;
  }
  for (size_t i = 0; i < target.letters.size(); ++i) {
    if (current->factors[i] == target.factors[i]) continue;
    int pos = original.IndexOf(static_cast<char>(std::toupper(static_cast<unsigned char>(target.letters[i]))));
    const auto* dim = pos < 0 ? nullptr : type->shape[pos].as<IntImmNode>();
    if (dim == nullptr || dim->value != 1) return false;
  }
  return true;
}

bool BroadcastsIntoLayout(const LayoutArg& arg, const TensorLayout& layout) {
  auto original = LayoutAxes::Parse(layout.original);
  auto current = LayoutAxes::Parse(layout.current);
  return original && current && arg.layout.Changed() && BroadcastsInto(arg, *original, *current);
}

/*! \brief The target layout of a call: the first changed argument's (NCHW -> NCHW16c form) that
 *  every other changed argument can be transformed to (`broadcast`: or broadcasts against as it
 *  is, for elementwise and broadcast operators). */
std::optional<std::pair<LayoutAxes, LayoutAxes>> TargetOf(const std::vector<LayoutArg>& args, bool broadcast = false) {
  if (broadcast) {
    // Prefer a layout every changed argument is in or broadcasts against as it is (no transform).
    for (const auto& arg : args) {
      if (!arg.layout.Changed()) continue;
      auto target = TargetOf({arg});
      bool as_they_are = target && std::all_of(args.begin(), args.end(), [&](const LayoutArg& other) {
        return !other.layout.Changed() || other.layout.current == arg.layout.current ||
               (other.layout.original == arg.layout.original && BroadcastsInto(other, target->first, target->second));
      });
      if (as_they_are) return target;
    }
  }
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
             SplitsInto(other, *original, *current) || (broadcast && BroadcastsInto(other, *original, *current));
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
      if (!split_only && arg.layout.current != target.name && BroadcastsInto(arg, original, target)) {
        out.push_back(arg.expr);
        continue;
      }
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
                                      LayoutTransforms* transforms, const Span& span = Span()) {
  auto target = TargetOf(args, /*broadcast=*/true);
  const auto* out = TensorOf(out_type);
  if (!target || out == nullptr || out->shape.size() != target->first.letters.size()) return std::nullopt;
  auto new_args = ArgsIn(args, target->first, target->second, false, transforms);
  if (!new_args) return std::nullopt;
  return LayoutResult{Typed(Call(op, *new_args, attrs, type_args, span)), {target->first.name, target->second.name}};
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
  return Broadcast(Op::Get("add"), Attrs(), {}, pre->checked_type(), {args[0], aligned}, transforms, pre->span);
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
  return LayoutResult{Typed(Call(pre->op, {args[0].expr}, attrs, pre->type_args, pre->span)), {original, current}};
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
  return LayoutResult{Typed(Call(pre->op, {args[0].expr, args[1].expr}, Attrs(attrs), pre->type_args, pre->span)),
                      {original.name, current.name}};
}

std::optional<LayoutResult> LayoutTransformOf(const CallNode* pre, const std::vector<LayoutArg>& args,
                                              LayoutTransforms* transforms) {
  const auto* p = pre->attrs.as<LayoutTransformAttrs>();
  if (p == nullptr || p->src_layout != args[0].layout.original) return std::nullopt;
  // The original program's own transform, applied to the tensor in its current layout.
  return LayoutResult{transforms->Transform(args[0].expr, args[0].layout.current, p->dst_layout), {}};
}

/*
 * Operators that name axes in their attributes. Their data (the first argument) arrives changed,
 * every other argument (a normalisation's gamma and beta) as it is; each axis they name is
 * renamed into the current layout by its letter, and must not be split there:
 *
 *    sum(x: NHWC as NCHW, axis=[1, 2])          -> sum(x, axis=[2, 3])      NC as NC (unchanged)
 *    squeeze(x: NHWC as NCHW, axis=[1])          -> squeeze(x, axis=[2])     NWC as NCW
 *    transpose(x: NHWC as NCHW, axes=[0,3,1,2])  -> transpose(x, axes=[0,1,2,3])  (original layout)
 *    mean(x: NCHW as NCHW16c, axis=[2, 3], keepdims=True) -> the same axes  NCHW as NCHW16c
 */

/*! \brief The layouts of a call whose data alone arrives changed. */
std::optional<std::pair<LayoutAxes, LayoutAxes>> DataFrame(const std::vector<LayoutArg>& args) {
  if (args.empty() || !args[0].layout.Changed()) return std::nullopt;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].layout.Changed()) return std::nullopt;
  }
  auto target = TargetOf({args[0]});
  const auto* type = TensorOf(args[0].original_type);
  if (!target || type == nullptr || type->shape.size() != target->first.letters.size()) return std::nullopt;
  return target;
}

/*! \brief The letter of original axis `axis` (negative counts from the end); 0 when out of range. */
char LetterOf(const LayoutAxes& original, int64_t axis) {
  int64_t rank = static_cast<int64_t>(original.letters.size());
  if (axis < 0) axis += rank;
  return axis < 0 || axis >= rank ? 0 : original.letters[axis];
}

/*! \brief Whether every letter of `letters` is an axis of `current` that is not split there. */
bool Whole(const LayoutAxes& current, const std::string& letters) {
  return std::all_of(letters.begin(), letters.end(),
                     [&](char c) { return current.IndexOf(c) >= 0 && current.BlockOf(c) == 0; });
}

bool HasSubAxes(const LayoutAxes& layout) {
  return std::any_of(layout.factors.begin(), layout.factors.end(), [](int64_t f) { return f > 0; });
}

/*! \brief `layout` without the primal axes `letters` ("NCHW16c" without "HW": "NC16c"). */
std::string Without(const LayoutAxes& layout, const std::string& letters) {
  std::string out;
  for (size_t i = 0; i < layout.letters.size(); ++i) {
    char primal = static_cast<char>(std::toupper(static_cast<unsigned char>(layout.letters[i])));
    if (letters.find(primal) != std::string::npos) continue;
    if (layout.factors[i] > 0) out += std::to_string(layout.factors[i]);
    out += layout.letters[i];
  }
  return out;
}

/*! \brief The current-layout indices of `letters`, in ascending order. */
Array<Integer> IndicesOf(const LayoutAxes& current, const std::string& letters) {
  Array<Integer> out;
  for (size_t i = 0; i < current.letters.size(); ++i) {
    if (letters.find(current.letters[i]) != std::string::npos) out.push_back(Integer(static_cast<int>(i)));
  }
  return out;
}

Expr CallWith(const CallNode* pre, const std::vector<LayoutArg>& args, const Attrs& attrs) {
  Array<Expr> new_args;
  for (const auto& arg : args) new_args.push_back(arg.expr);
  return Typed(Call(pre->op, new_args, attrs, pre->type_args, pre->span));
}

/*! \brief sum, mean, max, min, prod, all, any, argmax, argmin, variance: the axes renamed, a
 *  split axis listed with its sub-axis; without keepdims the result's layouts lose the reduced
 *  axes, with keepdims a reduced split axis keeps a sub-axis of extent 1. */
template <typename T>
std::optional<LayoutResult> Reduce(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<T>();
  // variance(data, mean): the mean (data reduced with keepdims) arrives in the data's layouts,
  // or kept over a split axis as a sub-axis of 1 (data NCHW8c, mean NCHW1c).
  if (args.size() == 2 && (args[1].layout.original != args[0].layout.original ||
                           (args[1].layout.current != args[0].layout.current &&
                            !BroadcastsIntoLayout(args[1], args[0].layout)))) {
    return std::nullopt;
  }
  auto frame = DataFrame({args[0]});
  if (p == nullptr || !frame) return std::nullopt;
  const auto& [original, current] = *frame;
  // No axis list, or an empty one, reduces every axis whatever exclude says (as the type relation).
  bool all = !p->axis.defined() || p->axis.empty();
  std::string listed, reduced;
  if (all) {
    reduced = original.letters;
  } else {
    for (const Integer& a : p->axis) {
      char letter = LetterOf(original, a->value);
      if (letter == 0) return std::nullopt;
      listed += letter;
    }
    for (char c : original.letters) {
      if ((listed.find(c) != std::string::npos) != p->exclude) reduced += c;
    }
  }
  for (char c : reduced) {
    if (current.IndexOf(c) < 0) return std::nullopt;
  }
  if (std::is_same<T, ArgReduceAttrs>::value) {
    // argmax/argmin over several axes answer a flat index in the order of the axes: the reduced
    // axes must keep their order, and a split one must be the only one (C and c: C * 16 + c).
    std::string ordered;  // the reduced axes in the original's order
    for (char c : original.letters) {
      if (reduced.find(c) != std::string::npos) ordered += c;
    }
    bool split = std::any_of(ordered.begin(), ordered.end(), [&](char c) { return current.BlockOf(c) != 0; });
    if (split && ordered.size() != 1) return std::nullopt;
    for (size_t i = 1; i < ordered.size(); ++i) {
      if (current.IndexOf(ordered[i - 1]) > current.IndexOf(ordered[i])) return std::nullopt;
    }
  }
  auto attrs = make_object<T>(*p);
  if (!all) {
    // A reduced axis that is split is reduced with its sub-axis (NCHW16c: C and c); exclude lists
    // the kept axes, and a kept axis keeps its sub-axis.
    Array<Integer> axis;
    for (char c : listed) axis.push_back(Integer(current.IndexOf(c)));
    for (char c : listed) {
      if (current.BlockOf(c) != 0) {
        axis.push_back(Integer(current.IndexOf(static_cast<char>(std::tolower(static_cast<unsigned char>(c))))));
      }
    }
    attrs->axis = axis;
  }
  TensorLayout out{Without(original, reduced), Without(current, reduced)};
  if (p->keepdims) {
    // Kept as extent 1: a reduced split axis keeps a sub-axis of 1 (NCHW16c summed over C: NCHW1c).
    std::string kept;
    for (size_t i = 0; i < current.letters.size(); ++i) {
      char primal = static_cast<char>(std::toupper(static_cast<unsigned char>(current.letters[i])));
      if (current.factors[i] > 0) kept += reduced.find(primal) != std::string::npos ? "1" : std::to_string(current.factors[i]);
      kept += current.letters[i];
    }
    out = TensorLayout{original.name, kept};
  }
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), out};
}

/*! \brief squeeze: the squeezed axes stay whole and leave both layouts; no axis list squeezes
 *  the original's extent-1 axes (named, so that sub-axes of extent 1 stay). */
std::optional<LayoutResult> Squeeze(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<SqueezeAttrs>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame) return std::nullopt;
  const auto& [original, current] = *frame;
  const auto* type = TensorOf(args[0].original_type);
  std::string squeezed;
  if (!p->axis.defined()) {
    for (size_t i = 0; i < type->shape.size(); ++i) {
      const auto* dim = type->shape[i].as<IntImmNode>();
      if (dim == nullptr) return std::nullopt;
      if (dim->value == 1) squeezed += original.letters[i];
    }
  } else {
    for (const Integer& a : p->axis) {
      char letter = LetterOf(original, a->value);
      if (letter == 0) return std::nullopt;
      squeezed += letter;
    }
  }
  if (!Whole(current, squeezed)) return std::nullopt;
  auto attrs = make_object<SqueezeAttrs>(*p);
  attrs->axis = IndicesOf(current, squeezed);
  return LayoutResult{CallWith(pre, args, Attrs(attrs)),
                      {Without(original, squeezed), Without(current, squeezed)}};
}

/*! \brief transpose of a permuted tensor: one transpose straight to the original result. */
std::optional<LayoutResult> Transpose(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<TransposeAttrs>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame || HasSubAxes(frame->second)) return std::nullopt;
  const auto& [original, current] = *frame;
  int rank = static_cast<int>(original.letters.size());
  std::vector<int64_t> axes;
  if (!p->axes.defined() || p->axes.empty()) {
    for (int i = rank - 1; i >= 0; --i) axes.push_back(i);
  } else {
    for (const Integer& a : p->axes) axes.push_back(a->value);
  }
  if (static_cast<int>(axes.size()) != rank) return std::nullopt;
  Array<Integer> new_axes;
  for (int64_t a : axes) {
    char letter = LetterOf(original, a);
    if (letter == 0) return std::nullopt;
    new_axes.push_back(Integer(current.IndexOf(letter)));
  }
  auto attrs = make_object<TransposeAttrs>(*p);
  attrs->axes = new_axes;
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), {}};
}

/*! \brief strided_slice ("end" mode). Each sliced axis is renamed; a split axis may be sliced
 *  with stride 1 at whole blocks, counted in blocks (channels 16..32 of NHWC4c: blocks 4..8).
 *  With an axes list the axes form stays; without one, begin, end and strides are written out
 *  for every axis of the current layout, the unsliced ones (sub-axes included) whole. */
std::optional<LayoutResult> StridedSlice(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<StridedSliceAttrs>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame || p->slice_mode != "end" || !p->begin.defined() || !p->end.defined()) {
    return std::nullopt;
  }
  const auto& [original, current] = *frame;
  const auto* type = TensorOf(args[0].original_type);
  const auto* current_type = TensorOf(args[0].expr->checked_type());
  if (current_type == nullptr) return std::nullopt;
  int rank = static_cast<int>(original.letters.size());
  // The sliced original axes, numbered as the type relation numbers them.
  std::vector<int64_t> axes;
  if (p->axes.defined()) {
    if (p->axes.size() != p->begin.size() || p->axes.size() != p->end.size()) return std::nullopt;
    for (const Integer& a : p->axes) axes.push_back(a->value < 0 ? a->value + rank : a->value);
  } else {
    for (size_t i = 0; i < std::max(p->begin.size(), p->end.size()) && static_cast<int>(i) < rank; ++i) {
      axes.push_back(static_cast<int64_t>(i));
    }
  }
  struct Range {
    int64_t begin, end, stride;
  };
  std::vector<Range> ranges;
  for (size_t k = 0; k < axes.size(); ++k) {
    if (axes[k] < 0 || axes[k] >= rank) return std::nullopt;
    const auto* dim = type->shape[axes[k]].as<IntImmNode>();
    if (dim == nullptr) return std::nullopt;
    int64_t extent = dim->value;
    int64_t stride = 1;
    if (p->strides.defined() && !p->strides.empty()) {
      if (p->strides.size() == 1) {
        stride = p->strides[0]->value;
      } else if (k < p->strides.size()) {
        stride = p->strides[k]->value;
      }
    }
    if (stride == 0) return std::nullopt;
    int64_t begin = k < p->begin.size() ? p->begin[k]->value : (stride > 0 ? 0 : extent - 1);
    int64_t end = k < p->end.size() ? p->end[k]->value : (stride > 0 ? extent : -extent - 1);
    if (int64_t block = current.BlockOf(original.letters[axes[k]])) {
      if (stride != 1) return std::nullopt;
      begin = std::clamp<int64_t>(begin < 0 ? begin + extent : begin, 0, extent);
      end = std::clamp<int64_t>(end < 0 ? end + extent : end, 0, extent);
      if (begin % block != 0 || end % block != 0) return std::nullopt;
      begin /= block;
      end /= block;
    }
    ranges.push_back(Range{begin, end, stride});
  }
  auto attrs = make_object<StridedSliceAttrs>(*p);
  if (p->axes.defined()) {
    Array<Integer> new_axes, begin, end;
    for (size_t k = 0; k < axes.size(); ++k) {
      new_axes.push_back(Integer(current.IndexOf(original.letters[axes[k]])));
      begin.push_back(Integer(ranges[k].begin));
      end.push_back(Integer(ranges[k].end));
    }
    attrs->axes = new_axes;
    attrs->begin = begin;
    attrs->end = end;
    return LayoutResult{CallWith(pre, args, Attrs(attrs)), args[0].layout};
  }
  std::map<char, Range> sliced;
  for (size_t k = 0; k < axes.size(); ++k) sliced[original.letters[axes[k]]] = ranges[k];
  Array<Integer> begin, end, strides;
  for (size_t j = 0; j < current.letters.size(); ++j) {
    auto it = current.factors[j] == 0 ? sliced.find(current.letters[j]) : sliced.end();
    if (it != sliced.end()) {
      begin.push_back(Integer(it->second.begin));
      end.push_back(Integer(it->second.end));
      strides.push_back(Integer(it->second.stride));
      continue;
    }
    const auto* dim = current_type->shape[j].as<IntImmNode>();
    if (dim == nullptr) return std::nullopt;
    begin.push_back(Integer(0));
    end.push_back(Integer(dim->value));
    strides.push_back(Integer(1));
  }
  attrs->begin = begin;
  attrs->end = end;
  attrs->strides = strides;
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), args[0].layout};
}

/*! \brief split along a whole axis: every field in the data's layouts. */
std::optional<LayoutResult> Split(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<SplitAttrs>();
  auto frame = DataFrame(args);
  const auto* out = pre->checked_type().as<TupleTypeNode>();
  if (p == nullptr || !frame || out == nullptr) return std::nullopt;
  const auto& [original, current] = *frame;
  char letter = LetterOf(original, p->axis);
  if (letter == 0 || current.IndexOf(letter) < 0) return std::nullopt;
  auto attrs = make_object<SplitAttrs>(*p);
  attrs->axis = current.IndexOf(letter);
  if (int64_t block = current.BlockOf(letter)) {
    // A split axis splits at whole blocks: equal sections of a multiple of the block, or split
    // points that are multiples of it (counted in blocks).
    const auto* dim = TensorOf(args[0].original_type)->shape[original.IndexOf(letter)].as<IntImmNode>();
    if (dim == nullptr) return std::nullopt;
    if (const auto* sections = p->indices_or_sections.as<IntImmNode>()) {
      if (sections->value <= 0 || dim->value % sections->value != 0 ||
          (dim->value / sections->value) % block != 0) {
        return std::nullopt;
      }
    } else if (const auto* points = p->indices_or_sections.as<runtime::ArrayNode>()) {
      Array<Integer> in_blocks;
      for (size_t i = 0; i < points->size(); ++i) {
        const auto* index = points->at(i).as<IntImmNode>();
        if (index == nullptr || index->value < 0 || index->value % block != 0) return std::nullopt;
        in_blocks.push_back(Integer(index->value / block));
      }
      attrs->indices_or_sections = in_blocks;
    } else {
      return std::nullopt;
    }
  }
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), {},
                      std::vector<TensorLayout>(out->fields.size(), args[0].layout)};
}

/*! \brief topk along a whole axis: its values and indices in the data's layouts. */
std::optional<LayoutResult> TopK(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<TopKAttrs>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame) return std::nullopt;
  const auto& [original, current] = *frame;
  char letter = LetterOf(original, p->axis);
  if (letter == 0 || !Whole(current, std::string(1, letter))) return std::nullopt;
  auto attrs = make_object<TopKAttrs>(*p);
  attrs->axis = current.IndexOf(letter);
  Expr call = CallWith(pre, args, Attrs(attrs));
  if (const auto* fields = pre->checked_type().as<TupleTypeNode>()) {
    return LayoutResult{call, {}, std::vector<TensorLayout>(fields->fields.size(), args[0].layout)};
  }
  return LayoutResult{call, args[0].layout};
}

/*! \brief slice_like of two tensors in the same changed layouts: the named axes renamed. */
std::optional<LayoutResult> SliceLike(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<SliceLikeAttrs>();
  if (p == nullptr || args.size() != 2 || !args[0].layout.Changed() || args[1].layout.current != args[0].layout.current ||
      args[1].layout.original != args[0].layout.original) {
    return std::nullopt;
  }
  auto frame = TargetOf({args[0]});
  const auto* type = TensorOf(args[0].original_type);
  const auto* like = TensorOf(args[1].original_type);
  if (!frame || type == nullptr || like == nullptr || type->shape.size() != frame->first.letters.size() ||
      like->shape.size() != type->shape.size()) {
    return std::nullopt;
  }
  const auto& [original, current] = *frame;
  std::string letters;
  if (!p->axes.defined() || p->axes.empty()) {
    letters = original.letters;
  } else {
    for (const Integer& a : p->axes) {
      char letter = LetterOf(original, a->value);
      if (letter == 0) return std::nullopt;
      letters += letter;
    }
  }
  if (!Whole(current, letters)) return std::nullopt;
  auto attrs = make_object<SliceLikeAttrs>(*p);
  if (p->axes.defined() && !p->axes.empty()) {
    Array<Integer> axes;
    for (char c : letters) axes.push_back(Integer(current.IndexOf(c)));
    attrs->axes = axes;
  }
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), args[0].layout};
}

/*! \brief nn.batch_norm, nn.layer_norm, nn.instance_norm: the normalised axis stays whole.
 *  Instance norm reads axis 0 as the batch and every other axis but `axis` as the instance's, so
 *  the batch must stay first and no axis may be split. Batch norm's mean and variance fields do
 *  not depend on the layout. */
template <typename T>
std::optional<LayoutResult> Norm(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<T>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame) return std::nullopt;
  const auto& [original, current] = *frame;
  char letter = LetterOf(original, p->axis);
  if (letter == 0 || !Whole(current, std::string(1, letter))) return std::nullopt;
  if (std::is_same<T, InstanceNormAttrs>::value &&
      (HasSubAxes(current) || current.letters[0] != original.letters[0])) {
    return std::nullopt;
  }
  auto attrs = make_object<T>(*p);
  attrs->axis = current.IndexOf(letter);
  Expr call = CallWith(pre, args, Attrs(attrs));
  if (const auto* fields = pre->checked_type().as<TupleTypeNode>()) {
    std::vector<TensorLayout> layouts(fields->fields.size());
    layouts[0] = args[0].layout;
    return LayoutResult{call, {}, layouts};
  }
  return LayoutResult{call, args[0].layout};
}

std::optional<LayoutResult> L2Normalize(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<L2NormalizeAttrs>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame) return std::nullopt;
  const auto& [original, current] = *frame;
  auto attrs = make_object<L2NormalizeAttrs>(*p);
  if (p->axis.defined() && !p->axis.empty()) {
    Array<Integer> axis;
    for (const Integer& a : p->axis) {
      char letter = LetterOf(original, a->value);
      if (letter == 0 || !Whole(current, std::string(1, letter))) return std::nullopt;
      axis.push_back(Integer(current.IndexOf(letter)));
    }
    attrs->axis = axis;
  }
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), args[0].layout};
}

/*! \brief nn.upsampling and image.resize2d read their layout attribute: NCHW or NHWC, and for
 *  upsampling also NCHW<n>c (the layouts their computes take). */
template <typename T>
std::optional<LayoutResult> Resample(const CallNode* pre, const std::vector<LayoutArg>& args) {
  const auto* p = pre->attrs.as<T>();
  auto frame = DataFrame(args);
  if (p == nullptr || !frame || p->layout != args[0].layout.original) return std::nullopt;
  const std::string& current = args[0].layout.current;
  bool blocked = std::is_same<T, UpSamplingAttrs>::value && frame->second.letters == "NCHWc" &&
                 frame->second.BlockOf('C') > 0;
  if (current != "NCHW" && current != "NHWC" && !blocked) return std::nullopt;
  auto attrs = make_object<T>(*p);
  attrs->layout = args[0].layout.current;
  return LayoutResult{CallWith(pre, args, Attrs(attrs)), args[0].layout};
}

/*!
 * \brief A call of an operator with a FInferCorrectLayout hook. The hook is asked twice: with the
 *  arguments' original layouts (what the original call reads and writes) and with their current
 *  ones (what the rewritten call should). An argument in a changed layout is transformed into the
 *  layout asked for (back to its original one where the hook names none); one in its original
 *  layout is transformed only where the hook names both layouts. The call's type must agree with
 *  the original's through the layouts the hook gives for the result.
 */
std::optional<LayoutResult> Hooked(const CallNode* pre, const std::vector<LayoutArg>& args,
                                   const runtime::PackedFunc& hook, LayoutTransforms* transforms) {
  const auto* op = pre->op.as<OpNode>();
  if (TensorOf(pre->checked_type()) == nullptr) return std::nullopt;  // tuple results stay as they are
  Array<ObjectRef> old_layouts, new_layouts;
  Array<Type> old_types;
  for (const auto& arg : args) {
    tir::Layout old = arg.layout.Changed() ? tir::Layout(arg.layout.original) : tir::Layout();
    old_layouts.push_back(old);
    new_layouts.push_back(arg.layout.Changed() ? tir::Layout(arg.layout.current) : old);
    old_types.push_back(arg.original_type);
  }
  auto ask = [&](const Array<ObjectRef>& layouts) {
    ObjectRef answer = hook(pre->attrs, layouts, old_layouts, old_types);
    const auto* out = answer.as<InferCorrectLayoutOutputNode>();
    TVM_CHECK(out != nullptr, "ValueError") << "the FInferCorrectLayout hook of " << op->name
                                            << " must return an InferCorrectLayoutOutput, got " << answer;
    TVM_CHECK(out->input_layouts.size() == args.size() && !out->output_layouts.empty(), "ValueError")
        << "the FInferCorrectLayout hook of " << op->name << " gave " << out->input_layouts.size()
        << " input layouts for " << args.size() << " arguments and " << out->output_layouts.size()
        << " output layouts (one at least)";
    return answer;
  };
  auto layout_name = [](const ObjectRef& layout) {
    const auto* l = layout.as<tir::LayoutNode>();
    return l == nullptr ? std::string() : std::string(l->name);
  };
  ObjectRef before = ask(old_layouts), after = ask(new_layouts);
  const auto* was = before.as<InferCorrectLayoutOutputNode>();
  const auto* now = after.as<InferCorrectLayoutOutputNode>();
  Array<Expr> new_args;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string want = layout_name(now->input_layouts[i]), read = layout_name(was->input_layouts[i]);
    const LayoutArg& arg = args[i];
    if (arg.layout.Changed()) {
      std::string target = want.empty() ? arg.layout.original : want;
      auto from = LayoutAxes::Parse(arg.layout.current), to = LayoutAxes::Parse(target);
      std::string a = from ? from->Primal() : "", b = to ? to->Primal() : "";
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      TVM_CHECK(to && a == b, "ValueError") << "the FInferCorrectLayout hook of " << op->name << " asks for argument "
                                            << i << " in layout " << target << ", which does not have the axes of "
                                            << arg.layout.current;
      new_args.push_back(transforms->Transform(arg.expr, arg.layout.current, target));
    } else if (want.empty() || want == read) {
      new_args.push_back(arg.expr);
    } else if (!read.empty()) {
      new_args.push_back(transforms->Transform(arg.expr, read, want));
    } else {
      return std::nullopt;  // a layout asked of a tensor whose layout nobody knows
    }
  }
  Attrs attrs = now->new_attrs.defined() ? now->new_attrs : pre->attrs;
  Expr call = Typed(Call(pre->op, new_args, attrs, pre->type_args, pre->span));
  TensorLayout out{layout_name(was->output_layouts[0]), layout_name(now->output_layouts[0])};
  Type back = call->checked_type();
  if (out.Changed() && !out.original.empty()) {
    back = InferTypeLocal(pass_util::MakeOp("layout_transform", Var("out", back), out.current, out.original));
  } else {
    out = TensorLayout{};
  }
  TVM_CHECK(StructuralEqual()(back, pre->checked_type()), "ValueError")
      << "the FInferCorrectLayout hook of " << op->name << " gave a call of type " << call->checked_type()
      << (out.Changed() ? " in layout " + out.current : std::string()) << ", which is not the original's type "
      << pre->checked_type() << (out.Changed() ? " in layout " + out.original : std::string());
  return LayoutResult{call, out};
}

}  // namespace

std::optional<OpLayouts> LayoutsOf(const CallNode* call) {
  if (call == nullptr || !call->attrs.defined()) return std::nullopt;
  if (const auto* p = call->attrs.as<Resize2DAttrs>()) return OpLayouts{{p->layout}, p->layout};
  // (data, rois): the rois have no layout; the result (num_roi, C, PH, PW) is laid out as the data.
  if (const auto* p = call->attrs.as<ROIAlignAttrs>()) return OpLayouts{{p->layout, ""}, p->layout};
  if (const auto* p = call->attrs.as<DeformableConv2DAttrs>()) {
    // (data, offset, weight): the offsets are laid out as the data.
    return OpLayouts{{p->data_layout, p->data_layout, p->kernel_layout},
                     p->out_layout.empty() ? p->data_layout : p->out_layout};
  }
  for (auto layouts : {ConvLayouts<Conv1DAttrs>(call->attrs), ConvLayouts<Conv2DAttrs>(call->attrs),
                       ConvLayouts<Conv2DWinogradAttrs>(call->attrs),
                       ConvLayouts<Conv3DAttrs>(call->attrs), ConvLayouts<Conv1DTransposeAttrs>(call->attrs),
                       ConvLayouts<Conv2DTransposeAttrs>(call->attrs), ConvLayouts<Conv3DTransposeAttrs>(call->attrs),
                       PoolLayouts<MaxPool2DAttrs>(call->attrs),
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
  if (name != "concatenate" && Op::HasAttrMap("FInferCorrectLayout")) {
    static const auto fhook = Op::GetAttrMap<runtime::PackedFunc>("FInferCorrectLayout");
    Op call_op = GetRef<Op>(op);
    if (fhook.count(call_op)) return Hooked(pre, args, fhook[call_op], transforms);
  }
  if (name == "concatenate") return Concatenate(pre, args, transforms);
  if (name == "nn.bias_add") return BiasAdd(pre, args, transforms);
  if (name == "nn.pad") return Pad(pre, args);
  if (name == "nn.max_pool2d" || name == "nn.avg_pool2d" || name == "nn.global_max_pool2d" ||
      name == "nn.global_avg_pool2d" || name == "nn.adaptive_max_pool2d" || name == "nn.adaptive_avg_pool2d") {
    return Pool(pre, args);
  }
  if (name == "sum" || name == "mean" || name == "max" || name == "min" || name == "prod" || name == "all" ||
      name == "any") {
    return Reduce<ReduceAttrs>(pre, args);
  }
  if (name == "argmax" || name == "argmin") return Reduce<ArgReduceAttrs>(pre, args);
  if (name == "variance") return Reduce<VarianceAttrs>(pre, args);
  if (name == "squeeze") return Squeeze(pre, args);
  if (name == "transpose") return Transpose(pre, args);
  if (name == "strided_slice") return StridedSlice(pre, args);
  if (name == "split") return Split(pre, args);
  if (name == "topk") return TopK(pre, args);
  if (name == "slice_like") return SliceLike(pre, args);
  if (name == "nn.batch_norm") return Norm<BatchNormAttrs>(pre, args);
  if (name == "nn.layer_norm") return Norm<LayerNormAttrs>(pre, args);
  if (name == "nn.instance_norm") return Norm<InstanceNormAttrs>(pre, args);
  if (name == "nn.l2_normalize") return L2Normalize(pre, args);
  if (name == "nn.upsampling") return Resample<UpSamplingAttrs>(pre, args);
  if (name == "image.resize2d") return Resample<Resize2DAttrs>(pre, args);
  static const auto fpattern = Op::GetAttrMap<TOpPattern>("TOpPattern");
  Op call_op = GetRef<Op>(op);
  int pattern = fpattern.get(call_op, kOpaque);
  const auto* out = TensorOf(pre->checked_type());
  if (out == nullptr) return std::nullopt;
  if (pattern == kElemWise && args.size() == 1) {
    // out[i] = f(in[i]): any layout, attributes included (clip's bounds, cast's dtype).
    const auto* in = TensorOf(args[0].original_type);
    if (in == nullptr || in->shape.size() != out->shape.size()) return std::nullopt;
    return LayoutResult{Typed(Call(pre->op, {args[0].expr}, pre->attrs, pre->type_args, pre->span)), args[0].layout};
  }
  // Broadcast operators whose attributes could name axes (nn.prelu's axis) are left alone.
  if ((pattern == kElemWise || pattern == kBroadcast) && !pre->attrs.defined()) {
    return Broadcast(call_op, pre->attrs, pre->type_args, pre->checked_type(), args, transforms, pre->span);
  }
  return std::nullopt;
}

TVM_REGISTER_NODE_TYPE(InferCorrectLayoutOutputNode);

TVM_REGISTER_GLOBAL("relay._transform.InferCorrectLayoutOutput")
    .set_body_typed([](Array<ObjectRef> input_layouts, Array<ObjectRef> output_layouts, Attrs new_attrs) {
      auto n = make_object<InferCorrectLayoutOutputNode>();
      n->input_layouts = std::move(input_layouts);
      n->output_layouts = std::move(output_layouts);
      n->new_attrs = std::move(new_attrs);
      return ObjectRef(n);
    });

}  // namespace layout
}  // namespace relay
}  // namespace tvm
