/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Structural equality of expressions for the simplifiers (see expr_equal.h).
#include "expr_equal.h"

#include <tvm/ir/structural_equal.h>

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

template <typename Node>
bool BinaryEqual(const Object* a, const Object* b) {
  const auto* x = static_cast<const Node*>(a);
  const auto* y = static_cast<const Node*>(b);
  return ExprDeepEqual(x->a, y->a) && ExprDeepEqual(x->b, y->b);
}

bool ArrayEqual(const Array<PrimExpr>& a, const Array<PrimExpr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!ExprDeepEqual(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

bool ExprDeepEqual(const PrimExpr& a, const PrimExpr& b) {
  if (a.same_as(b)) return true;
  if (!a.defined() || !b.defined()) return false;
  const Object* x = a.get();
  const Object* y = b.get();
  uint32_t tindex = x->type_index();
  if (tindex != y->type_index()) return false;
  if (a.dtype() != b.dtype()) return false;
  // Variables are equal only to themselves (checked by same_as above).
  if (x->IsInstance<VarNode>()) return false;
  if (const auto* ia = a.as<IntImmNode>()) return ia->value == static_cast<const IntImmNode*>(y)->value;
  if (const auto* fa = a.as<FloatImmNode>()) return fa->value == static_cast<const FloatImmNode*>(y)->value;
  if (x->IsInstance<AddNode>()) return BinaryEqual<AddNode>(x, y);
  if (x->IsInstance<SubNode>()) return BinaryEqual<SubNode>(x, y);
  if (x->IsInstance<MulNode>()) return BinaryEqual<MulNode>(x, y);
  if (x->IsInstance<FloorDivNode>()) return BinaryEqual<FloorDivNode>(x, y);
  if (x->IsInstance<FloorModNode>()) return BinaryEqual<FloorModNode>(x, y);
  if (x->IsInstance<DivNode>()) return BinaryEqual<DivNode>(x, y);
  if (x->IsInstance<ModNode>()) return BinaryEqual<ModNode>(x, y);
  if (x->IsInstance<MinNode>()) return BinaryEqual<MinNode>(x, y);
  if (x->IsInstance<MaxNode>()) return BinaryEqual<MaxNode>(x, y);
  if (x->IsInstance<EQNode>()) return BinaryEqual<EQNode>(x, y);
  if (x->IsInstance<NENode>()) return BinaryEqual<NENode>(x, y);
  if (x->IsInstance<LTNode>()) return BinaryEqual<LTNode>(x, y);
  if (x->IsInstance<LENode>()) return BinaryEqual<LENode>(x, y);
  if (x->IsInstance<GTNode>()) return BinaryEqual<GTNode>(x, y);
  if (x->IsInstance<GENode>()) return BinaryEqual<GENode>(x, y);
  if (x->IsInstance<AndNode>()) return BinaryEqual<AndNode>(x, y);
  if (x->IsInstance<OrNode>()) return BinaryEqual<OrNode>(x, y);
  if (const auto* na = a.as<NotNode>()) return ExprDeepEqual(na->a, static_cast<const NotNode*>(y)->a);
  if (const auto* ca = a.as<CastNode>()) return ExprDeepEqual(ca->value, static_cast<const CastNode*>(y)->value);
  if (const auto* sa = a.as<SelectNode>()) {
    const auto* sb = static_cast<const SelectNode*>(y);
    return ExprDeepEqual(sa->condition, sb->condition) && ExprDeepEqual(sa->true_value, sb->true_value) &&
           ExprDeepEqual(sa->false_value, sb->false_value);
  }
  if (const auto* ra = a.as<RampNode>()) {
    const auto* rb = static_cast<const RampNode*>(y);
    return ra->lanes == rb->lanes && ExprDeepEqual(ra->base, rb->base) && ExprDeepEqual(ra->stride, rb->stride);
  }
  if (const auto* ba = a.as<BroadcastNode>()) {
    const auto* bb = static_cast<const BroadcastNode*>(y);
    return ba->lanes == bb->lanes && ExprDeepEqual(ba->value, bb->value);
  }
  if (const auto* la = a.as<BufferLoadNode>()) {
    const auto* lb = static_cast<const BufferLoadNode*>(y);
    return la->buffer.same_as(lb->buffer) && ArrayEqual(la->indices, lb->indices);
  }
  if (const auto* ca = a.as<CallNode>()) {
    const auto* cb = static_cast<const CallNode*>(y);
    return ca->op.same_as(cb->op) && ArrayEqual(ca->args, cb->args);
  }
  return StructuralEqual()(a, b);
}

}  // namespace arith
}  // namespace tvm
