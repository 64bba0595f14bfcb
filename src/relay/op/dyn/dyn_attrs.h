/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/dyn/dyn_attrs.h
 * \brief Attributes only the dyn.* operators use (the others reuse the static
 *  operators' attrs, less the fields that became tensor arguments).
 */
#ifndef TVM_RELAY_OP_DYN_DYN_ATTRS_H_
#define TVM_RELAY_OP_DYN_DYN_ATTRS_H_

#include <tvm/ir/attrs.h>

namespace tvm {
namespace relay {

/*! \brief dyn.expand_dims: the axis is a tensor, the number of new axes an attribute. */
struct DynExpandDimsAttrs : public BaseAttrsNode {
  int num_newaxis{1};
  void VisitAttrs(AttrVisitor* v) { v->Visit("num_newaxis", &num_newaxis); }
  static constexpr const char* _type_key = "relay.attrs.DynExpandDimsAttrs";
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_DYN_DYN_ATTRS_H_
