/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/function_pass.cc
 * \brief Function-level passes: a module pass that applies a Function ->
 *  Function rewrite to each optimisable Relay function of the module.
 *
 * What is skipped: functions already lowered or owned elsewhere (Primitive,
 * Compiler, Extern, SkipOptimization) and non-Relay functions (PrimFuncs).
 * The input module is left as it was (a copy is updated), and the result is
 * type-checked again, since rewrites build new untyped nodes.
 */
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>

#include <utility>
#include <vector>

namespace tvm {
namespace relay {
namespace transform {

namespace {
bool IsOptimizable(const FunctionNode* fn) {
  const DictAttrs& attrs = fn->attrs;
  // Compiler holds the external compiler's name (a String), not a flag.
  return !attrs.HasNonzeroAttr(attr::kPrimitive) && !attrs.GetAttr<String>(attr::kCompiler).has_value() &&
         !attrs.HasNonzeroAttr("Extern") && !attrs.HasNonzeroAttr("SkipOptimization");
}
}  // namespace

Pass CreateFunctionPass(const runtime::TypedPackedFunc<Function(Function, IRModule, PassContext)>& pass_func,
                        int opt_level, String name, Array<String> required) {
  auto module_func = [pass_func, name](IRModule mod, PassContext ctx) {
    std::vector<std::pair<GlobalVar, Function>> updates;
    for (const GlobalVar& gv : mod->GetGlobalVars()) {
      const auto* fn = mod->Lookup(gv).as<FunctionNode>();
      if (fn == nullptr || !IsOptimizable(fn)) continue;
      Function updated = pass_func(GetRef<Function>(fn), mod, ctx);
      TVM_CHECK(updated.defined(), "ValueError")
          << "function pass '" << name << "' returned None for function @" << gv->name_hint;
      updates.emplace_back(gv, std::move(updated));
    }
    // A new module object: whoever holds the input keeps it unchanged.
    IRModule out = mod;
    if (!updates.empty()) {
      IRModuleNode* node = out.CopyOnWrite();
      for (auto& u : updates) node->Add(u.first, u.second, true);
    }
    return InferType()(out);
  };
  return tvm::transform::CreateModulePass(module_func, opt_level, std::move(name), std::move(required));
}

TVM_REGISTER_GLOBAL("relay._transform.MakeFunctionPass")
    .set_body_typed([](runtime::TypedPackedFunc<Function(Function, IRModule, PassContext)> pass_func,
                       tvm::transform::PassInfo info) {
      return CreateFunctionPass(pass_func, info->opt_level, info->name, info->required);
    });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
