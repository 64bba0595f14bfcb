/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphExecutor: runs the graph JSON that relay.build writes, calling the
// compiled kernels of one library module in order.
//
// The graph (TVM v0.14's format) is a topologically ordered node list. "null"
// nodes are the graph's inputs and parameters; "tvm_op" nodes call
// attrs.func_name from the library with DLTensor arguments, inputs then
// outputs. Each output of each node is an "entry" (node_row_ptr[node] +
// index); attrs give every entry a shape, a dtype and a storage id. Entries
// with one storage id share one buffer, sized for the largest of them: the
// compiler's memory plan has already checked their lifetimes do not overlap.
//
// Init resolves everything once (buffers, kernel lookups, the argument arrays
// of each call), so Run is a loop of packed calls with no allocation. One
// executor is not safe to use from two threads at once; several executors
// over one library are (each owns its buffers, the library's code is shared).
#ifndef TVM_SRC_RUNTIME_GRAPH_EXECUTOR_GRAPH_EXECUTOR_H_
#define TVM_SRC_RUNTIME_GRAPH_EXECUTOR_GRAPH_EXECUTOR_H_

#include <tvm/runtime/graph_model.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {

class GraphExecutor : public ModuleNode {
 public:
  /*!
   * \brief Parse and check the graph, allocate its storage on `devices`, look up its kernels in `lib`.
   * \throws Error (ValueError) naming what is wrong with the graph; (AttributeError) for a missing kernel.
   */
  void Init(const std::string& graph_json, Module lib, const std::vector<DLDevice>& devices);

  const char* type_key() const override { return "GraphExecutor"; }
  int GetPropertyMask() const final { return ModulePropertyMask::kRunnable; }
  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) override;

  /*! \brief Position of input `name` among the graph's arg_nodes, or -1. */
  int GetInputIndex(const std::string& name) const;
  /*! \brief Index of output "<node name>:<i>" or of the node name alone, or -1. */
  int GetOutputIndex(const std::string& name) const;
  int NumInputs() const { return static_cast<int>(input_nodes_.size()); }
  int NumOutputs() const { return static_cast<int>(outputs_.size()); }

  /*! \brief Copy `data` into input `index`; shape and dtype must match. */
  void SetInput(int index, const DLTensor* data);
  /*! \brief Let the kernels read input `index` straight from `data` (kept alive by the caller). */
  void SetInputZeroCopy(int index, const DLTensor* data);
  /*! \brief Let the kernels write output `index` straight into `data`. */
  void SetOutputZeroCopy(int index, const DLTensor* data);
  NDArray GetInput(int index) const;
  NDArray GetOutput(int index) const;
  void CopyOutputTo(int index, DLTensor* out) const;
  void Run();
  /*! \brief Run one kernel call (an index into op_calls_). */
  void RunOpCall(size_t index);

  /*!
   * \brief Set the inputs named in `params` (names the graph lacks are ignored). With `share`,
   *  an input whose storage is its own reads the caller's array in place (executors made by one
   *  factory share its parameters); set_input on it later copies it first (copy on write).
   */
  void SetParams(const std::vector<std::pair<std::string, NDArray>>& params, bool share = false);
  void LoadParams(const std::string& blob);
  /*! \brief Use `other`'s arrays for the parameters named in `blob` (no copy). */
  void ShareParams(const GraphExecutor& other, const std::string& blob);

  /*!
   * \brief The inputs that are not parameters (and their positions among the graph's inputs)
   *  and the outputs, for graph_model.cc.
   */
  void Describe(std::vector<TensorInfo>* inputs, std::vector<int>* input_positions,
                std::vector<TensorInfo>* outputs) const;
  /*! \brief Shapes and dtypes of the inputs that are not parameters, by name. */
  ObjectRef GetInputInfo() const;
  ObjectRef GetOutputInfo() const;

 protected:
  // Protected for GraphExecutorDebug (graph_executor_debug.cc), which runs and times nodes one by one.
  struct Entry {
    uint32_t node_id;
    uint32_t index;
  };
  struct Node {
    std::string op;
    std::string name;
    std::string func_name;
    uint32_t num_outputs{1};
    bool flatten_data{false};
    std::vector<Entry> inputs;
  };
  /*! \brief One kernel call: its function and argument arrays, built once. */
  struct OpCall {
    uint32_t node_id;
    PackedFunc func;  // null for "__nop"; "__copy" is a device copy
    bool is_copy{false};
    std::vector<DLTensor> args;
    std::vector<int64_t> flat_shapes;  // storage for flatten_data shapes
    std::vector<TVMValue> values;
    std::vector<int> codes;
  };

  void ParseGraph(const std::string& graph_json);
  void SetupStorage(const std::vector<DLDevice>& devices);
  void SetupOpCalls();
  uint32_t EntryId(uint32_t node_id, uint32_t index) const { return node_row_ptr_[node_id] + index; }
  uint32_t EntryId(const Entry& e) const { return EntryId(e.node_id, e.index); }
  int CheckedInput(int index, const char* who) const;
  int CheckedOutput(int index, const char* who) const;
  /*! \brief The graph's name for input `index` (for messages). */
  std::string InputName(int index) const;
  void CheckMatches(const DLTensor* given, uint32_t eid, const std::string& what, bool zero_copy) const;
  /*! \brief Rebuild the kernel arguments of entry `eid` from data_entry_[eid] (after replacing it). */
  void RefreshEntry(uint32_t eid);
  /*! \brief Point every kernel argument that reads or writes entry `eid` at `data`. */
  void RebindEntry(uint32_t eid, void* data);
  /*! \brief Give entry `eid` its own array again if it reads a shared parameter (before writing it). */
  void MakePrivate(uint32_t eid);

  // The graph.
  std::vector<Node> nodes_;
  std::vector<uint32_t> input_nodes_;
  std::vector<Entry> outputs_;
  std::vector<uint32_t> node_row_ptr_;
  std::vector<DLDataType> entry_dtype_;
  std::vector<std::vector<int64_t>> entry_shape_;
  std::vector<int64_t> entry_storage_;
  std::vector<int64_t> entry_device_;  // device_index attribute, or empty
  std::unordered_map<std::string, int> input_map_;
  std::unordered_map<std::string, int> output_map_;
  std::unordered_set<std::string> param_names_;
  /*! \brief Entries that read a factory's parameter array in place (never written by this executor). */
  std::unordered_set<uint32_t> shared_entries_;

  // Execution state.
  Module lib_;
  std::vector<DLDevice> devices_;
  std::vector<NDArray> data_entry_;
  std::vector<OpCall> op_calls_;
  /*! \brief For each entry, the kernel arguments (op call, arg index) that refer to it. */
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> entry_uses_;
};

/*! \brief A GraphExecutor module (Init done). */
Module GraphExecutorCreate(const std::string& graph_json, Module lib, const std::vector<DLDevice>& devices);
/*! \brief A GraphExecutorDebug module (graph_executor_debug.cc). */
Module GraphExecutorDebugCreate(const std::string& graph_json, Module lib, const std::vector<DLDevice>& devices);
/*! \brief Devices from args[start...]: (type, id) int pairs or Device values; `who` names the caller in errors. */
std::vector<DLDevice> DevicesFromArgs(TVMArgs args, int start, const char* who);

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_SRC_RUNTIME_GRAPH_EXECUTOR_GRAPH_EXECUTOR_H_
