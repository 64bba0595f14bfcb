/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/graph_executor_codegen.h
 * \brief The graph codegen's entry for relay::Build (graph_executor_codegen.cc).
 */
#ifndef TVM_SRC_RELAY_BACKEND_GRAPH_EXECUTOR_CODEGEN_H_
#define TVM_SRC_RELAY_BACKEND_GRAPH_EXECUTOR_CODEGEN_H_

#include <tvm/ir/module.h>
#include <tvm/relay/function.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/target/target.h>

#include <string>

namespace tvm {
namespace relay {
namespace backend {

struct GraphCodegenResult {
  /*! \brief The graph executor's JSON. */
  std::string graph_json;
  /*! \brief The constants the graph reads as parameters, by name. */
  Map<String, runtime::NDArray> params;
  /*! \brief Every kernel (PrimFuncs named by their symbols), not built yet. */
  IRModule lowered;
};

/*! \brief Graph JSON, params and kernels of a fused, type-inferred `main`. */
GraphCodegenResult GenerateGraph(const Function& main, const Target& target, const std::string& mod_name);

}  // namespace backend
}  // namespace relay
}  // namespace tvm
#endif  // TVM_SRC_RELAY_BACKEND_GRAPH_EXECUTOR_CODEGEN_H_
