/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file inject_double_buffer.cc
 * \brief InjectDoubleBuffer: overlap producing the next tile with consuming
 *  the current one (te double_buffer).
 *
 * Assumes: flat buffers (after StorageFlatten): AttrStmt
 *  "double_buffer_scope" has the buffer's data variable as node and wraps
 *  the statement producing the buffer; it is inside a loop k (the innermost
 *  loop around it is the one double-buffered); the allocation of the buffer
 *  has a size S that does not depend on k.
 *
 * Guarantees: the allocation holds 2*S elements and is placed around the
 *  loop. Before the loop the producer runs for the first iteration into half
 *  0. The producer is the whole body of the "double_buffer_scope" attribute.
 *  In iteration k the consumer reads half (k - min) % 2 while the producer,
 *  wrapped in AttrStmt "double_buffer_write", writes the data of iteration
 *  k + 1 into the other half. With config "tir.InjectDoubleBuffer"
 *  {"split_loop": F}, F >= 1 (default 1), the first extent-1 iterations run
 *  unguarded, F copies per iteration of a loop "k.outer" (F == 1 keeps the
 *  loop k), and the remaining iterations follow, each guarded by its index
 *  < min + extent and its producer by k + 1 < min + extent (F == 1: the one
 *  remaining iteration, unguarded and without producer); with split_loop 0 the
 *  producer is guarded by k + 1 < min + extent instead. The
 *  "double_buffer_scope" attributes are removed; a DeclBuffer of the
 *  buffer is widened (and moved out with an allocation inside the loop).
 *
 *   before:  for k in range(4):                      after:  B = T.allocate([32], ...)
 *                B = T.allocate([16], ...)                   B_1[i] = A[0 * 16 + i]      # prologue
 *                with T.attr(B, "double_buffer_scope", 1):   for k in range(3):
 *                    B_1[i] = A[k * 16 + i]                      B_1[(k+1)%2*16 + i] = A[(k+1)*16 + i]
 *                C[k] = B_1[i]                                   C[k] = B_1[k%2*16 + i]
 *                                                            C[3] = B_1[3%2*16 + i]       # tail
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <unordered_map>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

struct DoubleBufferInfo {
  const ForNode* loop = nullptr;
  const AllocateNode* alloc = nullptr;
  bool alloc_inside_loop = false;
  Stmt producer;
  PrimExpr size;
  Buffer decl;  // DeclBuffer of an allocation inside the loop, widened
};

/*! \brief Finds each double-buffered variable's loop, allocation and producer. */
class DoubleBufferFinder : public StmtVisitor {
 public:
  std::unordered_map<const VarNode*, DoubleBufferInfo> info;

 protected:
  void VisitStmt_(const ForNode* op) final {
    loops_.push_back(op);
    StmtVisitor::VisitStmt_(op);
    loops_.pop_back();
  }
  void VisitStmt_(const AllocateNode* op) final {
    alloc_depth_[op->buffer_var.get()] = {op, loops_.size()};
    StmtVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::double_buffer_scope) {
      const auto* var = op->node.as<VarNode>();
      TVM_CHECK(var != nullptr, "ValueError") << "double_buffer_scope expects a buffer data variable as its node";
      TVM_CHECK(!loops_.empty(), "ValueError")
          << "InjectDoubleBuffer: the double buffered stage " << var->name_hint << " must be inside a loop";
      DoubleBufferInfo& d = info[var];
      d.loop = loops_.back();
      d.producer = op->body;
      auto it = alloc_depth_.find(var);
      TVM_CHECK(it != alloc_depth_.end(), "ValueError")
          << "InjectDoubleBuffer: no allocation of double buffered " << var->name_hint << " around its producer";
      d.alloc = it->second.first;
      d.alloc_inside_loop = it->second.second >= loops_.size();
      PrimExpr size = make_const(DataType::Int(32), 1);
      for (const PrimExpr& e : d.alloc->extents) size = mul(size, e);
      d.size = size;
    }
    StmtVisitor::VisitStmt_(op);
  }

 private:
  std::vector<const ForNode*> loops_;
  std::unordered_map<const VarNode*, std::pair<const AllocateNode*, size_t>> alloc_depth_;
};

class DoubleBufferInjector : public StmtExprMutator {
 public:
  DoubleBufferInjector(std::unordered_map<const VarNode*, DoubleBufferInfo> info, int64_t split_loop)
      : info_(std::move(info)), split_loop_(split_loop) {}

 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    std::vector<const VarNode*> mine;
    for (const auto& kv : info_) {
      if (kv.second.loop == op) mine.push_back(kv.first);
    }
    if (mine.empty()) return StmtExprMutator::VisitStmt_(op);
    // Which half each access uses: (k - min) % 2 in the loop; the producer sees k + 1.
    Var k = op->loop_var;
    PrimExpr parity = floormod(sub(k, op->min), make_const(k.dtype(), 2));
    for (const VarNode* v : mine) half_offset_[v] = mul(parity, info_[v].size);
    PrimExpr end = add(op->min, op->extent);

    std::vector<Stmt> prologue;
    for (const VarNode* v : mine) {
      producing_ = true;
      Stmt p = VisitStmt(info_[v].producer);
      producing_ = false;
      prologue.push_back(SubstituteVar(p, k, op->min));
    }

    // The loop body: the producer writes iteration k + 1.
    drop_producer_ = false;
    guard_ = split_loop_ ? PrimExpr() : less(add(k, make_const(k.dtype(), 1)), end);
    Stmt body = VisitStmt(op->body);
    Stmt loop;
    Stmt tail;
    if (split_loop_ == 1) {
      auto n = make_object<ForNode>(*op);
      n->extent = sub(op->extent, make_const(op->extent.dtype(), 1));
      n->body = body;
      loop = Stmt(ObjectPtr<Object>(std::move(n)));
      tail = SubstituteVar(LastIteration(op), k, sub(end, make_const(k.dtype(), 1)));
    } else if (split_loop_ > 1) {
      // The first extent-1 iterations run as split_loop copies per outer iteration;
      // the leftover iterations (at most split_loop) follow, each guarded, without producer.
      // The producer guard k + 1 < end always holds inside the split loop.
      DataType t = k.dtype();
      PrimExpr factor = make_const(t, split_loop_);
      PrimExpr outer_extent = floordiv(sub(op->extent, make_const(t, 1)), factor);
      Var outer(k->name_hint + ".outer", t);
      std::vector<Stmt> copies;
      for (int64_t i = 0; i < split_loop_; ++i) {
        copies.push_back(SubstituteVar(body, k, add(op->min, add(mul(outer, factor), make_const(t, i)))));
      }
      loop = For(outer, make_const(t, 0), outer_extent, op->kind, SeqStmt::Flatten(copies));
      // Leftover iterations may still produce the next tile: guarded, unmarked.
      guard_ = less(add(k, make_const(t, 1)), end);
      mark_write_ = false;
      Stmt last = VisitStmt(op->body);
      mark_write_ = true;
      guard_ = PrimExpr();
      std::vector<Stmt> rest;
      for (int64_t i = 0; i < split_loop_; ++i) {
        PrimExpr idx = add(op->min, add(mul(outer_extent, factor), make_const(t, i)));
        rest.push_back(IfThenElse(less(idx, end), SubstituteVar(last, k, idx)));
      }
      tail = SeqStmt::Flatten(rest);
    } else {
      auto n = make_object<ForNode>(*op);
      n->body = body;
      loop = Stmt(ObjectPtr<Object>(std::move(n)));
    }
    for (const VarNode* v : mine) half_offset_.erase(v);

    Stmt out = SeqStmt::Flatten(SeqStmt::Flatten(prologue), loop, tail);
    for (const VarNode* v : mine) {
      const DoubleBufferInfo& d = info_[v];
      if (d.alloc_inside_loop) {
        if (d.decl.defined()) out = DeclBuffer(d.decl, out);
        out = Allocate(d.alloc->buffer_var, d.alloc->dtype, {mul(d.size, make_const(d.size.dtype(), 2))},
                       d.alloc->condition, out, d.alloc->annotations);
      }
    }
    return out;
  }

  // The loop body for an iteration with no next tile: the producer is dropped.
  Stmt LastIteration(const ForNode* op) {
    drop_producer_ = true;
    Stmt last = VisitStmt(op->body);
    drop_producer_ = false;
    return last;
  }

  Stmt VisitStmt_(const DeclBufferNode* op) final {
    auto it = info_.find(op->buffer->data.get());
    if (it == info_.end()) return StmtExprMutator::VisitStmt_(op);
    if (!it->second.alloc_inside_loop) return DeclBuffer(Widen(op->buffer), VisitStmt(op->body));
    // Re-declared (widened) with the allocation around the loop.
    it->second.decl = Widen(op->buffer);
    return VisitStmt(op->body);
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    auto it = info_.find(op->buffer_var.get());
    if (it == info_.end()) return StmtExprMutator::VisitStmt_(op);
    if (it->second.alloc_inside_loop) return VisitStmt(op->body);  // re-created around the loop
    Stmt body = VisitStmt(op->body);
    const PrimExpr& size = it->second.size;
    return Allocate(op->buffer_var, op->dtype, {mul(size, make_const(size.dtype(), 2))}, op->condition, body,
                    op->annotations);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key != attr::double_buffer_scope) return StmtExprMutator::VisitStmt_(op);
    const auto* var = op->node.as<VarNode>();
    auto it = info_.find(var);
    if (it == info_.end() || !half_offset_.count(var) || producing_) return VisitStmt(op->body);
    if (drop_producer_) return Evaluate(0);
    const ForNode* loop = it->second.loop;
    producing_ = true;
    Stmt p = VisitStmt(op->body);
    producing_ = false;
    p = SubstituteVar(p, loop->loop_var, add(loop->loop_var, make_const(loop->loop_var.dtype(), 1)));
    // Marks the write of the next tile (ThreadSync and codegen know it races with no reader).
    if (mark_write_) p = AttrStmt(op->node, attr::double_buffer_write, make_const(DataType::Int(32), 1), p);
    if (guard_.defined()) p = IfThenElse(guard_, p);
    return p;
  }

  Buffer Widen(const Buffer& b) {
    auto it = buffers_.find(b.get());
    if (it != buffers_.end()) return it->second;
    const PrimExpr& size = info_[b->data.get()].size;
    Buffer out = FlatBufferOver(b->data, b->dtype, mul(size, make_const(size.dtype(), 2)), b->name);
    buffers_[b.get()] = out;
    return out;
  }

  PrimExpr Shift(const PrimExpr& index, const VarNode* v) {
    PrimExpr off = half_offset_.at(v);
    if (index.dtype().lanes() > 1) off = Broadcast(off, index.dtype().lanes());
    return add(off, index);
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<BufferLoadNode>();
    const VarNode* v = op->buffer->data.get();
    if (!info_.count(v)) return e;
    auto n = make_object<BufferLoadNode>(*op);
    n->buffer = Widen(op->buffer);
    if (half_offset_.count(v)) n->indices = {Shift(op->indices.back(), v)};
    return PrimExpr(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    op = s.as<BufferStoreNode>();
    const VarNode* v = op->buffer->data.get();
    if (!info_.count(v)) return s;
    Array<PrimExpr> indices = op->indices;
    if (half_offset_.count(v)) indices = {Shift(op->indices.back(), v)};
    return BufferStore(Widen(op->buffer), op->value, indices);
  }

  static Stmt SubstituteVar(const Stmt& s, const Var& var, const PrimExpr& value) {
    return Substitute(s, [&](const Var& v) -> std::optional<PrimExpr> {
      if (v.same_as(var)) return value;
      return std::nullopt;
    });
  }

 private:
  std::unordered_map<const VarNode*, DoubleBufferInfo> info_;
  int64_t split_loop_;
  std::unordered_map<const VarNode*, PrimExpr> half_offset_;
  std::unordered_map<const Object*, Buffer> buffers_;
  PrimExpr guard_;
  bool producing_ = false;
  bool drop_producer_ = false;
  bool mark_write_ = true;
};

}  // namespace

namespace transform {

Pass InjectDoubleBuffer() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    DoubleBufferFinder finder;
    finder(f->body);
    if (finder.info.empty()) return f;
    auto cfg = ctx->GetConfig<Map<String, ObjectRef>>("tir.InjectDoubleBuffer");
    int64_t split_loop = OptionInt(cfg, "split_loop", 1);
    TVM_CHECK(split_loop >= 0, "ValueError") << "tir.InjectDoubleBuffer split_loop must be >= 0, got " << split_loop;
    Stmt body = DoubleBufferInjector(finder.info, split_loop)(f->body);
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.InjectDoubleBuffer", {});
}

TVM_REGISTER_GLOBAL("tir.transform.InjectDoubleBuffer").set_body_typed([]() { return InjectDoubleBuffer(); });

// {split_loop}
static const bool kDoubleBufferConfigRegistered =
    (PassContext::RegisterConfigOption("tir.InjectDoubleBuffer", "Map"), true);

}  // namespace transform
}  // namespace tir
}  // namespace tvm
