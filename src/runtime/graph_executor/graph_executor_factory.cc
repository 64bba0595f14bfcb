/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphExecutorFactory: what relay.build returns at runtime level. It holds
// the graph JSON and the parameters and imports the kernel library;
// `factory["<mod_name>"](dev)` makes a GraphExecutor with the parameters set
// (executors share the factory's parameter arrays; they only read them). It is
// binary-serialisable, so export_library packs it (graph, parameters) into the
// shared library next to the kernels, and load_module gives the factory back.
//
// Binary form (SaveToBinary, as TVM's): graph JSON as a string, uint64 count,
// the names (uint64 count + strings), the arrays (NDArray format), the module
// name as a string.
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/registry.h>

#include "../byte_stream.h"
#include "../param_dict.h"
#include "graph_executor.h"

namespace tvm {
namespace runtime {

class GraphExecutorFactory final : public ModuleNode {
 public:
  GraphExecutorFactory(std::string graph_json, ParamList params, std::string module_name)
      : graph_json_(std::move(graph_json)), params_(std::move(params)), module_name_(std::move(module_name)) {}

  const char* type_key() const final { return "GraphExecutorFactory"; }
  int GetPropertyMask() const final {
    return ModulePropertyMask::kBinarySerializable | ModulePropertyMask::kRunnable;
  }

  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    if (name == module_name_) {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        *rv = CreateExecutor(DevicesFromArgs(args, 0, module_name_.c_str()));
      });
    } else if (name == "get_graph_json") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { *rv = graph_json_; });
    } else if (name == "get_graph_params") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        Map<String, NDArray> params;
        for (const auto& kv : params_) params.Set(kv.first, kv.second);
        *rv = params;
      });
    } else if (name == "remove_params") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        auto copy = make_object<GraphExecutorFactory>(graph_json_, ParamList(), module_name_);
        if (!imports_.empty()) copy->Import(imports_[0]);
        *rv = Module(ObjectPtr<Object>(std::move(copy)));
      });
    } else if (name == "debug_create") {
      // (mod_name, devices...): a GraphExecutorDebug with the parameters set.
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        std::string mod_name = args[0].operator std::string();
        TVM_CHECK(mod_name == module_name_, "ValueError")
            << "debug_create: this factory holds module '" << module_name_ << "', not '" << mod_name << "'";
        *rv = CreateExecutor(DevicesFromArgs(args, 1, "debug_create"), true);
      });
    } else if (name == "get_module_name") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { *rv = module_name_; });
    }
    return PackedFunc();
  }

  void SaveToBinary(std::string* out) final {
    ByteWriter w(out);
    w.WriteString(graph_json_);
    std::vector<std::string> names;
    for (const auto& kv : params_) names.push_back(kv.first);
    w.Write<uint64_t>(names.size());
    w.WriteStrings(names);
    for (const auto& kv : params_) SaveDLTensor(out, kv.second.operator->());
    w.WriteString(module_name_);
  }

  static Module LoadFromBinary(const std::string& bytes) {
    ByteReader r(bytes, "GraphExecutorFactory.LoadFromBinary");
    std::string graph_json = r.ReadString("the graph JSON");
    uint64_t count = r.Read<uint64_t>("the parameter count");
    std::vector<std::string> names = r.ReadStrings("the parameter names");
    TVM_CHECK(count == names.size(), "ValueError")
        << r.what() << ": corrupted data: " << count << " parameters but " << names.size() << " names";
    ParamList params;
    for (const std::string& n : names) params.emplace_back(n, LoadDLTensor(r.data(), r.mutable_offset()));
    std::string module_name = r.ReadString("the module name");
    auto n = make_object<GraphExecutorFactory>(std::move(graph_json), std::move(params), std::move(module_name));
    return Module(ObjectPtr<Object>(std::move(n)));
  }

 private:
  Module CreateExecutor(const std::vector<DLDevice>& devices, bool debug = false) {
    TVM_CHECK(!imports_.empty(), "ValueError")
        << "GraphExecutorFactory '" << module_name_ << "' has no kernel library imported";
    Module exec = debug ? GraphExecutorDebugCreate(graph_json_, imports_[0], devices)
                        : GraphExecutorCreate(graph_json_, imports_[0], devices);
    static_cast<GraphExecutor*>(exec.operator->())->SetParams(params_, /*share=*/true);
    return exec;
  }

  std::string graph_json_;
  ParamList params_;
  std::string module_name_;
};

// (graph_json, lib, mod_name, name0, array0, name1, array1, ...)
TVM_REGISTER_GLOBAL("tvm.graph_executor_factory.create").set_body([](TVMArgs args, TVMRetValue* rv) {
  TVM_CHECK(args.size() >= 3 && (args.size() - 3) % 2 == 0, "ValueError")
      << "tvm.graph_executor_factory.create(graph_json, lib, mod_name, name, array, ...) needs name, array pairs "
         "after the first three arguments; got "
      << args.size() << " arguments";
  Module lib = args[1].operator Module();
  TVM_CHECK(lib.defined(), "ValueError") << "tvm.graph_executor_factory.create: the library module is None";
  ParamList params;
  for (int i = 3; i < args.size(); i += 2) {
    std::string name = args[i].operator std::string();
    NDArray arr = args[i + 1].operator NDArray();
    TVM_CHECK(arr.defined(), "ValueError") << "tvm.graph_executor_factory.create: parameter '" << name << "' is None";
    params.emplace_back(std::move(name), std::move(arr));
  }
  auto n = make_object<GraphExecutorFactory>(args[0].operator std::string(), std::move(params),
                                             args[2].operator std::string());
  n->Import(lib);
  *rv = Module(ObjectPtr<Object>(std::move(n)));
});

TVM_REGISTER_GLOBAL("runtime.module.loadbinary_GraphExecutorFactory").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = GraphExecutorFactory::LoadFromBinary(args[0].operator std::string());
});

}  // namespace runtime
}  // namespace tvm
