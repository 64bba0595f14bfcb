/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/attrs/reduce.h
 * \brief Attributes of the reductions (sum, mean, max, argmax, variance, ...).
 *  axis undefined means every axis; exclude reduces the axes not listed.
 */
#ifndef TVM_RELAY_ATTRS_REDUCE_H_
#define TVM_RELAY_ATTRS_REDUCE_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>

namespace tvm {
namespace relay {

struct ReduceAttrs : public BaseAttrsNode {
  Array<Integer> axis{ObjectPtr<Object>(nullptr)};  // undefined: every axis
  bool keepdims{false};
  bool exclude{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("keepdims", &keepdims);
    v->Visit("exclude", &exclude);
  }
  static constexpr const char* _type_key = "relay.attrs.ReduceAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ArgReduceAttrs : public BaseAttrsNode {
  Array<Integer> axis{ObjectPtr<Object>(nullptr)};  // undefined: every axis
  bool keepdims{false};
  bool select_last_index{false};
  bool exclude{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("keepdims", &keepdims);
    v->Visit("select_last_index", &select_last_index);
    v->Visit("exclude", &exclude);
  }
  static constexpr const char* _type_key = "relay.attrs.ArgReduceAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief variance/std: the second input is the mean; unbiased divides by N - 1. */
struct VarianceAttrs : public BaseAttrsNode {
  Array<Integer> axis{ObjectPtr<Object>(nullptr)};  // undefined: every axis
  bool keepdims{false};
  bool exclude{false};
  bool unbiased{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("keepdims", &keepdims);
    v->Visit("exclude", &exclude);
    v->Visit("unbiased", &unbiased);
  }
  static constexpr const char* _type_key = "relay.attrs.VarianceAttrs";
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ATTRS_REDUCE_H_
