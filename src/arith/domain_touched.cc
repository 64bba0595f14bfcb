/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file domain_touched.cc
 * \brief The region of a buffer that a statement reads and/or writes.
 *
 *   for i in [0, 100): A[i] = B[i - 1]
 *   DomainTouched(stmt, B, true, false)  // loads only: [Range(-1, 100)]
 *
 * Scalar indices are evaluated over the ranges of the loops (and thread
 * extents) around them; a vector index (a Ramp) contributes the lanes it
 * spans at its own iteration. Per dimension the touched sets are united and
 * returned as covering ranges.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/arith/bound.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_map>
#include <vector>

namespace tvm {
namespace arith {

using namespace tir;

namespace {

/*! \brief Per dimension, the sets of the indices seen. */
using DimensionSets = std::vector<std::vector<IntSet>>;

struct BufferTouches {
  DimensionSets loads;
  DimensionSets stores;
  DimensionSets both;
};

class BufferTouchedDomain : public StmtExprVisitor {
 public:
  explicit BufferTouchedDomain(const Stmt& stmt) { VisitStmt(stmt); }

  Array<Range> FindUnion(const Buffer& buffer, bool consider_loads, bool consider_stores) const {
    TVM_CHECK(consider_loads || consider_stores, "ValueError")
        << "DomainTouched: consider at least one of loads and stores";
    Array<Range> region;
    auto it = touches_.find(buffer.get());
    if (it == touches_.end()) return region;
    const DimensionSets& sets = consider_loads && consider_stores ? it->second.both
                                : consider_loads                 ? it->second.loads
                                                                 : it->second.stores;
    for (const std::vector<IntSet>& dim : sets) {
      region.push_back(Union(Array<IntSet>(dim.begin(), dim.end())).CoverRange(Range()));
    }
    return region;
  }

 private:
  using StmtExprVisitor::VisitExpr_;
  using StmtExprVisitor::VisitStmt_;

  void VisitStmt_(const ForNode* op) final {
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), /*allow_override=*/true);
    StmtExprVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const LetStmtNode* op) final {
    VisitExpr(op->value);
    analyzer_.Bind(op->var, op->value, /*allow_override=*/true);
    VisitStmt(op->body);
  }

  void VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == tir::attr::thread_extent || op->attr_key == tir::attr::virtual_thread) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        analyzer_.Bind(iv->var, Range::FromMinExtent(make_zero(op->value.dtype()), op->value),
                       /*allow_override=*/true);
      }
    }
    StmtExprVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const IfThenElseNode* op) final {
    VisitExpr(op->condition);
    {
      With<ConstraintContext> ctx(&analyzer_, op->condition);
      VisitStmt(op->then_case);
    }
    if (op->else_case.defined()) {
      With<ConstraintContext> ctx(&analyzer_, tvm::logical_not(op->condition));
      VisitStmt(op->else_case);
    }
  }

  void VisitExpr_(const BufferLoadNode* op) final {
    BufferTouches& t = touches_[op->buffer.get()];
    Touch(&t.loads, op->indices);
    Touch(&t.both, op->indices);
    StmtExprVisitor::VisitExpr_(op);
  }

  void VisitStmt_(const BufferStoreNode* op) final {
    BufferTouches& t = touches_[op->buffer.get()];
    Touch(&t.stores, op->indices);
    Touch(&t.both, op->indices);
    StmtExprVisitor::VisitStmt_(op);
  }

  void Touch(DimensionSets* sets, const Array<PrimExpr>& indices) {
    if (indices.size() > sets->size()) sets->resize(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) {
      const PrimExpr& index = indices[i];
      (*sets)[i].push_back(index.as<RampNode>() ? IntSet::Vector(index) : analyzer_.int_set(index));
    }
  }

  Analyzer analyzer_;
  std::unordered_map<const Object*, BufferTouches> touches_;
};

}  // namespace

Array<Range> DomainTouched(const Stmt& stmt, const Buffer& buffer, bool consider_loads, bool consider_stores) {
  return BufferTouchedDomain(stmt).FindUnion(buffer, consider_loads, consider_stores);
}

TVM_REGISTER_GLOBAL("arith.DomainTouched").set_body_typed(DomainTouched);

}  // namespace arith
}  // namespace tvm
