/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/build.h
 * \brief relay.build from C++: a Relay module and its parameters -> the graph
 *  executor factory module (graph JSON, kernels, parameters), with no Python
 *  in the process. The pass list, in order, is in src/relay/backend/build_module.cc.
 *
 *   IRModule mod = relay::ParseModule("model.relay", text);
 *   runtime::Module factory = relay::Build(mod, Target("llvm"), params, "default");
 *   ExportLibrary(factory, "model.so");            // tvm/driver/export_library.h
 *
 * PassContext::Current() decides as for Python's relay.build: opt_level,
 * disabled_pass, required_pass, the per-pass configs and instruments.
 */
#ifndef TVM_RELAY_BUILD_H_
#define TVM_RELAY_BUILD_H_

#include <tvm/ir/module.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/target/target.h>

namespace tvm {
namespace relay {

class Function;

/*! \brief relay.build's passes before code generation, in order (the VM compiler runs them too). */
TVM_DLL Array<tvm::transform::Pass> BuildPassList();

/*!
 * \brief `func` with the parameters named in `params` replaced by constants.
 *  Names that no parameter has are ignored (as TVM's); a name that several
 *  parameters share is a ValueError naming it.
 */
TVM_DLL Function BindParamsByName(const Function& func, const Map<String, runtime::NDArray>& params);

/*!
 * \brief `mod` with `params` bound into main and relay.build's passes run
 *  (fused, type-inferred). The passes see the target in scope, if any.
 */
TVM_DLL IRModule Optimize(IRModule mod, const Map<String, runtime::NDArray>& params);

/*!
 * \brief relay.build: the graph executor factory module ("GraphExecutorFactory":
 *  `factory[mod_name](device)` makes an executor; export_library packs it).
 * \param target the kernels' target (its host, if any, for host code);
 *  it is the target in scope while optimising, lowering and building.
 * \param params main's parameters to bind as constants, by name.
 * \param mod_name the kernels are named tvmgen_<mod_name>_fused_...
 */
TVM_DLL runtime::Module Build(IRModule mod, Target target, const Map<String, runtime::NDArray>& params,
                              String mod_name = "default");

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_BUILD_H_
