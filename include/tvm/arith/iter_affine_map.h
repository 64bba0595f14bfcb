/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/iter_affine_map.h
 * \brief Iterator (quasi-)affine maps: index expressions written as sums of
 *  splits of fused loop iterators.
 *
 * Given loop variables with their ranges, DetectIterMap recognises indices
 * built from fusing (`i * 4 + j`) and splitting (`floordiv(x, 4)`,
 * `floormod(x, 4)`) and rewrites each as an IterSumExpr:
 *
 *   x in [0, 10), y in [0, 9)
 *   floordiv(y, 3) * 6 + floordiv(x, 5) * 3 + floormod(y, 3)
 *     => IterSum([IterSplit(IterMark(IterSum([y/3 * 6, x/5 * 3, y%3]), 18))], 0)
 *   floormod(x, 5)
 *     => IterSum([IterSplit(IterMark(x, 10), lower_factor=1, extent=5)], 0)
 *
 * and checks that the indices are independent (each iterator's splits do
 * not overlap), surjective onto [0, extent) of every result, or bijective.
 *
 * The value of IterSplit(mark, lower_factor, extent, scale) is
 * floormod(floordiv(mark.source, lower_factor), extent) * scale; the value of
 * IterSum(args, base) is sum(args) + base; a mark says that its source takes
 * every value of [0, extent).
 */
#ifndef TVM_ARITH_ITER_AFFINE_MAP_H_
#define TVM_ARITH_ITER_AFFINE_MAP_H_

#include <tvm/arith/analyzer.h>
#include <tvm/ir/expr.h>
#include <tvm/tir/expr.h>

#include <optional>

namespace tvm {
namespace arith {

/*! \brief The base of the iterator map expressions (IterSplitExpr, IterSumExpr). */
class IterMapExprNode : public PrimExprNode {
 public:
  static constexpr const char* _type_key = "arith.IterMapExpr";
  using _type_parent = PrimExprNode;
};

class IterMapExpr : public PrimExpr {
 public:
  using ContainerType = IterMapExprNode;
  IterMapExpr() = default;
  explicit IterMapExpr(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  const IterMapExprNode* operator->() const { return static_cast<const IterMapExprNode*>(get()); }
};

/*!
 * \brief Marks `source` as an iterator over [0, extent). The source is an
 *  input loop variable or an IterSumExpr (a fused iterator).
 */
class IterMarkNode : public Object {
 public:
  PrimExpr source;
  PrimExpr extent;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("source", &source);
    v->Visit("extent", &extent);
  }
  static constexpr const char* _type_key = "arith.IterMark";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IterMark : public ObjectRef {
 public:
  using ContainerType = IterMarkNode;
  IterMark() = default;
  explicit IterMark(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  TVM_DLL IterMark(PrimExpr source, PrimExpr extent);
  const IterMarkNode* operator->() const { return static_cast<const IterMarkNode*>(get()); }
};

/*! \brief floormod(floordiv(source, lower_factor), extent) * scale. */
class IterSplitExprNode : public IterMapExprNode {
 public:
  IterMark source;
  PrimExpr lower_factor;
  PrimExpr extent;
  PrimExpr scale;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("source", &source);
    v->Visit("lower_factor", &lower_factor);
    v->Visit("extent", &extent);
    v->Visit("scale", &scale);
  }
  static constexpr const char* _type_key = "arith.IterSplitExpr";
  static constexpr bool _type_final = true;
  using _type_parent = IterMapExprNode;
};

class IterSplitExpr : public IterMapExpr {
 public:
  using ContainerType = IterSplitExprNode;
  IterSplitExpr() = default;
  explicit IterSplitExpr(ObjectPtr<Object> n) : IterMapExpr(std::move(n)) {}
  /*! \brief The whole mark: lower_factor 1, extent mark->extent, scale 1. */
  TVM_DLL explicit IterSplitExpr(IterMark source);
  /*! \brief The whole mark times scale. */
  TVM_DLL IterSplitExpr(IterMark source, PrimExpr scale);
  TVM_DLL IterSplitExpr(IterMark source, PrimExpr lower_factor, PrimExpr extent, PrimExpr scale);
  const IterSplitExprNode* operator->() const { return static_cast<const IterSplitExprNode*>(get()); }
};

/*! \brief sum(args) + base. */
class IterSumExprNode : public IterMapExprNode {
 public:
  Array<IterSplitExpr> args;
  PrimExpr base;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("args", &args);
    v->Visit("base", &base);
  }
  static constexpr const char* _type_key = "arith.IterSumExpr";
  static constexpr bool _type_final = true;
  using _type_parent = IterMapExprNode;
};

class IterSumExpr : public IterMapExpr {
 public:
  using ContainerType = IterSumExprNode;
  IterSumExpr() = default;
  explicit IterSumExpr(ObjectPtr<Object> n) : IterMapExpr(std::move(n)) {}
  TVM_DLL IterSumExpr(Array<IterSplitExpr> args, PrimExpr base);
  const IterSumExprNode* operator->() const { return static_cast<const IterSumExprNode*>(get()); }
};

/*! \brief How much DetectIterMap checks of the mapping. */
enum IterMapLevel : int {
  /*! \brief Every input iterator is used and every result value is reached exactly once. */
  Bijective = 0,
  /*! \brief The results are independent and every value of [0, extent) is reached. */
  Surjective = 1,
  /*! \brief Only the pattern is detected. */
  NoCheck = 3,
};

/*! \brief The result of DetectIterMap. */
class IterMapResultNode : public Object {
 public:
  /*! \brief One IterSumExpr per index; empty when the detection failed. */
  Array<IterSumExpr> indices;
  /*! \brief Why the detection failed (empty on success). */
  Array<String> errors;
  /*! \brief True exactly on the padding iterations added to make splits divisible. */
  PrimExpr padding_predicate;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("errors", &errors);
    v->Visit("indices", &indices);
    v->Visit("padding_predicate", &padding_predicate);
  }
  static constexpr const char* _type_key = "arith.IterMapResult";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IterMapResult : public ObjectRef {
 public:
  using ContainerType = IterMapResultNode;
  explicit IterMapResult(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  TVM_DLL IterMapResult();
  const IterMapResultNode* operator->() const { return static_cast<const IterMapResultNode*>(get()); }
  IterMapResultNode* operator->() { return static_cast<IterMapResultNode*>(get_mutable()); }
};

/*!
 * \brief Rewrite `indices` as iterator sums of `input_iters`.
 * \param predicate Constraints on the iterators, a conjunction of comparisons
 *  (`i * 4 + j < 10`, `3 <= i`) that narrow fused iterators.
 * \param simplify_trivial_iterators Replace iterators of extent 1 by their minimum.
 */
TVM_DLL IterMapResult DetectIterMap(const Array<PrimExpr>& indices, const Map<Var, Range>& input_iters,
                                    const PrimExpr& predicate, IterMapLevel check_level,
                                    Analyzer* analyzer, bool simplify_trivial_iterators = true);

/*!
 * \brief Best-effort rewrite of one index as an iterator sum whose scales are
 *  (symbol product) * constant, sorted by constant then symbol count, largest
 *  first; what is not recognised goes into the base.
 */
TVM_DLL IterSumExpr NormalizeToIterSum(PrimExpr index, const Map<Var, Range>& input_iters,
                                       Analyzer* analyzer);

/*! \brief The ordinary expression that an iterator map expression stands for. */
TVM_DLL PrimExpr NormalizeIterMapToExpr(const PrimExpr& expr);

/*! \brief The indices rewritten through DetectIterMap (unchanged where it fails). */
TVM_DLL Array<PrimExpr> IterMapSimplify(const Array<PrimExpr>& indices, const Map<Var, Range>& input_iters,
                                        const PrimExpr& input_pred, IterMapLevel check_level,
                                        Analyzer* analyzer, bool simplify_trivial_iterators = true);

/*!
 * \brief Write each binding as outer * extent(inner) + inner, where inner uses
 *  only `sub_iters` and outer only the other iterators. The result holds, per
 *  binding, [outer mark, inner mark], then [outer predicate, inner predicate]
 *  as the extents of two empty marks; it is empty when no such division exists.
 */
TVM_DLL Array<Array<IterMark>> SubspaceDivide(const Array<PrimExpr>& bindings,
                                              const Map<Var, Range>& input_iters,
                                              const Array<Var>& sub_iters, const PrimExpr& predicate,
                                              IterMapLevel check_level, Analyzer* analyzer,
                                              bool simplify_trivial_iterators = true);

/*!
 * \brief Invert a bijective iterator map: the value of each input iterator
 *  when the map's results equal `outputs`.
 */
TVM_DLL Map<Var, PrimExpr> InverseAffineIterMap(const Array<IterSumExpr>& iter_map,
                                                const Array<PrimExpr> outputs);

/*!
 * \brief The region that iterating `var_dom` (under `predicate`) touches
 *  exactly: per dimension, the union of [min, min + extent) over the loop
 *  nest, when the mins form a surjective iterator map whose windows leave no
 *  gaps; nullopt otherwise (or where an extent is symbolic).
 */
TVM_DLL std::optional<Array<IntSet>> EstimateRegionStrictBound(const Array<Range>& region,
                                                               const Map<Var, Range>& var_dom,
                                                               const PrimExpr& predicate, Analyzer* analyzer);
/*! \brief A region certainly touched (today the strict bound). */
TVM_DLL std::optional<Array<IntSet>> EstimateRegionLowerBound(const Array<Range>& region,
                                                              const Map<Var, Range>& var_dom,
                                                              const PrimExpr& predicate, Analyzer* analyzer);
/*! \brief A region containing every touched point: strict where possible, else per dimension. */
TVM_DLL Array<IntSet> EstimateRegionUpperBound(const Array<Range>& region, const Map<Var, Range>& var_dom,
                                               const PrimExpr& predicate, Analyzer* analyzer);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_ITER_AFFINE_MAP_H_
