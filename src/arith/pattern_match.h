/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file pattern_match.h
 * \brief A small expression-pattern language for writing rewrite rules as
 *  one line each:
 *
 *   PVar<PrimExpr> x, y;        // any expression
 *   PVar<IntImm> c1, c2;        // an integer constant
 *   if ((x + c1 + c2).Match(e)) return (x + (c1 + c2)).Eval();
 *
 * A pattern is built with the usual operators (+ - * < <= == && ! ...) and
 * functions (floordiv, floormod, truncdiv, truncmod, min, max, select,
 * ramp, broadcast). Match(e) first clears every variable of the pattern,
 * then walks e: the first occurrence of a variable binds it, later
 * occurrences must be structurally equal to the binding. Eval() builds the
 * expression the pattern describes with the bound values, through the
 * folding helpers of tvm/tir/op.h, so constant parts fold.
 *
 * Integer literals in a pattern (x + 0, x * 1) match an integer constant of
 * that value; in Eval they take the dtype of the other operand.
 *
 * Variables are held by reference inside composite patterns, which are held
 * by value, so a pattern expression may be built inline in a condition.
 */
#ifndef TVM_ARITH_PATTERN_MATCH_H_
#define TVM_ARITH_PATTERN_MATCH_H_

#include <tvm/tir/expr.h>
#include <tvm/tir/op.h>

#include <type_traits>

#include "expr_equal.h"

namespace tvm {
namespace arith {

/*! \brief The base of every pattern (CRTP). */
template <typename Derived>
class Pattern {
 public:
  const Derived& self() const { return *static_cast<const Derived*>(this); }

  /*! \brief Clear the variables, then match `e`. */
  bool Match(const PrimExpr& e) const {
    self().Reset();
    return self().MatchNode(e);
  }
};

// --------------------------------------------------------------------------
// Leaves

/*! \brief A pattern variable; T is PrimExpr (anything), IntImm (a constant) or int (a lane count). */
template <typename T>
class PVar;

template <>
class PVar<PrimExpr> : public Pattern<PVar<PrimExpr>> {
 public:
  void Reset() const { value_ = PrimExpr(); }
  bool MatchNode(const PrimExpr& e) const {
    if (value_.defined()) return ExprDeepEqual(value_, e);
    value_ = e;
    return true;
  }
  PrimExpr Eval() const { return value_; }
  const PrimExpr& Value() const { return value_; }

 private:
  mutable PrimExpr value_;
};

template <>
class PVar<IntImm> : public Pattern<PVar<IntImm>> {
 public:
  void Reset() const { value_ = IntImm(); }
  bool MatchNode(const PrimExpr& e) const {
    const auto* imm = e.as<IntImmNode>();
    if (imm == nullptr) return false;
    if (value_.defined()) return value_->value == imm->value;
    value_ = GetRef<IntImm>(imm);
    return true;
  }
  PrimExpr Eval() const { return value_; }
  const IntImm& Value() const { return value_; }
  int64_t IntValue() const { return value_->value; }

 private:
  mutable IntImm value_;
};

template <>
class PVar<int> : public Pattern<PVar<int>> {
 public:
  void Reset() const { bound_ = false; }
  bool MatchValue(int v) const {
    if (bound_) return value_ == v;
    value_ = v;
    bound_ = true;
    return true;
  }
  int Eval() const { return value_; }

 private:
  mutable int value_{0};
  mutable bool bound_{false};
};

/*! \brief An integer literal inside a pattern. */
class PInt : public Pattern<PInt> {
 public:
  explicit PInt(int64_t value) : value_(value) {}
  void Reset() const {}
  bool MatchNode(const PrimExpr& e) const {
    if (const auto* imm = e.as<IntImmNode>()) return imm->value == value_;
    return false;
  }
  /*! \brief The literal as a constant of dtype t. */
  PrimExpr EvalAs(DataType t) const { return make_const(t, value_); }

 private:
  int64_t value_;
};

// Variables are held by reference, everything else by value.
template <typename T>
struct PatternHolder {
  using type = T;
};
template <typename T>
struct PatternHolder<PVar<T>> {
  using type = const PVar<T>&;
};
template <typename T>
using Held = typename PatternHolder<T>::type;

template <typename T>
struct IsPInt : std::false_type {};
template <>
struct IsPInt<PInt> : std::true_type {};

/*! \brief Build a two-operand node through the folding helper of its kind. */
template <typename NodeType>
struct BinaryBuilder {
  static PrimExpr Build(PrimExpr a, PrimExpr b) {
    using namespace tir;  // NOLINT(build/namespaces)
    if constexpr (std::is_same_v<NodeType, AddNode>) return add(a, b);
    if constexpr (std::is_same_v<NodeType, SubNode>) return sub(a, b);
    if constexpr (std::is_same_v<NodeType, MulNode>) return mul(a, b);
    if constexpr (std::is_same_v<NodeType, DivNode>) return truncdiv(a, b);
    if constexpr (std::is_same_v<NodeType, ModNode>) return truncmod(a, b);
    if constexpr (std::is_same_v<NodeType, FloorDivNode>) return floordiv(a, b);
    if constexpr (std::is_same_v<NodeType, FloorModNode>) return floormod(a, b);
    if constexpr (std::is_same_v<NodeType, MinNode>) return tvm::min(a, b);
    if constexpr (std::is_same_v<NodeType, MaxNode>) return tvm::max(a, b);
    if constexpr (std::is_same_v<NodeType, EQNode>) return equal(a, b);
    if constexpr (std::is_same_v<NodeType, NENode>) return not_equal(a, b);
    if constexpr (std::is_same_v<NodeType, LTNode>) return less(a, b);
    if constexpr (std::is_same_v<NodeType, LENode>) return less_equal(a, b);
    if constexpr (std::is_same_v<NodeType, GTNode>) return greater(a, b);
    if constexpr (std::is_same_v<NodeType, GENode>) return greater_equal(a, b);
    if constexpr (std::is_same_v<NodeType, AndNode>) return logical_and(a, b);
    if constexpr (std::is_same_v<NodeType, OrNode>) return logical_or(a, b);
  }
};

/*!
 * \brief Constant arithmetic inside a rule's result is exact: when a + b, a - b
 *  or a * b of two constants does not fit their dtype (uint 3 - 5, int8
 *  100 + 100), this throws a ValueError and the rule does not apply
 *  (TryEvalRule), instead of folding to a wrapped value the original
 *  expression never had.
 */
template <typename NodeType>
void CheckExactConstant(const PrimExpr& a, const PrimExpr& b) {
  constexpr bool kRing = std::is_same_v<NodeType, tir::AddNode> || std::is_same_v<NodeType, tir::SubNode> ||
                         std::is_same_v<NodeType, tir::MulNode>;
  if constexpr (kRing) {
    const auto* ia = a.as<IntImmNode>();
    const auto* ib = b.as<IntImmNode>();
    if (ia == nullptr || ib == nullptr) return;
    int64_t r;
    bool overflow;
    if constexpr (std::is_same_v<NodeType, tir::AddNode>) overflow = __builtin_add_overflow(ia->value, ib->value, &r);
    if constexpr (std::is_same_v<NodeType, tir::SubNode>) overflow = __builtin_sub_overflow(ia->value, ib->value, &r);
    if constexpr (std::is_same_v<NodeType, tir::MulNode>) overflow = __builtin_mul_overflow(ia->value, ib->value, &r);
    DataType t = a.dtype();
    if (!overflow) {
      if (t.is_uint()) {
        overflow = r < 0 || (t.bits() < 64 && r >= (int64_t{1} << t.bits()));
      } else if (t.bits() < 64) {
        overflow = r < -(int64_t{1} << (t.bits() - 1)) || r >= (int64_t{1} << (t.bits() - 1));
      }
    }
    TVM_CHECK(!overflow, "ValueError") << "rule constant " << ia->value << " op " << ib->value << " does not fit in "
                                       << t;
  }
}

// --------------------------------------------------------------------------
// Composite patterns

template <typename NodeType, typename TA, typename TB>
class PBinary : public Pattern<PBinary<NodeType, TA, TB>> {
 public:
  PBinary(const TA& a, const TB& b) : a_(a), b_(b) {}
  void Reset() const {
    a_.Reset();
    b_.Reset();
  }
  bool MatchNode(const PrimExpr& e) const {
    const auto* n = e.as<NodeType>();
    return n != nullptr && a_.MatchNode(n->a) && b_.MatchNode(n->b);
  }
  PrimExpr Eval() const {
    PrimExpr a, b;
    if constexpr (IsPInt<TA>::value) {
      b = b_.Eval();
      a = a_.EvalAs(b.dtype());
    } else if constexpr (IsPInt<TB>::value) {
      a = a_.Eval();
      b = b_.EvalAs(a.dtype());
    } else {
      a = a_.Eval();
      b = b_.Eval();
    }
    CheckExactConstant<NodeType>(a, b);
    return BinaryBuilder<NodeType>::Build(a, b);
  }

 private:
  Held<TA> a_;
  Held<TB> b_;
};

template <typename TA>
class PNot : public Pattern<PNot<TA>> {
 public:
  explicit PNot(const TA& a) : a_(a) {}
  void Reset() const { a_.Reset(); }
  bool MatchNode(const PrimExpr& e) const {
    const auto* n = e.as<tir::NotNode>();
    return n != nullptr && a_.MatchNode(n->a);
  }
  PrimExpr Eval() const { return logical_not(a_.Eval()); }

 private:
  Held<TA> a_;
};

template <typename TC, typename TT, typename TF>
class PSelect : public Pattern<PSelect<TC, TT, TF>> {
 public:
  PSelect(const TC& c, const TT& t, const TF& f) : c_(c), t_(t), f_(f) {}
  void Reset() const {
    c_.Reset();
    t_.Reset();
    f_.Reset();
  }
  bool MatchNode(const PrimExpr& e) const {
    const auto* n = e.as<tir::SelectNode>();
    return n != nullptr && c_.MatchNode(n->condition) && t_.MatchNode(n->true_value) &&
           f_.MatchNode(n->false_value);
  }
  PrimExpr Eval() const { return tir::Select(c_.Eval(), t_.Eval(), f_.Eval()); }

 private:
  Held<TC> c_;
  Held<TT> t_;
  Held<TF> f_;
};

template <typename TBase, typename TStride>
class PRamp : public Pattern<PRamp<TBase, TStride>> {
 public:
  PRamp(const TBase& base, const TStride& stride, const PVar<int>& lanes)
      : base_(base), stride_(stride), lanes_(lanes) {}
  void Reset() const {
    base_.Reset();
    stride_.Reset();
    lanes_.Reset();
  }
  bool MatchNode(const PrimExpr& e) const {
    const auto* n = e.as<tir::RampNode>();
    return n != nullptr && base_.MatchNode(n->base) && stride_.MatchNode(n->stride) && lanes_.MatchValue(n->lanes);
  }
  PrimExpr Eval() const { return tir::Ramp(base_.Eval(), stride_.Eval(), lanes_.Eval()); }

 private:
  Held<TBase> base_;
  Held<TStride> stride_;
  const PVar<int>& lanes_;
};

template <typename TValue>
class PBroadcast : public Pattern<PBroadcast<TValue>> {
 public:
  PBroadcast(const TValue& value, const PVar<int>& lanes) : value_(value), lanes_(lanes) {}
  void Reset() const {
    value_.Reset();
    lanes_.Reset();
  }
  bool MatchNode(const PrimExpr& e) const {
    const auto* n = e.as<tir::BroadcastNode>();
    return n != nullptr && value_.MatchNode(n->value) && lanes_.MatchValue(n->lanes);
  }
  PrimExpr Eval() const { return tir::Broadcast(value_.Eval(), lanes_.Eval()); }

 private:
  Held<TValue> value_;
  const PVar<int>& lanes_;
};

// --------------------------------------------------------------------------
// Building patterns

#define TVM_ARITH_PATTERN_BINARY_OP(Op, Node)                                                      \
  template <typename TA, typename TB>                                                              \
  inline PBinary<tir::Node, TA, TB> operator Op(const Pattern<TA>& a, const Pattern<TB>& b) {      \
    return PBinary<tir::Node, TA, TB>(a.self(), b.self());                                         \
  }                                                                                                \
  template <typename TA>                                                                           \
  inline PBinary<tir::Node, TA, PInt> operator Op(const Pattern<TA>& a, int64_t b) {               \
    return PBinary<tir::Node, TA, PInt>(a.self(), PInt(b));                                        \
  }                                                                                                \
  template <typename TB>                                                                           \
  inline PBinary<tir::Node, PInt, TB> operator Op(int64_t a, const Pattern<TB>& b) {               \
    return PBinary<tir::Node, PInt, TB>(PInt(a), b.self());                                        \
  }
TVM_ARITH_PATTERN_BINARY_OP(+, AddNode)
TVM_ARITH_PATTERN_BINARY_OP(-, SubNode)
TVM_ARITH_PATTERN_BINARY_OP(*, MulNode)
TVM_ARITH_PATTERN_BINARY_OP(==, EQNode)
TVM_ARITH_PATTERN_BINARY_OP(!=, NENode)
TVM_ARITH_PATTERN_BINARY_OP(<, LTNode)
TVM_ARITH_PATTERN_BINARY_OP(<=, LENode)
TVM_ARITH_PATTERN_BINARY_OP(>, GTNode)
TVM_ARITH_PATTERN_BINARY_OP(>=, GENode)
TVM_ARITH_PATTERN_BINARY_OP(&&, AndNode)
TVM_ARITH_PATTERN_BINARY_OP(||, OrNode)
#undef TVM_ARITH_PATTERN_BINARY_OP

#define TVM_ARITH_PATTERN_BINARY_FUNC(Name, Node)                                                  \
  template <typename TA, typename TB>                                                              \
  inline PBinary<tir::Node, TA, TB> Name(const Pattern<TA>& a, const Pattern<TB>& b) {             \
    return PBinary<tir::Node, TA, TB>(a.self(), b.self());                                         \
  }                                                                                                \
  template <typename TA>                                                                           \
  inline PBinary<tir::Node, TA, PInt> Name(const Pattern<TA>& a, int64_t b) {                      \
    return PBinary<tir::Node, TA, PInt>(a.self(), PInt(b));                                        \
  }                                                                                                \
  template <typename TB>                                                                           \
  inline PBinary<tir::Node, PInt, TB> Name(int64_t a, const Pattern<TB>& b) {                      \
    return PBinary<tir::Node, PInt, TB>(PInt(a), b.self());                                        \
  }
TVM_ARITH_PATTERN_BINARY_FUNC(truncdiv, DivNode)
TVM_ARITH_PATTERN_BINARY_FUNC(truncmod, ModNode)
TVM_ARITH_PATTERN_BINARY_FUNC(floordiv, FloorDivNode)
TVM_ARITH_PATTERN_BINARY_FUNC(floormod, FloorModNode)
TVM_ARITH_PATTERN_BINARY_FUNC(min, MinNode)
TVM_ARITH_PATTERN_BINARY_FUNC(max, MaxNode)
#undef TVM_ARITH_PATTERN_BINARY_FUNC

template <typename TA>
inline PNot<TA> operator!(const Pattern<TA>& a) {
  return PNot<TA>(a.self());
}

template <typename TC, typename TT, typename TF>
inline PSelect<TC, TT, TF> select(const Pattern<TC>& c, const Pattern<TT>& t, const Pattern<TF>& f) {
  return PSelect<TC, TT, TF>(c.self(), t.self(), f.self());
}

template <typename TBase, typename TStride>
inline PRamp<TBase, TStride> ramp(const Pattern<TBase>& base, const Pattern<TStride>& stride,
                                  const PVar<int>& lanes) {
  return PRamp<TBase, TStride>(base.self(), stride.self(), lanes);
}

template <typename TValue>
inline PBroadcast<TValue> broadcast(const Pattern<TValue>& value, const PVar<int>& lanes) {
  return PBroadcast<TValue>(value.self(), lanes);
}

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_PATTERN_MATCH_H_
