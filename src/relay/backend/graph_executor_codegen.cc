/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/graph_executor_codegen.cc
 * \brief `main` of a fused, type-inferred module -> the graph executor's JSON,
 *  its params and the kernels (TVM v0.14's format).
 *
 *   fn (%x) { %0 = fn(%p0, Primitive=1) { nn.relu(%p0) }; %0(%x) }
 *     -> nodes [{"op": "null", "name": "x"},
 *               {"op": "tvm_op", "name": "tvmgen_default_fused_nn_relu", inputs [[0, 0, 0]]}]
 *
 * Assumes static shapes and no control flow, references or ADTs (those need
 * the VM or the debug executor). A call of an operator outside any primitive
 * function is wrapped in one of its own first (opt_level 0's behaviour).
 * Walks with an explicit stack: a chain of 100,000 calls does not recurse.
 *
 * Storage plan: nodes are visited in execution order; an op's outputs take a
 * free storage of a similar size (bytes, any dtype: the smallest large enough,
 * else the largest smaller one, which grows; within a factor of 16 as TVM) or a
 * new one, then the storages of inputs whose last use this was are freed. Graph
 * inputs, params and outputs never share storage with anything else.
 */
#include <tvm/relay/adt.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/function.h>
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/registry.h>

#include <cstdio>

#include <algorithm>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "graph_executor_codegen.h"
#include "te_compiler.h"

namespace tvm {
namespace relay {
namespace backend {

namespace {

struct Entry {
  int node;
  int index;
};

struct GraphNode {
  bool is_op = false;
  /*! \brief A reshape-only function: "__nop", its output shares its input's storage. */
  bool is_nop = false;
  std::string name;
  std::string func_name;
  std::vector<Entry> inputs;
  std::vector<TensorType> outputs;
};

std::string JSONString(const std::string& s) {
  std::ostringstream os;
  os << '"';
  for (char ch : s) {
    switch (ch) {
      case '"': os << "\\\""; break;
      case '\\': os << "\\\\"; break;
      case '\n': os << "\\n"; break;
      case '\t': os << "\\t"; break;
      case '\r': os << "\\r"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", ch);
          os << buf;
        } else {
          os << ch;
        }
    }
  }
  os << '"';
  return os.str();
}

void FlattenTypes(const Type& type, const std::string& what, std::vector<TensorType>* out) {
  if (const auto* tt = type.as<TensorTypeNode>()) {
    for (const PrimExpr& d : tt->shape) {
      TVM_CHECK(d.as<IntImmNode>() != nullptr, "ValueError")
          << "the graph executor needs static shapes, but " << what << " has shape " << tt->shape;
    }
    out->push_back(GetRef<TensorType>(tt));
  } else if (const auto* tuple = type.as<TupleTypeNode>()) {
    for (const Type& f : tuple->fields) FlattenTypes(f, what, out);
  } else {
    TVM_CHECK(false, "TypeError") << "the graph executor handles tensors and tuples of tensors only; " << what
                                  << " has type " << (type.defined() ? type->GetTypeKey() : "(none: run InferType)");
  }
}

int64_t BytesOf(const TensorType& t) {
  int64_t n = 1;
  for (const PrimExpr& d : t->shape) n *= d.as<IntImmNode>()->value;
  return n * ((t->dtype.bits() * t->dtype.lanes() + 7) / 8);
}

class GraphExecutorCodegen {
 public:
  /*! \param plan_only walk and plan storage without lowering any kernel (GraphPlanMemory). */
  GraphExecutorCodegen(Target target, std::string mod_name, bool plan_only = false)
      : compiler_(std::move(target), std::move(mod_name)), plan_only_(plan_only) {}

  void Run(const Function& main) {
    for (const Var& param : main->params) {
      std::vector<TensorType> types;
      FlattenTypes(param->checked_type(), "parameter " + std::string(param->name_hint), &types);
      TVM_CHECK(param->checked_type().as<TensorTypeNode>() != nullptr, "TypeError")
          << "the graph executor takes tensor inputs only; parameter " << param->name_hint << " has type "
          << param->checked_type();
      memo_[param.get()] = {AddInput(param->name_hint, types[0])};
    }
    Walk(main->body);
    heads_ = memo_.at(main->body.get());
    PlanStorage();
  }

  std::string GraphJSON() const;
  Map<String, runtime::NDArray> params() const { return params_; }
  IRModule lowered() const { return compiler_.LoweredModule(); }

 private:
  Entry AddInput(const std::string& name, const TensorType& type) {
    GraphNode node;
    node.name = name;
    node.outputs.push_back(type);
    nodes_.push_back(std::move(node));
    return {static_cast<int>(nodes_.size()) - 1, 0};
  }

  Entry AddConstant(const Constant& c) {
    std::string name = "p" + std::to_string(params_.size());
    params_.Set(name, c->data);
    return AddInput(name, c->tensor_type());
  }

  std::vector<Expr> Children(const Expr& e) {
    std::vector<Expr> out;
    if (const auto* call = e.as<CallNode>()) {
      // A bare operator call keeps its scalar constants inside the function it is wrapped in.
      bool bare_op = call->op.as<OpNode>() != nullptr;
      for (const Expr& a : call->args) {
        const auto* c = a.as<ConstantNode>();
        if (!(bare_op && c != nullptr && c->is_scalar())) out.push_back(a);
      }
    } else if (const auto* tuple = e.as<TupleNode>()) {
      for (const Expr& f : tuple->fields) out.push_back(f);
    }
    if (!out.empty()) return out;
    if (const auto* get = e.as<TupleGetItemNode>()) return {get->tuple};
    if (const auto* let = e.as<LetNode>()) {
      // The value first: the body's uses of the variable read its entries.
      let_values_[let->var.get()] = let->value;
      return {let->value, let->body};
    }
    return {};
  }

  // Post order with an explicit stack, children left to right (TVM's visiting order,
  // so params are numbered and nodes emitted as TVM does).
  void Walk(const Expr& root) {
    std::vector<std::pair<Expr, bool>> stack{{root, false}};
    while (!stack.empty()) {
      auto [node, expanded] = stack.back();
      stack.pop_back();
      if (memo_.count(node.get())) continue;
      if (!expanded) {
        std::vector<Expr> children = Children(node);
        if (!children.empty()) {
          stack.push_back({node, true});
          for (auto it = children.rbegin(); it != children.rend(); ++it) {
            if (!memo_.count(it->get())) stack.push_back({*it, false});
          }
          continue;
        }
      }
      memo_[node.get()] = Visit(node);
      visited_.push_back(node);
    }
  }

  std::vector<Entry> Visit(const Expr& node) {
    if (const auto* call = node.as<CallNode>()) return VisitCall(GetRef<Call>(call));
    if (const auto* c = node.as<ConstantNode>()) return {AddConstant(GetRef<Constant>(c))};
    if (const auto* tuple = node.as<TupleNode>()) {
      std::vector<Entry> out;
      for (const Expr& f : tuple->fields) {
        const auto& e = memo_.at(f.get());
        out.insert(out.end(), e.begin(), e.end());
      }
      return out;
    }
    if (const auto* get = node.as<TupleGetItemNode>()) {
      const auto* tuple_type = get->tuple->checked_type().as<TupleTypeNode>();
      TVM_CHECK(tuple_type != nullptr && get->index >= 0 && static_cast<size_t>(get->index) < tuple_type->fields.size(),
                "IndexError")
          << "TupleGetItem index " << get->index << " is out of range of its tuple";
      std::vector<TensorType> before, field;
      for (int i = 0; i < get->index; ++i) FlattenTypes(tuple_type->fields[i], "a tuple field", &before);
      FlattenTypes(tuple_type->fields[get->index], "a tuple field", &field);
      const auto& all = memo_.at(get->tuple.get());
      return {all.begin() + before.size(), all.begin() + before.size() + field.size()};
    }
    if (const auto* let = node.as<LetNode>()) return memo_.at(let->body.get());
    if (const auto* var = node.as<VarNode>()) {
      auto it = let_values_.find(var);
      TVM_CHECK(it != let_values_.end(), "ValueError")
          << "the variable " << var->name_hint << " is used but not bound";
      return memo_.at(it->second.get());
    }
    std::string what = node->GetTypeKey();
    if (node.as<IfNode>()) what = "control flow (an If)";
    if (node.as<RefCreateNode>() || node.as<RefReadNode>() || node.as<RefWriteNode>()) what = "references";
    if (node.as<MatchNode>() || node.as<ConstructorNode>()) what = "algebraic data types";
    if (node.as<FunctionNode>()) what = "a function value (closure)";
    if (node.as<GlobalVarNode>()) what = "global functions";
    TVM_CHECK(false, "TypeError") << "the graph executor does not support " << what
                                  << "; use the debug executor (or the VM) for this program";
    return {};
  }

  std::vector<Entry> VisitCall(Call call) {
    if (call->op.as<OpNode>()) call = WrapOperatorCall(call);
    const auto* func = call->op.as<FunctionNode>();
    TVM_CHECK(func != nullptr && func->attrs.HasNonzeroAttr(attr::kPrimitive), "TypeError")
        << "the graph executor calls operators and primitive functions only; this call's callee is a "
        << call->op->GetTypeKey() << (call->op.as<GlobalVarNode>() ? " (global functions are not supported)" : "");
    GraphNode node;
    node.is_op = true;
    node.is_nop = IsReshapeOnly(func);
    std::vector<Constant> constants;
    if (node.is_nop) {
      node.func_name = "__nop";
    } else if (plan_only_) {
      node.func_name = "(not lowered)";
    } else {
      const LoweredKernel& kernel = compiler_.Lower(GetRef<Function>(func));
      node.func_name = kernel.name;
      constants = kernel.constants;
    }
    // The node name is the kernel's, made unique among the nodes (kernels are shared).
    std::string base = node.is_nop ? std::string("reshape_nop") : node.func_name;
    node.name = base;
    for (int& k = node_name_next_[base]; node_names_.count(node.name);) node.name = base + "_" + std::to_string(++k);
    node_names_.insert(node.name);
    for (const Expr& a : call->args) {
      const auto& e = memo_.at(a.get());
      node.inputs.insert(node.inputs.end(), e.begin(), e.end());
    }
    for (const Constant& c : constants) node.inputs.push_back(AddConstant(c));
    FlattenTypes(call->checked_type(), "the result of " + node.name, &node.outputs);
    int id = static_cast<int>(nodes_.size());
    int num_outputs = static_cast<int>(node.outputs.size());
    nodes_.push_back(std::move(node));
    std::vector<Entry> out;
    for (int i = 0; i < num_outputs; ++i) out.push_back({id, i});
    return out;
  }

  void PlanStorage();

  TECompiler compiler_;
  std::vector<GraphNode> nodes_;
  std::vector<Entry> heads_;
  std::unordered_map<const Object*, std::vector<Entry>> memo_;
  std::unordered_map<const Object*, Expr> let_values_;
  std::unordered_map<std::string, int> node_name_next_;
  std::unordered_set<std::string> node_names_;
  Map<String, runtime::NDArray> params_;
  std::vector<int> row_ptr_;
  std::vector<int> storage_ids_;
  bool plan_only_;
  std::vector<Expr> visited_;  // in visiting order, for the per-expression plan

 public:
  /*!
   * \brief The plan per expression (parameters, constants, calls, tuples):
   *  {expr: [storage ids, device types, bytes each tensor needs]}, one item per
   *  tensor (as TVM reports them: a storage may be larger, grown for a later tensor).
   */
  Map<Expr, Array<ObjectRef>> ExprStorageInfo(const Function& main) const {
    Map<Expr, Array<ObjectRef>> out;
    auto add = [&](const Expr& e) {
      auto it = memo_.find(e.get());
      if (it == memo_.end() || (e.as<VarNode>() && !IsParam(main, e))) return;
      Array<Integer> ids, devices, sizes;
      for (const Entry& entry : it->second) {
        int sid = storage_ids_[row_ptr_[entry.node] + entry.index];
        ids.push_back(sid);
        devices.push_back(static_cast<int>(kDLCPU));
        sizes.push_back(Integer(static_cast<int>(BytesOf(nodes_[entry.node].outputs[entry.index]))));
      }
      out.Set(e, Array<ObjectRef>{ids, devices, sizes});
    };
    for (const Var& p : main->params) add(p);
    for (const Expr& e : visited_) add(e);
    return out;
  }

 private:
  static bool IsParam(const Function& main, const Expr& e) {
    for (const Var& p : main->params) {
      if (p.same_as(e)) return true;
    }
    return false;
  }
};

/*!
 * \brief The free storage a tensor of `bytes` takes (TVM's policy): the smallest
 *  block of at least `bytes` and at most 16 times more, else the largest smaller
 *  block of at least a 16th (it grows); end() when none is in that range.
 */
std::multimap<int64_t, int>::iterator FindFree(std::multimap<int64_t, int>& free_by_size, int64_t bytes) {
  constexpr int64_t kMatchRange = 16;
  auto mid = free_by_size.lower_bound(bytes);
  if (mid != free_by_size.end() && mid->first <= bytes * kMatchRange) return mid;
  if (mid != free_by_size.begin()) {
    auto smaller = std::prev(mid);
    if (smaller->first >= bytes / kMatchRange) return smaller;
  }
  return free_by_size.end();
}

void GraphExecutorCodegen::PlanStorage() {
  row_ptr_.assign(1, 0);
  for (const GraphNode& n : nodes_) row_ptr_.push_back(row_ptr_.back() + static_cast<int>(n.outputs.size()));
  int num_entries = row_ptr_.back();
  // Reads per entry; the heads hold theirs forever.
  std::vector<int64_t> uses(num_entries, 0);
  for (const GraphNode& n : nodes_) {
    for (const Entry& e : n.inputs) ++uses[row_ptr_[e.node] + e.index];
  }
  constexpr int64_t kForever = int64_t{1} << 40;
  for (const Entry& e : heads_) uses[row_ptr_[e.node] + e.index] += kForever;
  // Reads left per storage: an entry aliased by a __nop keeps its storage until both are read.
  std::vector<int64_t> storage_uses;
  std::vector<int64_t> storage_bytes;
  std::vector<bool> reusable;                // storage of an op output (not an input, param)
  std::multimap<int64_t, int> free_by_size;  // bytes -> storage id
  storage_ids_.assign(num_entries, -1);
  auto release = [&](int entry) {
    int sid = storage_ids_[entry];
    if (--storage_uses[sid] == 0 && reusable[sid]) free_by_size.emplace(storage_bytes[sid], sid);
  };
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const GraphNode& n = nodes_[i];
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      int entry = row_ptr_[i] + static_cast<int>(k);
      int64_t bytes = BytesOf(n.outputs[k]);
      int sid;
      if (n.is_nop) {
        sid = storage_ids_[row_ptr_[n.inputs[0].node] + n.inputs[0].index];
      } else {
        auto fit = n.is_op ? FindFree(free_by_size, bytes) : free_by_size.end();
        if (fit != free_by_size.end()) {
          sid = fit->second;
          free_by_size.erase(fit);
          storage_bytes[sid] = std::max(storage_bytes[sid], bytes);  // a smaller block grows
        } else {
          sid = static_cast<int>(storage_bytes.size());
          storage_bytes.push_back(bytes);
          storage_uses.push_back(0);
          reusable.push_back(n.is_op);
        }
      }
      storage_ids_[entry] = sid;
      // One extra hold while the node runs, dropped below (an unread output frees at once).
      storage_uses[sid] += uses[entry] + 1;
    }
    // Inputs whose last read this is free their storage for later nodes (not for this node's
    // outputs, placed above: a kernel never reads and writes one buffer).
    for (const Entry& e : n.inputs) release(row_ptr_[e.node] + e.index);
    for (size_t k = 0; k < n.outputs.size(); ++k) release(row_ptr_[i] + static_cast<int>(k));
  }
}

std::string GraphExecutorCodegen::GraphJSON() const {
  std::ostringstream os;
  os << "{\n  \"nodes\": [";
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const GraphNode& n = nodes_[i];
    os << (i ? ",\n" : "\n") << "    {\"op\": " << (n.is_op ? "\"tvm_op\"" : "\"null\"")
       << ", \"name\": " << JSONString(n.name);
    if (n.is_op) {
      os << ", \"attrs\": {\"flatten_data\": \"0\", \"func_name\": " << JSONString(n.func_name)
         << ", \"num_inputs\": \"" << n.inputs.size() << "\", \"num_outputs\": \"" << n.outputs.size() << "\"}";
    }
    os << ", \"inputs\": [";
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      os << (k ? ", " : "") << "[" << n.inputs[k].node << ", " << n.inputs[k].index << ", 0]";
    }
    os << "]}";
  }
  os << "\n  ],\n  \"arg_nodes\": [";
  bool first = true;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].is_op) continue;
    os << (first ? "" : ", ") << i;
    first = false;
  }
  os << "],\n  \"heads\": [";
  for (size_t k = 0; k < heads_.size(); ++k) {
    os << (k ? ", " : "") << "[" << heads_[k].node << ", " << heads_[k].index << ", 0]";
  }
  os << "],\n  \"attrs\": {\n    \"dltype\": [\"list_str\", [";
  first = true;
  for (const GraphNode& n : nodes_) {
    for (const TensorType& t : n.outputs) {
      os << (first ? "" : ", ") << JSONString(runtime::DLDataType2String(t->dtype));
      first = false;
    }
  }
  os << "]],\n    \"storage_id\": [\"list_int\", [";
  for (size_t k = 0; k < storage_ids_.size(); ++k) os << (k ? ", " : "") << storage_ids_[k];
  os << "]],\n    \"shape\": [\"list_shape\", [";
  first = true;
  for (const GraphNode& n : nodes_) {
    for (const TensorType& t : n.outputs) {
      os << (first ? "[" : ", [");
      for (size_t d = 0; d < t->shape.size(); ++d) os << (d ? ", " : "") << t->shape[d].as<IntImmNode>()->value;
      os << "]";
      first = false;
    }
  }
  os << "]]\n  },\n  \"node_row_ptr\": [";
  for (size_t k = 0; k < row_ptr_.size(); ++k) os << (k ? ", " : "") << row_ptr_[k];
  os << "]\n}";
  return os.str();
}

}  // namespace

/*!
 * \brief relay.backend._GraphExecutorCodegen(mod, target, mod_name): the graph
 *  of mod["main"] -> [graph_json, {param name: NDArray}, IRModule of the kernels].
 */
GraphCodegenResult GenerateGraph(const Function& main, const Target& target, const std::string& mod_name) {
  GraphExecutorCodegen codegen(target, mod_name);
  codegen.Run(main);
  return {codegen.GraphJSON(), codegen.params(), codegen.lowered()};
}

TVM_REGISTER_GLOBAL("relay.backend._GraphExecutorCodegen")
    .set_body_typed([](IRModule mod, Target target, String mod_name) {
      auto main = mod->Lookup("main");
      const auto* func = main.as<FunctionNode>();
      TVM_CHECK(func != nullptr, "TypeError") << "the graph executor needs a Relay function as main";
      GraphCodegenResult result = GenerateGraph(GetRef<Function>(func), target, mod_name);
      return Array<ObjectRef>{String(result.graph_json), result.params, result.lowered};
    });

/*!
 * \brief relay.backend._GraphPlanMemory(func): the graph executor's storage
 *  plan of a type-inferred (fused or not) function, per expression.
 */
TVM_REGISTER_GLOBAL("relay.backend._GraphPlanMemory").set_body_typed([](Function func) {
  GraphExecutorCodegen codegen(Target("llvm"), "default", /*plan_only=*/true);
  codegen.Run(func);
  return codegen.ExprStorageInfo(func);
});

}  // namespace backend
}  // namespace relay
}  // namespace tvm
