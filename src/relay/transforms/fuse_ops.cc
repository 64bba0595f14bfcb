/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/fuse_ops.cc
 * \brief FuseOps: group operator calls into primitive functions, each of
 *  which the backend lowers as one kernel.
 *
 * Assumes a typed program (InferType ran). Every operator call ends up in
 * exactly one group; a group becomes `fn (p0, p1, ...) { body }` with
 * attribute Primitive=1, called where the group's output was, with the
 * values the group reads from outside as arguments:
 *
 *   %1 = add(%x, 1f); %2 = exp(%1); squeeze(%2)
 *   =>  %f = fn (%p0, Primitive=1) { squeeze(exp(add(%p0, 1f))) }; %f(%x)
 *
 * Which calls share a group follows the operators' patterns (TOpPattern):
 * a node may join the group of its immediate post-dominator (the nearest
 * node every path from it to the function's result goes through) when every
 * node on the paths in between allows it:
 *  - elementwise/broadcast ops join a following injective op, reduction or
 *    out-elementwise-fusable op (conv2d's group takes the elementwise ops
 *    after it: phase 0);
 *  - injective ops and tuples join a following injective op (phase 1);
 *  - injective ops join a tuple that is itself fused into injective ops
 *    (phase 2, concatenate's inputs);
 *  - opaque ops (and non-scalar constants) stay alone.
 * A group holds at most relay.FuseOps.max_depth nodes (default 256). Scalar
 * constants stay inside the function; other constants become arguments
 * unless relay.FuseOps.link_params is set. A group whose output is a tuple
 * (split) returns it; its users project fields with TupleGetItem.
 *
 * Nothing here recurses per node: the graph is built by MixedModeVisitor, the
 * rewrite is a MixedModeMutator, and the path searches use explicit stacks.
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target.h>
#include <tvm/tir/expr.h>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tvm {
namespace relay {

namespace {

constexpr int kDefaultMaxFusedOps = 256;
const bool kFuseOpsConfigRegistered = (transform::PassContext::RegisterConfigOption("relay.FuseOps.max_depth", "IntImm"),
                                       transform::PassContext::RegisterConfigOption("relay.FuseOps.link_params", "IntImm"),
                                       true);

// ------------------------------------------------------------ dataflow graph

/*!
 * \brief The dataflow graph of one function: a node per expression that
 *  computes a value (calls, tuples, projections, variables, constants, lets,
 *  ifs, ...) in post order, each with the edges to its consumers.
 */
struct GraphNode;
struct Edge {
  GraphNode* node;
  /*! \brief How the consumer uses this value (its pattern, or elementwise for a same-shape broadcast input). */
  OpPatternKind pattern;
};
struct GraphNode {
  const Object* ref{nullptr};
  size_t index{0};
  /*! \brief Used by something the graph does not follow (the result, an if, a let, a closure). */
  bool extern_ref{false};
  OpPatternKind pattern{kOpaque};
  std::vector<Edge> outputs;
};

struct DataflowGraph {
  std::unordered_map<const Object*, GraphNode*> node_map;
  std::vector<GraphNode*> post_dfs_order;
  std::deque<GraphNode> storage;  // stable addresses
};

bool HasAnyDim(const Type& type) {
  if (const auto* tt = type.as<TensorTypeNode>()) {
    for (const PrimExpr& d : tt->shape) {
      if (d.as<tir::AnyNode>()) return true;
    }
  } else if (const auto* tuple = type.as<TupleTypeNode>()) {
    for (const Type& f : tuple->fields) {
      if (HasAnyDim(f)) return true;
    }
  }
  return false;
}

/*! \brief Whether the op's output shape depends on its input values (dynamic reshape and friends). */
bool IsDataDependent(const OpNode* op) {
  if (!Op::HasAttrMap("TShapeDataDependent")) return false;
  const runtime::TVMRetValue* v = Op::GetAttrMapContainer("TShapeDataDependent").Find(GetRef<Op>(op));
  if (v == nullptr) return false;
  // One flag per input (a list) or one for all; any true one makes the output shape data dependent.
  ObjectRef flags = v->AsType<ObjectRef>();
  auto truthy = [](const ObjectRef& f) {
    const auto* imm = f.as<IntImmNode>();
    return imm != nullptr && imm->value != 0;
  };
  if (const auto* arr = flags.as<runtime::ArrayNode>()) {
    for (const ObjectRef& f : arr->data) {
      if (truthy(f)) return true;
    }
    return false;
  }
  return truthy(flags);
}

/*! \brief The node as T, or null (graph nodes keep raw pointers to the expressions). */
template <typename T>
const T* AsNode(const Object* n) {
  return n != nullptr && n->IsInstance<T>() ? static_cast<const T*>(n) : nullptr;
}

const Type& TypeOf(const Expr& e) {
  TVM_CHECK(e->checked_type_.defined(), "ValueError")
      << "FuseOps needs a typed program, but an expression has no type: run relay.transform.InferType() first";
  return e->checked_type_;
}

class GraphBuilder : private MixedModeVisitor {
 public:
  static DataflowGraph Build(const Expr& body) {
    GraphBuilder builder;
    builder.Update(body, nullptr, kOpaque);
    builder.VisitExpr(body);
    return std::move(builder.graph_);
  }

 private:
  using MixedModeVisitor::VisitExpr_;
  DataflowGraph graph_;

  GraphNode* NodeOf(const Object* key) {
    auto it = graph_.node_map.find(key);
    if (it != graph_.node_map.end()) return it->second;
    graph_.storage.emplace_back();
    GraphNode* node = &graph_.storage.back();
    graph_.node_map[key] = node;
    return node;
  }

  // Record that `parent` consumes `e` with `pattern`; no parent: used from outside dataflow.
  void Update(const Expr& e, GraphNode* parent, OpPatternKind pattern) {
    GraphNode* node = NodeOf(e.get());
    if (parent != nullptr) {
      node->outputs.push_back({parent, pattern});
    } else {
      node->extern_ref = true;
    }
  }

  void AddNode(const Object* key) {
    GraphNode* node = NodeOf(key);
    node->ref = key;
    node->index = graph_.post_dfs_order.size();
    graph_.post_dfs_order.push_back(node);
  }

  void VisitExpr_(const FunctionNode* op) final {
    // An external compiler's function is not ours to fuse.
    if (op->attrs.HasNonzeroAttr(attr::kCompiler) || op->attrs.HasNonzeroAttr(attr::kPrimitive)) return;
    for (const Var& p : op->params) Update(p, nullptr, kOpaque);
    Update(op->body, nullptr, kOpaque);
    ExprVisitor::VisitExpr_(op);
  }

  void VisitExpr_(const ConstantNode* op) final {
    AddNode(op);
    GraphNode* node = graph_.node_map.at(op);
    DataType dtype(op->data->dtype);
    // Scalars of these types are inlined into kernels by the code generator; others are buffers.
    bool simple = dtype == DataType::Int(32) || dtype == DataType::Int(64) || dtype == DataType::Float(32) ||
                  dtype == DataType::Float(64) || dtype == DataType::Bool();
    node->pattern = op->is_scalar() && simple ? kElemWise : kOpaque;
  }

  void VisitExpr_(const CallNode* call) final {
    // Post order: the arguments are in the graph already.
    static const auto fpattern = Op::GetAttrMap<TOpPattern>("TOpPattern");
    GraphNode* node = NodeOf(call);
    OpPatternKind op_pattern = kOpaque;
    if (const auto* op = call->op.as<OpNode>()) {
      if (!(HasAnyDim(TypeOf(GetRef<Expr>(call))) && IsDataDependent(op))) {
        op_pattern = static_cast<OpPatternKind>(fpattern.get(GetRef<Op>(op), kOpaque));
      }
    } else {
      Update(call->op, node, kOpaque);
    }
    node->pattern = op_pattern;
    Update(call->op, nullptr, kOpaque);
    const auto* rtype = TypeOf(GetRef<Expr>(call)).as<TensorTypeNode>();
    for (const Expr& arg : call->args) {
      const auto* arg_type = TypeOf(arg).as<TensorTypeNode>();
      // A broadcast whose input already has the output's shape reads it elementwise.
      OpPatternKind edge_pattern = op_pattern;
      if (edge_pattern == kBroadcast && arg_type != nullptr && rtype != nullptr &&
          StructuralEqual()(rtype->shape, arg_type->shape)) {
        edge_pattern = kElemWise;
      }
      Update(arg, node, edge_pattern);
    }
    AddNode(call);
  }

  void VisitExpr_(const TupleNode* op) final {
    GraphNode* node = NodeOf(op);
    node->pattern = kTuple;
    for (const Expr& field : op->fields) {
      if (TypeOf(field).as<TensorTypeNode>()) {
        Update(field, node, kInjective);
      } else {
        Update(field, nullptr, kOpaque);
      }
    }
    AddNode(op);
  }

  void VisitExpr_(const TupleGetItemNode* op) final {
    // Kernels take tensors or tuples of tensors only: no fusing through tuples holding anything else.
    const auto* tuple_type = TypeOf(op->tuple).as<TupleTypeNode>();
    bool all_tensors = tuple_type != nullptr;
    if (tuple_type != nullptr) {
      for (const Type& t : tuple_type->fields) all_tensors = all_tensors && t.as<TensorTypeNode>() != nullptr;
    }
    GraphNode* node = NodeOf(op);
    if (all_tensors) {
      node->pattern = kInjective;
      Update(op->tuple, node, kInjective);
    } else {
      Update(op->tuple, nullptr, kOpaque);
    }
    AddNode(op);
  }

  void VisitExpr_(const VarNode* op) final { AddNode(op); }

  void VisitExpr_(const LetNode* op) final {
    // Nothing fuses through a let; the chain is walked in a loop.
    auto pre_visit = [this](const LetNode* l) {
      Update(l->var, nullptr, kOpaque);
      Update(l->value, nullptr, kOpaque);
      Update(l->body, nullptr, kOpaque);
      VisitExpr(l->var);
      VisitExpr(l->value);
    };
    auto post_visit = [this](const LetNode* l) {
      VisitExpr(l->body);
      visit_counter_[l] += 1;
      AddNode(l);
    };
    ExpandANormalForm(op, pre_visit, post_visit);
  }

  void VisitExpr_(const IfNode* op) final {
    Update(op->cond, nullptr, kOpaque);
    Update(op->true_branch, nullptr, kOpaque);
    Update(op->false_branch, nullptr, kOpaque);
    ExprVisitor::VisitExpr_(op);
    AddNode(op);
  }

  void VisitExpr_(const RefCreateNode* op) final {
    Update(op->value, nullptr, kOpaque);
    ExprVisitor::VisitExpr_(op);
    AddNode(op);
  }

  void VisitExpr_(const RefReadNode* op) final {
    Update(op->ref, nullptr, kOpaque);
    ExprVisitor::VisitExpr_(op);
    AddNode(op);
  }

  void VisitExpr_(const RefWriteNode* op) final {
    Update(op->ref, nullptr, kOpaque);
    Update(op->value, nullptr, kOpaque);
    ExprVisitor::VisitExpr_(op);
    AddNode(op);
  }

  void VisitExpr_(const MatchNode* op) final {
    Update(op->data, nullptr, kOpaque);
    for (const Clause& c : op->clauses) Update(c->rhs, nullptr, kOpaque);
    ExprVisitor::VisitExpr_(op);
    AddNode(op);
  }
};

// ------------------------------------------------------- post-dominator tree

/*!
 * \brief The immediate post-dominator of each node: the least common ancestor
 *  (in the tree built so far) of its consumers, found in reverse post order —
 *  enough for a DAG. `pattern` is the most complex edge or node on the way.
 */
struct DominatorTree {
  struct Node {
    GraphNode* gnode{nullptr};
    Node* parent{nullptr};
    int depth{0};
    OpPatternKind pattern{kOpaque};
  };
  std::vector<Node*> nodes;
  std::deque<Node> storage;

  static OpPatternKind Max(OpPatternKind a, OpPatternKind b) { return a > b ? a : b; }

  static Node* LeastCommonAncestor(Node* lhs, Node* rhs, OpPatternKind* pattern) {
    while (lhs != rhs) {
      if (lhs == nullptr || rhs == nullptr) return nullptr;
      if (lhs->depth < rhs->depth) {
        *pattern = Max(*pattern, rhs->pattern);
        rhs = rhs->parent;
      } else if (rhs->depth < lhs->depth) {
        *pattern = Max(*pattern, lhs->pattern);
        lhs = lhs->parent;
      } else {
        *pattern = Max(*pattern, lhs->pattern);
        *pattern = Max(*pattern, rhs->pattern);
        lhs = lhs->parent;
        rhs = rhs->parent;
      }
    }
    return lhs;
  }

  static DominatorTree PostDom(const DataflowGraph& graph) {
    DominatorTree tree;
    size_t n = graph.post_dfs_order.size();
    tree.nodes.resize(n, nullptr);
    for (size_t i = n; i != 0; --i) {
      GraphNode* gnode = graph.post_dfs_order[i - 1];
      tree.storage.emplace_back();
      Node* tnode = &tree.storage.back();
      tnode->gnode = gnode;
      if (gnode->extern_ref) {
        tnode->depth = 1;
        tnode->parent = nullptr;
        tnode->pattern = kOpaque;
      } else {
        OpPatternKind pattern = kElemWise;
        Node* parent = nullptr;
        for (size_t k = 0; k < gnode->outputs.size(); ++k) {
          const Edge& e = gnode->outputs[k];
          Node* onode = tree.nodes[e.node->index];
          TVM_CHECK(onode != nullptr, "InternalError") << "FuseOps: a consumer precedes its input in post order";
          parent = k == 0 ? onode : LeastCommonAncestor(parent, onode, &pattern);
          pattern = Max(pattern, e.pattern);
        }
        tnode->depth = parent ? parent->depth + 1 : 1;
        tnode->parent = parent;
        tnode->pattern = pattern;
      }
      tree.nodes[i - 1] = tnode;
    }
    return tree;
  }
};

// ----------------------------------------------------------------- partition

/*! \brief A fused group: a union-find set over the graph's nodes. */
struct Group {
  Group* parent{nullptr};
  OpPatternKind pattern{kOpaque};
  /*! \brief The node whose value the group returns. */
  const Object* root_ref{nullptr};
  /*! \brief The out-elementwise-fusable op of the group, if any (at most one). */
  const Object* anchor_ref{nullptr};
  uint32_t num_nodes{1};
  /*! \brief Kernel arguments counted for targets that limit them (max_function_args). */
  size_t args_num{0};

  Group* FindRoot() {
    Group* root = this;
    while (root->parent != nullptr) root = root->parent;
    for (Group* p = this; p != root;) {
      Group* next = p->parent;
      p->parent = root;
      p = next;
    }
    return root;
  }
};

OpPatternKind CombinePattern(OpPatternKind lhs, OpPatternKind rhs) {
  TVM_CHECK(!(lhs > kBroadcast && rhs > kBroadcast), "InternalError")
      << "FuseOps: two groups with complex ops (patterns " << lhs << " and " << rhs << ") cannot merge";
  return lhs > rhs ? lhs : rhs;
}

class GraphPartitioner {
 public:
  /*! \param storage where the groups live (they outlive the partitioner). */
  GraphPartitioner(std::deque<Group>* storage, int opt_level, size_t max_fuse_depth, size_t max_function_args)
      : storage_(*storage),
        opt_level_(opt_level),
        max_fuse_depth_(max_fuse_depth),
        max_function_args_(max_function_args) {}

  /*! \brief The group of each node (by post-order index; follow FindRoot). */
  std::vector<Group*> Partition(const DataflowGraph& graph) {
    InitGroups(graph);
    if (opt_level_ == 0) return groups_;
    DominatorTree post_dom = DominatorTree::PostDom(graph);
    for (int phase = 0; phase < 3; ++phase) RunFuse(graph, post_dom, phase);
    return groups_;
  }

 private:
  std::deque<Group>& storage_;
  int opt_level_;
  size_t max_fuse_depth_;
  size_t max_function_args_;
  std::vector<Group*> groups_;
  std::unordered_set<const GraphNode*> visited_;
  std::vector<GraphNode*> stack_;
  // Fusions put off until the node named as key is processed (argument limits).
  std::multimap<const GraphNode*, GraphNode*> postponed_;
  const GraphNode* postpone_node_{nullptr};

  /*! \brief Every node reachable from src's consumers, stopping at sink (included): fvisit(node) false stops. */
  template <typename F>
  bool ForEachOnPaths(GraphNode* src, GraphNode* sink, bool include_src, F fvisit) {
    visited_.clear();
    stack_.clear();
    if (include_src) {
      stack_.push_back(src);
    } else {
      for (const Edge& e : src->outputs) stack_.push_back(e.node);
    }
    while (!stack_.empty()) {
      GraphNode* n = stack_.back();
      stack_.pop_back();
      if (!visited_.insert(n).second) continue;
      if (!fvisit(n)) return false;
      if (n == sink) continue;
      for (const Edge& e : n->outputs) stack_.push_back(e.node);
    }
    return true;
  }

  /*! \brief Whether every node on the paths from src to sink satisfies fcond(group pattern, is_sink). */
  template <typename F>
  bool CheckPath(GraphNode* src, GraphNode* sink, F fcond) {
    return ForEachOnPaths(src, sink, false, [&](GraphNode* n) {
      return fcond(groups_[n->index]->FindRoot()->pattern, n == sink);
    });
  }

  void MergeFromTo(Group* child, Group* parent) {
    child = child->FindRoot();
    parent = parent->FindRoot();
    if (child == parent) return;
    parent->num_nodes += child->num_nodes;
    parent->args_num += child->args_num;
    child->parent = parent;
    if (child->anchor_ref != nullptr) {
      TVM_CHECK(parent->anchor_ref == nullptr, "InternalError") << "FuseOps: a group would get two anchor ops";
      parent->anchor_ref = child->anchor_ref;
      parent->pattern = CombinePattern(child->pattern, parent->pattern);
    }
  }

  /*! \brief Merge src and every node between it and sink into sink's group. */
  void CommitFuse(GraphNode* src, GraphNode* sink) {
    if (postpone_node_ != nullptr) {
      postponed_.insert({postpone_node_, src});
      return;
    }
    Group* target = groups_[sink->index];
    ForEachOnPaths(src, sink, true, [&](GraphNode* n) {
      if (n != sink) MergeFromTo(groups_[n->index], target);
      return true;
    });
  }

  /*! \brief How many nodes sink's group would hold with child and the nodes between. */
  size_t CountFusedNodesWithNewChild(GraphNode* child, GraphNode* sink) {
    size_t sum = groups_[sink->index]->FindRoot()->num_nodes;
    ForEachOnPaths(child, sink, true, [&](GraphNode* n) {
      if (n != sink) sum += groups_[n->index]->num_nodes;
      return true;
    });
    return sum;
  }

  // ---- kernel argument limits (targets with max_function_args) ----

  /*! \brief Extra kernel arguments of a dynamic tensor: its Any dimensions (and strides). */
  static size_t CountAdditionalArgs(const TensorTypeNode* ttype, bool with_strides = true) {
    size_t any_dims = 0;
    for (const PrimExpr& d : ttype->shape) {
      if (d.as<tir::AnyNode>()) ++any_dims;
    }
    if (with_strides && any_dims > 0) any_dims += ttype->shape.size();
    return any_dims;
  }

  static Array<Expr> InputsOf(const Object* ref) {
    if (const auto* call = AsNode<CallNode>(ref)) return call->args;
    if (const auto* tuple = AsNode<TupleNode>(ref)) return tuple->fields;
    return {};
  }

  /*!
   * \brief The arguments src's group would take with the groups of its inputs.
   *  With update_postpone, an input group not yet counted postpones the
   *  fusion instead of being counted (its own inputs are unknown yet).
   */
  size_t CountArgs(GraphNode* src, const DataflowGraph& graph, bool update_postpone = true) {
    // An explicit stack of frames (each with the groups it has counted) instead of recursion.
    struct Frame {
      GraphNode* node;
      Array<Expr> inputs;
      size_t next{0};
      size_t sum{0};
      std::unordered_set<Group*> seen;
    };
    std::vector<Frame> frames;
    auto push = [&](GraphNode* n) {
      Frame f;
      f.node = n;
      f.inputs = InputsOf(n->ref);
      f.sum = groups_[n->index]->args_num;
      f.seen.insert(groups_[n->index]->FindRoot());
      frames.push_back(std::move(f));
    };
    push(src);
    size_t result = 0;
    while (!frames.empty()) {
      Frame& f = frames.back();
      if (f.next == f.inputs.size()) {
        size_t sum = f.sum;
        frames.pop_back();
        if (frames.empty()) {
          result = sum;
        } else {
          frames.back().sum += sum;
        }
        continue;
      }
      const Expr& arg = f.inputs[f.next++];
      if (arg.as<VarNode>()) continue;
      auto it = graph.node_map.find(arg.get());
      if (it == graph.node_map.end() || it->second->ref == nullptr) continue;
      GraphNode* node = it->second;
      Group* prev = groups_[node->index]->FindRoot();
      if (!f.seen.insert(prev).second) continue;
      if (prev->args_num > 0) {
        f.sum += prev->args_num;
      } else if (update_postpone) {
        postpone_node_ = src;
      } else {
        push(node);
      }
    }
    return result;
  }

  size_t CountArgsLimit(const GraphNode* child) {
    size_t output_args = 0;
    for (const Edge& e : child->outputs) {
      ++output_args;
      if (const auto* call = AsNode<CallNode>(e.node->ref)) {
        if (const auto* ttype = call->checked_type_.as<TensorTypeNode>()) {
          output_args += CountAdditionalArgs(ttype, false);
        }
      }
    }
    return max_function_args_ > output_args ? max_function_args_ - output_args : 0;
  }

  size_t CountFusedArgs(const DataflowGraph& graph, GraphNode* child) {
    size_t args_num = 0;
    for (const Edge& e : child->outputs) args_num = std::max(args_num, CountArgs(e.node, graph));
    return args_num;
  }

  void InitGroups(const DataflowGraph& graph) {
    auto count_input = [](const Expr& e) -> size_t {
      if (!e.as<VarNode>() && !e.as<TupleGetItemNode>()) return 0;
      size_t n = 1;
      if (const auto* ttype = e->checked_type_.as<TensorTypeNode>()) n += CountAdditionalArgs(ttype);
      return n;
    };
    groups_.resize(graph.post_dfs_order.size());
    for (size_t nid = 0; nid < groups_.size(); ++nid) {
      const GraphNode* gnode = graph.post_dfs_order[nid];
      storage_.emplace_back();
      Group* group = &storage_.back();
      group->pattern = gnode->pattern;
      group->root_ref = gnode->ref;
      if (group->pattern == kOutEWiseFusable) group->anchor_ref = gnode->ref;
      if (const auto* var = AsNode<VarNode>(gnode->ref)) {
        group->args_num = count_input(GetRef<Expr>(var));
      } else {
        for (const Expr& in : InputsOf(gnode->ref)) group->args_num += count_input(in);
      }
      groups_[nid] = group;
    }
  }

  void RunFuse(const DataflowGraph& graph, const DominatorTree& post_dom, int phase) {
    for (size_t nid = 0; nid < groups_.size(); ++nid) {
      GraphNode* gnode = graph.post_dfs_order[nid];
      DominatorTree::Node* dom_node = post_dom.nodes[nid];
      Group* group = groups_[nid];
      postpone_node_ = nullptr;
      // Fusions postponed until this node's inputs were grouped.
      auto range = postponed_.equal_range(gnode);
      if (range.first != range.second) {
        std::vector<GraphNode*> sources;
        for (auto it = range.first; it != range.second; ++it) sources.push_back(it->second);
        postponed_.erase(gnode);
        for (GraphNode* src : sources) {
          if (CountArgs(gnode, graph, false) <= CountArgsLimit(gnode)) {
            GraphNode* sink = post_dom.nodes[src->index]->parent->gnode;
            if (groups_[sink->index]->anchor_ref != nullptr) continue;
            CommitFuse(src, sink);
          }
        }
      }
      if (group->pattern == kOpaque) continue;
      if (dom_node->parent == nullptr) continue;
      GraphNode* sink = dom_node->parent->gnode;
      if (CountFusedNodesWithNewChild(gnode, sink) > max_fuse_depth_) continue;
      if (max_function_args_ > 0) {
        size_t limit = CountArgsLimit(gnode);
        if (limit > 0 && CountFusedArgs(graph, gnode) > limit) continue;
      }
      Group* sink_group = groups_[sink->index];

      if (phase == 2) {
        // Injective ops into a tuple already fused into the injective ops after it.
        if (group->pattern > kInjective) continue;
        Group* sink_root = sink_group->FindRoot();
        if (sink_root->pattern == kTuple) continue;
        if (sink_group->pattern == kTuple && sink_root->pattern <= kInjective) {
          auto fcond = [](OpPatternKind kind, bool) { return kind <= kInjective; };
          if (CheckPath(gnode, sink, fcond)) CommitFuse(gnode, sink);
        }
        continue;
      }
      if (group->FindRoot() == sink_group->FindRoot()) continue;
      if (sink_group->pattern == kTuple) continue;
      if (group->pattern == kOutEWiseFusable) {
        // conv2d and the like take the elementwise ops after them, in phase 0.
        if (phase != 0) continue;
        if (dom_node->pattern == kElemWise) {
          auto fcond = [](OpPatternKind kind, bool) { return kind <= kBroadcast; };
          if (CheckPath(gnode, sink, fcond)) CommitFuse(gnode, sink);
        }
      } else if (group->pattern <= kBroadcast) {
        if (dom_node->pattern <= kInjective || dom_node->pattern == kCommReduce) {
          // Injective ops may sit on parallel branches; the sink may be a reduction or an anchor's group.
          auto fcond = [](OpPatternKind kind, bool is_sink) {
            if (!is_sink) return kind <= kInjective;
            return kind <= kBroadcast || kind == kCommReduce || kind == kInjective || kind == kOutEWiseFusable;
          };
          if (CheckPath(gnode, sink, fcond)) CommitFuse(gnode, sink);
        }
      } else if (group->pattern == kInjective || group->pattern == kTuple) {
        // After phase 0, so that anchors have taken their elementwise ops first.
        if (phase != 1) continue;
        auto fcond = [](OpPatternKind kind, bool) { return kind <= kInjective; };
        if (CheckPath(gnode, sink, fcond)) CommitFuse(gnode, sink);
      }
      // A reduction does not move into a later group (its inputs join it instead).
    }
  }
};

// ------------------------------------------------------------------- rewrite

class FuseMutator : private MixedModeMutator {
 public:
  FuseMutator(int opt_level, size_t max_fuse_depth, size_t max_function_args, bool link_params)
      : opt_level_(opt_level),
        max_fuse_depth_(max_fuse_depth),
        max_function_args_(max_function_args),
        link_params_(link_params) {}

  Expr Transform(const Expr& body) {
    DataflowGraph graph = GraphBuilder::Build(body);
    std::vector<Group*> groups =
        GraphPartitioner(&group_storage_, opt_level_, max_fuse_depth_, max_function_args_).Partition(graph);
    for (size_t nid = 0; nid < graph.post_dfs_order.size(); ++nid) {
      gmap_[graph.post_dfs_order[nid]->ref] = groups[nid];
    }
    return Mutate(body);
  }

 private:
  using MixedModeMutator::VisitExpr_;

  struct GroupInfo {
    Array<Var> params;
    Array<Expr> arguments;
    /*! \brief The parameter standing for `expr` (new ones named p0, p1, ... in order of first use). */
    Var GetOrAllocParam(const Expr& expr, const Type& type) {
      for (size_t i = 0; i < arguments.size(); ++i) {
        if (expr.same_as(arguments[i])) return params[i];
      }
      Var var("p" + std::to_string(params.size()), type);
      params.push_back(var);
      arguments.push_back(expr);
      return var;
    }
  };

  int opt_level_;
  size_t max_fuse_depth_;
  size_t max_function_args_;
  bool link_params_;
  std::deque<Group> group_storage_;
  std::unordered_map<const Object*, Group*> gmap_;
  std::unordered_map<Group*, GroupInfo> ginfo_;

  Group* GroupOf(const Object* node) {
    auto it = gmap_.find(node);
    return it == gmap_.end() ? nullptr : it->second->FindRoot();
  }

  Expr VisitExpr_(const FunctionNode* fn) final {
    // Already fused (or another compiler's): left as it is.
    if (fn->attrs.HasNonzeroAttr(attr::kPrimitive) || fn->attrs.HasNonzeroAttr(attr::kCompiler)) {
      return GetRef<Expr>(fn);
    }
    return ExprMutator::VisitExpr_(fn);
  }

  Expr Rewrite_(const CallNode* call, const Expr& post) final {
    const auto* op = call->op.as<OpNode>();
    if (op == nullptr) return post;
    static const auto fnoncomputational = Op::GetAttrMap<TNonComputational>("TNonComputational");
    static const Op& stop_fusion = Op::Get("annotation.stop_fusion");
    Op op_ref = GetRef<Op>(op);
    // shape_of and the like compute nothing a kernel would: they stay plain calls.
    if (fnoncomputational.get(op_ref, false)) return post;
    if (op_ref.same_as(stop_fusion)) return Mutate(call->args[0]);
    Group* group = GroupOf(call);
    TVM_CHECK(group != nullptr, "InternalError") << "FuseOps: a call to " << op->name << " has no group";
    Array<Expr> new_args = GetNewArguments(call->args, group);
    Call new_call(call->op, new_args, call->attrs, call->type_args, call->span);
    if (group->root_ref == call) return MakeNewFunction(group, call->checked_type_, new_call);
    return new_call;
  }

  Expr Rewrite_(const TupleNode* tuple, const Expr& post) final {
    Group* group = GroupOf(tuple);
    if (group == nullptr || group->root_ref == tuple) return post;
    // Inside a group: fields from elsewhere become parameters.
    return Tuple(GetNewArguments(tuple->fields, group), tuple->span);
  }

  Expr Rewrite_(const TupleGetItemNode* get, const Expr& post) final {
    Group* group = GroupOf(get);
    if (group == nullptr) return post;
    Group* tuple_group = GroupOf(get->tuple.get());
    if (group->root_ref == get && tuple_group != group) {
      // A projection alone (of an opaque op's tuple): nothing to fuse it with.
      return post;
    }
    Expr new_tuple = GetNewArguments({get->tuple}, group)[0];
    TupleGetItem new_get(new_tuple, get->index, get->span);
    if (group->root_ref == get) return MakeNewFunction(group, get->checked_type_, new_get);
    return new_get;
  }

  Expr MakeNewFunction(Group* group, const Type& ret_type, const Expr& body) {
    // Primitive=1 when the group computes something (a call); reshape-only groups are marked for the planner.
    bool has_call = false;
    bool reshape_only = true;
    bool have_reshape_attr = Op::HasAttrMap("TReshapeOp");
    PostOrderVisit(body, [&](const Expr& e) {
      if (const auto* call = e.as<CallNode>()) {
        has_call = true;
        const auto* op = call->op.as<OpNode>();
        if (op == nullptr || !have_reshape_attr || !Op::GetAttrMap<bool>("TReshapeOp").get(GetRef<Op>(op), false)) {
          reshape_only = false;
        }
      } else if (const auto* var = e.as<VarNode>()) {
        if (!var->type_annotation.defined() || !var->type_annotation.as<TensorTypeNode>()) reshape_only = false;
      }
    });
    const GroupInfo& info = ginfo_[group];
    Function func(info.params, body, ret_type);
    func = WithAttr(std::move(func), attr::kPrimitive, Integer(has_call ? 1 : 0));
    if (has_call && reshape_only) func = WithAttr(std::move(func), "relay.reshape_only", Integer(1));
    return Call(func, info.arguments);
  }

  Array<Expr> GetNewArguments(const Array<Expr>& args, Group* current) {
    Array<Expr> new_args;
    for (const Expr& arg : args) {
      Group* arg_group = GroupOf(arg.get());
      Expr new_arg = Mutate(arg);
      if (arg_group != current && !(link_params_ && new_arg.as<ConstantNode>())) {
        new_args.push_back(ginfo_[current].GetOrAllocParam(new_arg, TypeOf(arg)));
      } else {
        new_args.push_back(new_arg);
      }
    }
    return new_args;
  }
};

}  // namespace

/*! \brief Fuse the operator calls of `expr` (see the file comment). */
Expr FuseOps(const Expr& expr, int fuse_opt_level, size_t max_fuse_depth, size_t max_function_args,
             bool link_params) {
  return FuseMutator(fuse_opt_level, max_fuse_depth, max_function_args, link_params).Transform(expr);
}

namespace transform {

Pass FuseOps(int fuse_opt_level) {
  auto pass_func = [fuse_opt_level](Function f, IRModule mod, PassContext ctx) -> Function {
    int opt_level = fuse_opt_level == -1 ? ctx->opt_level : fuse_opt_level;
    int64_t max_depth = ctx->GetConfig<IntImm>("relay.FuseOps.max_depth", IntImm(DataType::Int(32), kDefaultMaxFusedOps))
                            .value()
                            ->value;
    TVM_CHECK(max_depth > 0, "ValueError")
        << "PassContext config relay.FuseOps.max_depth must be positive, got " << max_depth;
    bool link_params =
        ctx->GetConfig<IntImm>("relay.FuseOps.link_params", IntImm(DataType::Bool(), 0)).value()->value != 0;
    size_t max_function_args = 0;
    Target target = Target::Current();
    if (target.defined()) {
      std::optional<Integer> limit = target->GetAttr<Integer>("max_function_args");
      if (limit.has_value() && limit->defined() && (*limit)->value > 0) max_function_args = (*limit)->value;
    }
    TypeOf(f->body);  // untyped input: a clear error before any work
    return Downcast<Function>(
        relay::FuseOps(f, opt_level, static_cast<size_t>(max_depth), max_function_args, link_params));
  };
  return CreateFunctionPass(pass_func, 0, "FuseOps", {"InferType"});
}

TVM_REGISTER_GLOBAL("relay._transform.FuseOps").set_body_typed([](int fuse_opt_level) {
  return FuseOps(fuse_opt_level);
});

// For tests: every knob given directly, including the kernel argument limit that
// otherwise comes from the target (max_function_args), on a typed expression.
TVM_REGISTER_GLOBAL("testing.relay.FuseOpsWithLimits")
    .set_body_typed([](Expr expr, int opt_level, int max_depth, int max_function_args, bool link_params) {
      TVM_CHECK(max_depth > 0 && max_function_args >= 0, "ValueError")
          << "FuseOpsWithLimits: max_depth must be positive and max_function_args non-negative";
      TypeOf(expr);
      return relay::FuseOps(expr, opt_level, max_depth, max_function_args, link_params);
    });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
