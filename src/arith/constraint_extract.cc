/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Splitting conditions into facts (see constraint_extract.h).
#include "constraint_extract.h"

#include <tvm/tir/builtin.h>

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

void Collect(const PrimExpr& cond, bool negated, std::vector<PrimExpr>* out) {
  // likely(c) is a hint; as a fact it is c.
  if (const auto* call = cond.as<CallNode>()) {
    if (call->op.same_as(builtin::likely()) && call->args.size() == 1) {
      Collect(call->args[0], negated, out);
      return;
    }
  }
  if (const auto* n = cond.as<NotNode>()) {
    Collect(n->a, !negated, out);
    return;
  }
  if (!negated) {
    if (const auto* a = cond.as<AndNode>()) {
      Collect(a->a, false, out);
      Collect(a->b, false, out);
      return;
    }
  } else {
    if (const auto* o = cond.as<OrNode>()) {
      Collect(o->a, true, out);
      Collect(o->b, true, out);
      return;
    }
  }
  out->push_back(negated ? NegateCondition(cond) : cond);
}

}  // namespace

PrimExpr NegateCondition(const PrimExpr& cond) {
  if (const auto* n = cond.as<LTNode>()) return LE(n->b, n->a);
  if (const auto* n = cond.as<LENode>()) return LT(n->b, n->a);
  if (const auto* n = cond.as<GTNode>()) return LE(n->a, n->b);
  if (const auto* n = cond.as<GENode>()) return LT(n->a, n->b);
  if (const auto* n = cond.as<EQNode>()) return NE(n->a, n->b);
  if (const auto* n = cond.as<NENode>()) return EQ(n->a, n->b);
  if (const auto* n = cond.as<NotNode>()) return n->a;
  if (const auto* n = cond.as<AndNode>()) return Or(NegateCondition(n->a), NegateCondition(n->b));
  if (const auto* n = cond.as<OrNode>()) return And(NegateCondition(n->a), NegateCondition(n->b));
  if (const auto* i = cond.as<IntImmNode>()) return IntImm(cond.dtype(), i->value == 0 ? 1 : 0);
  return Not(cond);
}

std::vector<PrimExpr> ExtractConstraints(const PrimExpr& cond) {
  std::vector<PrimExpr> out;
  Collect(cond, false, &out);
  return out;
}

}  // namespace arith
}  // namespace tvm
