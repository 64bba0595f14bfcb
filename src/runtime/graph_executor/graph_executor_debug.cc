/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphExecutorDebug: a GraphExecutor that can also run its nodes one at a
// time, time each node, and hand out every node's outputs; the runtime side
// of tvm.contrib.debugger.debug_executor. Node indices are the graph's node
// indices ("null" nodes included: they run nothing and time zero).
//
// Extra packed functions (TVM v0.14's names):
//   execute_node(i)               run the kernels after the last executed node up to node i
//   get_node_output(i, k)         a copy of output k of node i (as it is now)
//   debug_get_output(i|name, out) copy output 0 of node i into `out`
//   run_individual(number, repeat, min_repeat_ms, limit_zero_time_iterations,
//                  cooldown_interval_ms, repeats_to_cooldown)
//       bytes: int64 node count, then `repeat` doubles (seconds per call) per node
//   run_individual_node(i, number, repeat, ...)   bytes: `repeat` doubles for node i
#include <tvm/runtime/registry.h>

#include <cstring>

#include "graph_executor.h"

namespace tvm {
namespace runtime {

PackedFunc WrapTimeEvaluator(PackedFunc pf, DLDevice dev, int number, int repeat, int min_repeat_ms,
                             int limit_zero_time_iterations, int cooldown_interval_ms, int repeats_to_cooldown);

class GraphExecutorDebug final : public GraphExecutor {
 public:
  const char* type_key() const final { return "GraphExecutorDebug"; }

  void InitDebug() {
    call_of_node_.assign(nodes_.size(), -1);
    for (size_t i = 0; i < op_calls_.size(); ++i) call_of_node_[op_calls_[i].node_id] = static_cast<int64_t>(i);
  }

  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    if (name == "execute_node") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { ExecuteNode(args[0]); });
    } else if (name == "get_node_output") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        // A copy: storage is reused by later nodes, and per-layer dumps must keep each value.
        NDArray value = NodeOutput(args[0], args[1]);
        *rv = value.CopyTo(value->device);
      });
    } else if (name == "debug_get_output") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        int node = args[0].type_code() == kTVMStr ? NodeIndex(args[0].operator std::string()) : args[0].operator int();
        DLTensor* out = args[1];
        NDArray value = NodeOutput(node, 0);
        TVM_CHECK(out != nullptr && out->ndim == value->ndim &&
                      std::equal(out->shape, out->shape + out->ndim, value->shape) &&
                      out->dtype.code == value->dtype.code && out->dtype.bits == value->dtype.bits,
                  "ValueError")
            << "debug_get_output: node " << node << " '" << nodes_[node].name << "' has output shape "
            << ShapeOf(value.operator->()) << " " << value->dtype << "; the given array does not match";
        value.CopyTo(out);
      });
    } else if (name == "run_individual") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        TVM_CHECK(args.size() == 6, "ValueError")
            << "run_individual(number, repeat, min_repeat_ms, limit_zero_time_iterations, cooldown_interval_ms, "
               "repeats_to_cooldown) got "
            << args.size() << " arguments";
        Timing t = TimingOf(args, 0);
        Run();  // warm up, and fail early
        std::string out;
        int64_t count = static_cast<int64_t>(nodes_.size());
        out.append(reinterpret_cast<const char*>(&count), sizeof(count));
        for (size_t node = 0; node < nodes_.size(); ++node) out += TimeNode(node, t);
        *rv = TVMByteArray{out.data(), out.size()};
      });
    } else if (name == "run_individual_node") {
      return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
        TVM_CHECK(args.size() == 7, "ValueError")
            << "run_individual_node(index, number, repeat, min_repeat_ms, limit_zero_time_iterations, "
               "cooldown_interval_ms, repeats_to_cooldown) got "
            << args.size() << " arguments";
        int node = CheckedNode(args[0], "run_individual_node");
        std::string out = TimeNode(node, TimingOf(args, 1));
        *rv = TVMByteArray{out.data(), out.size()};
      });
    }
    return GraphExecutor::GetFunction(name, sptr_to_self);
  }

 private:
  struct Timing {
    int number, repeat, min_repeat_ms, limit_zero_time_iterations, cooldown_interval_ms, repeats_to_cooldown;
  };

  static Timing TimingOf(TVMArgs args, int start) {
    Timing t{args[start], args[start + 1], args[start + 2], args[start + 3], args[start + 4], args[start + 5]};
    TVM_CHECK(t.number > 0 && t.repeat > 0 && t.min_repeat_ms >= 0 && t.limit_zero_time_iterations >= 0 &&
                  t.cooldown_interval_ms >= 0 && t.repeats_to_cooldown > 0,
              "ValueError")
        << "timing needs number > 0, repeat > 0, repeats_to_cooldown > 0 and the rest >= 0 (got number=" << t.number
        << ", repeat=" << t.repeat << ", min_repeat_ms=" << t.min_repeat_ms << ", limit_zero_time_iterations="
        << t.limit_zero_time_iterations << ", cooldown_interval_ms=" << t.cooldown_interval_ms
        << ", repeats_to_cooldown=" << t.repeats_to_cooldown << ")";
    return t;
  }

  static std::string ShapeOf(const DLTensor* t) {
    std::string s = "[";
    for (int i = 0; i < t->ndim; ++i) s += (i ? ", " : "") + std::to_string(t->shape[i]);
    return s + "]";
  }

  int CheckedNode(int node, const char* who) const {
    TVM_CHECK(node >= 0 && node < static_cast<int>(nodes_.size()), "IndexError")
        << who << ": node index " << node << " out of range; the graph has " << nodes_.size() << " nodes";
    return node;
  }

  int NodeIndex(const std::string& name) const {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].name == name) return static_cast<int>(i);
    }
    throw Error("AttributeError", "the graph has no node named '" + name + "'");
  }

  NDArray NodeOutput(int node, int index) const {
    CheckedNode(node, "get_node_output");
    TVM_CHECK(index >= 0 && static_cast<uint32_t>(index) < nodes_[node].num_outputs, "IndexError")
        << "node " << node << " '" << nodes_[node].name << "' has " << nodes_[node].num_outputs
        << " outputs; asked for output " << index;
    return data_entry_[EntryId(node, index)];
  }

  void ExecuteNode(int node) {
    CheckedNode(node, "execute_node");
    int start = node <= last_executed_node_ ? 0 : last_executed_node_ + 1;
    for (int i = start; i <= node; ++i) {
      if (call_of_node_[i] >= 0) RunOpCall(call_of_node_[i]);
    }
    last_executed_node_ = node;
  }

  /*! \brief `repeat` doubles: seconds per call of the node's kernel (zeros for input nodes). */
  std::string TimeNode(size_t node, const Timing& t) {
    std::vector<double> times(t.repeat, 0.0);
    if (call_of_node_[node] >= 0) {
      size_t call = call_of_node_[node];
      PackedFunc once([this, call](TVMArgs, TVMRetValue*) { RunOpCall(call); });
      PackedFunc timed = WrapTimeEvaluator(once, devices_[0], t.number, t.repeat, t.min_repeat_ms,
                                           t.limit_zero_time_iterations, t.cooldown_interval_ms,
                                           t.repeats_to_cooldown);
      std::string blob = timed().operator std::string();
      std::memcpy(times.data(), blob.data(), std::min(blob.size(), times.size() * sizeof(double)));
    }
    return std::string(reinterpret_cast<const char*>(times.data()), times.size() * sizeof(double));
  }

  std::vector<int64_t> call_of_node_;
  int last_executed_node_{-1};
};

Module GraphExecutorDebugCreate(const std::string& graph_json, Module lib, const std::vector<DLDevice>& devices) {
  auto exec = make_object<GraphExecutorDebug>();
  exec->Init(graph_json, std::move(lib), devices);
  exec->InitDebug();
  return Module(ObjectPtr<Object>(std::move(exec)));
}

TVM_REGISTER_GLOBAL("tvm.graph_executor_debug.create").set_body([](TVMArgs args, TVMRetValue* rv) {
  TVM_CHECK(args.size() >= 3, "ValueError")
      << "tvm.graph_executor_debug.create(graph_json, lib, dev_type, dev_id, ...) got " << args.size()
      << " arguments";
  *rv = GraphExecutorDebugCreate(args[0].operator std::string(), args[1].operator Module(),
                                 DevicesFromArgs(args, 2, "tvm.graph_executor_debug.create"));
});

}  // namespace runtime
}  // namespace tvm
