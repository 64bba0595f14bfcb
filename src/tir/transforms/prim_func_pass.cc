/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// PrimFuncPass: runs a function over every PrimFunc of a module.
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

namespace tvm {
namespace tir {
namespace transform {

IRModule PrimFuncPassNode::Run(IRModule mod, const PassContext& ctx) const {
  std::vector<std::pair<GlobalVar, PrimFunc>> updates;
  for (const auto& kv : mod->functions) {
    if (const auto* f = kv.second.as<PrimFuncNode>()) {
      PrimFunc out = pass_func(GetRef<PrimFunc>(f), mod, ctx);
      if (!out.same_as(kv.second)) updates.emplace_back(kv.first, out);
    }
  }
  if (updates.empty()) return mod;
  IRModuleNode* n = mod.CopyOnWrite();
  for (const auto& kv : updates) n->Update(kv.first, kv.second);
  return mod;
}

Pass CreatePrimFuncPass(TypedPackedFunc<PrimFunc(PrimFunc, IRModule, PassContext)> pass_func, int opt_level,
                        String name, Array<String> required) {
  auto n = make_object<PrimFuncPassNode>();
  n->pass_info = PassInfo(opt_level, std::move(name), std::move(required));
  n->pass_func = std::move(pass_func);
  return Pass(ObjectPtr<Object>(std::move(n)));
}

TVM_REGISTER_NODE_TYPE(PrimFuncPassNode);

TVM_REGISTER_GLOBAL("tir.transform.CreatePrimFuncPass").set_body_typed([](runtime::PackedFunc f, PassInfo info) {
  auto n = make_object<PrimFuncPassNode>();
  n->pass_info = info;
  n->pass_func = TypedPackedFunc<PrimFunc(PrimFunc, IRModule, PassContext)>(f);
  return Pass(ObjectPtr<Object>(std::move(n)));
});

}  // namespace transform
}  // namespace tir
}  // namespace tvm
