/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphModel / GraphModelExecutor (include/tvm/runtime/graph_model.h): the
// typed C++ layer over the graph executor factory that export_library writes,
// and its C functions (include/tvm/runtime/graph_model_c_api.h).
//
// A GraphModel holds the factory module (kernels, graph, parameters) and what
// one probe executor told about the inputs and outputs; every executor comes
// from the factory, so it shares the factory's parameter arrays.
#include <tvm/runtime/graph_model.h>
#include <tvm/runtime/graph_model_c_api.h>
#include <tvm/runtime/logging.h>

#include <sstream>

#include "../c_api_common.h"
#include "graph_executor.h"

namespace tvm {
namespace runtime {

size_t TensorInfo::NumBytes() const {
  size_t n = (static_cast<size_t>(dtype.bits) * dtype.lanes + 7) / 8;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

std::string TensorInfo::ToString() const {
  std::ostringstream os;
  os << dtype << "[";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << "]";
  return os.str();
}

struct GraphModel::Impl {
  Module factory;
  PackedFunc create;
  DLDevice device;
  std::vector<TensorInfo> inputs;
  std::vector<int> input_positions;  // position among the graph's inputs (parameters included)
  std::vector<TensorInfo> outputs;
};

namespace {

GraphExecutor* AsGraphExecutor(const Module& m, const std::string& who) {
  TVM_CHECK(m.defined() && std::string(m->type_key()) == "GraphExecutor", "TypeError")
      << who << ": the factory made a " << (m.defined() ? m->type_key() : "null module")
      << ", not a GraphExecutor";
  return static_cast<GraphExecutor*>(const_cast<ModuleNode*>(m.operator->()));
}

}  // namespace

GraphModel GraphModel::Load(const std::string& path, DLDevice device, const std::string& module_name) {
  return FromModule(Module::LoadFromFile(path), device, module_name);
}

GraphModel GraphModel::FromModule(Module library, DLDevice device, const std::string& module_name) {
  TVM_CHECK(library.defined(), "ValueError") << "GraphModel: the library module is null";
  auto impl = std::make_shared<Impl>();
  impl->factory = library;
  impl->device = device;
  impl->create = library.GetFunction(module_name, /*query_imports=*/true);
  TVM_CHECK(impl->create != nullptr, "ValueError")
      << "GraphModel: the library (a " << library->type_key() << " module) has no graph executor named '"
      << module_name << "'; it is the mod_name given to relay.build (\"default\" unless set)";
  Module probe = impl->create(device);
  AsGraphExecutor(probe, "GraphModel")->Describe(&impl->inputs, &impl->input_positions, &impl->outputs);
  GraphModel model;
  model.impl_ = std::move(impl);
  return model;
}

const GraphModel::Impl& GraphModel::impl() const {
  TVM_CHECK(impl_ != nullptr, "ValueError") << "GraphModel: used before GraphModel::Load";
  return *impl_;
}

const std::vector<TensorInfo>& GraphModel::inputs() const { return impl().inputs; }
const std::vector<TensorInfo>& GraphModel::outputs() const { return impl().outputs; }
DLDevice GraphModel::device() const { return impl().device; }

int GraphModel::InputIndex(const std::string& name) const {
  const std::vector<TensorInfo>& ins = impl().inputs;
  for (size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].name == name) return static_cast<int>(i);
  }
  std::ostringstream names;
  for (size_t i = 0; i < ins.size(); ++i) names << (i ? ", " : "") << "'" << ins[i].name << "'";
  TVM_CHECK(false, "KeyError") << "GraphModel: no input named '" << name << "'; the inputs are " << names.str();
  return -1;
}

GraphModelExecutor GraphModel::CreateExecutor() const {
  return GraphModelExecutor(*this, impl().create(impl().device));
}

GraphModelExecutor::GraphModelExecutor(GraphModel model, Module module)
    : model_(std::move(model)), module_(std::move(module)),
      exec_(AsGraphExecutor(module_, "GraphModel.CreateExecutor")) {}

void GraphModelExecutor::SetInput(const std::string& name, const DLTensor& data) {
  SetInput(model_.InputIndex(name), data);
}

void GraphModelExecutor::SetInput(int index, const DLTensor& data) {
  const auto& positions = model_.impl().input_positions;
  TVM_CHECK(index >= 0 && static_cast<size_t>(index) < positions.size(), "IndexError")
      << "GraphModelExecutor.SetInput: input index " << index << " out of range; the model has " << positions.size()
      << " inputs";
  exec_->SetInput(positions[index], &data);
}

void GraphModelExecutor::SetInputZeroCopy(const std::string& name, const DLTensor& data) {
  int index = model_.InputIndex(name);
  exec_->SetInputZeroCopy(model_.impl().input_positions[index], &data);
}

void GraphModelExecutor::SetOutputZeroCopy(int index, const DLTensor& data) {
  exec_->SetOutputZeroCopy(index, &data);
}

void GraphModelExecutor::Run() { exec_->Run(); }

void GraphModelExecutor::GetOutput(int index, DLTensor* out) const {
  exec_->CopyOutputTo(index, out);
}

NDArray GraphModelExecutor::GetOutput(int index) const {
  return exec_->GetOutput(index);
}

}  // namespace runtime
}  // namespace tvm

// ---------------------------------------------------------------------------
// C functions: handles are heap copies of the C++ objects.

using tvm::runtime::GraphModel;
using tvm::runtime::GraphModelExecutor;
using tvm::runtime::TensorInfo;

namespace {

GraphModel* ModelOf(TVMGraphModelHandle h) {
  TVM_CHECK(h != nullptr, "ValueError") << "TVMGraphModel: the model handle is NULL";
  return static_cast<GraphModel*>(h);
}

GraphModelExecutor* ExecutorOf(TVMGraphModelExecutorHandle h) {
  TVM_CHECK(h != nullptr, "ValueError") << "TVMGraphModelExecutor: the executor handle is NULL";
  return static_cast<GraphModelExecutor*>(h);
}

void DescribeTensor(const std::vector<TensorInfo>& infos, int index, const char* what, const char** name, int* ndim,
                    const int64_t** shape, DLDataType* dtype) {
  TVM_CHECK(index >= 0 && static_cast<size_t>(index) < infos.size(), "IndexError")
      << what << " index " << index << " out of range; the model has " << infos.size();
  const TensorInfo& info = infos[index];
  if (name != nullptr) *name = info.name.c_str();
  if (ndim != nullptr) *ndim = static_cast<int>(info.shape.size());
  if (shape != nullptr) *shape = info.shape.data();
  if (dtype != nullptr) *dtype = info.dtype;
}

}  // namespace

int TVMGraphModelLoad(const char* path, int device_type, int device_id, TVMGraphModelHandle* out) {
  API_BEGIN();
  TVM_CHECK(path != nullptr && out != nullptr, "ValueError") << "TVMGraphModelLoad: path and out must not be NULL";
  DLDevice dev{static_cast<DLDeviceType>(device_type), device_id};
  *out = new GraphModel(GraphModel::Load(path, dev));
  API_END();
}

int TVMGraphModelFree(TVMGraphModelHandle model) {
  API_BEGIN();
  delete static_cast<GraphModel*>(model);
  API_END();
}

int TVMGraphModelNumInputs(TVMGraphModelHandle model, int* out) {
  API_BEGIN();
  *out = static_cast<int>(ModelOf(model)->inputs().size());
  API_END();
}

int TVMGraphModelNumOutputs(TVMGraphModelHandle model, int* out) {
  API_BEGIN();
  *out = static_cast<int>(ModelOf(model)->outputs().size());
  API_END();
}

int TVMGraphModelInputInfo(TVMGraphModelHandle model, int index, const char** name, int* ndim,
                           const int64_t** shape, DLDataType* dtype) {
  API_BEGIN();
  DescribeTensor(ModelOf(model)->inputs(), index, "TVMGraphModelInputInfo: input", name, ndim, shape, dtype);
  API_END();
}

int TVMGraphModelOutputInfo(TVMGraphModelHandle model, int index, const char** name, int* ndim,
                            const int64_t** shape, DLDataType* dtype) {
  API_BEGIN();
  DescribeTensor(ModelOf(model)->outputs(), index, "TVMGraphModelOutputInfo: output", name, ndim, shape, dtype);
  API_END();
}

int TVMGraphModelExecutorCreate(TVMGraphModelHandle model, TVMGraphModelExecutorHandle* out) {
  API_BEGIN();
  *out = new GraphModelExecutor(ModelOf(model)->CreateExecutor());
  API_END();
}

int TVMGraphModelExecutorFree(TVMGraphModelExecutorHandle exec) {
  API_BEGIN();
  delete static_cast<GraphModelExecutor*>(exec);
  API_END();
}

int TVMGraphModelExecutorSetInput(TVMGraphModelExecutorHandle exec, const char* name, const DLTensor* data) {
  API_BEGIN();
  TVM_CHECK(name != nullptr && data != nullptr, "ValueError")
      << "TVMGraphModelExecutorSetInput: name and data must not be NULL";
  ExecutorOf(exec)->SetInput(std::string(name), *data);
  API_END();
}

int TVMGraphModelExecutorSetInputZeroCopy(TVMGraphModelExecutorHandle exec, const char* name,
                                          const DLTensor* data) {
  API_BEGIN();
  TVM_CHECK(name != nullptr && data != nullptr, "ValueError")
      << "TVMGraphModelExecutorSetInputZeroCopy: name and data must not be NULL";
  ExecutorOf(exec)->SetInputZeroCopy(std::string(name), *data);
  API_END();
}

int TVMGraphModelExecutorRun(TVMGraphModelExecutorHandle exec) {
  API_BEGIN();
  ExecutorOf(exec)->Run();
  API_END();
}

int TVMGraphModelExecutorGetOutput(TVMGraphModelExecutorHandle exec, int index, DLTensor* out) {
  API_BEGIN();
  TVM_CHECK(out != nullptr, "ValueError") << "TVMGraphModelExecutorGetOutput: out must not be NULL";
  ExecutorOf(exec)->GetOutput(index, out);
  API_END();
}
