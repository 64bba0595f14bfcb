/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/function_pass.cc
 * \brief Function-level passes: a module pass that applies a Function ->
 *  Function rewrite to each optimisable Relay function of the module.
 *
 * What is skipped: pass_util::SkipFunction's functions (already lowered or
 * owned elsewhere, and PrimFuncs); the C++ passes' FunctionRewritePass
 * shares this mechanism.
 * The input module is left as it was (a copy is updated), and the result is
 * type-checked again, since rewrites build new untyped nodes.
 */
#include "pass_util.h"

#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>

#include <functional>
#include <utility>
#include <vector>

namespace tvm {
namespace relay {
namespace transform {

namespace {
/*! \brief Rewrites every function SkipFunction keeps, into a copy of `mod`, then infers types. */
IRModule RewriteFunctions(IRModule mod, const std::function<Function(const GlobalVar&, Function)>& rewrite) {
  std::vector<std::pair<GlobalVar, Function>> updates;
  for (const GlobalVar& gv : mod->GetGlobalVars()) {
    BaseFunc func = mod->Lookup(gv);
    if (pass_util::SkipFunction(func)) continue;
    Function before = Downcast<Function>(func);
    Function after = rewrite(gv, before);
    if (!after.same_as(before)) updates.emplace_back(gv, std::move(after));
  }
  // A new module object: whoever holds the input keeps it unchanged.
  if (!updates.empty()) {
    IRModuleNode* node = mod.CopyOnWrite();
    for (auto& u : updates) node->Add(u.first, u.second, true);
  }
  return InferType()(mod);
}
}  // namespace

Pass CreateFunctionPass(const runtime::TypedPackedFunc<Function(Function, IRModule, PassContext)>& pass_func,
                        int opt_level, String name, Array<String> required) {
  auto module_func = [pass_func, name](IRModule mod, PassContext ctx) {
    return RewriteFunctions(mod, [&](const GlobalVar& gv, Function func) {
      Function updated = pass_func(func, mod, ctx);
      TVM_CHECK(updated.defined(), "ValueError")
          << "function pass '" << name << "' returned None for function @" << gv->name_hint;
      return updated;
    });
  };
  return tvm::transform::CreateModulePass(module_func, opt_level, std::move(name), std::move(required));
}

}  // namespace transform

namespace pass_util {

bool SkipFunction(const BaseFunc& func) {
  const auto* fn = func.as<FunctionNode>();
  if (fn == nullptr) return true;
  const DictAttrs& attrs = fn->attrs;
  // Compiler holds the external compiler's name (a String), not a flag.
  return attrs.HasNonzeroAttr(attr::kPrimitive) || attrs.GetAttr<String>(attr::kCompiler).has_value() ||
         attrs.HasNonzeroAttr("Extern") || attrs.HasNonzeroAttr("SkipOptimization");
}

tvm::transform::Pass FunctionRewritePass(std::function<Function(Function, IRModule)> rewrite, int opt_level,
                                         const std::string& name, Array<String> required, bool needs_types) {
  auto module_func = [rewrite, needs_types](IRModule mod, tvm::transform::PassContext) {
    if (needs_types) {
      for (const auto& kv : mod->functions) {
        if (!SkipFunction(kv.second) && !Downcast<Function>(kv.second)->body->checked_type_.defined()) {
          mod = transform::InferType()(mod);
          break;
        }
      }
    }
    return transform::RewriteFunctions(mod, [&](const GlobalVar&, Function func) { return rewrite(func, mod); });
  };
  return tvm::transform::CreateModulePass(module_func, opt_level, name, required);
}

}  // namespace pass_util

namespace transform {

TVM_REGISTER_GLOBAL("relay._transform.MakeFunctionPass")
    .set_body_typed([](runtime::TypedPackedFunc<Function(Function, IRModule, PassContext)> pass_func,
                       tvm::transform::PassInfo info) {
      return CreateFunctionPass(pass_func, info->opt_level, info->name, info->required);
    });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
