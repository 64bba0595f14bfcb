/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file inject_virtual_thread.cc
 * \brief InjectVirtualThread: run the virtual threads of an AttrStmt
 *  "virtual_thread" (te bind to "vthread" or "cthread") one after another
 *  inside one real thread.
 *
 * Assumes: flat buffers (after StorageFlatten); the AttrStmt's node is the
 *  IterVar of the virtual thread and its value the (constant) number of
 *  virtual threads.
 *
 * Guarantees: the AttrStmt is gone and the virtual thread variable vt no
 *  longer appears. Allocations inside the scope that a virtual thread
 *  writes depending on vt ("vthread"), or all of them ("cthread", which
 *  shares nothing), get one copy per virtual thread (a buffer an opaque call
 *  writes through tvm_access_ptr depends on vt when the call reads anything
 *  that does): their size is
 *  multiplied by the thread count and each access is offset by vt * size.
 *  The copies of the work are interleaved as deep as possible: loops whose
 *  bounds and ifs whose conditions do not depend on vt are kept once and the statements inside are
 *  duplicated with vt = 0, 1, ... (unrolled when there are fewer than 16
 *  threads and no loop inside, otherwise a serial loop over vt).
 *  Statements that do not depend on vt run once.
 *
 *   before:  vt = T.launch_thread("vthread", 2)       after:  for i in range(4):
 *            for i in range(4):                                B[i * 2] = A[i * 2]
 *                B[i * 2 + vt] = A[i * 2 + vt]                  B[i * 2 + 1] = A[i * 2 + 1]
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <unordered_map>
#include <unordered_set>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

using VarSet = std::unordered_set<const VarNode*>;

/*! \brief The variables (including buffer data) whose values depend on the thread variable. */
VarSet TouchedVars(const Stmt& body, const Var& var) {
  VarSet touched{var.get()};
  auto uses = [&](const ObjectRef& n) {
    return UsesVar(n, [&](const VarNode* v) { return touched.count(v) != 0; });
  };
  for (bool changed = true; changed;) {
    changed = false;
    PostOrderVisit(body, [&](const ObjectRef& n) {
      const VarNode* def = nullptr;
      bool dep = false;
      if (const auto* let = n.as<LetStmtNode>()) {
        def = let->var.get();
        dep = uses(let->value);
      } else if (const auto* let = n.as<LetNode>()) {
        def = let->var.get();
        dep = uses(let->value);
      } else if (const auto* store = n.as<BufferStoreNode>()) {
        def = store->buffer->data.get();
        dep = uses(store->value) || uses(store->indices);
      } else if (const auto* loop = n.as<ForNode>()) {
        def = loop->loop_var.get();
        dep = uses(loop->min) || uses(loop->extent);
      }
      if (def != nullptr && dep && touched.insert(def).second) changed = true;
      // A call writing buffers through tvm_access_ptr (mask bit 2), e.g. an extern
      // kernel: what it writes depends on everything it reads.
      if (const auto* eval = n.as<EvaluateNode>()) {
        if (!uses(eval->value)) return;
        PostOrderVisit(eval->value, [&](const ObjectRef& m) {
          const auto* call = m.as<CallNode>();
          if (call == nullptr || !call->op.same_as(builtin::tvm_access_ptr()) || call->args.size() < 5) return;
          auto mask = as_const_int(call->args[4]);
          const auto* written = call->args[1].as<VarNode>();
          if (mask.has_value() && (*mask & 2) && written != nullptr && touched.insert(written).second) {
            changed = true;
          }
        });
      }
    });
  }
  return touched;
}

/*! \brief Gives each expanded allocation one slice per virtual thread. */
class AllocationExpander : public StmtExprMutator {
 public:
  AllocationExpander(const Var& var, int num_threads, bool allow_share, const VarSet& touched)
      : var_(var), num_threads_(num_threads), allow_share_(allow_share), touched_(touched) {}

  VarSet expanded;

 protected:
  Stmt VisitStmt_(const AllocateNode* op) final {
    bool expand = !allow_share_ || touched_.count(op->buffer_var.get());
    if (!expand) return StmtExprMutator::VisitStmt_(op);
    PrimExpr size = make_const(DataType::Int(32), 1);
    for (const PrimExpr& e : op->extents) size = mul(size, e);
    stride_[op->buffer_var.get()] = size;
    expanded.insert(op->buffer_var.get());
    Stmt body = VisitStmt(op->body);
    PrimExpr total = mul(size, make_const(size.dtype(), num_threads_));
    return Allocate(op->buffer_var, op->dtype, {total}, op->condition, body, op->annotations);
  }

  Buffer Widen(const Buffer& b) {
    auto it = buffers_.find(b.get());
    if (it != buffers_.end()) return it->second;
    PrimExpr size = stride_.at(b->data.get());
    Buffer out = FlatBufferOver(b->data, b->dtype, mul(size, make_const(size.dtype(), num_threads_)), b->name);
    buffers_[b.get()] = out;
    return out;
  }

  PrimExpr Offset(const PrimExpr& index, const PrimExpr& stride) {
    PrimExpr shift = mul(cast(stride.dtype(), var_), stride);
    // A contiguous vector access stays one ramp, moved by the offset.
    if (const auto* ramp = index.as<RampNode>()) {
      return Ramp(add(ramp->base, cast(ramp->base.dtype(), shift)), ramp->stride, ramp->lanes);
    }
    if (index.dtype().lanes() > 1) shift = Broadcast(shift, index.dtype().lanes());
    return add(index, shift);
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<BufferLoadNode>();
    auto it = stride_.find(op->buffer->data.get());
    if (it == stride_.end()) return e;
    auto n = make_object<BufferLoadNode>(*op);
    n->buffer = Widen(op->buffer);
    n->indices = {Offset(op->indices.back(), it->second)};
    return PrimExpr(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    op = s.as<BufferStoreNode>();
    auto it = stride_.find(op->buffer->data.get());
    if (it == stride_.end()) return s;
    return BufferStore(Widen(op->buffer), op->value, {Offset(op->indices.back(), it->second)});
  }

  PrimExpr VisitExpr_(const CallNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<CallNode>();
    if (op->op.same_as(builtin::tvm_access_ptr()) && op->args.size() == 5) {
      if (const auto* data = op->args[1].as<VarNode>()) {
        auto it = stride_.find(data);
        if (it != stride_.end()) {
          Array<PrimExpr> args = op->args;
          args.Set(2, add(args[2], mul(cast(it->second.dtype(), var_), it->second)));
          return Call(op->dtype, op->op, args);
        }
      }
    }
    return e;
  }

 private:
  Var var_;
  int num_threads_;
  bool allow_share_;
  const VarSet& touched_;
  std::unordered_map<const VarNode*, PrimExpr> stride_;
  std::unordered_map<const Object*, Buffer> buffers_;
};

/*! \brief Duplicates the statements that depend on the thread, as deep inside loops as possible. */
class Interleaver {
 public:
  Interleaver(const Var& var, int num_threads, VarSet dependent)
      : var_(var), num_threads_(num_threads), dependent_(std::move(dependent)) {}

  Stmt Inject(const Stmt& s) {
    if (!Depends(s)) return s;
    if (const auto* seq = s.as<SeqStmtNode>()) {
      std::vector<Stmt> out;
      for (const Stmt& x : seq->seq) out.push_back(Inject(x));
      return SeqStmt::Flatten(out);
    }
    if (const auto* loop = s.as<ForNode>()) {
      if (!Depends(loop->min) && !Depends(loop->extent) && loop->kind != ForKind::kParallel) {
        auto n = make_object<ForNode>(*loop);
        n->body = Inject(loop->body);
        return Stmt(ObjectPtr<Object>(std::move(n)));
      }
    }
    if (const auto* a = s.as<AttrStmtNode>()) {
      if (!a->value.defined() || !Depends(a->value)) return AttrStmt(a->node, a->attr_key, a->value, Inject(a->body));
    }
    if (const auto* a = s.as<AllocateNode>()) {
      bool dep = false;
      for (const PrimExpr& e : a->extents) dep = dep || Depends(e);
      if (!dep) return Allocate(a->buffer_var, a->dtype, a->extents, a->condition, Inject(a->body), a->annotations);
    }
    if (const auto* let = s.as<LetStmtNode>()) {
      if (!Depends(let->value)) return LetStmt(let->var, let->value, Inject(let->body));
    }
    if (const auto* branch = s.as<IfThenElseNode>()) {
      if (!Depends(branch->condition)) {
        Stmt else_case = branch->else_case.defined() ? Inject(branch->else_case) : Stmt();
        return IfThenElse(branch->condition, Inject(branch->then_case), else_case);
      }
    }
    return Duplicate(s);
  }

 private:
  bool Depends(const ObjectRef& n) const {
    return UsesVar(n, [this](const VarNode* v) { return dependent_.count(v) != 0; });
  }

  Stmt Duplicate(const Stmt& s) {
    bool has_loop = false;
    PreOrderVisit(s, [&](const ObjectRef& n) {
      if (n.as<ForNode>() || n.as<WhileNode>()) has_loop = true;
      return !has_loop && !n.as<PrimExprNode>();
    });
    if (num_threads_ < 16 && !has_loop) {
      std::vector<Stmt> copies;
      for (int i = 0; i < num_threads_; ++i) {
        PrimExpr value = make_const(var_.dtype(), i);
        copies.push_back(Substitute(s, [&](const Var& v) -> std::optional<PrimExpr> {
          if (v.same_as(var_)) return value;
          return std::nullopt;
        }));
      }
      return SeqStmt::Flatten(copies);
    }
    Var idx(var_->name_hint + ".s", var_.dtype());
    Stmt body = Substitute(s, [&](const Var& v) -> std::optional<PrimExpr> {
      if (v.same_as(var_)) return PrimExpr(idx);
      return std::nullopt;
    });
    return For(idx, make_const(var_.dtype(), 0), make_const(var_.dtype(), num_threads_), ForKind::kSerial, body);
  }

  Var var_;
  int num_threads_;
  VarSet dependent_;
};

class VirtualThreadInjector : public StmtMutator {
 protected:
  Stmt VisitStmt_(const AttrStmtNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<AttrStmtNode>();
    if (op->attr_key != attr::virtual_thread) return s;
    const auto* iv = op->node.as<IterVarNode>();
    TVM_CHECK(iv != nullptr, "ValueError") << "virtual_thread expects an IterVar node";
    auto n = as_const_int(op->value);
    TVM_CHECK(n.has_value() && *n >= 1, "ValueError")
        << "InjectVirtualThread: virtual thread " << iv->var->name_hint << " needs a constant positive extent, got "
        << op->value;
    bool allow_share = iv->thread_tag == "vthread";
    VarSet touched = TouchedVars(op->body, iv->var);
    AllocationExpander expander(iv->var, static_cast<int>(*n), allow_share, touched);
    Stmt body = expander(op->body);
    VarSet dependent = touched;
    dependent.insert(expander.expanded.begin(), expander.expanded.end());
    return Interleaver(iv->var, static_cast<int>(*n), dependent).Inject(body);
  }
};

}  // namespace

namespace transform {

Pass InjectVirtualThread() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = VirtualThreadInjector()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.InjectVirtualThread", {});
}

TVM_REGISTER_GLOBAL("tir.transform.InjectVirtualThread").set_body_typed([]() { return InjectVirtualThread(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
