/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// tvm.build after tvm.lower: bind the target, make the packed calling
// convention, lower builtins and intrinsics for the target, and generate
// code with "target.build.<kind>".
//
//   lowered IRModule
//     -> BindTarget -> MakePackedAPI -> LowerTVMBuiltin -> LowerIntrin
//     -> target.build.llvm (CodeGenLLVM, then JIT or object file)
#include <tvm/driver/driver_api.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target.h>
#include <tvm/tir/function.h>

namespace tvm {
namespace driver {

namespace {

/*! \brief Attach the target to every PrimFunc (passes such as LowerIntrin read it). */
IRModule BindTarget(IRModule mod, const Target& target) {
  IRModule out = mod;
  for (const auto& kv : mod->functions) {
    if (const auto* f = kv.second.as<tir::PrimFuncNode>()) {
      if (f->GetAttr<Target>(tvm::attr::kTarget).has_value()) continue;
      out.CopyOnWrite()->Update(kv.first, WithAttr(GetRef<tir::PrimFunc>(f), tvm::attr::kTarget, target));
    }
  }
  return out;
}

/*! \brief A registered pass by name; the build fails clearly when a step is missing. */
transform::Pass NamedPass(const std::string& name) {
  const runtime::PackedFunc* f = runtime::Registry::Get(name);
  TVM_CHECK(f != nullptr, "ValueError") << "tvm.build needs the pass " << name << ", which is not registered";
  return (*f)().AsType<transform::Pass>();
}

}  // namespace

/*! \brief Compile a lowered module for `target`. */
runtime::Module Build(IRModule mod, Target target) {
  mod = BindTarget(mod, target);
  Array<transform::Pass> passes{NamedPass("tir.transform.MakePackedAPI")};
  // The argument checks MakePackedAPI wrote (and any others) go when the caller vouches for them.
  auto disable_assert = transform::PassContext::Current()->GetConfig<IntImm>("tir.disable_assert");
  if (disable_assert.has_value() && disable_assert->defined() && (*disable_assert)->value != 0) {
    passes.push_back(NamedPass("tir.transform.SkipAssert"));
  }
  passes.push_back(NamedPass("tir.transform.LowerTVMBuiltin"));
  passes.push_back(NamedPass("tir.transform.LowerIntrin"));
  transform::Pass pipeline = transform::Sequential(passes, 0, "BuildPipeline");
  mod = pipeline(mod);
  std::string builder = "target.build." + target->kind->name.str();
  const runtime::PackedFunc* codegen = runtime::Registry::Get(builder);
  TVM_CHECK(codegen != nullptr, "ValueError")
      << "no code generator for target '" << target->str() << "' (" << builder << " is not registered)";
  return (*codegen)(mod, target).operator runtime::Module();
}

TVM_REGISTER_GLOBAL("driver.build").set_body_typed([](IRModule mod, Target target) { return Build(mod, target); });

}  // namespace driver
}  // namespace tvm
