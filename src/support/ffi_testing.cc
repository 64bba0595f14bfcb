/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Globals that tests call from compiled code through the packed-call path.
#include <tvm/ir/attrs.h>
#include <tvm/ir/env_func.h>
#include <tvm/ir/expr.h>
#include <tvm/runtime/registry.h>

namespace tvm {

// An attrs node with one field of each common kind, for tests of attrs in
// make_node, the text format and structural equality (TVM's tests build it by name).
struct TestAttrs : public BaseAttrsNode {
  int axis = 10;
  String name;
  Array<PrimExpr> padding{PrimExpr(0), PrimExpr(0)};
  EnvFunc func;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("name", &name);
    v->Visit("padding", &padding);
    v->Visit("func", &func);
  }
  static constexpr const char* _type_key = "attrs.TestAttrs";
  using _type_parent = BaseAttrsNode;
};

TVM_REGISTER_NODE_TYPE(TestAttrs);

// Returns its first argument unchanged, whatever its type: checks that a
// tvm_call_packed returning a non-int32 value comes back intact.
TVM_REGISTER_GLOBAL("testing.echo").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  TVM_CHECK(args.size() >= 1, "TypeError") << "testing.echo expects one argument, got " << args.size();
  *rv = args[0];
});

}  // namespace tvm
