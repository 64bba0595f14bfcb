/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/infer_layout.h
 * \brief Layout inference for AlterOpLayout: which layouts an operator reads and writes, and how
 *  a call is rewritten when its arguments arrive in a blocked layout (NCHW16c) instead of their
 *  original one (NCHW), so that the blocked layout flows on through elementwise and broadcast
 *  operators, pooling and concatenation, and is transformed back only where an operator cannot
 *  take it.
 */
#ifndef TVM_RELAY_TRANSFORMS_INFER_LAYOUT_H_
#define TVM_RELAY_TRANSFORMS_INFER_LAYOUT_H_

#include <tvm/relay/expr.h>

#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <string>
#include <vector>

namespace tvm {
namespace relay {
namespace layout {

/*! \brief A layout string's axes: "NCHW16c" -> letters "NCHWc", factors {0, 0, 0, 0, 16}. */
struct LayoutAxes {
  std::string name;
  std::string letters;
  std::vector<int64_t> factors;  // 0 for a primal (upper-case) axis

  /*! \brief nullopt for a malformed layout (or the empty string). */
  static std::optional<LayoutAxes> Parse(const std::string& layout);
  /*! \brief The primal axes in order: "NCHW16c" -> "NCHW". */
  std::string Primal() const;
  /*! \brief The factor of primal axis `axis`'s sub-axis; 0 when it is not split. */
  int64_t BlockOf(char axis) const;
  int IndexOf(char letter) const;
  /*! \brief Whether every sub-axis comes after every primal axis ("NCHW16c", not "NC16cHW"). */
  bool SubAxesTrailing() const;
};

/*! \brief Where a rewritten tensor's layout differs from the original program's. */
struct TensorLayout {
  std::string original;  // the layout the original program has this tensor in
  std::string current;   // the layout the rewritten expression has it in
  bool Changed() const { return !current.empty() && current != original; }
};

/*! \brief A rewritten argument: its expression (typed), its layout, the original argument's type. */
struct LayoutArg {
  Expr expr;
  TensorLayout layout;
  Type original_type;
};

/*! \brief A rewritten call and the layout of its result; for a call that returns a tuple
 *  (nn.batch_norm, split), `fields` holds the layout of each field instead. */
struct LayoutResult {
  Expr expr;
  TensorLayout layout;
  std::vector<TensorLayout> fields;
};

/*!
 * \brief What an operator's FInferCorrectLayout hook answers (TVM's protocol):
 *  hook(attrs, new_in_layouts, old_in_layouts, old_in_types) -> the layouts the call should read
 *  its arguments in and write its results in (tir::Layout, null where it has no say), and the
 *  call's attributes in those layouts.
 */
class InferCorrectLayoutOutputNode : public Object {
 public:
  Array<ObjectRef> input_layouts;
  Array<ObjectRef> output_layouts;
  Attrs new_attrs;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("input_layouts", &input_layouts);
    v->Visit("output_layouts", &output_layouts);
    v->Visit("new_attrs", &new_attrs);
  }
  static constexpr const char* _type_key = "relay._transform.InferCorrectLayoutOutput";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

/*! \brief The layouts an operator reads its arguments in and writes its result in, by its
 *  attributes (convolutions, pools); nullopt for operators without layout attributes. */
struct OpLayouts {
  std::vector<std::string> inputs;
  std::string output;
};
std::optional<OpLayouts> LayoutsOf(const CallNode* call);

/*! \brief What one run of the pass shares between rewrites: the layout transforms made so far,
 *  so a tensor is transformed into a layout once however many calls read it there. */
class LayoutTransforms {
 public:
  /*! \brief `expr` (typed) transformed from `src` to `dst`: itself when they are equal. */
  Expr Transform(const Expr& expr, const std::string& src, const std::string& dst);

 private:
  std::map<std::tuple<const Object*, std::string, std::string>, std::pair<Expr, Expr>> made_;
};

/*! \brief `call` typed from its arguments' types alone (the arguments must be typed). */
Expr Typed(const Expr& call);

/*!
 * \brief The call `pre` rebuilt over `args` (one per argument of `pre`; for concatenate, one per
 *  field of its tuple) when at least one of them arrives in a changed layout and the operator can
 *  compute in it: elementwise operators, broadcast operators without attributes, nn.bias_add,
 *  2-d pools and adaptive/global pools, nn.upsampling, image.resize2d, nn.pad, concatenate,
 *  layout_transform, operators with a FInferCorrectLayout hook (registered from Python with
 *  relay.op.register_infer_correct_layout), and the operators that name axes in their attributes (reductions, squeeze,
 *  transpose, strided_slice, split, the normalisations) when the axes they name are not split.
 *  nullopt: the arguments must be transformed back to their original layouts.
 */
std::optional<LayoutResult> PropagateLayout(const CallNode* pre, const std::vector<LayoutArg>& args,
                                            LayoutTransforms* transforms);

}  // namespace layout
}  // namespace relay
}  // namespace tvm

#endif  // TVM_RELAY_TRANSFORMS_INFER_LAYOUT_H_
