/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/schedule_ops.cc
 * \brief ScheduleOps: the loop nest of a whole schedule.
 *
 * Stages are visited consumers first. A stage at the root wraps everything
 * built so far (its consumers) as
 *
 *   realize T[bounds] scope         (ProducerRealize, storage_scope = the stage's scope)
 *     <the stage's loops>           (BuildProvide)
 *     <consumers>
 *
 * and a stage computed at a loop of another stage puts the same block
 * inside that loop, found by its loop_scope marker. A clean-up pass then
 * drops the markers, substitutes the values of trivial loops (LetStmts of
 * pure values), merges repeated launches of one thread axis and renames the
 * tensors of replaced operations (cache_write, rfactor) back to the tensors
 * the user holds.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

#include "../operation/op_utils.h"
#include "graph.h"
#include "transform_layout.h"

namespace tvm {
namespace te {

namespace {

Stmt MakePipeline(const Stage& s, const IterVarRangeMap& dom_map, Stmt consumer, bool debug_keep_trivial_loop) {
  Stmt producer = s->op->BuildProvide(s, dom_map, debug_keep_trivial_loop);
  if (!producer.defined()) producer = Evaluate(0);
  if (s->double_buffer) producer = AttrStmt(s->op, tir::attr::double_buffer_scope, 1, producer);
  Stmt pipeline = producer;
  if (consumer.defined() && !is_no_op(consumer)) pipeline = SeqStmt::Flatten(producer, consumer);
  // The scope travels in ProducerRealize::storage_scope (no "realize_scope" AttrStmt around it).
  return s->op->BuildRealize(s, dom_map, pipeline, s->scope);
}

/*!
 * \brief Put a stage's pipeline at the one AttrStmt `key` whose node is `node`: the
 *  loop_scope marker of the loop it is computed at, or a scan's init/update scope.
 */
class InjectAttach : public StmtMutator {
 public:
  InjectAttach(const Stage& stage, ObjectRef node, std::string key, const IterVarRangeMap& dom_map,
               bool debug_keep_trivial_loop)
      : stage_(stage),
        node_(std::move(node)),
        key_(std::move(key)),
        dom_map_(dom_map),
        debug_keep_trivial_loop_(debug_keep_trivial_loop) {}

  bool found{false};

  Stmt VisitStmt(const Stmt& input) final {
    Stmt stmt = StmtMutator::VisitStmt(input);
    const auto* op = stmt.as<AttrStmtNode>();
    if (op != nullptr && op->attr_key == key_ && op->node.same_as(node_)) {
      TVM_CHECK(!found, "InternalError") << "the attach point of stage " << StageName(stage_) << " appears twice";
      found = true;
      stmt = AttrStmt(op->node, op->attr_key, op->value, MakePipeline(stage_, dom_map_, op->body, debug_keep_trivial_loop_));
    }
    return stmt;
  }

 private:
  const Stage& stage_;
  ObjectRef node_;
  std::string key_;
  const IterVarRangeMap& dom_map_;
  bool debug_keep_trivial_loop_;
};

/*! \brief Whether evaluating e reads no memory and has no effect. */
bool IsPure(const PrimExpr& e) {
  bool pure = true;
  PostOrderVisit(e, [&pure](const ObjectRef& n) {
    if (n.as<ProducerLoadNode>() || n.as<BufferLoadNode>()) {
      pure = false;
    } else if (const auto* call = n.as<CallNode>()) {
      if (const auto* op = call->op.as<OpNode>()) {
        if (GetCallEffectKind(GetRef<Op>(op)) > CallEffectKind::kPure) pure = false;
      } else {
        pure = false;
      }
    }
  });
  return pure;
}

class SchedulePostProc : public StmtExprMutator {
 public:
  void Init(const Schedule& sch) {
    for (const Stage& s : sch->stages) {
      if (!s->op.defined() || s->op.same_as(s->origin_op)) continue;
      for (int i = 0; i < s->op->num_outputs(); ++i) {
        Tensor target = s->origin_op.output(i);
        replace_tensor_[s->op.output(i)] = target;
      }
      replace_op_[s->op.get()] = s->origin_op;
    }
    for (const Stage& s : sch->stages) {
      const auto* scan = s->op.as<ScanOpNode>();
      if (scan == nullptr) continue;
      // init, update and state are all the scan's output; only the scan's realize stays.
      for (size_t i = 0; i < scan->update.size(); ++i) {
        Tensor out = s->origin_op.output(static_cast<int>(i));
        for (const Tensor& t : {scan->init[i], scan->update[i], scan->state_placeholder[i]}) {
          replace_tensor_[t] = out;
          dropped_realize_.insert(t);
          dropped_op_.insert(t->op.get());
        }
      }
    }
  }

  using StmtExprMutator::operator();

 protected:
  Stmt VisitStmt_(const LetStmtNode* op) final {
    if (IsPure(op->value)) {
      var_value_[op->var.get()] = VisitExpr(op->value);
      return VisitStmt(op->body);
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    const std::string& key = op->attr_key;
    if (key == tir::attr::loop_scope || key == tir::attr::scan_init_scope) return VisitStmt(op->body);
    if (key == tir::attr::scan_update_scope) {
      // The body's stages read the scan's time axis: it is this step.
      const auto* scan = op->node.as<ScanOpNode>();
      ICHECK(scan != nullptr);
      var_value_[scan->scan_axis->var.get()] = VisitExpr(op->value);
      return VisitStmt(op->body);
    }
    if (key == tir::attr::double_buffer_scope && dropped_op_.count(op->node.get())) {
      return VisitStmt(op->body);
    }
    if (key == tir::attr::thread_extent) {
      // One launch per thread axis: a nested launch of the same axis is the same threads.
      auto it = thread_extent_.find(op->node.get());
      if (it != thread_extent_.end()) {
        arith::Analyzer analyzer;
        TVM_CHECK(analyzer.CanProveEqual(it->second, VisitExpr(op->value)), "ValueError")
            << "thread axis " << Downcast<IterVar>(op->node)->thread_tag
            << " is launched with two different extents, " << it->second << " and " << op->value;
        return VisitStmt(op->body);
      }
      PrimExpr value = VisitExpr(op->value);
      thread_extent_[op->node.get()] = value;
      Stmt body = VisitStmt(op->body);
      thread_extent_.erase(op->node.get());
      return AttrStmt(op->node, key, value, body);
    }
    if (key == tir::attr::double_buffer_scope) {
      auto it = replace_op_.find(op->node.get());
      if (it != replace_op_.end()) {
        return AttrStmt(it->second, key, VisitExpr(op->value), VisitStmt(op->body));
      }
    } else if (key == tir::attr::buffer_bind_scope) {
      Array<ObjectRef> tuple = Downcast<Array<ObjectRef>>(op->node);
      Tensor tensor = Downcast<Tensor>(tuple[1]);
      auto it = replace_tensor_.find(tensor);
      if (it != replace_tensor_.end()) {
        return AttrStmt(Array<ObjectRef>{tuple[0], it->second}, key, VisitExpr(op->value), VisitStmt(op->body));
      }
    } else if (key == tir::attr::buffer_dim_align || key == tir::attr::prefetch_scope) {
      if (const auto* t = op->node.as<TensorNode>()) {
        auto it = replace_tensor_.find(GetRef<Tensor>(t));
        if (it != replace_tensor_.end()) {
          return AttrStmt(it->second, key, VisitExpr(op->value), VisitStmt(op->body));
        }
      }
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const ProducerRealizeNode* op) final {
    Tensor t = Downcast<Tensor>(op->producer);
    if (dropped_realize_.count(t)) return VisitStmt(op->body);
    auto it = replace_tensor_.find(t);
    Stmt body = VisitStmt(op->body);
    Array<Range> bounds = VisitRanges(op->bounds);
    return ProducerRealize(it != replace_tensor_.end() ? it->second : t, bounds, op->condition, body,
                           op->storage_scope);
  }

  Stmt VisitStmt_(const ProducerStoreNode* op) final {
    Tensor t = Downcast<Tensor>(op->producer);
    auto it = replace_tensor_.find(t);
    PrimExpr value = VisitExpr(op->value);
    Array<PrimExpr> indices = VisitExprs(op->indices);
    return ProducerStore(it != replace_tensor_.end() ? it->second : t, value, indices);
  }

  PrimExpr VisitExpr_(const ProducerLoadNode* op) final {
    Tensor t = Downcast<Tensor>(op->producer);
    auto it = replace_tensor_.find(t);
    Array<PrimExpr> indices = VisitExprs(op->indices);
    if (it == replace_tensor_.end()) {
      if (indices.same_as(op->indices)) return GetRef<PrimExpr>(op);
      return ProducerLoad(t, indices);
    }
    return ProducerLoad(it->second, indices);
  }

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = var_value_.find(op);
    return it != var_value_.end() ? it->second : GetRef<PrimExpr>(op);
  }

 private:
  std::unordered_map<const VarNode*, PrimExpr> var_value_;
  std::unordered_map<const Object*, PrimExpr> thread_extent_;
  TensorReplaceMap replace_tensor_;
  std::unordered_map<const Object*, Operation> replace_op_;
  /*! \brief Tensors stored in another's buffer (a scan's init, update, state): no realize of their own. */
  std::unordered_set<Tensor, TensorHash, TensorEqual> dropped_realize_;
  std::unordered_set<const Object*> dropped_op_;
};

}  // namespace

Stmt ScheduleOps(Schedule sch, BoundMap dom_map_in, bool debug_keep_trivial_loop) {
  IterVarRangeMap dom_map;
  for (const auto& kv : dom_map_in) dom_map[kv.first] = kv.second;
  // A scan's init is computed before the scan's loop.
  std::unordered_map<const Object*, Operation> scan_of_init;
  for (const Stage& s : sch->stages) {
    const auto* scan = s->op.as<ScanOpNode>();
    if (scan == nullptr) continue;
    for (const Tensor& t : scan->init) {
      auto [it, inserted] = scan_of_init.emplace(t->op.get(), s->op);
      TVM_CHECK(inserted || it->second.same_as(s->op), "ValueError")
          << "stage " << t.op()->name << " is the init of two scans, " << it->second->name << " and " << s->op->name;
    }
  }
  Stmt body;
  auto inject = [&](const Stage& s, ObjectRef node, const char* key, const std::string& where) {
    TVM_CHECK(body.defined(), "ValueError") << "stage " << StageName(s) << " is computed " << where
                                            << ", which is not computed";
    InjectAttach injector(s, node, key, dom_map, debug_keep_trivial_loop);
    body = injector(body);
    TVM_CHECK(injector.found, "ValueError") << "stage " << StageName(s) << " is computed " << where
                                            << ", but that is not in the loop nest";
  };
  for (size_t i = sch->stages.size(); i != 0; --i) {
    Stage s = sch->stages[i - 1];
    TVM_CHECK(s->attach_type != kInline, "InternalError")
        << "ScheduleOps needs a normalized schedule (call schedule.normalize first)";
    if (s->op.as<PlaceholderOpNode>()) continue;
    Stage spec = s.GetAttachSpec();
    if (spec->attach_type == kInlinedAlready) continue;
    if (auto it = scan_of_init.find(s->op.get()); it != scan_of_init.end()) {
      inject(s, it->second, tir::attr::scan_init_scope, "as the init of scan " + it->second->name);
      continue;
    }
    if (spec->attach_type == kScanUpdate) {
      Stage scan = Downcast<Stage>(spec->attach_stage);
      inject(s, scan->op, tir::attr::scan_update_scope, "at each step of scan " + StageName(scan));
      continue;
    }
    if (spec->attach_type == kGroupRoot) {
      body = MakePipeline(s, dom_map, body, debug_keep_trivial_loop);
      continue;
    }
    TVM_CHECK(spec->attach_type == kScope, "InternalError") << "unsupported attachment of " << StageName(s);
    inject(s, spec->attach_ivar, tir::attr::loop_scope,
           "at axis " + AxisName(spec->attach_ivar) + " of stage " + StageName(Downcast<Stage>(spec->attach_stage)));
  }
  if (!body.defined()) body = Evaluate(0);
  SchedulePostProc post;
  post.Init(sch);
  return AttachLayoutTransforms(sch, post(body));
}

TVM_REGISTER_GLOBAL("schedule.ScheduleOps").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  TVM_CHECK(args.size() == 2 || args.size() == 3, "TypeError")
      << "ScheduleOps(schedule, bounds, debug_keep_trivial_loop=False) takes 2 or 3 arguments, got " << args.size();
  bool keep = args.size() == 3 ? args[2].AsType<bool>() : false;
  *rv = ScheduleOps(args[0].AsType<Schedule>(), args[1].AsType<BoundMap>(), keep);
});

}  // namespace te
}  // namespace tvm
