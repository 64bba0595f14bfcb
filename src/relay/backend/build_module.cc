/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/build_module.cc
 * \brief relay.build, top to bottom:
 *
 *   bind params by name (constants)
 *   -> with the target in scope:
 *        BuildPassList(): InferType, SimplifyInference, ..., AlterOpLayout,
 *        FoldConstant, FuseOps, InferType (each pass on by PassContext's
 *        opt_level / required_pass / disabled_pass)
 *        -> graph codegen (TE compiler per fused function, graph JSON, params)
 *        -> driver::Build of all kernels at once
 *   -> the runtime's graph executor factory module (graph, kernels, params)
 *
 * Python's relay.build, relay.optimize and the VM compiler call these; a C++
 * program calls relay::Build (tvm/relay/build.h) with no Python loaded.
 */
#include <tvm/driver/driver_api.h>
#include <tvm/relay/build.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/function.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph_executor_codegen.h"

namespace tvm {
namespace relay {

Array<tvm::transform::Pass> BuildPassList() {
  using namespace transform;  // NOLINT(build/namespaces)
  Array<Pass> passes;
  passes.push_back(InferType());
  passes.push_back(SimplifyInference());
  passes.push_back(CombineParallelConv2D(3));  // opt_level 4, as TVM's
  passes.push_back(CombineParallelDense(3));
  passes.push_back(CombineParallelBatchMatmul(3));
  passes.push_back(FoldConstant());
  passes.push_back(FoldScaleAxis());
  passes.push_back(SimplifyExpr());
  passes.push_back(SinkReshape());  // bias, activation, residual add next to the dense they follow
  passes.push_back(EliminateCommonSubexpr());
  passes.push_back(FoldConstant());
  // opt_level 3: operators take the target's layouts (dense: a pre-packed weight,
  // conv2d: NCHWc), and the layout transforms of constants fold away.
  passes.push_back(AlterOpLayout());
  passes.push_back(FoldConstant());
  passes.push_back(InferType());
  passes.push_back(FuseOps(-1));  // -1: PassContext's opt_level decides how much fuses
  passes.push_back(InferType());
  return passes;
}

Function BindParamsByName(const Function& func, const Map<String, runtime::NDArray>& params) {
  if (params.empty()) return func;
  std::unordered_map<std::string, std::vector<Var>> by_name;
  for (const Var& p : func->params) by_name[p->name_hint].push_back(p);
  Map<Var, Expr> binds;
  for (const auto& kv : params) {
    auto it = by_name.find(kv.first);
    if (it == by_name.end()) continue;
    TVM_CHECK(it->second.size() == 1, "ValueError")
        << "several parameters are named '" << kv.first << "'; parameters bound by name must be unique";
    TVM_CHECK(kv.second.defined(), "ValueError") << "the value of parameter '" << kv.first << "' is None";
    binds.Set(it->second[0], Constant(kv.second));
  }
  return Downcast<Function>(Bind(func, binds));
}

namespace {

/*! \brief main of `mod`, checked to be a Relay function; `what` names the caller in errors. */
Function MainFunction(const IRModule& mod, const char* what) {
  TVM_CHECK(mod.defined(), "ValueError") << what << ": the module is None";
  TVM_CHECK(mod->ContainGlobalVar("main"), "ValueError") << what << ": the module has no function named main";
  BaseFunc main = mod->Lookup("main");
  const auto* func = main.as<FunctionNode>();
  TVM_CHECK(func != nullptr, "TypeError") << what << ": main must be a Relay function, not a " << main->GetTypeKey();
  return GetRef<Function>(func);
}

/*! \brief A copy of `mod` whose main has `params` bound (mod itself when there are none). */
IRModule WithParamsBound(const IRModule& mod, const Map<String, runtime::NDArray>& params, const char* what) {
  Function main = MainFunction(mod, what);
  if (params.empty()) return mod;
  IRModule out = mod;
  out.CopyOnWrite()->Update(mod->GetGlobalVar("main"), BindParamsByName(main, params));
  return out;
}

IRModule RunBuildPasses(const IRModule& mod) {
  return tvm::transform::Sequential(BuildPassList(), 0, "relay.build")(mod);
}

/*! \brief What relay.build makes before it is put in a factory module. */
struct BuiltGraph {
  std::string graph_json;
  runtime::Module lib;
  Map<String, runtime::NDArray> params;
};

BuiltGraph BuildGraph(IRModule mod, const Target& target, const Map<String, runtime::NDArray>& params,
                      std::string mod_name) {
  TVM_CHECK(target.defined(), "ValueError") << "relay.build: no target given";
  if (mod_name.empty()) mod_name = "default";
  mod = WithParamsBound(mod, params, "relay.build");
  // Passes (AlterOpLayout), computes and schedules read the target in scope.
  With<Target> scope(target);
  mod = RunBuildPasses(mod);
  backend::GraphCodegenResult graph = backend::GenerateGraph(MainFunction(mod, "relay.build"), target, mod_name);
  // Every kernel in one module, built once.
  runtime::Module lib = driver::Build(graph.lowered, target);
  return {std::move(graph.graph_json), std::move(lib), std::move(graph.params)};
}

/*! \brief The runtime's factory module ("tvm.graph_executor_factory.create", in libtvm_runtime). */
runtime::Module MakeGraphExecutorFactory(const BuiltGraph& built, const std::string& mod_name) {
  const runtime::PackedFunc* create = runtime::Registry::Get("tvm.graph_executor_factory.create");
  TVM_CHECK(create != nullptr, "RuntimeError")
      << "relay.build: the runtime has no graph executor factory (tvm.graph_executor_factory.create)";
  // (graph_json, lib, mod_name, name0, array0, name1, array1, ...), in the params' order.
  std::vector<std::string> names;
  std::vector<runtime::NDArray> arrays;
  for (const auto& kv : built.params) {
    names.push_back(kv.first);
    arrays.push_back(kv.second);
  }
  size_t n = 3 + 2 * names.size();
  std::vector<TVMValue> values(n);
  std::vector<int> codes(n);
  runtime::TVMArgsSetter setter(values.data(), codes.data());
  setter(0, built.graph_json);
  setter(1, built.lib);
  setter(2, mod_name);
  for (size_t i = 0; i < names.size(); ++i) {
    setter(3 + 2 * i, names[i]);
    setter(4 + 2 * i, arrays[i]);
  }
  runtime::TVMRetValue rv;
  create->CallPacked(runtime::TVMArgs(values.data(), codes.data(), static_cast<int>(n)), &rv);
  return rv.operator runtime::Module();
}

}  // namespace

IRModule Optimize(IRModule mod, const Map<String, runtime::NDArray>& params) {
  return RunBuildPasses(WithParamsBound(mod, params, "relay.optimize"));
}

runtime::Module Build(IRModule mod, Target target, const Map<String, runtime::NDArray>& params, String mod_name) {
  std::string name = mod_name.empty() ? std::string("default") : std::string(mod_name);
  BuiltGraph built = BuildGraph(std::move(mod), target, params, name);
  return MakeGraphExecutorFactory(built, name);
}

TVM_REGISTER_GLOBAL("relay.build_module.BuildPassList").set_body_typed([]() { return BuildPassList(); });

TVM_REGISTER_GLOBAL("relay.build_module.BindParamsByName")
    .set_body_typed([](Function func, Map<String, runtime::NDArray> params) {
      return BindParamsByName(func, params);
    });

TVM_REGISTER_GLOBAL("relay.build_module.Optimize")
    .set_body_typed([](IRModule mod, Map<String, runtime::NDArray> params) { return Optimize(mod, params); });

TVM_REGISTER_GLOBAL("relay.build_module.Build")
    .set_body_typed([](IRModule mod, Target target, Map<String, runtime::NDArray> params, String mod_name) {
      return Build(mod, target, params, mod_name);
    });

/*! \brief (graph_json, lib, params): what Python's GraphExecutorFactoryModule is made of. */
TVM_REGISTER_GLOBAL("relay.build_module.BuildGraph")
    .set_body_typed([](IRModule mod, Target target, Map<String, runtime::NDArray> params, String mod_name) {
      BuiltGraph built = BuildGraph(mod, target, params, mod_name);
      return Array<ObjectRef>{String(built.graph_json), built.lib, built.params};
    });

}  // namespace relay
}  // namespace tvm
