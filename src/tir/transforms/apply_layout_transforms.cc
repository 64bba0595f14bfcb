/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file apply_layout_transforms.cc
 * \brief ApplyLayoutTransforms: store buffers in the layouts te's
 *  transform_layout chose.
 *
 * Assumes: the PrimFunc attribute "layout_transform_map" (buffer -> index
 *  maps, applied in order) and/or "layout_axis_separators" (buffer -> the
 *  transformed axes where a new physical axis starts), as
 *  SchedulePostProcToPrimFunc writes them; buffers not yet flattened.
 *
 * Guarantees: each such buffer is replaced, everywhere (body and the
 *  function's buffer_map), by one of the mapped shape carrying the axis
 *  separators; every load and store goes through the maps; realize bounds
 *  are the mapped ranges. Both attributes are removed. No attribute: no change.
 *
 *   attr {B: [(i) -> [i // 4, i % 4]]}    =>   B = T.Buffer((4, 4))
 *   B[i] = A[i]                                B[i // 4, i % 4] = A[i]
 */
#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/index_map.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>
#include <tvm/tir/transform.h>

namespace tvm {
namespace tir {
namespace {

constexpr const char* kLayoutTransformMap = "layout_transform_map";
constexpr const char* kLayoutAxisSeparators = "layout_axis_separators";

class LayoutRewriter : public StmtExprMutator {
 public:
  LayoutRewriter(const Map<Buffer, Array<IndexMap>>& transforms, const Map<Buffer, Array<IntImm>>& separators) {
    auto add = [&](const Buffer& buffer) {
      if (rewrites_.count(buffer.get())) return;
      Rewrite r;
      Array<PrimExpr> shape = buffer->shape;
      if (auto maps = transforms.Get(buffer)) {
        r.maps = maps.value();
        for (const IndexMap& map : r.maps) {
          TVM_CHECK(map->initial_indices.size() == shape.size(), "ValueError")
              << "ApplyLayoutTransforms: the map " << map->ToString() << " of buffer " << buffer->name << " takes "
              << map->initial_indices.size() << " indices, the buffer has shape " << shape;
          shape = map->MapShape(shape);
        }
      }
      TVM_CHECK(buffer->strides.empty() || r.maps.empty(), "ValueError")
          << "ApplyLayoutTransforms: buffer " << buffer->name << " has explicit strides; its layout cannot change";
      Array<IntImm> seps = separators.Get(buffer).value_or(buffer->axis_separators);
      Buffer out = buffer;
      BufferNode* n = out.CopyOnWrite();
      n->shape = shape;
      n->axis_separators = seps;
      r.buffer = out;
      rewrites_[buffer.get()] = r;
    };
    for (const auto& kv : transforms) add(kv.first);
    for (const auto& kv : separators) add(kv.first);
  }

  /*! \brief The replacement of buffer, or buffer itself. */
  Buffer Replaced(const Buffer& buffer) const {
    auto it = rewrites_.find(buffer.get());
    return it == rewrites_.end() ? buffer : it->second.buffer;
  }

 protected:
  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    BufferLoad load = Downcast<BufferLoad>(StmtExprMutator::VisitExpr_(op));
    auto it = rewrites_.find(load->buffer.get());
    if (it == rewrites_.end()) return load;
    return BufferLoad(it->second.buffer, MapIndices(it->second, load->indices));
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    BufferStore store = Downcast<BufferStore>(StmtExprMutator::VisitStmt_(op));
    auto it = rewrites_.find(store->buffer.get());
    if (it == rewrites_.end()) return store;
    return BufferStore(it->second.buffer, store->value, MapIndices(it->second, store->indices));
  }

  Stmt VisitStmt_(const ForNode* op) final {
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), /*allow_override=*/true);
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const BufferRealizeNode* op) final {
    BufferRealize realize = Downcast<BufferRealize>(StmtExprMutator::VisitStmt_(op));
    auto it = rewrites_.find(realize->buffer.get());
    if (it == rewrites_.end()) return realize;
    Array<Range> bounds = realize->bounds;
    for (const IndexMap& map : it->second.maps) bounds = MapRanges(map, bounds);
    return BufferRealize(it->second.buffer, bounds, realize->condition, realize->body);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    AttrStmt attr = Downcast<AttrStmt>(StmtExprMutator::VisitStmt_(op));
    if (const auto* b = attr->node.as<BufferNode>()) {
      Buffer replaced = Replaced(GetRef<Buffer>(b));
      if (!replaced.same_as(attr->node)) return AttrStmt(replaced, attr->attr_key, attr->value, attr->body);
    }
    return attr;
  }

 private:
  struct Rewrite {
    Array<IndexMap> maps;
    Buffer buffer;
  };

  // Simplified with the ranges of the enclosing loops, so forward(inverse(axes)) is the axes.
  Array<PrimExpr> MapIndices(const Rewrite& r, Array<PrimExpr> indices) {
    for (const IndexMap& map : r.maps) indices = map->MapIndices(indices);
    Array<PrimExpr> out;
    for (const PrimExpr& e : indices) out.push_back(analyzer_.Simplify(e));
    return out;
  }

  // The ranges the final indices cover when the initial ones cover `ranges`.
  static Array<Range> MapRanges(const IndexMap& map, const Array<Range>& ranges) {
    std::unordered_map<const VarNode*, arith::IntSet> dom;
    bool whole = true;
    Array<PrimExpr> shape;
    for (size_t i = 0; i < ranges.size(); ++i) {
      dom[map->initial_indices[i].get()] = arith::IntSet::FromRange(ranges[i]);
      whole = whole && is_zero(ranges[i]->min);
      shape.push_back(ranges[i]->extent);
    }
    Array<Range> out;
    if (whole) {
      // The whole buffer: the mapped shape (exact for bijections, unlike interval bounds).
      for (const PrimExpr& extent : map->MapShape(shape)) {
        out.push_back(Range::FromMinExtent(make_zero(extent.dtype()), extent));
      }
      return out;
    }
    arith::Analyzer analyzer;
    for (const PrimExpr& e : map->final_indices) {
      arith::IntSet s = arith::EvalSet(e, dom);
      TVM_CHECK(s.HasLowerBound() && s.HasUpperBound(), "ValueError")
          << "ApplyLayoutTransforms: the map " << map->ToString() << " gives an unbounded range for " << e;
      out.push_back(Range::FromMinExtent(analyzer.Simplify(s.min()), analyzer.Simplify(s.max() - s.min() + 1)));
    }
    return out;
  }

  std::unordered_map<const Object*, Rewrite> rewrites_;
  arith::Analyzer analyzer_;
};

}  // namespace

namespace transform {

Pass ApplyLayoutTransforms() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    auto transforms = f->GetAttr<Map<Buffer, Array<IndexMap>>>(kLayoutTransformMap);
    auto separators = f->GetAttr<Map<Buffer, Array<IntImm>>>(kLayoutAxisSeparators);
    if (!transforms && !separators) return f;
    LayoutRewriter rewriter(transforms.value_or(Map<Buffer, Array<IndexMap>>()),
                            separators.value_or(Map<Buffer, Array<IntImm>>()));
    PrimFuncNode* n = f.CopyOnWrite();
    n->body = rewriter(n->body);
    Map<Var, Buffer> buffer_map;
    for (const auto& kv : n->buffer_map) buffer_map.Set(kv.first, rewriter.Replaced(kv.second));
    n->buffer_map = buffer_map;
    Map<String, ObjectRef> kept;
    for (const auto& kv : n->attrs->dict) {
      if (kv.first != kLayoutTransformMap && kv.first != kLayoutAxisSeparators) kept.Set(kv.first, kv.second);
    }
    n->attrs = DictAttrs(kept);
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.ApplyLayoutTransforms", {});
}

TVM_REGISTER_GLOBAL("tir.transform.ApplyLayoutTransforms").set_body_typed([]() { return ApplyLayoutTransforms(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
