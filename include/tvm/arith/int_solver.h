/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/int_solver.h
 * \brief Systems of integer constraints and two solvers for them.
 *
 * A system (IntConstraints) is a list of integer variables, the ranges some
 * of them (and of outer parameters) take, and relations over them. The
 * equation solver rewrites the variables through fresh ones so that every
 * solution of the equations is one value of the fresh variables:
 *
 *   // {x + y == 20, x - y == 10}: x -> 15, y -> 5, no fresh variable
 *   IntConstraintsTransform t = SolveLinearEquations(IntConstraints({x, y}, {}, eqs));
 *
 * The inequality solver eliminates the variables one by one
 * (Fourier-Motzkin) and gives each variable bounds that depend only on the
 * variables after it:
 *
 *   // {x + y <= 20, x - y >= 10, y in [0, 10)}: y in [0, 5], x in [y + 10, 20 - y]
 *   IntConstraints r = SolveInequalitiesToRange(IntConstraints({x, y}, ranges, ineqs));
 *
 * An infeasible system is reported, not thrown: its result has no variables
 * and the single relation `false`.
 */
#ifndef TVM_ARITH_INT_SOLVER_H_
#define TVM_ARITH_INT_SOLVER_H_

#include <tvm/ir/expr.h>
#include <tvm/tir/expr.h>

#include <utility>

namespace tvm {
namespace arith {

using tir::Var;
using tir::VarNode;

/*!
 * \brief Bounds on coef * v for one variable v, grouped by kind:
 *  coef * v >= each of lower, == each of equal, <= each of upper.
 */
class IntGroupBoundsNode : public Object {
 public:
  PrimExpr coef;
  Array<PrimExpr> lower;
  Array<PrimExpr> equal;
  Array<PrimExpr> upper;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("coef", &coef);
    v->Visit("lower", &lower);
    v->Visit("equal", &equal);
    v->Visit("upper", &upper);
  }
  static constexpr const char* _type_key = "arith.IntGroupBounds";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IntGroupBounds : public ObjectRef {
 public:
  using ContainerType = IntGroupBoundsNode;
  IntGroupBounds() = default;
  explicit IntGroupBounds(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  /*! \throws Error (TypeError) when coef is not an integer. */
  TVM_DLL IntGroupBounds(PrimExpr coef, Array<PrimExpr> lower, Array<PrimExpr> equal,
                         Array<PrimExpr> upper);
  const IntGroupBoundsNode* operator->() const { return static_cast<const IntGroupBoundsNode*>(get()); }

  /*! \brief 1 * v in [r.min, r.min + r.extent - 1] (an equality when the extent is 1). */
  TVM_DLL static IntGroupBounds FromRange(const Range& r);
  /*! \brief The same bounds with vmap applied to every expression. */
  TVM_DLL IntGroupBounds Substitute(const Map<Var, PrimExpr>& vmap) const;
  /*!
   * \brief The range of v with the smallest width that one lower and one upper
   *  bound give (over-approximated with the ranges in vranges); undefined when
   *  no pair bounds v on both sides.
   */
  TVM_DLL Range FindBestRange(const Map<Var, Range>& vranges = {}) const;
  /*! \brief These bounds and v in r, scaled by coef (r's bounds come first). */
  TVM_DLL IntGroupBounds operator+(const Range& r) const;
};

/*!
 * \brief A system of integer constraints: the variables, the ranges of
 *  variables (ranges of outer parameters may be listed too), and the relations
 *  (equations, inequalities, or any boolean condition) between them.
 */
class IntConstraintsNode : public Object {
 public:
  Array<Var> variables;
  Map<Var, Range> ranges;
  Array<PrimExpr> relations;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("variables", &variables);
    v->Visit("ranges", &ranges);
    v->Visit("relations", &relations);
  }
  static constexpr const char* _type_key = "arith.IntConstraints";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IntConstraints : public ObjectRef {
 public:
  using ContainerType = IntConstraintsNode;
  IntConstraints() = default;
  explicit IntConstraints(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  /*! \throws Error (TypeError) naming a variable that is not an integer. */
  TVM_DLL IntConstraints(Array<Var> variables, Map<Var, Range> ranges, Array<PrimExpr> relations);
  const IntConstraintsNode* operator->() const { return static_cast<const IntConstraintsNode*>(get()); }
};

/*!
 * \brief Two equivalent systems over different variables and the maps between
 *  them: src_to_dst writes each src variable in dst variables, dst_to_src the
 *  reverse. {a + b == 0 | a, b >= 0} and {m - n == 0 | m >= 0, n <= 0} are
 *  related by a -> m, b -> -n and m -> a, n -> -b.
 */
class IntConstraintsTransformNode : public Object {
 public:
  IntConstraints src;
  IntConstraints dst;
  Map<Var, PrimExpr> src_to_dst;
  Map<Var, PrimExpr> dst_to_src;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("src", &src);
    v->Visit("dst", &dst);
    v->Visit("src_to_dst", &src_to_dst);
    v->Visit("dst_to_src", &dst_to_src);
  }
  static constexpr const char* _type_key = "arith.IntConstraintsTransform";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IntConstraintsTransform : public ObjectRef {
 public:
  using ContainerType = IntConstraintsTransformNode;
  IntConstraintsTransform() = default;
  explicit IntConstraintsTransform(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  TVM_DLL IntConstraintsTransform(IntConstraints src, IntConstraints dst, Map<Var, PrimExpr> src_to_dst,
                                  Map<Var, PrimExpr> dst_to_src);
  const IntConstraintsTransformNode* operator->() const {
    return static_cast<const IntConstraintsTransformNode*>(get());
  }
  /*!
   * \brief This transform followed by `next` (whose src must be this dst):
   *  from this src straight to next's dst.
   */
  TVM_DLL IntConstraintsTransform operator+(const IntConstraintsTransform& next) const;
};

/*! \brief Bounds of each solved variable, and the relations left over. */
using PartialSolvedInequalities = std::pair<Map<Var, IntGroupBounds>, Array<PrimExpr>>;

/*!
 * \brief Solve the linear equations among the relations over the integers.
 * \return src is the given system; dst has fresh variables (none when the
 *  solution is unique), their ranges, and the conditions a solution needs
 *  (divisibility, the old variables' ranges, relations that were not linear
 *  equations). An infeasible system gives dst = ({}, {}, [false]) and empty maps.
 */
TVM_DLL IntConstraintsTransform SolveLinearEquations(const IntConstraints& system);

/*!
 * \brief Fourier-Motzkin elimination of the variables in order: each variable
 *  gets bounds over the variables after it (and the parameters); relations
 *  that are not linear in the variable being eliminated are returned as they are.
 */
TVM_DLL PartialSolvedInequalities SolveLinearInequalities(const IntConstraints& system);

/*! \brief The bounds (in the order of variables) and the relations as one list of conditions. */
TVM_DLL Array<PrimExpr> AsConditions(const Array<Var>& variables, const Map<Var, IntGroupBounds>& bounds,
                                     const Array<PrimExpr>& relations);

/*!
 * \brief Solve the inequalities and give each variable the narrowest range
 *  found; what the ranges do not express stays in the relations. An
 *  infeasible system gives ({}, {}, [false]).
 */
TVM_DLL IntConstraints SolveInequalitiesToRange(const IntConstraints& system);

/*!
 * \brief As SolveInequalitiesToRange, with each variable replaced by a fresh
 *  one that starts at zero (`v.shifted`); a variable fixed to one value is
 *  substituted away, and one without a range is kept as it is.
 */
TVM_DLL IntConstraintsTransform SolveInequalitiesDeskewRange(const IntConstraints& system);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_INT_SOLVER_H_
