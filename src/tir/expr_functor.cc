/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Default traversal (ExprVisitor) and rebuilding (ExprMutator) of expressions.
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>

namespace tvm {
namespace tir {

// ---------------------------------------------------------------------------
// ExprVisitor

void ExprVisitor::VisitBufferFields(const Buffer& buffer) {}
void ExprVisitor::VisitExpr_(const VarNode* op) {}
void ExprVisitor::VisitExpr_(const SizeVarNode* op) { VisitExpr_(static_cast<const VarNode*>(op)); }
void ExprVisitor::VisitExpr_(const BufferLoadNode* op) {
  VisitBufferFields(op->buffer);
  for (const PrimExpr& i : op->indices) VisitExpr(i);
}
void ExprVisitor::VisitExpr_(const ProducerLoadNode* op) {
  for (const PrimExpr& i : op->indices) VisitExpr(i);
}
void ExprVisitor::VisitExpr_(const LetNode* op) {
  VisitExpr(op->value);
  VisitExpr(op->body);
}
void ExprVisitor::VisitExpr_(const CallNode* op) {
  for (const PrimExpr& a : op->args) VisitExpr(a);
}
#define TVM_VISIT_BINARY(Node)                 \
  void ExprVisitor::VisitExpr_(const Node* op) { \
    VisitExpr(op->a);                          \
    VisitExpr(op->b);                          \
  }
TVM_VISIT_BINARY(AddNode)
TVM_VISIT_BINARY(SubNode)
TVM_VISIT_BINARY(MulNode)
TVM_VISIT_BINARY(DivNode)
TVM_VISIT_BINARY(ModNode)
TVM_VISIT_BINARY(FloorDivNode)
TVM_VISIT_BINARY(FloorModNode)
TVM_VISIT_BINARY(MinNode)
TVM_VISIT_BINARY(MaxNode)
TVM_VISIT_BINARY(EQNode)
TVM_VISIT_BINARY(NENode)
TVM_VISIT_BINARY(LTNode)
TVM_VISIT_BINARY(LENode)
TVM_VISIT_BINARY(GTNode)
TVM_VISIT_BINARY(GENode)
TVM_VISIT_BINARY(AndNode)
TVM_VISIT_BINARY(OrNode)
#undef TVM_VISIT_BINARY
void ExprVisitor::VisitExpr_(const ReduceNode* op) {
  for (const IterVar& iv : op->axis) {
    VisitExpr(iv->dom->min);
    VisitExpr(iv->dom->extent);
  }
  for (const PrimExpr& s : op->source) VisitExpr(s);
  for (const PrimExpr& s : op->init) VisitExpr(s);
  VisitExpr(op->condition);
  // The combiner may use variables besides its lhs/rhs (a reducer built inside a
  // te.compute lambda can read the compute's axes).
  for (const PrimExpr& e : op->combiner->result) VisitExpr(e);
  for (const PrimExpr& e : op->combiner->identity_element) VisitExpr(e);
}
void ExprVisitor::VisitExpr_(const CastNode* op) { VisitExpr(op->value); }
void ExprVisitor::VisitExpr_(const NotNode* op) { VisitExpr(op->a); }
void ExprVisitor::VisitExpr_(const SelectNode* op) {
  VisitExpr(op->condition);
  VisitExpr(op->true_value);
  VisitExpr(op->false_value);
}
void ExprVisitor::VisitExpr_(const RampNode* op) {
  VisitExpr(op->base);
  VisitExpr(op->stride);
}
void ExprVisitor::VisitExpr_(const BroadcastNode* op) { VisitExpr(op->value); }
void ExprVisitor::VisitExpr_(const ShuffleNode* op) {
  for (const PrimExpr& v : op->vectors) VisitExpr(v);
  for (const PrimExpr& i : op->indices) VisitExpr(i);
}
void ExprVisitor::VisitExpr_(const IntImmNode* op) {}
void ExprVisitor::VisitExpr_(const FloatImmNode* op) {}
void ExprVisitor::VisitExpr_(const StringImmNode* op) {}
void ExprVisitor::VisitExpr_(const AnyNode* op) {}

// ---------------------------------------------------------------------------
// ExprMutator

Array<PrimExpr> ExprMutator::VisitExprs(const Array<PrimExpr>& exprs) {
  Array<PrimExpr> out;
  bool changed = false;
  out.reserve(exprs.size());
  for (const PrimExpr& e : exprs) {
    PrimExpr m = VisitExpr(e);
    changed = changed || !m.same_as(e);
    out.push_back(m);
  }
  return changed ? out : exprs;
}

PrimExpr ExprMutator::VisitExpr_(const VarNode* op) { return GetRef<PrimExpr>(op); }
PrimExpr ExprMutator::VisitExpr_(const SizeVarNode* op) { return VisitExpr_(static_cast<const VarNode*>(op)); }

PrimExpr ExprMutator::VisitExpr_(const BufferLoadNode* op) {
  Array<PrimExpr> indices = VisitExprs(op->indices);
  if (indices.same_as(op->indices)) return GetRef<PrimExpr>(op);
  return BufferLoad(op->buffer, indices);
}

PrimExpr ExprMutator::VisitExpr_(const ProducerLoadNode* op) {
  Array<PrimExpr> indices = VisitExprs(op->indices);
  if (indices.same_as(op->indices)) return GetRef<PrimExpr>(op);
  return ProducerLoad(op->producer, indices);
}

PrimExpr ExprMutator::VisitExpr_(const LetNode* op) {
  PrimExpr value = VisitExpr(op->value);
  PrimExpr body = VisitExpr(op->body);
  if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<PrimExpr>(op);
  return Let(op->var, value, body);
}

PrimExpr ExprMutator::VisitExpr_(const CallNode* op) {
  Array<PrimExpr> args = VisitExprs(op->args);
  if (args.same_as(op->args)) return GetRef<PrimExpr>(op);
  return Call(op->dtype, op->op, args);
}

#define TVM_MUTATE_BINARY(Name)                                          \
  PrimExpr ExprMutator::VisitExpr_(const Name##Node* op) {               \
    PrimExpr a = VisitExpr(op->a);                                       \
    PrimExpr b = VisitExpr(op->b);                                       \
    if (a.same_as(op->a) && b.same_as(op->b)) return GetRef<PrimExpr>(op); \
    return Name(a, b);                                                   \
  }
TVM_MUTATE_BINARY(Add)
TVM_MUTATE_BINARY(Sub)
TVM_MUTATE_BINARY(Mul)
TVM_MUTATE_BINARY(Div)
TVM_MUTATE_BINARY(Mod)
TVM_MUTATE_BINARY(FloorDiv)
TVM_MUTATE_BINARY(FloorMod)
TVM_MUTATE_BINARY(Min)
TVM_MUTATE_BINARY(Max)
TVM_MUTATE_BINARY(EQ)
TVM_MUTATE_BINARY(NE)
TVM_MUTATE_BINARY(LT)
TVM_MUTATE_BINARY(LE)
TVM_MUTATE_BINARY(GT)
TVM_MUTATE_BINARY(GE)
TVM_MUTATE_BINARY(And)
TVM_MUTATE_BINARY(Or)
#undef TVM_MUTATE_BINARY

PrimExpr ExprMutator::VisitExpr_(const ReduceNode* op) {
  bool changed = false;
  Array<IterVar> axis;
  for (const IterVar& iv : op->axis) {
    PrimExpr min = VisitExpr(iv->dom->min);
    PrimExpr extent = VisitExpr(iv->dom->extent);
    if (min.same_as(iv->dom->min) && extent.same_as(iv->dom->extent)) {
      axis.push_back(iv);
    } else {
      changed = true;
      axis.push_back(IterVar(Range::FromMinExtent(min, extent), iv->var, iv->iter_type, iv->thread_tag));
    }
  }
  Array<PrimExpr> source = VisitExprs(op->source);
  Array<PrimExpr> init = VisitExprs(op->init);
  PrimExpr condition = VisitExpr(op->condition);
  // Variables the combiner uses besides its own lhs/rhs are rewritten too.
  CommReducer combiner = op->combiner;
  Array<PrimExpr> result = VisitExprs(combiner->result);
  Array<PrimExpr> identity = VisitExprs(combiner->identity_element);
  if (!result.same_as(combiner->result) || !identity.same_as(combiner->identity_element)) {
    combiner = CommReducer(combiner->lhs, combiner->rhs, result, identity);
    changed = true;
  }
  if (!changed && source.same_as(op->source) && init.same_as(op->init) && condition.same_as(op->condition)) {
    return GetRef<PrimExpr>(op);
  }
  return Reduce(combiner, source, axis, condition, op->value_index, init);
}

PrimExpr ExprMutator::VisitExpr_(const CastNode* op) {
  PrimExpr value = VisitExpr(op->value);
  if (value.same_as(op->value)) return GetRef<PrimExpr>(op);
  return Cast(op->dtype, value);
}

PrimExpr ExprMutator::VisitExpr_(const NotNode* op) {
  PrimExpr a = VisitExpr(op->a);
  if (a.same_as(op->a)) return GetRef<PrimExpr>(op);
  return Not(a);
}

PrimExpr ExprMutator::VisitExpr_(const SelectNode* op) {
  PrimExpr c = VisitExpr(op->condition);
  PrimExpr t = VisitExpr(op->true_value);
  PrimExpr f = VisitExpr(op->false_value);
  if (c.same_as(op->condition) && t.same_as(op->true_value) && f.same_as(op->false_value)) {
    return GetRef<PrimExpr>(op);
  }
  return Select(c, t, f);
}

PrimExpr ExprMutator::VisitExpr_(const RampNode* op) {
  PrimExpr base = VisitExpr(op->base);
  PrimExpr stride = VisitExpr(op->stride);
  if (base.same_as(op->base) && stride.same_as(op->stride)) return GetRef<PrimExpr>(op);
  return Ramp(base, stride, op->lanes);
}

PrimExpr ExprMutator::VisitExpr_(const BroadcastNode* op) {
  PrimExpr value = VisitExpr(op->value);
  if (value.same_as(op->value)) return GetRef<PrimExpr>(op);
  return Broadcast(value, op->lanes);
}

PrimExpr ExprMutator::VisitExpr_(const ShuffleNode* op) {
  Array<PrimExpr> vectors = VisitExprs(op->vectors);
  if (vectors.same_as(op->vectors)) return GetRef<PrimExpr>(op);
  return Shuffle(vectors, op->indices);
}

PrimExpr ExprMutator::VisitExpr_(const IntImmNode* op) { return GetRef<PrimExpr>(op); }
PrimExpr ExprMutator::VisitExpr_(const FloatImmNode* op) { return GetRef<PrimExpr>(op); }
PrimExpr ExprMutator::VisitExpr_(const StringImmNode* op) { return GetRef<PrimExpr>(op); }
PrimExpr ExprMutator::VisitExpr_(const AnyNode* op) { return GetRef<PrimExpr>(op); }

}  // namespace tir
}  // namespace tvm
