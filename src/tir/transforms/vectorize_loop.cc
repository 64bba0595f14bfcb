/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file vectorize_loop.cc
 * \brief VectorizeLoop: a kVectorized loop becomes one vector statement.
 *
 * Assumes: buffers are flat (after StorageFlatten) so that a vector access
 *  is one Ramp index; the loop's extent is a constant (otherwise a
 *  ValueError names the loop).
 *
 * Guarantees: the loop variable v of a vectorized loop over [min, min+L)
 *  becomes Ramp(min, 1, L); expressions that depend on it become L-lane
 *  vectors (Ramp arithmetic kept in Ramp form: Ramp + Broadcast,
 *  Ramp * Broadcast), others stay scalar and are broadcast where mixed.
 *  Loads and stores get vector indices. When the body cannot be expressed
 *  with vectors -- a condition of an assert or inner loop bound that
 *  depends on v, an if_then_else whose condition depends on v (its other
 *  side must not be evaluated), a scalar location written with a vector value
 *  (a reduction), an allocation, an opaque call with vector arguments --
 *  the loop stays a serial loop instead. An if statement whose condition
 *  depends on v becomes a serial loop over the lanes by itself (the rest of
 *  the body is vectorized). A while loop in the body is a ValueError.
 *
 *  Values that are vectors before vectorization (elements of a buffer whose
 *  dtype has lanes, such as float32x4, or an inner vectorized loop) are laid
 *  out one after another: a w-lane value becomes w*L lanes, lanes
 *  [l*w, l*w + w) holding iteration l. This is the layout of a load at a
 *  Ramp index from a buffer of w-lane elements, so such loops vectorize too.
 *  VectorizeLoop(false) (config
 *  "tir.disable_vectorize") turns every vectorized loop into a serial one.
 *
 *   before:  for i in T.vectorized(4):         after:  B[0:4] = A[0:4] + T.Broadcast(1.0, 4)
 *                B[i] = A[i] + 1.0
 */
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <unordered_map>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

/*!
 * \brief A value that does not depend on the loop variable, widened to `lanes`:
 *  the same w-lane value once per iteration (w = 1: a Broadcast).
 */
PrimExpr BroadcastTo(const PrimExpr& e, int lanes) {
  int w = e.dtype().lanes();
  if (w == lanes) return e;
  if (const auto* b = e.as<BroadcastNode>()) return Broadcast(b->value, lanes);
  if (w == 1) return Broadcast(e, lanes);
  TVM_CHECK(lanes % w == 0, "InternalError")
      << "VectorizeLoop: cannot widen a " << w << "-lane vector to " << lanes << " lanes";
  Array<PrimExpr> copies;
  for (int i = 0; i < lanes / w; ++i) copies.push_back(e);
  return Shuffle::Concat(copies);
}

/*! \brief Each lane of `e` repeated `w` times: lane l*w + j is e[l]. */
PrimExpr RepeatLanes(const PrimExpr& e, int w) {
  if (w == 1) return e;
  if (const auto* b = e.as<BroadcastNode>()) return Broadcast(b->value, b->lanes * w);
  if (e.dtype().lanes() == 1) return Broadcast(e, w);
  Array<PrimExpr> indices;
  for (int l = 0; l < e.dtype().lanes(); ++l) {
    for (int j = 0; j < w; ++j) indices.push_back(IntImm(DataType::Int(32), l));
  }
  return Shuffle({e}, indices);
}

class Vectorizer : public StmtExprMutator {
 public:
  Vectorizer(const Var& var, PrimExpr min, int lanes) : var_(var), lanes_(lanes) {
    ramp_ = Ramp(min, make_const(min.dtype(), 1), lanes);
  }

  /*! \brief The vectorized body, or an undefined statement when it must stay scalar. */
  Stmt Run(const Stmt& body) {
    Stmt out = VisitStmt(body);
    if (scalarize_) return Stmt();
    return out;
  }

 protected:
  PrimExpr VisitExpr_(const VarNode* op) final {
    if (op == var_.get()) return ramp_;
    auto it = let_remap_.find(op);
    if (it != let_remap_.end()) return it->second;
    return GetRef<PrimExpr>(op);
  }

  template <typename Node, typename Make>
  PrimExpr Binary(const Node* op, Make make) {
    PrimExpr a = VisitExpr(op->a);
    PrimExpr b = VisitExpr(op->b);
    if (a.same_as(op->a) && b.same_as(op->b)) return GetRef<PrimExpr>(op);
    int lanes = std::max(a.dtype().lanes(), b.dtype().lanes());
    return make(BroadcastTo(a, lanes), BroadcastTo(b, lanes));
  }

  PrimExpr VisitExpr_(const AddNode* op) final { return AddSub(op, true); }
  PrimExpr VisitExpr_(const SubNode* op) final { return AddSub(op, false); }

  template <typename Node>
  PrimExpr AddSub(const Node* op, bool is_add) {
    PrimExpr a = VisitExpr(op->a);
    PrimExpr b = VisitExpr(op->b);
    if (a.same_as(op->a) && b.same_as(op->b)) return GetRef<PrimExpr>(op);
    auto combine = [&](const PrimExpr& x, const PrimExpr& y) { return is_add ? add(x, y) : sub(x, y); };
    const auto* ra = a.as<RampNode>();
    const auto* rb = b.as<RampNode>();
    const auto* ba = a.as<BroadcastNode>();
    const auto* bb = b.as<BroadcastNode>();
    // (An operand that does not vary keeps its own lanes, fewer than the other's
    // when the body holds vectors: a Broadcast is uniform, so it folds into a
    // wider Ramp, never a narrower one.)
    if (ra && (bb || b.dtype().lanes() == 1) && (!bb || bb->lanes <= ra->lanes)) {
      PrimExpr scalar = bb ? bb->value : b;
      return Ramp(combine(ra->base, scalar), ra->stride, ra->lanes);
    }
    if (rb && (ba || a.dtype().lanes() == 1) && (!ba || ba->lanes <= rb->lanes) && is_add) {
      PrimExpr scalar = ba ? ba->value : a;
      return Ramp(add(scalar, rb->base), rb->stride, rb->lanes);
    }
    if (rb && (ba || a.dtype().lanes() == 1) && (!ba || ba->lanes <= rb->lanes) && !is_add) {
      PrimExpr scalar = ba ? ba->value : a;
      return Ramp(sub(scalar, rb->base), neg(rb->stride), rb->lanes);
    }
    if (ra && rb && ra->lanes == rb->lanes) {
      return Ramp(combine(ra->base, rb->base), combine(ra->stride, rb->stride), ra->lanes);
    }
    if (ba && bb && ba->lanes == bb->lanes) return Broadcast(combine(ba->value, bb->value), ba->lanes);
    int lanes = std::max(a.dtype().lanes(), b.dtype().lanes());
    if (is_add) return Add(BroadcastTo(a, lanes), BroadcastTo(b, lanes));
    return Sub(BroadcastTo(a, lanes), BroadcastTo(b, lanes));
  }

  PrimExpr VisitExpr_(const MulNode* op) final {
    PrimExpr a = VisitExpr(op->a);
    PrimExpr b = VisitExpr(op->b);
    if (a.same_as(op->a) && b.same_as(op->b)) return GetRef<PrimExpr>(op);
    const auto* ra = a.as<RampNode>();
    const auto* rb = b.as<RampNode>();
    const auto* ba = a.as<BroadcastNode>();
    const auto* bb = b.as<BroadcastNode>();
    if (ra && (bb || b.dtype().lanes() == 1) && (!bb || bb->lanes <= ra->lanes)) {
      PrimExpr s = bb ? bb->value : b;
      return Ramp(mul(ra->base, s), mul(ra->stride, s), ra->lanes);
    }
    if (rb && (ba || a.dtype().lanes() == 1) && (!ba || ba->lanes <= rb->lanes)) {
      PrimExpr s = ba ? ba->value : a;
      return Ramp(mul(s, rb->base), mul(s, rb->stride), rb->lanes);
    }
    if (ba && bb && ba->lanes == bb->lanes) return Broadcast(mul(ba->value, bb->value), ba->lanes);
    int lanes = std::max(a.dtype().lanes(), b.dtype().lanes());
    return Mul(BroadcastTo(a, lanes), BroadcastTo(b, lanes));
  }

#define TVM_VECTORIZE_BINARY(Node, Make) \
  PrimExpr VisitExpr_(const Node* op) final { return Binary(op, [](PrimExpr a, PrimExpr b) { return Make(a, b); }); }
  TVM_VECTORIZE_BINARY(DivNode, Div)
  TVM_VECTORIZE_BINARY(ModNode, Mod)
  TVM_VECTORIZE_BINARY(FloorDivNode, FloorDiv)
  TVM_VECTORIZE_BINARY(FloorModNode, FloorMod)
  TVM_VECTORIZE_BINARY(MinNode, Min)
  TVM_VECTORIZE_BINARY(MaxNode, Max)
  TVM_VECTORIZE_BINARY(EQNode, EQ)
  TVM_VECTORIZE_BINARY(NENode, NE)
  TVM_VECTORIZE_BINARY(LTNode, LT)
  TVM_VECTORIZE_BINARY(LENode, LE)
  TVM_VECTORIZE_BINARY(GTNode, GT)
  TVM_VECTORIZE_BINARY(GENode, GE)
  TVM_VECTORIZE_BINARY(AndNode, And)
  TVM_VECTORIZE_BINARY(OrNode, Or)
#undef TVM_VECTORIZE_BINARY

  PrimExpr VisitExpr_(const NotNode* op) final {
    PrimExpr a = VisitExpr(op->a);
    if (a.same_as(op->a)) return GetRef<PrimExpr>(op);
    return Not(a);
  }

  PrimExpr VisitExpr_(const CastNode* op) final {
    PrimExpr v = VisitExpr(op->value);
    if (v.same_as(op->value)) return GetRef<PrimExpr>(op);
    if (const auto* b = v.as<BroadcastNode>()) return Broadcast(cast(op->dtype, b->value), b->lanes);
    // Widening an integer ramp (an int32 loop index into an int64 address, as kernels with
    // symbolic int64 extents have) is exact: keep it a ramp, so the access stays contiguous.
    const auto* r = v.as<RampNode>();
    if (r && op->dtype.is_int() && r->base.dtype().is_int() && op->dtype.bits() >= r->base.dtype().bits()) {
      DataType scalar = op->dtype.element_of();
      return Ramp(cast(scalar, r->base), cast(scalar, r->stride), r->lanes);
    }
    return Cast(op->dtype.with_lanes(v.dtype().lanes()), v);
  }

  PrimExpr VisitExpr_(const SelectNode* op) final {
    PrimExpr c = VisitExpr(op->condition);
    PrimExpr t = VisitExpr(op->true_value);
    PrimExpr f = VisitExpr(op->false_value);
    if (c.same_as(op->condition) && t.same_as(op->true_value) && f.same_as(op->false_value)) {
      return GetRef<PrimExpr>(op);
    }
    int lanes = std::max({c.dtype().lanes(), t.dtype().lanes(), f.dtype().lanes()});
    int w = op->true_value.dtype().lanes();
    // A scalar condition of w-lane values, now one per iteration: repeat it over each block.
    if (op->condition.dtype().lanes() == 1 && !c.same_as(op->condition)) c = RepeatLanes(c, w);
    return Select(BroadcastTo(c, lanes), BroadcastTo(t, lanes), BroadcastTo(f, lanes));
  }

  PrimExpr VisitExpr_(const RampNode* op) final {
    PrimExpr base = VisitExpr(op->base);
    PrimExpr stride = VisitExpr(op->stride);
    if (base.same_as(op->base) && stride.same_as(op->stride)) return GetRef<PrimExpr>(op);
    int w = op->lanes;
    int iters = std::max(base.dtype().lanes(), stride.dtype().lanes());
    // Iteration l's ramp starts where iteration l-1's ended: one longer ramp.
    if (const auto* rb = base.as<RampNode>(); rb != nullptr && stride.dtype().lanes() == 1) {
      if (analyzer_.CanProveEqual(rb->stride, mul(stride, make_const(stride.dtype(), w)))) {
        return Ramp(rb->base, stride, rb->lanes * w);
      }
    }
    // Lane l*w + j is base[l] + j * stride[l].
    PrimExpr offsets = BroadcastTo(Ramp(make_const(base.dtype().element_of(), 0),
                                        make_const(base.dtype().element_of(), 1), w),
                                   w * iters);
    auto per_iteration = [&](const PrimExpr& e) { return RepeatLanes(BroadcastTo(e, iters), w); };
    return add(per_iteration(base), mul(per_iteration(stride), offsets));
  }

  PrimExpr VisitExpr_(const BroadcastNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    if (value.same_as(op->value)) return GetRef<PrimExpr>(op);
    return RepeatLanes(value, op->lanes);
  }

  PrimExpr VisitExpr_(const ShuffleNode* op) final {
    Array<PrimExpr> vectors = VisitExprs(op->vectors);
    if (vectors.same_as(op->vectors)) return GetRef<PrimExpr>(op);
    int iters = 1;
    for (size_t i = 0; i < vectors.size(); ++i) {
      iters = std::max(iters, vectors[i].dtype().lanes() / op->vectors[i].dtype().lanes());
    }
    // Widen each input to one copy per iteration, then pick iteration l's
    // lanes from each input's block l.
    Array<PrimExpr> wide;
    std::vector<int> start;  // first lane of input i in the concatenation
    int total = 0;
    for (size_t i = 0; i < vectors.size(); ++i) {
      int w = op->vectors[i].dtype().lanes();
      wide.push_back(vectors[i].dtype().lanes() == w ? BroadcastTo(vectors[i], w * iters) : vectors[i]);
      start.push_back(total);
      total += w * iters;
    }
    Array<PrimExpr> indices;
    for (int l = 0; l < iters; ++l) {
      for (const PrimExpr& index : op->indices) {
        int64_t k = *as_const_int(index);
        size_t i = 0;
        while (k >= op->vectors[i].dtype().lanes()) k -= op->vectors[i++].dtype().lanes();
        int w = op->vectors[i].dtype().lanes();
        indices.push_back(IntImm(DataType::Int(32), start[i] + l * w + static_cast<int>(k)));
      }
    }
    return Shuffle(wide, indices);
  }

  PrimExpr VisitExpr_(const LetNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    if (value.dtype().lanes() != op->value.dtype().lanes()) {
      Var v(op->var->name_hint, value.dtype());
      let_remap_[op->var.get()] = v;
      PrimExpr body = VisitExpr(op->body);
      let_remap_.erase(op->var.get());
      return Let(v, value, body);
    }
    PrimExpr body = VisitExpr(op->body);
    if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<PrimExpr>(op);
    return Let(op->var, value, body);
  }

  PrimExpr VisitExpr_(const CallNode* op) final {
    Array<PrimExpr> args = VisitExprs(op->args);
    if (args.same_as(op->args)) return GetRef<PrimExpr>(op);
    int lanes = 1;
    for (const PrimExpr& a : args) lanes = std::max(lanes, a.dtype().lanes());
    const auto* opn = op->op.as<OpNode>();
    if (opn != nullptr && (op->op.same_as(builtin::if_then_else()))) {
      // Only the chosen side may be evaluated (it may guard an out-of-bounds load):
      // a condition that differs between lanes cannot become one vector operation.
      if (args[0].dtype().lanes() > 1) {
        scalarize_ = true;
        return GetRef<PrimExpr>(op);
      }
      return Call(op->dtype.with_lanes(lanes), op->op, {args[0], BroadcastTo(args[1], lanes), BroadcastTo(args[2], lanes)});
    }
    if (opn != nullptr && op->op.same_as(builtin::likely())) {
      return Call(op->dtype.with_lanes(lanes), op->op, args);
    }
    // reinterpret of a scalar keeps its bit width, so it applies lane by lane.
    if (opn != nullptr && op->op.same_as(builtin::reinterpret()) && op->dtype.lanes() == 1 && args.size() == 1 &&
        args[0].dtype().bits() == op->dtype.bits()) {
      return Call(op->dtype.with_lanes(lanes), op->op, {BroadcastTo(args[0], lanes)});
    }
    // Pure elementwise intrinsics (math functions) apply lane by lane.
    bool elementwise = opn != nullptr && GetCallEffectKind(GetRef<Op>(opn)) == CallEffectKind::kPure &&
                       !op->op.same_as(builtin::tvm_access_ptr()) && !op->op.same_as(builtin::address_of()) &&
                       !op->op.same_as(builtin::call_pure_extern()) &&
                       !op->op.same_as(builtin::call_llvm_pure_intrin()) && !op->op.same_as(builtin::reinterpret());
    if (elementwise && op->dtype.lanes() == 1) {
      Array<PrimExpr> wide;
      for (const PrimExpr& a : args) wide.push_back(a.dtype().is_handle() ? a : BroadcastTo(a, lanes));
      return Call(op->dtype.with_lanes(lanes), op->op, wide);
    }
    if (lanes > 1) scalarize_ = true;
    return Call(op->dtype, op->op, args);
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    Array<PrimExpr> indices = VisitExprs(op->indices);
    if (indices.same_as(op->indices)) return GetRef<PrimExpr>(op);
    int lanes = 1;
    for (const PrimExpr& i : indices) lanes = std::max(lanes, i.dtype().lanes());
    for (size_t i = 0; i + 1 < indices.size(); ++i) {
      if (indices[i].dtype().lanes() > 1) scalarize_ = true;
    }
    if (scalarize_) return GetRef<PrimExpr>(op);
    auto n = make_object<BufferLoadNode>();
    n->buffer = op->buffer;
    n->indices = indices;
    n->dtype = op->buffer->dtype.with_lanes(op->buffer->dtype.lanes() * lanes);
    return PrimExpr(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    Array<PrimExpr> indices = VisitExprs(op->indices);
    if (value.same_as(op->value) && indices.same_as(op->indices)) return GetRef<Stmt>(op);
    int index_lanes = 1;
    for (const PrimExpr& i : indices) index_lanes = std::max(index_lanes, i.dtype().lanes());
    for (size_t i = 0; i + 1 < indices.size(); ++i) {
      if (indices[i].dtype().lanes() > 1) scalarize_ = true;
    }
    // One location written with a value per iteration: a reduction, not a vector store.
    bool index_varies = !indices.same_as(op->indices);
    bool value_varies = !value.same_as(op->value) && value.dtype().lanes() != op->value.dtype().lanes();
    if (!index_varies && value_varies) scalarize_ = true;
    int value_lanes = index_lanes * op->buffer->dtype.lanes();
    if (value.dtype().lanes() > value_lanes) scalarize_ = true;
    if (scalarize_) return GetRef<Stmt>(op);
    auto n = make_object<BufferStoreNode>();
    n->buffer = op->buffer;
    n->value = BroadcastTo(value, value_lanes);
    n->indices = indices;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const ForNode* op) final {
    if (UsesVar(op->min, var_.get()) || UsesVar(op->extent, var_.get())) {
      scalarize_ = true;
      return GetRef<Stmt>(op);
    }
    Stmt body = VisitStmt(op->body);
    if (body.same_as(op->body)) return GetRef<Stmt>(op);
    auto n = make_object<ForNode>(*op);
    n->body = body;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const IfThenElseNode* op) final {
    if (UsesLetVar(op->condition)) {
      scalarize_ = true;
      return GetRef<Stmt>(op);
    }
    // A condition that differs per lane: only this if runs lane by lane (the
    // rest of the body stays vectorized), unless it uses vectorized let variables.
    if (UsesVar(op->condition, var_.get())) {
      if (UsesLetVar(GetRef<Stmt>(op))) {
        scalarize_ = true;
        return GetRef<Stmt>(op);
      }
      Var lane(var_->name_hint + ".s", var_.dtype());
      Stmt body = Substitute(GetRef<Stmt>(op), [&](const Var& v) -> std::optional<PrimExpr> {
        if (v.same_as(var_)) return lane;
        return std::nullopt;
      });
      return For(lane, ramp_.as<RampNode>()->base, make_const(var_.dtype(), lanes_), ForKind::kSerial, body);
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  bool UsesLetVar(const Stmt& s) const {
    if (let_remap_.empty()) return false;
    return UsesVar(s, [this](const VarNode* v) { return let_remap_.count(v) != 0; });
  }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    if (value.dtype().lanes() != op->value.dtype().lanes()) {
      Var v(op->var->name_hint, value.dtype());
      let_remap_[op->var.get()] = v;
      Stmt body = VisitStmt(op->body);
      let_remap_.erase(op->var.get());
      return LetStmt(v, value, body);
    }
    Stmt body = VisitStmt(op->body);
    if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
    return LetStmt(op->var, value, body);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->value.defined() && (UsesVar(op->value, var_.get()) || UsesLetVar(op->value))) {
      scalarize_ = true;
      return GetRef<Stmt>(op);
    }
    Stmt body = VisitStmt(op->body);
    if (body.same_as(op->body)) return GetRef<Stmt>(op);
    return AttrStmt(op->node, op->attr_key, op->value, body);
  }

  Stmt VisitStmt_(const AssertStmtNode* op) final {
    if (UsesVar(op->condition, var_.get()) || UsesLetVar(op->condition)) {
      scalarize_ = true;
      return GetRef<Stmt>(op);
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    scalarize_ = true;
    return GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const WhileNode* op) final {
    TVM_CHECK(false, "ValueError") << "VectorizeLoop: loop '" << var_->name_hint
                                   << "': A while loop inside a vectorized loop not supported";
    return GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const EvaluateNode* op) final {
    PrimExpr v = VisitExpr(op->value);
    if (v.same_as(op->value)) return GetRef<Stmt>(op);
    // An effectful call evaluated once per lane cannot be one vector call.
    if (HasSideEffect(op->value)) scalarize_ = true;
    return Evaluate(v);
  }

  bool UsesLetVar(const PrimExpr& e) const {
    if (let_remap_.empty()) return false;
    return UsesVar(e, [this](const VarNode* v) { return let_remap_.count(v) != 0; });
  }

 private:
  Var var_;
  int lanes_;
  PrimExpr ramp_;
  bool scalarize_ = false;
  arith::Analyzer analyzer_;
  std::unordered_map<const VarNode*, PrimExpr> let_remap_;
};

/*! \brief Finds kVectorized loops (innermost first) and vectorizes them. */
class LoopVectorizer : public StmtMutator {
 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<ForNode>();
    if (op->kind != ForKind::kVectorized) return s;
    auto extent = as_const_int(op->extent);
    TVM_CHECK(extent.has_value(), "ValueError")
        << "VectorizeLoop: cannot vectorize loop '" << op->loop_var->name_hint << "': its extent " << op->extent
        << " is not a constant";
    TVM_CHECK(*extent >= 1, "ValueError") << "VectorizeLoop: loop '" << op->loop_var->name_hint
                                         << "' has extent " << *extent << "; a vector needs at least one lane";
    auto serial = [&]() {
      auto n = make_object<ForNode>(*op);
      n->kind = ForKind::kSerial;
      return Stmt(ObjectPtr<Object>(std::move(n)));
    };
    if (*extent == 1) {
      return Substitute(op->body, [&](const Var& v) -> std::optional<PrimExpr> {
        if (v.same_as(op->loop_var)) return op->min;
        return std::nullopt;
      });
    }
    Stmt body = Vectorizer(op->loop_var, op->min, static_cast<int>(*extent)).Run(op->body);
    if (!body.defined()) return serial();
    return body;
  }
};

/*! \brief VectorizeLoop(false): vectorized loops run serially. */
class VectorizeSkipper : public StmtMutator {
 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<ForNode>();
    if (op->kind != ForKind::kVectorized) return s;
    auto n = make_object<ForNode>(*op);
    n->kind = ForKind::kSerial;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }
};

}  // namespace

namespace transform {

Pass VectorizeLoop(bool enable_vectorize) {
  auto fpass = [=](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = enable_vectorize ? LoopVectorizer()(f->body) : VectorizeSkipper()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.VectorizeLoop", {});
}

TVM_REGISTER_GLOBAL("tir.transform.VectorizeLoop").set_body_typed([](bool enable_vectorize) {
  return VectorizeLoop(enable_vectorize);
});

}  // namespace transform
}  // namespace tir
}  // namespace tvm
