/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/graph.cc
 * \brief Read graph, topological order, feed graph and attach paths.
 */
#include "graph.h"

#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>
#include <utility>

namespace tvm {
namespace te {

ReadGraph CreateReadGraph(const Array<Operation>& roots) {
  ReadGraph graph;
  std::vector<Operation> stack;
  std::unordered_set<const Object*> seen;
  for (const Operation& op : roots) {
    if (seen.insert(op.get()).second) stack.push_back(op);
  }
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    Array<Tensor> inputs = op->InputTensors();
    graph.Set(op, inputs);
    for (const Tensor& t : inputs) {
      Operation producer = t.op();
      if (producer.defined() && seen.insert(producer.get()).second) stack.push_back(producer);
    }
  }
  return graph;
}

Array<Operation> PostDFSOrder(const Array<Operation>& roots, const ReadGraph& g) {
  Array<Operation> order;
  std::unordered_set<const Object*> visited;
  // Iterative depth-first search: (op, index of the next input to visit).
  std::vector<std::pair<Operation, size_t>> stack;
  for (const Operation& root : roots) {
    if (!visited.insert(root.get()).second) continue;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& top = stack.back();
      std::optional<Array<Tensor>> inputs = g.Get(top.first);
      size_t n = inputs.has_value() ? inputs->size() : 0;
      if (top.second < n) {
        Operation producer = (*inputs)[top.second++].op();
        if (producer.defined() && visited.insert(producer.get()).second) stack.emplace_back(producer, 0);
      } else {
        order.push_back(top.first);
        stack.pop_back();
      }
    }
  }
  return order;
}

FeedGraph CreateFeedGraph(const ReadGraph& g) {
  FeedGraph feed;
  for (const auto& kv : g) {
    for (const Tensor& t : kv.second) feed[t].push_back(kv.first);
  }
  return feed;
}

bool Reads(const Operation& from, const Operation& target) {
  std::unordered_set<const Object*> seen;
  std::vector<Operation> stack{from};
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    for (const Tensor& t : op->InputTensors()) {
      Operation producer = t.op();
      if (!producer.defined()) continue;
      if (producer.same_as(target)) return true;
      if (seen.insert(producer.get()).second) stack.push_back(producer);
    }
  }
  return false;
}

void ValidateComputeAt(const Schedule& sch) {
  for (const Stage& stage : sch->stages) {
    if (stage->attach_type != kScope) continue;
    Stage target = Downcast<Stage>(stage->attach_stage);
    TVM_CHECK(!target.same_as(stage), "ValueError")
        << "compute_at: stage " << StageName(stage) << " cannot be computed at one of its own loops";
    TVM_CHECK(!stage->is_output, "ValueError")
        << "compute_at: stage " << StageName(stage) << " is an output of the schedule; outputs are computed at the root";
    if (target->op.defined() && stage->op.defined()) {
      TVM_CHECK(Reads(target->op, stage->op), "ValueError")
          << "compute_at: stage " << StageName(target) << " does not read " << StageName(stage) << ", so "
          << StageName(stage) << " cannot be computed at its axis " << AxisName(stage->attach_ivar)
          << "; compute a stage at a loop of one of its consumers";
    }
  }
}

AttachPath CreateAttachPath(const Schedule& sch) {
  AttachPath paths;
  for (const Stage& stage : sch->stages) {
    Array<IterVar> path;
    std::unordered_set<const Object*> visited;
    for (Stage s = stage; s.defined();) {
      TVM_CHECK(visited.insert(s.get()).second, "ValueError")
          << "compute_at of stage " << StageName(stage) << " forms a cycle";
      Stage spec = s.GetAttachSpec();
      if (spec->attach_type != kScope && spec->attach_type != kScanUpdate) break;
      IterVar attach_ivar = spec->attach_ivar;
      Stage parent = Downcast<Stage>(spec->attach_stage);
      // The body of a scan runs inside all of the scan's loops.
      bool started = spec->attach_type == kScanUpdate;
      for (size_t i = parent->leaf_iter_vars.size(); i != 0; --i) {
        const IterVar& iv = parent->leaf_iter_vars[i - 1];
        if (!started && iv.same_as(attach_ivar)) started = true;
        if (started) path.push_back(iv);
      }
      TVM_CHECK(started, "ValueError") << "stage " << StageName(s) << " is computed at axis " << AxisName(attach_ivar)
                                       << " of stage " << StageName(parent)
                                       << ", which is not one of that stage's loops (was it split or fused after "
                                          "compute_at?)";
      s = parent;
    }
    if (!paths.count(stage->op)) paths.Set(stage->op, path);
  }
  return paths;
}

namespace {

bool CollectSubGraph(const Operation& op, const std::unordered_set<const Object*>& boundary, bool include_boundary,
                     std::unordered_map<const Object*, bool>* visited, Array<Operation>* result) {
  auto it = visited->find(op.get());
  if (it != visited->end()) return it->second;
  if (boundary.count(op.get())) {
    (*visited)[op.get()] = true;
    if (include_boundary) result->push_back(op);
    return true;
  }
  (*visited)[op.get()] = false;
  bool reaches = false;
  for (const Tensor& t : op->InputTensors()) {
    if (CollectSubGraph(t.op(), boundary, include_boundary, visited, result)) reaches = true;
  }
  (*visited)[op.get()] = reaches;
  if (reaches) result->push_back(op);
  return reaches;
}

/*! \brief Without explicit inputs the group spans everything above the placeholders. */
void AddPlaceholders(const Operation& op, std::unordered_set<const Object*>* seen,
                     std::unordered_set<const Object*>* boundary) {
  if (!seen->insert(op.get()).second) return;
  if (op.as<PlaceholderOpNode>()) {
    boundary->insert(op.get());
    return;
  }
  for (const Tensor& t : op->InputTensors()) AddPlaceholders(t.op(), seen, boundary);
}

}  // namespace

Array<Operation> GetSubGraph(const Array<Tensor>& outputs, const Array<Tensor>& inputs, bool include_inputs) {
  std::unordered_set<const Object*> boundary;
  for (const Tensor& t : inputs) boundary.insert(t->op.get());
  if (inputs.empty()) {
    std::unordered_set<const Object*> seen;
    for (const Tensor& t : outputs) AddPlaceholders(t.op(), &seen, &boundary);
    include_inputs = false;
  }
  Array<Operation> result;
  std::unordered_map<const Object*, bool> visited;
  for (const Tensor& t : outputs) {
    bool reaches = CollectSubGraph(t.op(), boundary, include_inputs, &visited, &result);
    TVM_CHECK(reaches || boundary.count(t->op.get()), "ValueError")
        << "create_group: output " << t->GetNameHint() << " does not depend on the given inputs";
  }
  return result;
}

Array<Operation> ScanGetBody(const Operation& scan_op) {
  const auto* scan = scan_op.as<ScanOpNode>();
  TVM_CHECK(scan != nullptr, "TypeError") << "ScanGetBody: " << scan_op->name << " is not a te.scan";
  Array<Tensor> inputs = scan->state_placeholder;
  for (const Tensor& t : scan->inputs) inputs.push_back(t);
  std::unordered_set<const Object*> boundary;
  for (const Tensor& t : inputs) boundary.insert(t->op.get());
  Array<Operation> body;
  std::unordered_map<const Object*, bool> visited;
  for (const Tensor& t : scan->update) CollectSubGraph(t.op(), boundary, false, &visited, &body);
  return body;
}

namespace {

/*! \brief A dimension of a tensor. */
struct TensorDim {
  Tensor tensor;
  size_t dim;
  bool operator==(const TensorDim& o) const { return tensor == o.tensor && dim == o.dim; }
};
struct TensorDimHash {
  size_t operator()(const TensorDim& d) const { return TensorHash()(d.tensor) * 31 + d.dim; }
};

}  // namespace

Map<IterVar, PrimExpr> ScanFixPointAnalysis(const Operation& scan_op) {
  const auto* scan = scan_op.as<ScanOpNode>();
  TVM_CHECK(scan != nullptr, "TypeError") << "ScanFixPointAnalysis: " << scan_op->name << " is not a te.scan";
  // Which spatial axis's index reaches each tensor dimension unchanged (as the
  // index itself, not an expression of it). A spatial axis whose index is read
  // any other way, or whose dimension meets another's, is not a fixed point.
  std::unordered_map<TensorDim, const IterVarNode*, TensorDimHash> carries;
  std::unordered_set<const IterVarNode*> failed;
  size_t sp = 0;
  for (size_t i = 0; i < scan->update.size(); ++i) {
    for (size_t k = 1; k < scan->update[i].ndim(); ++k) carries[{scan->state_placeholder[i], k}] = scan->spatial_axis_[sp++].as<IterVarNode>();
  }
  auto flow = [&](const TensorDim& to, const TensorDim& from) {
    auto src = carries.find(from);
    if (src == carries.end()) return;
    auto dst = carries.find(to);
    if (dst == carries.end()) {
      carries[to] = src->second;
    } else if (dst->second != src->second) {
      failed.insert(dst->second);
      failed.insert(src->second);
    }
  };
  for (const Operation& op : ScanGetBody(scan_op)) {
    if (const auto* inner = op.as<ScanOpNode>()) {
      for (size_t i = 0; i < inner->update.size(); ++i) {
        for (size_t k = 1; k < inner->update[i].ndim(); ++k) {
          flow({op.output(i), k}, {inner->update[i], k});
          flow({op.output(i), k}, {inner->init[i], k});
        }
      }
      continue;
    }
    const auto* compute = op.as<ComputeOpNode>();
    if (compute == nullptr) {
      // Anything else reads its inputs opaquely.
      for (const Tensor& t : op->InputTensors()) {
        for (size_t d = 0; d < t.ndim(); ++d) {
          auto it = carries.find({t, d});
          if (it != carries.end()) failed.insert(it->second);
        }
      }
      continue;
    }
    std::unordered_map<const VarNode*, size_t> axis_of;
    for (size_t j = 0; j < compute->axis.size(); ++j) axis_of[compute->axis[j]->var.get()] = j;
    for (const PrimExpr& e : compute->body) {
      PostOrderVisit(e, [&](const ObjectRef& n) {
        const auto* load = n.as<ProducerLoadNode>();
        if (load == nullptr) return;
        Tensor t = Downcast<Tensor>(load->producer);
        for (size_t d = 0; d < load->indices.size(); ++d) {
          const auto* v = load->indices[d].as<VarNode>();
          auto ax = v != nullptr ? axis_of.find(v) : axis_of.end();
          if (ax != axis_of.end()) {
            for (int o = 0; o < op->num_outputs(); ++o) flow({op.output(o), ax->second}, {t, d});
          } else if (auto it = carries.find({t, d}); it != carries.end()) {
            failed.insert(it->second);
          }
        }
      });
    }
  }
  Map<IterVar, PrimExpr> result;
  sp = 0;
  for (size_t i = 0; i < scan->update.size(); ++i) {
    for (size_t k = 1; k < scan->update[i].ndim(); ++k) {
      const IterVar& iv = scan->spatial_axis_[sp++];
      auto it = carries.find({scan->update[i], k});
      bool fixed = !failed.count(iv.as<IterVarNode>()) && it != carries.end() && it->second == iv.as<IterVarNode>();
      result.Set(iv, make_const(DataType::Int(32), fixed ? 1 : 0));
    }
  }
  return result;
}

TVM_REGISTER_GLOBAL("schedule.CreateReadGraph").set_body_typed(CreateReadGraph);
TVM_REGISTER_GLOBAL("schedule.PostDFSOrder").set_body_typed([](Array<Operation> roots, ReadGraph g) {
  return PostDFSOrder(roots, g);
});
TVM_REGISTER_GLOBAL("schedule.CreateAttachPath").set_body_typed(CreateAttachPath);
TVM_REGISTER_GLOBAL("schedule.ScanGetBody").set_body_typed(ScanGetBody);
TVM_REGISTER_GLOBAL("schedule.ScanFixPointAnalysis").set_body_typed(ScanFixPointAnalysis);

}  // namespace te
}  // namespace tvm
