/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphExecutor (see graph_executor.h) and the global
// "tvm.graph_executor.create"(graph_json, lib, dev_type, dev_id, ...).
#include "graph_executor.h"

#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/shape_tuple.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/registry.h>

#include <sstream>

#include "../byte_stream.h"
#include "../json.h"
#include "../param_dict.h"

namespace tvm {
namespace runtime {

namespace {

[[noreturn]] void GraphError(const std::string& message) { throw Error("ValueError", "graph JSON: " + message); }

std::string ShapeStr(const int64_t* shape, int ndim) {
  std::ostringstream os;
  os << "[";
  for (int i = 0; i < ndim; ++i) os << (i ? ", " : "") << shape[i];
  os << "]";
  return os.str();
}

const json::Value& Member(const json::Value& obj, const std::string& key, const std::string& where) {
  const json::Value* v = obj.Find(key);
  if (v == nullptr) GraphError(where + " has no \"" + key + "\"");
  return *v;
}

const std::vector<json::Value>& ArrayOf(const json::Value& v, const std::string& where) {
  if (!v.is_array()) GraphError(where + " must be a list");
  return v.AsArray();
}

const std::string& StringOf(const json::Value& v, const std::string& where) {
  if (!v.is_string()) GraphError(where + " must be a string");
  return v.AsString();
}

// Node attributes are strings in TVM's graphs ("num_inputs": "2"); numbers are accepted too.
int64_t IntOf(const json::Value& v, const std::string& where) {
  if (v.is_number()) {
    try {
      return v.AsInt();
    } catch (const Error&) {
      GraphError(where + " must be an integer");
    }
  }
  if (v.is_string()) {
    const std::string& s = v.AsString();
    size_t used = 0;
    int64_t x = 0;
    try {
      x = std::stoll(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != 0 && used == s.size()) return x;
    GraphError(where + " must be an integer, not \"" + s + "\"");
  }
  GraphError(where + " must be an integer");
}

// An attribute written as ["list_int", [...]] (TVM's typed attribute lists).
const std::vector<json::Value>& TypedList(const json::Value& attrs, const char* key, const char* type, bool required) {
  static const std::vector<json::Value> kEmpty;
  const json::Value* v = attrs.Find(key);
  if (v == nullptr) {
    if (required) GraphError(std::string("\"attrs\" has no \"") + key + "\"");
    return kEmpty;
  }
  std::string where = std::string("attrs \"") + key + "\"";
  const auto& pair = ArrayOf(*v, where);
  if (pair.size() != 2 || !pair[0].is_string() || pair[0].AsString() != type) {
    GraphError(where + " must be [\"" + type + "\", [...]]");
  }
  return ArrayOf(pair[1], where + "'s values");
}

}  // namespace

// ---------------------------------------------------------------------------
// Parsing and checking the graph

void GraphExecutor::ParseGraph(const std::string& graph_json) {
  json::Value root;
  try {
    root = json::Value::Parse(graph_json);
  } catch (const Error& e) {
    GraphError(std::string("cannot parse: ") + e.what());
  }
  if (!root.is_object()) GraphError("the graph must be a JSON object with \"nodes\", \"arg_nodes\", \"heads\", \"attrs\"");

  const auto& nodes = ArrayOf(Member(root, "nodes", "the graph"), "\"nodes\"");
  nodes_.resize(nodes.size());
  auto parse_entry = [this](const json::Value& v, size_t limit, const std::string& where) {
    const auto& e = ArrayOf(v, where);
    if (e.size() != 2 && e.size() != 3) GraphError(where + " must be [node, index] or [node, index, version]");
    int64_t nid = IntOf(e[0], where + "'s node");
    int64_t index = IntOf(e[1], where + "'s index");
    if (nid < 0 || static_cast<size_t>(nid) >= limit) {
      GraphError(where + " refers to node " + std::to_string(nid) +
                 (limit < nodes_.size() ? ", which does not come before it (nodes must be in topological order)"
                                        : ", but the graph has " + std::to_string(nodes_.size()) + " nodes"));
    }
    const Node& src = nodes_[nid];
    if (index < 0 || index >= src.num_outputs) {
      GraphError(where + " asks for output " + std::to_string(index) + " of node " + std::to_string(nid) + " '" +
                 src.name + "', which has " + std::to_string(src.num_outputs));
    }
    return Entry{static_cast<uint32_t>(nid), static_cast<uint32_t>(index)};
  };

  for (size_t i = 0; i < nodes.size(); ++i) {
    std::string where = "node " + std::to_string(i);
    const json::Value& jn = nodes[i];
    if (!jn.is_object()) GraphError(where + " must be an object");
    Node& node = nodes_[i];
    node.op = StringOf(Member(jn, "op", where), where + "'s \"op\"");
    node.name = StringOf(Member(jn, "name", where), where + "'s \"name\"");
    where += " '" + node.name + "'";
    const json::Value* attrs = jn.Find("attrs");
    if (attrs != nullptr && !attrs->is_object()) GraphError(where + "'s \"attrs\" must be an object");
    if (node.op == "null") {
      node.num_outputs = 1;
    } else if (node.op == "tvm_op") {
      if (attrs == nullptr) GraphError(where + " has no \"attrs\" (func_name, num_inputs, num_outputs)");
      node.func_name = StringOf(Member(*attrs, "func_name", where + "'s attrs"), where + "'s func_name");
      int64_t num_outputs = IntOf(Member(*attrs, "num_outputs", where + "'s attrs"), where + "'s num_outputs");
      // Bounded so that the running output count (uint32) cannot wrap around.
      if (num_outputs < 1 || num_outputs > (1 << 20)) {
        GraphError(where + "'s num_outputs is " + std::to_string(num_outputs) + "; must be in [1, 1048576]");
      }
      node.num_outputs = static_cast<uint32_t>(num_outputs);
      if (const json::Value* f = attrs->Find("flatten_data")) node.flatten_data = IntOf(*f, where + "'s flatten_data");
    } else {
      GraphError(where + " has op \"" + node.op + "\"; the graph executor runs \"null\" and \"tvm_op\" nodes");
    }
    const json::Value* inputs = jn.Find("inputs");
    if (inputs != nullptr) {
      const auto& list = ArrayOf(*inputs, where + "'s \"inputs\"");
      for (size_t k = 0; k < list.size(); ++k) {
        node.inputs.push_back(parse_entry(list[k], i, where + "'s input " + std::to_string(k)));
      }
    }
    if (node.op == "null" && !node.inputs.empty()) GraphError(where + " is an input (\"null\") but has inputs");
    if (node.op == "tvm_op") {
      int64_t num_inputs = IntOf(Member(*attrs, "num_inputs", where + "'s attrs"), where + "'s num_inputs");
      if (num_inputs != static_cast<int64_t>(node.inputs.size())) {
        GraphError(where + " says num_inputs " + std::to_string(num_inputs) + " but lists " +
                   std::to_string(node.inputs.size()) + " inputs");
      }
    }
  }

  for (const json::Value& v : ArrayOf(Member(root, "arg_nodes", "the graph"), "\"arg_nodes\"")) {
    int64_t nid = IntOf(v, "an \"arg_nodes\" item");
    if (nid < 0 || static_cast<size_t>(nid) >= nodes_.size()) {
      GraphError("\"arg_nodes\" lists node " + std::to_string(nid) + ", but the graph has " +
                 std::to_string(nodes_.size()) + " nodes");
    }
    if (nodes_[nid].op != "null") {
      GraphError("\"arg_nodes\" lists node " + std::to_string(nid) + " '" + nodes_[nid].name +
                 "', which is an operator, not an input");
    }
    input_nodes_.push_back(static_cast<uint32_t>(nid));
  }
  const auto& heads = ArrayOf(Member(root, "heads", "the graph"), "\"heads\"");
  for (size_t k = 0; k < heads.size(); ++k) {
    outputs_.push_back(parse_entry(heads[k], nodes_.size(), "head " + std::to_string(k)));
  }

  node_row_ptr_.assign(1, 0);
  for (const Node& n : nodes_) {
    if (node_row_ptr_.back() > (1u << 31)) GraphError("the graph has more than 2^31 node outputs");
    node_row_ptr_.push_back(node_row_ptr_.back() + n.num_outputs);
  }
  if (const json::Value* rp = root.Find("node_row_ptr")) {
    const auto& given = ArrayOf(*rp, "\"node_row_ptr\"");
    bool same = given.size() == node_row_ptr_.size();
    for (size_t i = 0; same && i < given.size(); ++i) same = IntOf(given[i], "\"node_row_ptr\"") == node_row_ptr_[i];
    if (!same) GraphError("\"node_row_ptr\" does not match the nodes' num_outputs");
  }
  size_t num_entries = node_row_ptr_.back();

  const json::Value& attrs = Member(root, "attrs", "the graph");
  if (!attrs.is_object()) GraphError("\"attrs\" must be an object");
  auto check_size = [num_entries](const std::vector<json::Value>& v, const char* key) {
    if (v.size() != num_entries) {
      GraphError(std::string("attrs \"") + key + "\" has " + std::to_string(v.size()) + " values for " +
                 std::to_string(num_entries) + " node outputs");
    }
  };
  const auto& dltype = TypedList(attrs, "dltype", "list_str", true);
  const auto& storage = TypedList(attrs, "storage_id", "list_int", true);
  const auto& shape = TypedList(attrs, "shape", "list_shape", true);
  const auto& device_index = TypedList(attrs, "device_index", "list_int", false);
  check_size(dltype, "dltype");
  check_size(storage, "storage_id");
  check_size(shape, "shape");
  if (!device_index.empty()) check_size(device_index, "device_index");
  for (size_t e = 0; e < num_entries; ++e) {
    std::string where = "output " + std::to_string(e);
    const std::string& dt = StringOf(dltype[e], "attrs \"dltype\" of " + where);
    try {
      entry_dtype_.push_back(String2DLDataType(dt));
    } catch (const Error& err) {
      GraphError("attrs \"dltype\" of " + where + ": " + err.what());
    }
    int64_t sid = IntOf(storage[e], "attrs \"storage_id\" of " + where);
    // A plan never needs more buffers than there are outputs; a larger id is corrupt.
    if (sid < 0 || static_cast<uint64_t>(sid) >= num_entries) {
      GraphError("attrs \"storage_id\" of " + where + " is " + std::to_string(sid) + "; must be in [0, " +
                 std::to_string(num_entries) + ")");
    }
    entry_storage_.push_back(sid);
    std::vector<int64_t> dims;
    for (const json::Value& d : ArrayOf(shape[e], "attrs \"shape\" of " + where)) {
      dims.push_back(IntOf(d, "attrs \"shape\" of " + where));
      if (dims.back() < 0) GraphError("attrs \"shape\" of " + where + " has a negative dimension");
    }
    uint64_t bytes = (static_cast<uint64_t>(entry_dtype_.back().bits) * entry_dtype_.back().lanes + 7) / 8;
    for (int64_t d : dims) {
      if (d != 0 && bytes > (uint64_t{1} << 56) / static_cast<uint64_t>(d)) {
        GraphError("attrs \"shape\" of " + where + " is " + ShapeStr(dims.data(), static_cast<int>(dims.size())) +
                   ", too large to allocate");
      }
      bytes *= static_cast<uint64_t>(d);
    }
    entry_shape_.push_back(std::move(dims));
    if (!device_index.empty()) entry_device_.push_back(IntOf(device_index[e], "attrs \"device_index\" of " + where));
  }
}

// ---------------------------------------------------------------------------
// Storage and kernel calls

void GraphExecutor::SetupStorage(const std::vector<DLDevice>& devices) {
  size_t num_entries = entry_storage_.size();
  struct Pool {
    uint64_t bytes{0};
    int64_t device{-1};
    bool used{false};
  };
  std::vector<Pool> pools;
  for (size_t e = 0; e < num_entries; ++e) {
    uint64_t bytes = (static_cast<uint64_t>(entry_dtype_[e].bits) * entry_dtype_[e].lanes + 7) / 8;
    for (int64_t d : entry_shape_[e]) bytes *= static_cast<uint64_t>(d);
    size_t sid = static_cast<size_t>(entry_storage_[e]);
    if (sid >= pools.size()) pools.resize(sid + 1);
    Pool& p = pools[sid];
    int64_t dev = entry_device_.empty() ? -1 : entry_device_[e];
    if (p.used && p.device != dev) {
      GraphError("storage " + std::to_string(sid) + " is shared by outputs on different devices");
    }
    p.used = true;
    p.device = dev;
    p.bytes = std::max(p.bytes, bytes);
  }
  auto device_of = [&devices](int64_t device_type) {
    if (device_type < 0) return devices[0];
    for (const DLDevice& d : devices) {
      if (d.device_type == device_type) return d;
    }
    GraphError("attrs \"device_index\" asks for device type " + std::to_string(device_type) +
               ", which is not among the devices given to the executor");
  };
  // The views keep their buffer alive; no other reference is kept, so a buffer whose entries are
  // all replaced (share_params) is freed.
  std::vector<NDArray> storage(pools.size());
  for (size_t sid = 0; sid < pools.size(); ++sid) {
    if (!pools[sid].used) continue;
    // At least one element, so that every entry has a real data pointer.
    int64_t n = static_cast<int64_t>(std::max<uint64_t>(pools[sid].bytes, 1));
    storage[sid] = NDArray::Empty({n}, DataType::UInt(8), device_of(pools[sid].device));
  }
  data_entry_.resize(num_entries);
  for (size_t e = 0; e < num_entries; ++e) {
    data_entry_[e] = storage[entry_storage_[e]].CreateView(entry_shape_[e], DataType(entry_dtype_[e]));
  }
}

void GraphExecutor::SetupOpCalls() {
  // Layers that share a kernel (identical fused functions) look it up once.
  std::unordered_map<std::string, PackedFunc> kernels;
  op_calls_.clear();
  entry_uses_.assign(data_entry_.size(), {});
  for (uint32_t nid = 0; nid < nodes_.size(); ++nid) {
    const Node& node = nodes_[nid];
    if (node.op != "tvm_op") continue;
    op_calls_.emplace_back();
    OpCall& call = op_calls_.back();
    call.node_id = nid;
    std::vector<uint32_t> eids;
    for (const Entry& e : node.inputs) eids.push_back(EntryId(e));
    for (uint32_t i = 0; i < node.num_outputs; ++i) eids.push_back(EntryId(nid, i));
    size_t n = eids.size();
    call.args.resize(n);
    call.flat_shapes.resize(n);
    call.values.resize(n);
    call.codes.assign(n, kTVMDLTensorHandle);
    for (size_t i = 0; i < n; ++i) {
      DLTensor& t = call.args[i];
      t = *data_entry_[eids[i]].operator->();
      if (node.flatten_data) {
        int64_t size = 1;
        for (int d = 0; d < t.ndim; ++d) size *= t.shape[d];
        call.flat_shapes[i] = size;
        t.ndim = 1;
        t.shape = &call.flat_shapes[i];
      }
      call.values[i].v_handle = &t;
      entry_uses_[eids[i]].emplace_back(static_cast<uint32_t>(op_calls_.size() - 1), static_cast<uint32_t>(i));
    }
    if (node.func_name == "__nop") continue;
    if (node.func_name == "__copy") {
      if (n != 2) GraphError("node " + std::to_string(nid) + " '" + node.name + "' (__copy) needs one input and one output");
      call.is_copy = true;
      continue;
    }
    auto found = kernels.find(node.func_name);
    if (found == kernels.end()) found = kernels.emplace(node.func_name, lib_.GetFunction(node.func_name, true)).first;
    call.func = found->second;
    TVM_CHECK(call.func.defined(), "AttributeError")
        << "graph executor: node " << nid << " '" << node.name << "' calls function '" << node.func_name
        << "', which the library module (type '" << lib_->type_key() << "') does not define";
  }
}

void GraphExecutor::Init(const std::string& graph_json, Module lib, const std::vector<DLDevice>& devices) {
  TVM_CHECK(lib.defined(), "ValueError") << "graph executor: the library module is None";
  TVM_CHECK(!devices.empty(), "ValueError") << "graph executor: no device given";
  ParseGraph(graph_json);
  lib_ = std::move(lib);
  devices_ = devices;
  SetupStorage(devices);
  SetupOpCalls();
  for (size_t i = 0; i < input_nodes_.size(); ++i) input_map_[nodes_[input_nodes_[i]].name] = static_cast<int>(i);
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const std::string& name = nodes_[outputs_[i].node_id].name;
    output_map_[name + ":" + std::to_string(i)] = static_cast<int>(i);
    output_map_.emplace(name, static_cast<int>(i));  // the first output of that node
  }
}

void GraphExecutor::Run() {
  for (size_t i = 0; i < op_calls_.size(); ++i) RunOpCall(i);
}

void GraphExecutor::RunOpCall(size_t index) {
  OpCall& call = op_calls_[index];
  if (call.is_copy) {
    NDArray::CopyFromTo(&call.args[0], &call.args[1]);
    return;
  }
  if (!call.func.defined()) return;
  TVMRetValue rv;
  try {
    call.func.CallPacked(TVMArgs(call.values.data(), call.codes.data(), static_cast<int>(call.values.size())), &rv);
  } catch (const Error& e) {
    const Node& node = nodes_[call.node_id];
    throw Error(e.kind(), "graph executor: node " + std::to_string(call.node_id) + " '" + node.name +
                              "' (function '" + node.func_name + "') failed: " + e.what());
  }
}

void GraphExecutor::RefreshEntry(uint32_t eid) {
  for (const auto& use : entry_uses_[eid]) {
    OpCall& call = op_calls_[use.first];
    DLTensor& t = call.args[use.second];
    t = *data_entry_[eid].operator->();
    if (nodes_[call.node_id].flatten_data) {
      t.ndim = 1;
      t.shape = &call.flat_shapes[use.second];
    }
  }
}

void GraphExecutor::RebindEntry(uint32_t eid, void* data) {
  for (const auto& use : entry_uses_[eid]) {
    DLTensor& t = op_calls_[use.first].args[use.second];
    t.data = data;
    t.byte_offset = 0;
  }
}

// ---------------------------------------------------------------------------
// Inputs and outputs

int GraphExecutor::GetInputIndex(const std::string& name) const {
  auto it = input_map_.find(name);
  return it == input_map_.end() ? -1 : it->second;
}

int GraphExecutor::GetOutputIndex(const std::string& name) const {
  auto it = output_map_.find(name);
  return it == output_map_.end() ? -1 : it->second;
}

std::string GraphExecutor::InputName(int index) const { return nodes_[input_nodes_[index]].name; }

int GraphExecutor::CheckedInput(int index, const char* who) const {
  TVM_CHECK(index >= 0 && index < NumInputs(), "IndexError")
      << who << ": input index " << index << " out of range; the graph has " << NumInputs() << " inputs";
  return index;
}

int GraphExecutor::CheckedOutput(int index, const char* who) const {
  TVM_CHECK(index >= 0 && index < NumOutputs(), "IndexError")
      << who << ": output index " << index << " out of range; the graph has " << NumOutputs() << " outputs";
  return index;
}

void GraphExecutor::CheckMatches(const DLTensor* given, uint32_t eid, const std::string& what, bool zero_copy) const {
  TVM_CHECK(given != nullptr, "ValueError") << what << ": the array is None";
  const DLTensor* own = data_entry_[eid].operator->();
  bool same_shape = given->ndim == own->ndim;
  for (int i = 0; same_shape && i < own->ndim; ++i) same_shape = given->shape[i] == own->shape[i];
  bool same_dtype = given->dtype.code == own->dtype.code && given->dtype.bits == own->dtype.bits &&
                    given->dtype.lanes == own->dtype.lanes;
  TVM_CHECK(same_shape && same_dtype, "ValueError")
      << what << " expects shape " << ShapeStr(own->shape, own->ndim) << " " << own->dtype << ", got shape "
      << ShapeStr(given->shape, given->ndim) << " " << given->dtype;
  if (zero_copy) {
    TVM_CHECK(given->device.device_type == own->device.device_type && given->device.device_id == own->device.device_id,
              "ValueError")
        << what << ": the array is on " << given->device << " but the graph keeps it on " << own->device;
    TVM_CHECK(given->strides == nullptr || IsContiguous(*given), "ValueError") << what << ": the array is not contiguous";
    TVM_CHECK(reinterpret_cast<uintptr_t>(static_cast<char*>(given->data) + given->byte_offset) % kAllocAlignment == 0,
              "ValueError")
        << what << ": the array's data is not " << kAllocAlignment << "-byte aligned";
  }
}

void GraphExecutor::SetInput(int index, const DLTensor* data) {
  CheckedInput(index, "set_input");
  uint32_t eid = EntryId(input_nodes_[index], 0);
  CheckMatches(data, eid, "set_input: input '" + InputName(index) + "'", false);
  MakePrivate(eid);
  data_entry_[eid].CopyFrom(data);
  RebindEntry(eid, data_entry_[eid]->data);  // undo an earlier zero-copy binding
}

void GraphExecutor::SetInputZeroCopy(int index, const DLTensor* data) {
  CheckedInput(index, "set_input_zero_copy");
  uint32_t eid = EntryId(input_nodes_[index], 0);
  CheckMatches(data, eid, "set_input_zero_copy: input '" + InputName(index) + "'", true);
  RebindEntry(eid, static_cast<char*>(data->data) + data->byte_offset);
}

void GraphExecutor::SetOutputZeroCopy(int index, const DLTensor* data) {
  CheckedOutput(index, "set_output_zero_copy");
  uint32_t eid = EntryId(outputs_[index]);
  TVM_CHECK(nodes_[outputs_[index].node_id].op == "tvm_op", "ValueError")
      << "set_output_zero_copy: output " << index << " is the graph input '" << nodes_[outputs_[index].node_id].name
      << "'; use set_input";
  CheckMatches(data, eid, "set_output_zero_copy: output " + std::to_string(index), true);
  RebindEntry(eid, static_cast<char*>(data->data) + data->byte_offset);
}

NDArray GraphExecutor::GetInput(int index) const {
  CheckedInput(index, "get_input");
  return data_entry_[EntryId(input_nodes_[index], 0)];
}

NDArray GraphExecutor::GetOutput(int index) const {
  CheckedOutput(index, "get_output");
  return data_entry_[EntryId(outputs_[index])];
}

void GraphExecutor::CopyOutputTo(int index, DLTensor* out) const {
  CheckedOutput(index, "get_output");
  uint32_t eid = EntryId(outputs_[index]);
  CheckMatches(out, eid, "get_output: output " + std::to_string(index), false);
  data_entry_[eid].CopyTo(out);
}

// ---------------------------------------------------------------------------
// Parameters

void GraphExecutor::SetParams(const std::vector<std::pair<std::string, NDArray>>& params, bool share) {
  std::vector<int> users;  // entries per storage id
  for (int64_t sid : entry_storage_) {
    if (static_cast<size_t>(sid) >= users.size()) users.resize(sid + 1, 0);
    users[sid] += 1;
  }
  for (const auto& kv : params) {
    param_names_.insert(kv.first);
    int index = GetInputIndex(kv.first);
    if (index < 0) continue;  // as TVM: a dict may hold more than this graph needs
    uint32_t eid = EntryId(input_nodes_[index], 0);
    CheckMatches(kv.second.operator->(), eid, "load_params: parameter '" + kv.first + "'", false);
    const DLDevice& have = data_entry_[eid]->device;
    const DLDevice& given = kv.second->device;
    // Share only an array no other entry of the plan writes into (its storage id is its own)
    // and that lives where the kernels run; anything else is copied.
    if (share && users[entry_storage_[eid]] == 1 && have.device_type == given.device_type &&
        have.device_id == given.device_id && kv.second->byte_offset == 0) {
      data_entry_[eid] = kv.second;
      RefreshEntry(eid);
      shared_entries_.insert(eid);
      continue;
    }
    MakePrivate(eid);
    data_entry_[eid].CopyFrom(kv.second);
    RebindEntry(eid, data_entry_[eid]->data);
  }
}

void GraphExecutor::MakePrivate(uint32_t eid) {
  if (shared_entries_.erase(eid) == 0) return;
  const NDArray& shared = data_entry_[eid];
  data_entry_[eid] = NDArray::Empty(entry_shape_[eid], DataType(entry_dtype_[eid]), shared->device);
  RefreshEntry(eid);
}

void GraphExecutor::LoadParams(const std::string& blob) { SetParams(LoadParamDict(blob, "load_params")); }

void GraphExecutor::ShareParams(const GraphExecutor& other, const std::string& blob) {
  for (const auto& kv : LoadParamDict(blob, "share_params")) {
    int index = GetInputIndex(kv.first);
    if (index < 0) continue;
    int other_index = other.GetInputIndex(kv.first);
    TVM_CHECK(other_index >= 0, "ValueError")
        << "share_params: the other executor has no input '" << kv.first << "' to share";
    uint32_t eid = EntryId(input_nodes_[index], 0);
    const NDArray& shared = other.data_entry_[other.EntryId(other.input_nodes_[other_index], 0)];
    CheckMatches(shared.operator->(), eid, "share_params: parameter '" + kv.first + "'", false);
    TVM_CHECK(shared->device.device_type == data_entry_[eid]->device.device_type &&
                  shared->device.device_id == data_entry_[eid]->device.device_id,
              "ValueError")
        << "share_params: parameter '" << kv.first << "' lives on another device";
    // The view keeps the other executor's storage alive after it is gone; the kernel
    // arguments now point at its data and shape.
    data_entry_[eid] = shared;
    RefreshEntry(eid);
    param_names_.insert(kv.first);
  }
}

void GraphExecutor::Describe(std::vector<TensorInfo>* inputs, std::vector<int>* input_positions,
                             std::vector<TensorInfo>* outputs) const {
  for (int i = 0; i < NumInputs(); ++i) {
    const std::string& name = InputName(i);
    if (param_names_.count(name)) continue;
    uint32_t eid = EntryId(input_nodes_[i], 0);
    inputs->push_back(TensorInfo{name, entry_shape_[eid], entry_dtype_[eid]});
    input_positions->push_back(i);
  }
  for (const Entry& out : outputs_) {
    uint32_t eid = EntryId(out);
    outputs->push_back(TensorInfo{nodes_[out.node_id].name, entry_shape_[eid], entry_dtype_[eid]});
  }
}

ObjectRef GraphExecutor::GetInputInfo() const {
  Map<String, ObjectRef> shapes, dtypes;
  for (uint32_t nid : input_nodes_) {
    const std::string& name = nodes_[nid].name;
    if (param_names_.count(name)) continue;
    uint32_t eid = EntryId(nid, 0);
    shapes.Set(name, MakeShapeTupleObject(entry_shape_[eid]));
    dtypes.Set(name, String(DLDataType2String(entry_dtype_[eid])));
  }
  Map<String, ObjectRef> info;
  info.Set("shape", shapes);
  info.Set("dtype", dtypes);
  return info;
}

ObjectRef GraphExecutor::GetOutputInfo() const {
  Map<String, ObjectRef> shapes, dtypes;
  for (const Entry& out : outputs_) {
    const std::string& name = nodes_[out.node_id].name;
    uint32_t eid = EntryId(out);
    shapes.Set(name, MakeShapeTupleObject(entry_shape_[eid]));
    dtypes.Set(name, String(DLDataType2String(entry_dtype_[eid])));
  }
  Map<String, ObjectRef> info;
  info.Set("shape", shapes);
  info.Set("dtype", dtypes);
  return info;
}

// ---------------------------------------------------------------------------
// Packed functions

PackedFunc GraphExecutor::GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) {
  // A key naming an input or output: a str (or String object); anything else is an index.
  auto is_name = [](const TVMArgValue& key) {
    return key.type_code() == kTVMStr ||
           (key.type_code() == kTVMObjectHandle && String::CanConvertFrom(key.AsObjectRef()));
  };
  auto input_index = [this, is_name](const TVMArgValue& key, const char* who) {
    if (!is_name(key)) return key.operator int();
    std::string n = key.operator std::string();
    int index = GetInputIndex(n);
    if (index < 0) {
      std::ostringstream os;
      for (size_t i = 0; i < input_nodes_.size(); ++i) os << (i ? ", " : "") << "'" << InputName(i) << "'";
      throw Error("ValueError", std::string(who) + ": the graph has no input '" + n + "' (inputs: " + os.str() + ")");
    }
    return index;
  };
  auto output_index = [this, is_name](const TVMArgValue& key, const char* who) {
    if (!is_name(key)) return key.operator int();
    std::string n = key.operator std::string();
    int index = GetOutputIndex(n);
    TVM_CHECK(index >= 0, "ValueError") << who << ": the graph has no output '" << n << "'";
    return index;
  };
  if (name == "set_input") {
    return PackedFunc([sptr_to_self, this, input_index](TVMArgs args, TVMRetValue* rv) {
      SetInput(input_index(args[0], "set_input"), args[1].operator DLTensor*());
    });
  } else if (name == "set_input_zero_copy") {
    return PackedFunc([sptr_to_self, this, input_index](TVMArgs args, TVMRetValue* rv) {
      SetInputZeroCopy(input_index(args[0], "set_input_zero_copy"), args[1].operator DLTensor*());
    });
  } else if (name == "set_output_zero_copy") {
    return PackedFunc([sptr_to_self, this, output_index](TVMArgs args, TVMRetValue* rv) {
      SetOutputZeroCopy(output_index(args[0], "set_output_zero_copy"), args[1].operator DLTensor*());
    });
  } else if (name == "get_output") {
    return PackedFunc([sptr_to_self, this, output_index](TVMArgs args, TVMRetValue* rv) {
      int index = output_index(args[0], "get_output");
      if (args.size() >= 2) {
        CopyOutputTo(index, args[1].operator DLTensor*());
        *rv = args[1];
      } else {
        *rv = GetOutput(index);
      }
    });
  } else if (name == "get_input") {
    return PackedFunc([sptr_to_self, this, is_name](TVMArgs args, TVMRetValue* rv) {
      // As TVM: an unknown name gives None, so callers can test for an input.
      int index = is_name(args[0]) ? GetInputIndex(args[0].operator std::string()) : args[0].operator int();
      if (is_name(args[0]) && index < 0) return;
      *rv = GetInput(index);
    });
  } else if (name == "get_num_outputs") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { *rv = NumOutputs(); });
  } else if (name == "get_num_inputs") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { *rv = NumInputs(); });
  } else if (name == "get_input_index") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      *rv = GetInputIndex(args[0].operator std::string());
    });
  } else if (name == "get_output_index") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      *rv = GetOutputIndex(args[0].operator std::string());
    });
  } else if (name == "get_input_info") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { *rv = GetInputInfo(); });
  } else if (name == "get_output_info") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { *rv = GetOutputInfo(); });
  } else if (name == "run") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { Run(); });
  } else if (name == "run_from_inputs") {
    // (host dev_type, host dev_id, key, value, ...): set the inputs, run, return host copies of the outputs.
    return PackedFunc([sptr_to_self, this, input_index](TVMArgs args, TVMRetValue* rv) {
      TVM_CHECK(args.size() >= 2 && args.size() % 2 == 0, "ValueError")
          << "run_from_inputs takes a host device (type, id) and then input (key, value) pairs";
      DLDevice host{static_cast<DLDeviceType>(args[0].operator int()), args[1].operator int()};
      for (int i = 2; i < args.size(); i += 2) {
        SetInput(input_index(args[i], "run_from_inputs"), args[i + 1].operator DLTensor*());
      }
      Run();
      Array<NDArray> outputs;
      for (int i = 0; i < NumOutputs(); ++i) outputs.push_back(GetOutput(i).CopyTo(host));
      *rv = outputs;
    });
  } else if (name == "load_params") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) { LoadParams(args[0].operator std::string()); });
  } else if (name == "share_params") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      Module other = args[0].operator Module();
      const auto* other_exec = other.defined() ? dynamic_cast<const GraphExecutor*>(other.operator->()) : nullptr;
      TVM_CHECK(other_exec != nullptr, "TypeError")
          << "share_params: expected a GraphExecutor module, got "
          << (other.defined() ? std::string("a module of type '") + other->type_key() + "'" : std::string("None"));
      ShareParams(*other_exec, args[1].operator std::string());
    });
  }
  return PackedFunc();
}

// ---------------------------------------------------------------------------
// Creation

Module GraphExecutorCreate(const std::string& graph_json, Module lib, const std::vector<DLDevice>& devices) {
  auto exec = make_object<GraphExecutor>();
  exec->Init(graph_json, std::move(lib), devices);
  return Module(ObjectPtr<Object>(std::move(exec)));
}

std::vector<DLDevice> DevicesFromArgs(TVMArgs args, int start, const char* who) {
  std::vector<DLDevice> devices;
  for (int i = start; i < args.size();) {
    if (args[i].type_code() == kDLDevice) {
      devices.push_back(args[i].operator DLDevice());
      i += 1;
      continue;
    }
    TVM_CHECK(i + 1 < args.size(), "ValueError") << who << ": a device type without its device id";
    devices.push_back(DLDevice{static_cast<DLDeviceType>(args[i].operator int()), args[i + 1].operator int()});
    i += 2;
  }
  TVM_CHECK(!devices.empty(), "ValueError") << who << ": no device given";
  return devices;
}

TVM_REGISTER_GLOBAL("tvm.graph_executor.create").set_body([](TVMArgs args, TVMRetValue* rv) {
  TVM_CHECK(args.size() >= 3, "ValueError")
      << "tvm.graph_executor.create(graph_json, lib, dev_type, dev_id, ...) got " << args.size() << " arguments";
  TVM_CHECK(args[2].type_code() != kTVMPackedFuncHandle, "ValueError")
      << "tvm.graph_executor.create: linked-parameter lookup functions are not supported";
  *rv = GraphExecutorCreate(args[0].operator std::string(), args[1].operator Module(),
                            DevicesFromArgs(args, 2, "tvm.graph_executor.create"));
});

}  // namespace runtime
}  // namespace tvm
