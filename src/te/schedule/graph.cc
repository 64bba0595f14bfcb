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

AttachPath CreateAttachPath(const Schedule& sch) {
  AttachPath paths;
  for (const Stage& stage : sch->stages) {
    Array<IterVar> path;
    std::unordered_set<const Object*> visited;
    for (Stage s = stage; s.defined();) {
      TVM_CHECK(visited.insert(s.get()).second, "ValueError")
          << "compute_at of stage " << StageName(stage) << " forms a cycle";
      Stage spec = s.GetAttachSpec();
      if (spec->attach_type != kScope) break;
      IterVar attach_ivar = spec->attach_ivar;
      Stage parent = Downcast<Stage>(spec->attach_stage);
      bool started = false;
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

TVM_REGISTER_GLOBAL("schedule.CreateReadGraph").set_body_typed(CreateReadGraph);
TVM_REGISTER_GLOBAL("schedule.PostDFSOrder").set_body_typed([](Array<Operation> roots, ReadGraph g) {
  return PostDFSOrder(roots, g);
});
TVM_REGISTER_GLOBAL("schedule.CreateAttachPath").set_body_typed(CreateAttachPath);

}  // namespace te
}  // namespace tvm
