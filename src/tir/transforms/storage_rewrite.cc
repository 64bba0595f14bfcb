/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file storage_rewrite.cc
 * \brief StorageRewrite: place allocations at the top of their scope and let
 *  allocations whose lifetimes do not overlap share memory.
 *
 * Assumes: flat buffers (after StorageFlatten): each Allocate has one
 *  extent and its buffer variable is only used inside the Allocate's body.
 *
 * Guarantees: the allocations of an attach scope -- the function body, the
 *  body of a "thread_extent"/"virtual_thread" AttrStmt, or of a parallel
 *  loop (memory private to a thread stays inside it) -- move to the top of
 *  that scope, as one Allocate per storage slot. The lifetime of an
 *  allocation runs from its first to its last access in program order; an
 *  access inside a loop that is itself inside the allocation's scope keeps
 *  the allocation alive for the whole loop (values may flow between
 *  iterations). Allocations of the same storage scope and dtype with
 *  constant sizes and disjoint lifetimes share one slot, sized for the
 *  largest; accesses are renamed to the slot's variable. Allocations with a
 *  size that depends on variables of the scope, or with a condition, or of a
 *  variable allocated more than once (copies made by LoopPartition), stay
 *  where they are. The global "tir.analysis.calculate_allocated_bytes"
 *  reports the bytes allocated per storage scope.
 *
 *   before:  for i in range(4):                     after:  A = T.allocate([16], "float32", "global")
 *                A = T.allocate([16], ...)                  for i in range(4):
 *                A_1[j] = ...; out[i] = A_1[0]                  A_1[j] = ...; out[i] = A_1[0]
 *            for i in range(4):                             for i in range(4):
 *                B = T.allocate([8], ...)                       A_2[j] = ...; out2[i] = A_2[0]
 *                B_1[j] = ...; out2[i] = B_1[0]           (A_2 = T.Buffer((8,), data=A): B shares A)
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

struct AllocInfo {
  const AllocateNode* alloc = nullptr;
  /*! \brief The attach scope: its statement, or nullptr for the function body. */
  const Object* scope = nullptr;
  int64_t first = -1;
  int64_t last = -1;
  /*! \brief Index in the loop stack of the first loop inside the allocation. */
  size_t loop_depth = 0;
  bool movable = false;
  int64_t size = 0;
  int order = 0;
};

/*! \brief Program-order positions of accesses, and the attach scope of each allocation. */
class LifetimeFinder : public StmtExprVisitor {
 public:
  std::unordered_map<const VarNode*, AllocInfo> allocs;
  std::vector<const VarNode*> order;

 protected:
  struct LoopFrame {
    int64_t begin;
    std::vector<const VarNode*> extend;
  };

  void Touch(const VarNode* v) {
    auto it = allocs.find(v);
    if (it == allocs.end()) return;
    AllocInfo& info = it->second;
    int64_t at = pos_;
    if (loops_.size() > info.loop_depth) {
      LoopFrame& frame = loops_[info.loop_depth];
      at = frame.begin;
      frame.extend.push_back(v);
    }
    if (info.first < 0 || at < info.first) info.first = at;
    info.last = std::max(info.last, pos_);
  }

  void VisitExpr_(const VarNode* op) final { Touch(op); }
  void VisitExpr_(const BufferLoadNode* op) final {
    Touch(op->buffer->data.get());
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const BufferStoreNode* op) final {
    ++pos_;
    Touch(op->buffer->data.get());
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const EvaluateNode* op) final {
    ++pos_;
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const AttrStmtNode* op) final {
    if (const auto* v = op->node.as<VarNode>()) Touch(v);
    bool attach = op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread;
    if (attach) {
      // The thread variable is defined at the top of the new scope: sizes may use it.
      scopes_.push_back({op, {}});
      EnterLoop();
    }
    StmtExprVisitor::VisitStmt_(op);
    if (attach) {
      ExitLoop();
      scopes_.pop_back();
    }
  }
  void VisitStmt_(const ForNode* op) final {
    ++pos_;
    bool attach = op->kind == ForKind::kParallel;
    if (attach) {
      scopes_.push_back({op, {}});
    } else {
      scopes_.back().second.insert(op->loop_var.get());
    }
    EnterLoop();
    StmtExprVisitor::VisitStmt_(op);
    ExitLoop();
    if (attach) scopes_.pop_back();
  }
  void VisitStmt_(const WhileNode* op) final {
    ++pos_;
    EnterLoop();
    StmtExprVisitor::VisitStmt_(op);
    ExitLoop();
  }
  void VisitStmt_(const LetStmtNode* op) final {
    scopes_.back().second.insert(op->var.get());
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const AllocateNode* op) final {
    ++pos_;
    AllocInfo info;
    info.alloc = op;
    info.scope = scopes_.back().first;
    info.loop_depth = loops_.size();
    info.first = info.last = pos_;
    info.order = static_cast<int>(order.size());
    info.size = op->ConstantAllocationSize();
    // Movable to the scope's top when its size uses nothing defined inside the scope.
    bool depends = false;
    const auto& defined = scopes_.back().second;
    for (const PrimExpr& e : op->extents) {
      depends = depends || UsesVar(e, [&](const VarNode* v) { return defined.count(v) != 0; });
    }
    // A loop split into pieces (LoopPartition) repeats an Allocate of the same
    // variable in each piece: moving one of them would leave the others
    // shadowing it, so every copy stays where it is.
    auto prev = allocs.find(op->buffer_var.get());
    bool repeated = prev != allocs.end();
    if (repeated) prev->second.movable = false;
    info.movable = !repeated && !depends && is_one(op->condition) && op->extents.size() == 1;
    allocs[op->buffer_var.get()] = info;
    order.push_back(op->buffer_var.get());
    StmtExprVisitor::VisitStmt_(op);
  }

 private:
  void EnterLoop() { loops_.push_back({pos_, {}}); }
  void ExitLoop() {
    LoopFrame frame = std::move(loops_.back());
    loops_.pop_back();
    for (const VarNode* v : frame.extend) {
      AllocInfo& info = allocs[v];
      info.last = std::max(info.last, pos_);
    }
  }

  int64_t pos_ = 0;
  std::vector<LoopFrame> loops_;
  /*! \brief Attach scopes (the function body first) and the variables defined inside each. */
  std::vector<std::pair<const Object*, std::unordered_set<const VarNode*>>> scopes_{{nullptr, {}}};
};

struct Slot {
  Var var;
  DataType dtype;
  std::string scope;
  int64_t size = 0;
  int64_t free_after = -1;
  Map<String, ObjectRef> annotations;
};

class StorageRewriter : public StmtExprMutator {
 public:
  Stmt Run(const Stmt& body) {
    LifetimeFinder finder;
    finder(body);
    Plan(finder);
    if (remap_.empty() && moved_.empty()) return body;
    Stmt out = VisitStmt(body);
    return WrapSlots(nullptr, out);
  }

 protected:
  void Plan(const LifetimeFinder& finder) {
    // Group movable allocations by attach scope, in order of first use.
    std::map<int, const AllocInfo*> by_order;
    for (const auto& kv : finder.allocs) by_order[kv.second.order] = &kv.second;
    std::unordered_map<const Object*, std::vector<const AllocInfo*>> per_scope;
    std::vector<const Object*> scope_order;
    for (const auto& kv : by_order) {
      const AllocInfo* info = kv.second;
      if (!info->movable) continue;
      if (!per_scope.count(info->scope)) scope_order.push_back(info->scope);
      per_scope[info->scope].push_back(info);
    }
    for (const Object* scope : scope_order) {
      std::vector<const AllocInfo*> allocs = per_scope[scope];
      std::stable_sort(allocs.begin(), allocs.end(),
                       [](const AllocInfo* a, const AllocInfo* b) { return a->first < b->first; });
      std::vector<Slot>& slots = slots_[scope];
      for (const AllocInfo* info : allocs) {
        const AllocateNode* a = info->alloc;
        std::string sc = ScopeOfVar(a->buffer_var);
        Slot* best = nullptr;
        if (info->size > 0) {
          for (Slot& s : slots) {
            if (s.size <= 0 || s.free_after >= info->first || s.dtype != a->dtype || s.scope != sc) continue;
            // Prefer the smallest slot that fits, else the largest one (it grows the least).
            if (best == nullptr) {
              best = &s;
            } else if (s.size >= info->size) {
              if (best->size < info->size || s.size < best->size) best = &s;
            } else if (best->size < info->size && s.size > best->size) {
              best = &s;
            }
          }
        }
        if (best == nullptr) {
          Slot s;
          s.var = a->buffer_var;
          s.dtype = a->dtype;
          s.scope = sc;
          s.size = info->size;
          s.free_after = info->last;
          s.annotations = a->annotations;
          slots.push_back(s);
          extents_[a->buffer_var.get()] = a->extents[0];
        } else {
          best->size = std::max(best->size, info->size);
          best->free_after = info->last;
          remap_[a->buffer_var.get()] = best->var;
          extents_[best->var.get()] = make_const(a->extents[0].dtype(), best->size);
        }
        moved_.insert(a);
      }
    }
  }

  Stmt WrapSlots(const Object* scope, Stmt body) {
    auto it = slots_.find(scope);
    if (it == slots_.end()) return body;
    const std::vector<Slot>& slots = it->second;
    for (size_t i = slots.size(); i > 0; --i) {
      const Slot& s = slots[i - 1];
      body = Allocate(s.var, s.dtype, {extents_.at(s.var.get())}, const_true(), body, s.annotations);
    }
    return body;
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    if (moved_.count(op)) return VisitStmt(op->body);
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread) {
      Stmt body = WrapSlots(op, VisitStmt(op->body));
      if (body.same_as(op->body)) return GetRef<Stmt>(op);
      return AttrStmt(op->node, op->attr_key, op->value, body);
    }
    Stmt s = StmtExprMutator::VisitStmt_(op);
    if (const auto* v = op->node.as<VarNode>()) {
      auto it = remap_.find(v);
      if (it != remap_.end()) {
        const auto* a = s.as<AttrStmtNode>();
        return AttrStmt(it->second, a->attr_key, a->value, a->body);
      }
    }
    return s;
  }

  Stmt VisitStmt_(const ForNode* op) final {
    if (op->kind != ForKind::kParallel) return StmtExprMutator::VisitStmt_(op);
    Stmt body = WrapSlots(op, VisitStmt(op->body));
    if (body.same_as(op->body)) return GetRef<Stmt>(op);
    auto n = make_object<ForNode>(*op);
    n->body = body;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = remap_.find(op);
    return it == remap_.end() ? GetRef<PrimExpr>(op) : it->second;
  }

  Buffer RemapBuffer(const Buffer& b) {
    auto it = remap_.find(b->data.get());
    if (it == remap_.end()) return b;
    auto bit = buffers_.find(b.get());
    if (bit != buffers_.end()) return bit->second;
    Buffer out = b;
    out.CopyOnWrite()->data = it->second;
    buffers_[b.get()] = out;
    return out;
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<BufferLoadNode>();
    Buffer b = RemapBuffer(op->buffer);
    if (b.same_as(op->buffer)) return e;
    auto n = make_object<BufferLoadNode>(*op);
    n->buffer = b;
    return PrimExpr(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    op = s.as<BufferStoreNode>();
    Buffer b = RemapBuffer(op->buffer);
    if (b.same_as(op->buffer)) return s;
    return BufferStore(b, op->value, op->indices);
  }

 private:
  std::unordered_map<const Object*, std::vector<Slot>> slots_;
  std::unordered_map<const VarNode*, Var> remap_;
  std::unordered_map<const VarNode*, PrimExpr> extents_;
  std::unordered_set<const AllocateNode*> moved_;
  std::unordered_map<const Object*, Buffer> buffers_;
};

}  // namespace

namespace transform {

Pass StorageRewrite() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = StorageRewriter().Run(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.StorageRewrite", {});
}

TVM_REGISTER_GLOBAL("tir.transform.StorageRewrite").set_body_typed([]() { return StorageRewrite(); });

}  // namespace transform

/*! \brief Bytes of constant-size allocations per storage scope ("global", "shared", "local", ...). */
Map<String, Integer> CalculateAllocatedBytes(const PrimFunc& func) {
  std::map<std::string, int64_t> bytes;
  PostOrderVisit(func->body, [&](const ObjectRef& n) {
    if (const auto* a = n.as<AllocateNode>()) {
      int64_t count = a->ConstantAllocationSize();
      bytes[ScopeOfVar(a->buffer_var)] += count * a->dtype.bytes();
    }
  });
  Map<String, Integer> out;
  for (const auto& kv : bytes) out.Set(kv.first, Integer(IntImm(DataType::Int(64), kv.second)));
  return out;
}

TVM_REGISTER_GLOBAL("tir.analysis.calculate_allocated_bytes").set_body_typed([](ObjectRef obj) -> ObjectRef {
  if (const auto* f = obj.as<PrimFuncNode>()) return CalculateAllocatedBytes(GetRef<PrimFunc>(f));
  const auto* mod = obj.as<IRModuleNode>();
  TVM_CHECK(mod != nullptr, "TypeError") << "calculate_allocated_bytes expects a PrimFunc or an IRModule";
  Map<String, ObjectRef> out;
  for (const auto& kv : mod->functions) {
    if (const auto* f = kv.second.as<PrimFuncNode>()) {
      out.Set(kv.first->name_hint, CalculateAllocatedBytes(GetRef<PrimFunc>(f)));
    }
  }
  return out;
});

}  // namespace tir
}  // namespace tvm
