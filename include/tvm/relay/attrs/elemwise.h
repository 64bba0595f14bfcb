/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/attrs/elemwise.h
 * \brief Attributes of the elementwise operators that take any: cast and
 *  reinterpret (the target dtype), clip (the bounds), fixed_point_multiply. TVM keeps these two in
 *  attrs/transform.h; the type keys are TVM's.
 */
#ifndef TVM_RELAY_ATTRS_ELEMWISE_H_
#define TVM_RELAY_ATTRS_ELEMWISE_H_

#include <tvm/ir/attrs.h>

namespace tvm {
namespace relay {

/*! \brief cast, reinterpret: the dtype of the result. */
struct CastAttrs : public BaseAttrsNode {
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) { v->Visit("dtype", &dtype); }
  static constexpr const char* _type_key = "relay.attrs.CastAttrs";
  static constexpr bool _type_final = true;
  using _type_parent = BaseAttrsNode;
};

/*! \brief clip: the result is min(max(x, a_min), a_max). */
struct ClipAttrs : public BaseAttrsNode {
  double a_min{0.0};
  double a_max{0.0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("a_min", &a_min);
    v->Visit("a_max", &a_max);
  }
  static constexpr const char* _type_key = "relay.attrs.ClipAttrs";
  static constexpr bool _type_final = true;
  using _type_parent = BaseAttrsNode;
};

/*! \brief fixed_point_multiply: x * multiplier / 2^(31 - shift), rounded, on int32. */
struct FixedPointMultiplyAttrs : public BaseAttrsNode {
  int multiplier{0};
  int shift{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("multiplier", &multiplier);
    v->Visit("shift", &shift);
  }
  static constexpr const char* _type_key = "relay.attrs.FixedPointMultiplyAttrs";
  static constexpr bool _type_final = true;
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ATTRS_ELEMWISE_H_
