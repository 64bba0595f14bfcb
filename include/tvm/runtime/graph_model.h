/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/graph_model.h
 * \brief A typed C++ API for serving a model exported by relay.build.
 *
 * `relay.build(...).export_library("model.so")` writes one shared library
 * holding the kernels, the graph and the parameters. In C++:
 *
 * \code
 *   auto model = tvm::runtime::GraphModel::Load("model.so");   // once
 *   for (const auto& in : model.inputs()) ...                   // names, shapes, dtypes
 *   tvm::runtime::GraphModelExecutor exec = model.CreateExecutor();  // one per thread
 *   exec.SetInput("data", my_tensor);                           // a DLTensor the caller owns
 *   exec.Run();
 *   exec.GetOutput(0, &my_output);                              // copied into caller memory
 * \endcode
 *
 * The same artifact also serves TVM v0.14's packed-function API
 * (`Module::LoadFromFile(path).GetFunction("default")(dev)`); this header is a
 * typed layer over it, with the same semantics.
 *
 * Thread safety:
 *  - A GraphModel is immutable once loaded. Any number of threads may use one
 *    GraphModel at once (CreateExecutor, inputs(), outputs(), copies of it).
 *  - Executors created from one GraphModel share its code and its parameter
 *    arrays (read only), and run concurrently, each on its own thread.
 *  - One GraphModelExecutor must be used by one thread at a time: it owns the
 *    activations of its run.
 *
 * Errors are thrown as tvm::runtime::Error (its kind() is "ValueError",
 * "IndexError", ...), with a message naming the input or output and, for a
 * tensor that does not fit, the expected and the received shape and type.
 * The C functions of graph_model_c_api.h return -1 instead, with the message
 * in TVMGetLastError().
 */
#ifndef TVM_RUNTIME_GRAPH_MODEL_H_
#define TVM_RUNTIME_GRAPH_MODEL_H_

#include <dlpack/dlpack.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tvm {
namespace runtime {

/*! \brief The name, shape and element type of a model's input or output. */
struct TensorInfo {
  std::string name;
  std::vector<int64_t> shape;
  DLDataType dtype;
  /*! \brief Bytes of a compact tensor of this shape and type. */
  TVM_DLL size_t NumBytes() const;
  /*! \brief "float32[1, 3, 224, 224]". */
  TVM_DLL std::string ToString() const;
};

class GraphModelExecutor;
class GraphExecutor;  // src/runtime/graph_executor/graph_executor.h

/*! \brief A model exported by relay.build, loaded once; cheap to copy (copies share it). */
class TVM_DLL GraphModel {
 public:
  /*!
   * \brief Load `path` (a library written by export_library) for `device`.
   * \param module_name The name given to relay.build (mod_name), "default" unless set.
   * \throws Error when the file cannot be loaded or holds no graph executor factory of that name.
   */
  static GraphModel Load(const std::string& path, DLDevice device = DLDevice{kDLCPU, 0},
                         const std::string& module_name = "default");
  /*! \brief A model from a factory module already loaded (what `Module::LoadFromFile` gives). */
  static GraphModel FromModule(Module library, DLDevice device = DLDevice{kDLCPU, 0},
                               const std::string& module_name = "default");

  /*! \brief The inputs the caller sets (parameters excluded), in the graph's order. */
  const std::vector<TensorInfo>& inputs() const;
  /*! \brief The outputs, in order. */
  const std::vector<TensorInfo>& outputs() const;
  /*! \brief Position of input `name` in inputs(). \throws Error (KeyError) listing the inputs. */
  int InputIndex(const std::string& name) const;
  DLDevice device() const;

  /*! \brief A new executor with its own activations, sharing this model's code and parameters. */
  GraphModelExecutor CreateExecutor() const;

 private:
  struct Impl;
  const Impl& impl() const;
  std::shared_ptr<const Impl> impl_;
  friend class GraphModelExecutor;
};

/*! \brief One run context of a GraphModel; use from one thread at a time. */
class TVM_DLL GraphModelExecutor {
 public:
  /*! \brief Copy `data` into input `name` (or position `index` in GraphModel::inputs()). */
  void SetInput(const std::string& name, const DLTensor& data);
  void SetInput(int index, const DLTensor& data);
  /*!
   * \brief Let the kernels read input `name` straight from `data`, without a copy. The caller
   *  keeps `data` alive and unchanged until the runs that read it are done. It must be on the
   *  model's device, compact and 64-byte aligned.
   */
  void SetInputZeroCopy(const std::string& name, const DLTensor& data);
  /*! \brief Let the last kernel write output `index` straight into caller-owned `data` (same rules). */
  void SetOutputZeroCopy(int index, const DLTensor& data);
  /*! \brief Run the model on the inputs set so far. */
  void Run();
  /*! \brief Copy output `index` into `out` (caller-owned; shape and type must match). */
  void GetOutput(int index, DLTensor* out) const;
  /*! \brief Output `index` as an array owned by this executor; the next Run overwrites it. */
  NDArray GetOutput(int index) const;
  const GraphModel& model() const { return model_; }
  /*! \brief The executor as TVM's graph executor module (`set_input`, `run`, ... packed functions). */
  Module module() const { return module_; }

 private:
  friend class GraphModel;
  GraphModelExecutor(GraphModel model, Module module);
  GraphModel model_;
  Module module_;
  GraphExecutor* exec_;  // module_'s node, resolved once (module_ keeps it alive)
};

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_GRAPH_MODEL_H_
