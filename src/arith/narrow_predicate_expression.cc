/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// NarrowPredicateExpression: a sufficient condition free of some parameters.
//
// A comparison a < b holds for every parameter value when the largest a is
// below the smallest b, so a is replaced by its upper estimate and b by its
// lower one; a == b splits into a <= b and b <= a, a != b into a < b or
// b < a. Under a negation the estimates swap (the inner condition is widened
// so that its negation narrows). Estimates go through monotonic arithmetic:
// + and - (the subtrahend flips), * by a constant (a negative one flips), //
// by a positive constant. Anything else that holds a parameter, every
// remainder, and every buffer load cannot be estimated: the comparison is
// then replaced by false when narrowing, true when widening.
//
//   n in [0, 8):  i + n < 10  ->  i + 7 < 10;   i == n  ->  i <= 0 and 7 <= i
#include <tvm/arith/narrow_predicate_expression.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/expr.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <optional>

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

class PredicateNarrower {
 public:
  explicit PredicateNarrower(const Map<Var, Range>& params) : params_(params) {}

  /*! \brief A condition implying cond (narrow) or implied by it (!narrow); nothing if it cannot be bounded. */
  std::optional<PrimExpr> Condition(const PrimExpr& cond, bool narrow) {
    if (const auto* op = cond.as<AndNode>()) return And(Constant(op->a, narrow), Constant(op->b, narrow));
    if (const auto* op = cond.as<OrNode>()) return Or(Constant(op->a, narrow), Constant(op->b, narrow));
    if (const auto* op = cond.as<NotNode>()) {
      auto inner = Condition(op->a, !narrow);
      if (!inner) return std::nullopt;
      return Not(*inner);
    }
    // a < b narrows to upper(a) < lower(b); widening swaps the estimates.
    if (const auto* op = cond.as<LTNode>()) return Compare<LT>(op->a, op->b, narrow);
    if (const auto* op = cond.as<LENode>()) return Compare<LE>(op->a, op->b, narrow);
    if (const auto* op = cond.as<GTNode>()) return Compare<GT>(op->a, op->b, !narrow);
    if (const auto* op = cond.as<GENode>()) return Compare<GE>(op->a, op->b, !narrow);
    if (const auto* op = cond.as<EQNode>()) {
      if (!op->a.dtype().is_int() && !op->a.dtype().is_uint()) return Unchanged(cond);
      auto le = Compare<LE>(op->a, op->b, narrow), ge = Compare<LE>(op->b, op->a, narrow);
      if (!le || !ge) return std::nullopt;
      return narrow ? PrimExpr(And(*le, *ge)) : PrimExpr(Or(*le, *ge));
    }
    if (const auto* op = cond.as<NENode>()) {
      if (!op->a.dtype().is_int() && !op->a.dtype().is_uint()) return Unchanged(cond);
      auto lt = Compare<LT>(op->a, op->b, narrow), gt = Compare<LT>(op->b, op->a, narrow);
      if (!lt || !gt) return std::nullopt;
      return Or(*lt, *gt);
    }
    return Unchanged(cond);
  }

  /*! \brief Condition, with a condition that cannot be bounded replaced by false (narrow) or true. */
  PrimExpr Constant(const PrimExpr& cond, bool narrow) {
    auto r = Condition(cond, narrow);
    return r ? *r : make_const(cond.dtype(), !narrow);
  }

 private:
  /*!
   * \brief a OP b with a's estimate from above and b's from below when `a_upper`
   *  (the ordered comparisons < and <=), the other way round otherwise.
   */
  template <typename Node>
  std::optional<PrimExpr> Compare(const PrimExpr& a, const PrimExpr& b, bool a_upper) {
    auto ea = Estimate(a, a_upper), eb = Estimate(b, !a_upper);
    if (!ea || !eb) return std::nullopt;
    return Node(*ea, *eb);
  }

  std::optional<PrimExpr> Unchanged(const PrimExpr& e) {
    if (HasBufferLoad(e)) return std::nullopt;
    return e;
  }

  /*! \brief An upper (or lower) estimate of e over the parameters' ranges. */
  std::optional<PrimExpr> Estimate(const PrimExpr& e, bool upper) {
    if (HasBufferLoad(e)) return std::nullopt;
    if (!UsesParam(e)) {
      // Remainders are not monotonic: the strategy gives up on them.
      if (HasRemainder(e)) return std::nullopt;
      return e;
    }
    if (const auto* v = e.as<VarNode>()) {
      Range r = params_.at(GetRef<Var>(v));
      if (!upper) return r->min;
      PrimExpr last = r->extent - make_const(r->extent.dtype(), 1);
      return r->min + last;
    }
    if (const auto* op = e.as<AddNode>()) {
      auto a = Estimate(op->a, upper), b = Estimate(op->b, upper);
      if (!a || !b) return std::nullopt;
      return Add(*a, *b);
    }
    if (const auto* op = e.as<SubNode>()) {
      auto a = Estimate(op->a, upper), b = Estimate(op->b, !upper);
      if (!a || !b) return std::nullopt;
      return Sub(*a, *b);
    }
    if (const auto* op = e.as<MulNode>()) {
      const auto* c = op->b.as<IntImmNode>();
      PrimExpr other = op->a;
      if (c == nullptr) {
        c = op->a.as<IntImmNode>();
        other = op->b;
      }
      if (c == nullptr) return std::nullopt;
      auto a = Estimate(other, c->value >= 0 ? upper : !upper);
      if (!a) return std::nullopt;
      return Mul(*a, GetRef<PrimExpr>(c));
    }
    if (const auto* op = e.as<FloorDivNode>()) return Quotient<FloorDiv>(op->a, op->b, upper);
    if (const auto* op = e.as<DivNode>()) return Quotient<Div>(op->a, op->b, upper);
    if (const auto* op = e.as<MinNode>()) {
      auto a = Estimate(op->a, upper), b = Estimate(op->b, upper);
      if (!a || !b) return std::nullopt;
      return Min(*a, *b);
    }
    if (const auto* op = e.as<MaxNode>()) {
      auto a = Estimate(op->a, upper), b = Estimate(op->b, upper);
      if (!a || !b) return std::nullopt;
      return Max(*a, *b);
    }
    return std::nullopt;
  }

  template <typename Node>
  std::optional<PrimExpr> Quotient(const PrimExpr& a, const PrimExpr& b, bool upper) {
    // Monotonic only for a positive constant divisor (a parameter there could be zero).
    const auto* c = b.as<IntImmNode>();
    if (c == nullptr || c->value <= 0) return std::nullopt;
    auto ea = Estimate(a, upper);
    if (!ea) return std::nullopt;
    return Node(*ea, b);
  }

  bool UsesParam(const PrimExpr& e) const {
    bool found = false;
    PostOrderVisit(e, [&](const ObjectRef& n) {
      if (const auto* v = n.as<VarNode>(); v != nullptr && params_.count(GetRef<Var>(v))) found = true;
    });
    return found;
  }

  static bool HasBufferLoad(const PrimExpr& e) {
    bool found = false;
    PostOrderVisit(e, [&](const ObjectRef& n) {
      if (n.as<BufferLoadNode>() || n.as<ProducerLoadNode>()) found = true;
    });
    return found;
  }

  static bool HasRemainder(const PrimExpr& e) {
    bool found = false;
    PostOrderVisit(e, [&](const ObjectRef& n) {
      if (n.as<FloorModNode>() || n.as<ModNode>()) found = true;
    });
    return found;
  }

  const Map<Var, Range>& params_;
};

}  // namespace

PrimExpr NarrowPredicateExpression(PrimExpr expr, Map<Var, Range> free_parameters) {
  TVM_CHECK(expr.defined(), "ValueError") << "NarrowPredicateExpression: the expression is undefined (None)";
  TVM_CHECK(expr.dtype().is_bool(), "TypeError")
      << "NarrowPredicateExpression: expected a boolean condition, got " << expr << " of type " << expr.dtype();
  PredicateNarrower narrower(free_parameters);
  return narrower.Constant(expr, true);
}

TVM_REGISTER_GLOBAL("arith.NarrowPredicateExpression").set_body_typed(NarrowPredicateExpression);

}  // namespace arith
}  // namespace tvm
