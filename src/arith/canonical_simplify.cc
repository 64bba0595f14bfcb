/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The canonical simplifier: integer expressions as a sum of terms.
//
// An integer expression is represented as
//
//   sum_i  ((index_i mod upper_i) div lower_i) * scale_i  +  base
//
// where every term has a constant scale, an optional constant modulus
// (upper) and divisor (lower), a division mode (floor or trunc), and an
// `index` that is an ordinary expression the form does not look into (a
// variable, a product of variables, ...). Sums and constant products merge
// like terms, so algebraically equal index expressions meet in one form:
//
//   (x + y * 4 + 2) - (y * 4 + x)        ->  2
//   floordiv(i_o * 32 + i_i, 32)          ->  i_o          (0 <= i_i < 32)
//   floormod(i_o * 32 + i_i, 32)          ->  i_i
//   floordiv(x, 4) * 4 + floormod(x, 4)   ->  x
//   floormod(floordiv(x, 4), 8)           ->  floordiv(floormod(x, 32), 4)
//
// Division by a constant c splits a sum into the terms c divides (divided
// exactly) and the rest; when the rest plus the constant's remainder lies in
// [0, c) it contributes nothing (floor semantics; truncating division only
// when the dividend is provably non-negative). Two terms on the same index,
// ((x mod m) div l) * s and ((x mod u) div m) * s * m / l, fuse into one
// ((x mod u) div l) * s, which undoes a split of a loop index.
//
// The output lists positive terms by decreasing scale (then decreasing
// divisor and modulus; ties keep their first appearance), then the constant,
// then the negative terms: y * 2 + 1 - x * 2. Other nodes (min, max, comparisons, ...) get the rewrite
// rules of RewriteSimplifier, applied to normalised operands.
#include <algorithm>

#include "rewrite_simplify.h"

namespace tvm {
namespace arith {

namespace {

enum class DivMode : int { kTrunc = 0, kFloor = 1 };

constexpr int64_t kNoUpper = kBoundPosInf;

/*! \brief ((index mod upper) div lower) * scale. */
struct Term {
  PrimExpr index;
  int64_t lower{1};
  int64_t upper{kNoUpper};
  int64_t scale{1};
  DivMode mode{DivMode::kFloor};

  bool Trivial() const { return lower == 1 && upper == kNoUpper; }
  bool SameShape(const Term& o) const {
    return lower == o.lower && upper == o.upper && (mode == o.mode || Trivial()) && ExprDeepEqual(index, o.index);
  }
};

struct SumData {
  std::vector<Term> terms;
  int64_t base{0};
};

/*! \brief The canonical form flowing between the simplifier's visitors; never escapes it. */
class SumExprNode : public PrimExprNode {
 public:
  SumData data;
  static constexpr const char* _type_key = "arith.SumExpr";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

bool MulChecked(int64_t a, int64_t b, int64_t* out) { return !__builtin_mul_overflow(a, b, out); }

/*!
 * \brief Whether sums of type t are normalised. Not unsigned types: a sum with
 *  negative coefficients (y - x as y + x * -1) or a negative constant would
 *  wrap where the original does not, and the bounds analysis would then
 *  reason about a value the hardware never computes.
 */
bool IsCanonicalType(DataType t) { return t.is_int() && t.lanes() == 1; }

}  // namespace

class CanonicalSimplifier::Impl : public RewriteSimplifier::Impl {
 public:
  explicit Impl(Analyzer* parent) : RewriteSimplifier::Impl(parent) {}

  PrimExpr CanonicalSimplify(const PrimExpr& e) {
    PrimExpr res = Simplify(e);
    // Normalising rebuilds sums; hand back the input itself when nothing changed,
    // so that callers keep sharing unchanged subtrees.
    if (!res.same_as(e) && ExprDeepEqual(res, e)) return e;
    return res;
  }

  /*!
   * \brief Visit and normalise: what every non-canonical consumer sees.
   *
   *  A sum rebuilt in canonical order has new partial sums ((x - y) + z becomes
   *  (x + z) - y), and a quotient splits off part of its dividend
   *  (floordiv(x * 4 + y + z, 4) is x + floordiv(y + z, 4)). In a type that
   *  wraps, such a new value may leave the dtype where the original did not;
   *  then this node gets the rules alone, which check what they build.
   */
  PrimExpr VisitExpr(const PrimExpr& e) final {
    PrimExpr form = CanonicalMutate(e);
    PrimExpr r = Normalize(form);
    if (IsCanonicalType(e.dtype()) && MayWrap(e.dtype()) && IsSumNode(e) && !WrapFree(e, r)) {
      if (ExprDeepEqual(r, e)) return e;
      return RulesOnly(e);
    }
    RememberResult(r, form);
    return r;
  }

  PrimExpr SimplifiedDiff(const PrimExpr& a, const PrimExpr& b) final {
    if (!IsCanonicalType(a.dtype())) return RewriteSimplifier::Impl::SimplifiedDiff(a, b);
    SumData d = AsSum(CanonicalMutate(a));
    AddScaled(&d, AsSum(CanonicalMutate(b)), -1);
    // x - INT_MIN needs a constant the dtype cannot hold: then the rules' difference.
    if (!SumFits(d, a.dtype())) return RewriteSimplifier::Impl::SimplifiedDiff(Normalize(a), Normalize(b));
    return NormalizeSum(d, a.dtype());
  }

 protected:
  /*! \brief Visit without normalising: sums stay sums for the parent to combine. */
  PrimExpr CanonicalMutate(const PrimExpr& e) {
    return Memoised(e, [&]() { return ExprFunctor::VisitExpr(e); });
  }

  PrimExpr VisitExpr_(const AddNode* op) final {
    if (!IsCanonicalType(op->dtype)) return RewriteSimplifier::Impl::VisitExpr_(op);
    SumData d = AsSum(CanonicalMutate(op->a));
    AddScaled(&d, AsSum(CanonicalMutate(op->b)), 1);
    return SumOrRules(std::move(d), op);
  }

  PrimExpr VisitExpr_(const SubNode* op) final {
    if (!IsCanonicalType(op->dtype)) return RewriteSimplifier::Impl::VisitExpr_(op);
    SumData d = AsSum(CanonicalMutate(op->a));
    AddScaled(&d, AsSum(CanonicalMutate(op->b)), -1);
    return SumOrRules(std::move(d), op);
  }

  PrimExpr VisitExpr_(const MulNode* op) final {
    if (!IsCanonicalType(op->dtype)) return RewriteSimplifier::Impl::VisitExpr_(op);
    PrimExpr a = CanonicalMutate(op->a), b = CanonicalMutate(op->b);
    if (const auto* c = b.as<IntImmNode>()) return SumOrRules(Scaled(AsSum(a), c->value), op);
    if (const auto* c = a.as<IntImmNode>()) return SumOrRules(Scaled(AsSum(b), c->value), op);
    // A product of two non-constants is an opaque index for the sum form; a
    // constant factor the rules pull out ((x * 4) * y is (x * y) * 4) stays a scale.
    PrimExpr r = ApplyMul(Mul(Normalize(a), Normalize(b)));
    if (const auto* m = r.as<MulNode>()) {
      if (const auto* c = m->b.as<IntImmNode>()) {
        return SumOrRules(Scaled(AsSum(CanonicalMutate(m->a)), c->value), op);
      }
    }
    return r;
  }

  PrimExpr VisitExpr_(const FloorDivNode* op) final { return VisitDivision(op, DivMode::kFloor, true); }
  PrimExpr VisitExpr_(const DivNode* op) final { return VisitDivision(op, DivMode::kTrunc, true); }
  PrimExpr VisitExpr_(const FloorModNode* op) final { return VisitDivision(op, DivMode::kFloor, false); }
  PrimExpr VisitExpr_(const ModNode* op) final { return VisitDivision(op, DivMode::kTrunc, false); }

 private:
  template <typename NodeType>
  PrimExpr VisitDivision(const NodeType* op, DivMode mode, bool is_div) {
    if (!IsCanonicalType(op->dtype)) return RewriteSimplifier::Impl::VisitExpr_(op);
    PrimExpr a = CanonicalMutate(op->a), b = CanonicalMutate(op->b);
    const auto* c = b.as<IntImmNode>();
    if (c == nullptr || c->value <= 0 || a.as<IntImmNode>()) {
      // Symbolic or negative divisors, and constants: the rewrite rules.
      PrimExpr na = Normalize(a), nb = Normalize(b);
      CheckDivisor(na, nb, is_div ? "div" : "mod");
      if (is_div) {
        return mode == DivMode::kFloor ? ApplyFloorDiv(FloorDiv(na, nb)) : ApplyDiv(Div(na, nb));
      }
      return mode == DivMode::kFloor ? ApplyFloorMod(FloorMod(na, nb)) : ApplyMod(Mod(na, nb));
    }
    SumData s = AsSum(a);
    return is_div ? SumDiv(std::move(s), c->value, mode, op->dtype) : SumMod(std::move(s), c->value, mode, op->dtype);
  }

  /*! \brief The node kinds the canonical form rebuilds. */
  static bool IsSumNode(const PrimExpr& e) {
    return e.as<AddNode>() || e.as<SubNode>() || e.as<MulNode>() || e.as<DivNode>() || e.as<ModNode>() ||
           e.as<FloorDivNode>() || e.as<FloorModNode>();
  }

  /*! \brief e by the rewrite rules (its operands still visited canonically). */
  PrimExpr RulesOnly(const PrimExpr& e) {
    using Base = RewriteSimplifier::Impl;
    if (const auto* n = e.as<AddNode>()) return Base::VisitExpr_(n);
    if (const auto* n = e.as<SubNode>()) return Base::VisitExpr_(n);
    if (const auto* n = e.as<MulNode>()) return Base::VisitExpr_(n);
    if (const auto* n = e.as<DivNode>()) return Base::VisitExpr_(n);
    if (const auto* n = e.as<ModNode>()) return Base::VisitExpr_(n);
    if (const auto* n = e.as<FloorDivNode>()) return Base::VisitExpr_(n);
    if (const auto* n = e.as<FloorModNode>()) return Base::VisitExpr_(n);
    return e;
  }

  // -------------------------------------------------------------------
  // Conversions

  SumData AsSum(const PrimExpr& e) {
    if (const auto* s = e.as<SumExprNode>()) return s->data;
    SumData d;
    if (const auto* imm = e.as<IntImmNode>()) {
      d.base = imm->value;
      return d;
    }
    Term t;
    t.index = e;
    d.terms.push_back(std::move(t));
    return d;
  }

  /*!
   * \brief The sum, when its constant and every scale are values of the node's dtype
   *  (int8 (27 - u) * 11 would need 297); else the node by the rules alone.
   */
  template <typename NodeType>
  PrimExpr SumOrRules(SumData d, const NodeType* op) {
    if (SumFits(d, op->dtype)) return FromSum(std::move(d), op->dtype);
    return RewriteSimplifier::Impl::VisitExpr_(op);
  }

  /*! \brief Whether the constant and every scale and factor of d are values of dtype. */
  static bool SumFits(const SumData& d, DataType dtype) {
    auto fits = [&](int64_t v) { return FitsInType(dtype, v); };
    bool ok = fits(d.base);
    for (const Term& t : d.terms) {
      ok = ok && fits(t.scale) && (t.Trivial() || (fits(t.lower) && (t.upper == kNoUpper || fits(t.upper))));
    }
    return ok;
  }

  /*! \brief The sum as an expression node: a constant, a bare index, or a SumExpr. */
  PrimExpr FromSum(SumData d, DataType dtype) {
    if (d.terms.empty()) return make_const(dtype, d.base);
    if (d.terms.size() == 1 && d.base == 0 && d.terms[0].Trivial() && d.terms[0].scale == 1) {
      return d.terms[0].index;
    }
    auto n = make_object<SumExprNode>();
    n->dtype = dtype;
    n->data = std::move(d);
    return PrimExpr(n);
  }

  PrimExpr Normalize(const PrimExpr& e) {
    if (const auto* s = e.as<SumExprNode>()) return NormalizeSum(s->data, s->dtype);
    return e;
  }

  PrimExpr NormalizeTerm(const Term& t, int64_t scale, DataType dtype) {
    PrimExpr r = t.index;
    if (t.upper != kNoUpper) {
      PrimExpr u = IntImm(dtype, t.upper);
      r = t.mode == DivMode::kFloor ? PrimExpr(FloorMod(r, u)) : PrimExpr(Mod(r, u));
    }
    if (t.lower != 1) {
      PrimExpr l = IntImm(dtype, t.lower);
      r = t.mode == DivMode::kFloor ? PrimExpr(FloorDiv(r, l)) : PrimExpr(Div(r, l));
    }
    if (scale != 1) r = Mul(r, IntImm(dtype, scale));
    return r;
  }

  PrimExpr NormalizeSum(const SumData& d, DataType dtype) {
    if (d.terms.empty()) return make_const(dtype, d.base);
    std::vector<const Term*> order;
    order.reserve(d.terms.size());
    for (const Term& t : d.terms) order.push_back(&t);
    // By decreasing scale, then decreasing divisor, then decreasing modulus (none
    // first), floor before trunc; ties keep their first appearance.
    std::stable_sort(order.begin(), order.end(), [](const Term* a, const Term* b) {
      if (a->scale != b->scale) return a->scale > b->scale;
      if (a->lower != b->lower) return a->lower > b->lower;
      if (a->upper != b->upper) return a->upper > b->upper;
      return static_cast<int>(a->mode) > static_cast<int>(b->mode);
    });
    PrimExpr res;
    for (const Term* t : order) {
      if (t->scale <= 0) continue;
      PrimExpr term = NormalizeTerm(*t, t->scale, dtype);
      res = res.defined() ? PrimExpr(Add(res, term)) : term;
    }
    bool base_added = false;
    if (d.base > 0 || (!res.defined() && d.base != 0)) {
      PrimExpr c = IntImm(dtype, d.base);
      res = res.defined() ? PrimExpr(Add(res, c)) : c;
      base_added = true;
    }
    // A negative scale or constant is subtracted as its magnitude, unless that is not a
    // value of the dtype (int8 -128): then it is added as it is.
    for (const Term* t : order) {
      if (t->scale >= 0) continue;
      if (!FitsInType(dtype, -t->scale)) {
        PrimExpr term = NormalizeTerm(*t, t->scale, dtype);
        res = res.defined() ? PrimExpr(Add(res, term)) : term;
        continue;
      }
      PrimExpr term = NormalizeTerm(*t, -t->scale, dtype);
      res = res.defined() ? PrimExpr(Sub(res, term)) : PrimExpr(Sub(make_zero(dtype), term));
    }
    if (d.base < 0 && !base_added) {
      res = FitsInType(dtype, -d.base) ? PrimExpr(Sub(res, IntImm(dtype, -d.base))) : PrimExpr(Add(res, IntImm(dtype, d.base)));
    }
    return res;
  }

  // -------------------------------------------------------------------
  // Sums

  /*! \brief index is an Add/Sub/Mul that the sum form can look into. */
  static bool Expandable(const PrimExpr& index) {
    return index.as<AddNode>() || index.as<SubNode>() || index.as<MulNode>();
  }

  void AddTerm(SumData* d, Term t) {
    if (t.scale == 0) return;
    for (size_t i = 0; i < d->terms.size(); ++i) {
      Term& other = d->terms[i];
      if (other.SameShape(t)) {
        other.scale += t.scale;
        if (other.scale == 0) d->terms.erase(d->terms.begin() + i);
        return;
      }
    }
    for (size_t i = 0; i < d->terms.size(); ++i) {
      std::optional<Term> fused = Fuse(d->terms[i], t);
      if (!fused.has_value()) fused = Fuse(t, d->terms[i]);
      if (fused.has_value()) {
        d->terms.erase(d->terms.begin() + i);
        if (fused->Trivial() && Expandable(fused->index)) {
          // A fused term over a sum (floordiv(x + y, 4) * 4 + floormod(x + y, 4)) opens back up.
          PrimExpr inner = CanonicalMutate(fused->index);
          if (inner.as<SumExprNode>()) {
            AddScaled(d, AsSum(inner), fused->scale);
            return;
          }
        }
        AddTerm(d, std::move(*fused));
        return;
      }
    }
    d->terms.push_back(std::move(t));
  }

  /*!
   * \brief ((x mod u) div m) * s_hi + ((x mod m) div l) * s_lo, with l | m | u and
   *  s_hi = s_lo * (m / l), is ((x mod u) div l) * s_lo.
   */
  static std::optional<Term> Fuse(const Term& hi, const Term& lo) {
    if (hi.mode != lo.mode) return std::nullopt;
    int64_t m = hi.lower;
    if (lo.upper != m || m % lo.lower != 0) return std::nullopt;
    if (hi.upper != kNoUpper && hi.upper % m != 0) return std::nullopt;
    int64_t expect;
    if (!MulChecked(lo.scale, m / lo.lower, &expect) || expect != hi.scale) return std::nullopt;
    if (!ExprDeepEqual(hi.index, lo.index)) return std::nullopt;
    Term fused = lo;
    fused.upper = hi.upper;
    return fused;
  }

  void AddScaled(SumData* d, const SumData& o, int64_t scale) {
    for (const Term& t : o.terms) {
      Term s = t;
      s.scale *= scale;
      AddTerm(d, std::move(s));
    }
    d->base += o.base * scale;
  }

  static SumData Scaled(SumData d, int64_t scale) {
    if (scale == 0) return SumData();
    for (Term& t : d.terms) t.scale *= scale;
    d.base *= scale;
    return d;
  }

  // -------------------------------------------------------------------
  // Division and remainder by a positive constant

  bool NonNegative(const PrimExpr& e) { return CanProveGE(e, 0); }

  /*! \brief The term's mode can become `mode`: equal modes, or a non-negative index. */
  bool AdaptMode(Term* t, DivMode mode) {
    if (t->mode == mode || t->Trivial()) {
      t->mode = mode;
      return true;
    }
    if (NonNegative(t->index)) {
      t->mode = mode;
      return true;
    }
    return false;
  }

  /*! \brief t div c as one term (scale 0 when it is zero), if it has that form. */
  std::optional<Term> TermDiv(Term t, int64_t c, DivMode mode) {
    if (!AdaptMode(&t, mode)) return std::nullopt;
    if (t.scale % c == 0) {
      t.scale /= c;
      return t;
    }
    if (t.scale > 0 && c % t.scale == 0) {
      int64_t lower;
      if (!MulChecked(t.lower, c / t.scale, &lower)) return std::nullopt;
      t.lower = lower;
      t.scale = 1;
      if (t.upper != kNoUpper && t.lower >= t.upper) t.scale = 0;
      return t;
    }
    return std::nullopt;
  }

  /*! \brief t mod c as one term (scale 0 when it is zero), if it has that form. */
  std::optional<Term> TermMod(Term t, int64_t c, DivMode mode) {
    if (!AdaptMode(&t, mode)) return std::nullopt;
    if (t.scale % c == 0) {
      t.scale = 0;
      return t;
    }
    if (t.scale > 0 && c % t.scale == 0) {
      int64_t upper;
      if (!MulChecked(t.lower, c / t.scale, &upper)) return std::nullopt;
      if (t.upper != kNoUpper && upper % t.upper == 0) return t;  // already below c
      if (t.upper == kNoUpper || t.upper % upper == 0) {
        t.upper = upper;
        if (t.mode == DivMode::kFloor) t.index = ReduceConstant(t.index, upper);
        return t;
      }
    }
    return std::nullopt;
  }

  /*!
   * \brief index with its constant term taken modulo u, for an index seen only modulo u
   *  (floor mode): floormod(i + 24524, 16) is floormod(i + 12, 16).
   */
  static PrimExpr ReduceConstant(const PrimExpr& index, int64_t u) {
    const auto* add = index.as<AddNode>();
    if (add == nullptr) return index;
    const auto* k = add->b.as<IntImmNode>();
    if (k == nullptr) return index;
    int64_t r = FloorModInt(k->value, u);
    if (r == k->value) return index;
    if (r == 0) return add->a;
    return Add(add->a, IntImm(k->dtype, r));
  }

  /*! \brief Divide out the gcd of c, the base and every scale; returns it. */
  static int64_t CommonFactor(const SumData& d, int64_t c) {
    int64_t g = GCD(c, d.base);
    for (const Term& t : d.terms) g = GCD(g, t.scale);
    return g;
  }

  /*! \brief Split the terms into those c divides and the rest, and the base into q * c + r. */
  static void Separate(const SumData& s, int64_t c, SumData* divisible, SumData* rest, int64_t* q) {
    for (const Term& t : s.terms) {
      if (t.scale % c == 0) {
        divisible->terms.push_back(t);
      } else {
        rest->terms.push_back(t);
      }
    }
    *q = FloorDivInt(s.base, c);
    rest->base = FloorModInt(s.base, c);
  }

  /*! \brief The opaque quotient or remainder of a whole sum. */
  PrimExpr OpaqueTerm(const SumData& s, int64_t c, DivMode mode, bool is_div, DataType dtype) {
    Term t;
    t.index = NormalizeSum(s, dtype);
    t.mode = mode;
    if (is_div) {
      t.lower = c;
    } else {
      t.upper = c;
    }
    SumData d;
    d.terms.push_back(std::move(t));
    return FromSum(std::move(d), dtype);
  }

  bool SumInRange(const SumData& s, int64_t c, DataType dtype) {
    if (s.terms.empty()) return s.base >= 0 && s.base < c;
    Bounds b = BoundsOf(NormalizeSum(s, dtype));
    return b.min_value >= 0 && b.max_value < c;
  }

  PrimExpr SumDiv(SumData s, int64_t c, DivMode mode, DataType dtype) {
    if (c == 1) return FromSum(std::move(s), dtype);
    if (s.terms.empty()) {
      return make_const(dtype, mode == DivMode::kFloor ? FloorDivInt(s.base, c) : s.base / c);
    }
    if (s.terms.size() == 1 && s.base == 0) {
      if (SumInRange(s, c, dtype) || (mode == DivMode::kTrunc && InSymmetricRange(s, c, dtype))) {
        return make_zero(dtype);
      }
      if (auto t = TermDiv(s.terms[0], c, mode)) {
        SumData d;
        AddTerm(&d, std::move(*t));
        return FromSum(std::move(d), dtype);
      }
      return OpaqueTerm(s, c, mode, true, dtype);
    }
    SumData divisible, rest;
    int64_t q;
    Separate(s, c, &divisible, &rest, &q);
    // Every scale and the constant divisible by c: the division is exact, in either rounding.
    if (rest.terms.empty() && s.base % c == 0) {
      SumData exact;
      for (Term t : s.terms) {
        t.scale /= c;
        AddTerm(&exact, std::move(t));
      }
      exact.base = s.base / c;
      return FromSum(std::move(exact), dtype);
    }
    if (mode == DivMode::kTrunc) {
      // truncdiv agrees with floordiv on a non-negative dividend (and remainder part).
      if (!NonNegative(NormalizeSum(s, dtype)) || !(rest.terms.empty() || NonNegative(NormalizeSum(rest, dtype)))) {
        return OpaqueTerm(s, c, mode, true, dtype);
      }
    }
    // A constant that c does not divide stays whole with the other terms
    // ((x * 47 + 17) // 16 is not split into 1 + (x * 47 + 1) // 16).
    if (!rest.terms.empty() && s.base % c != 0) {
      rest.base = s.base;
      q = 0;
    }
    SumData result;
    for (Term t : divisible.terms) {
      t.scale /= c;
      AddTerm(&result, std::move(t));
    }
    result.base = q;
    if (!rest.terms.empty() && !SumInRange(rest, c, dtype)) {
      PrimExpr quotient;
      int64_t g = CommonFactor(rest, c);
      if (rest.terms.size() == 1 && rest.base == 0) {
        quotient = SumDiv(rest, c, mode, dtype);
      } else if (g > 1) {
        quotient = SumDiv(DivideBy(rest, g), c / g, mode, dtype);
      } else {
        quotient = OpaqueTerm(rest, c, mode, true, dtype);
      }
      AddScaled(&result, AsSum(quotient), 1);
    }
    return FromSum(std::move(result), dtype);
  }

  PrimExpr SumMod(SumData s, int64_t c, DivMode mode, DataType dtype) {
    if (c == 1) return make_zero(dtype);
    if (s.terms.empty()) {
      return make_const(dtype, mode == DivMode::kFloor ? FloorModInt(s.base, c) : s.base % c);
    }
    if (s.terms.size() == 1 && s.base == 0) {
      if (SumInRange(s, c, dtype) || (mode == DivMode::kTrunc && InSymmetricRange(s, c, dtype))) {
        return FromSum(std::move(s), dtype);
      }
      if (auto t = TermMod(s.terms[0], c, mode)) {
        SumData d;
        AddTerm(&d, std::move(*t));
        return FromSum(std::move(d), dtype);
      }
      return OpaqueTerm(s, c, mode, false, dtype);
    }
    SumData divisible, rest;
    int64_t q;
    Separate(s, c, &divisible, &rest, &q);
    // Every scale and the constant divisible by c: nothing remains, in either rounding.
    if (rest.terms.empty() && s.base % c == 0) return make_zero(dtype);
    if (mode == DivMode::kTrunc) {
      if (!NonNegative(NormalizeSum(s, dtype)) || !(rest.terms.empty() || NonNegative(NormalizeSum(rest, dtype)))) {
        return OpaqueTerm(s, c, mode, false, dtype);
      }
    }
    if (rest.terms.empty()) return make_const(dtype, rest.base);
    if (SumInRange(rest, c, dtype)) return FromSum(std::move(rest), dtype);
    if (rest.terms.size() == 1 && rest.base == 0) return SumMod(std::move(rest), c, mode, dtype);
    int64_t g = CommonFactor(rest, c);
    if (g > 1) {
      PrimExpr inner = SumMod(DivideBy(rest, g), c / g, mode, dtype);
      return FromSum(Scaled(AsSum(inner), g), dtype);
    }
    return OpaqueTerm(rest, c, mode, false, dtype);
  }

  bool InSymmetricRange(const SumData& s, int64_t c, DataType dtype) {
    Bounds b = BoundsOf(NormalizeSum(s, dtype));
    return b.min_value > -c && b.max_value < c;
  }

  static SumData DivideBy(SumData d, int64_t g) {
    for (Term& t : d.terms) t.scale /= g;
    d.base /= g;
    return d;
  }
};

// ---------------------------------------------------------------------------
// The public class

CanonicalSimplifier::CanonicalSimplifier(Analyzer* parent) : impl_(std::make_unique<Impl>(parent)) {}
CanonicalSimplifier::~CanonicalSimplifier() = default;

PrimExpr CanonicalSimplifier::operator()(const PrimExpr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "canonical_simplify: the expression is undefined (None)";
  return impl_->CanonicalSimplify(expr);
}

void CanonicalSimplifier::Update(const Var& var, const PrimExpr& new_expr, bool allow_override) {
  impl_->Update(var, new_expr, allow_override);
}

std::function<void()> CanonicalSimplifier::EnterConstraint(const PrimExpr& constraint) {
  return impl_->EnterConstraint(constraint);
}

}  // namespace arith
}  // namespace tvm
