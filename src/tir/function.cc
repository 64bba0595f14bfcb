/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/function.h>

namespace tvm {
namespace tir {

PrimFunc::PrimFunc(Array<Var> params, Stmt body, Type ret_type, Map<Var, Buffer> buffer_map, DictAttrs attrs) {
  TVM_CHECK(body.defined(), "ValueError") << "PrimFunc with an undefined body";
  for (const auto& kv : buffer_map) {
    bool found = false;
    for (const Var& p : params) found = found || p.same_as(kv.first);
    TVM_CHECK(found, "ValueError") << "PrimFunc: buffer " << kv.second->name
                                   << " is bound to a variable that is not a parameter";
  }
  auto n = make_object<PrimFuncNode>();
  n->params = std::move(params);
  n->body = std::move(body);
  n->ret_type = ret_type.defined() ? ret_type : TupleType::Empty();
  n->buffer_map = std::move(buffer_map);
  n->attrs = attrs.defined() ? attrs : DictAttrs();
  data_ = std::move(n);
}

PrimFuncNode* PrimFunc::CopyOnWrite() {
  if (!unique()) data_ = make_object<PrimFuncNode>(*operator->());
  return static_cast<PrimFuncNode*>(get_mutable());
}

TVM_REGISTER_NODE_TYPE(PrimFuncNode);

TVM_REGISTER_GLOBAL("tir.PrimFunc")
    .set_body_typed([](Array<Var> params, Stmt body, Type ret_type, Map<Var, Buffer> buffer_map, DictAttrs attrs) {
      return PrimFunc(params, body, ret_type, buffer_map, attrs);
    });
TVM_REGISTER_GLOBAL("tir.PrimFuncWithAttr").set_body_typed([](PrimFunc func, String key, ObjectRef value) {
  return WithAttr(std::move(func), key, value);
});

}  // namespace tir
}  // namespace tvm
