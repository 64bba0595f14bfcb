/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// EnvFunc, and the TypeRelation constructor Python uses (a relation named by an EnvFunc).
#include <tvm/ir/env_func.h>
#include <tvm/ir/type_relation.h>
#include <tvm/runtime/registry.h>

namespace tvm {

EnvFunc EnvFunc::Get(const String& name) {
  const runtime::PackedFunc* f = runtime::Registry::Get(name);
  TVM_CHECK(f != nullptr, "ValueError") << "EnvFunc.get: no global function is registered as '" << name << "'";
  auto n = make_object<EnvFuncNode>();
  n->name = name;
  n->func = *f;
  return EnvFunc(n);
}

TVM_REGISTER_NODE_TYPE(EnvFuncNode);

TVM_REGISTER_GLOBAL("ir.EnvFuncGet").set_body_typed([](String name) { return EnvFunc::Get(name); });
TVM_REGISTER_GLOBAL("ir.EnvFuncCall").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  EnvFunc env = args[0].AsType<EnvFunc>();
  env->func.CallPacked(runtime::TVMArgs(args.values + 1, args.type_codes + 1, args.num_args - 1), rv);
});
TVM_REGISTER_GLOBAL("ir.TypeRelation")
    .set_body_typed([](EnvFunc func, Array<Type> args, int num_inputs, Attrs attrs) {
      return TypeRelation(TypeRelationFn(func->func), func->name, args, num_inputs, attrs);
    });

}  // namespace tvm
