/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file flatten_buffer.cc
 * \brief FlattenBuffer: multi-dimensional buffer accesses to flat ones, for
 *  functions not lowered from TE (TE's go through StorageFlatten).
 *
 * Assumes: loops lowered (LowerOpaqueBlock); buffers without axis separators.
 *
 * Guarantees: every load and store uses a one-dimensional buffer over the
 *  same data with index ElemOffset(indices) (strides and elem_offset
 *  applied, simplified with the loop ranges); allocations get one extent;
 *  DeclBuffer statements go (the flat buffers are used directly); boolean
 *  buffers are stored as int8. Parameters keep their declared shapes.
 *  Functions marked from_legacy_te_schedule are left alone.
 *
 *   before:  buf = T.decl_buffer((4, 8), "float32")    after:  buf = T.allocate([32], "float32")
 *            buf[i, j] = 0.0                                    buf_1 = T.Buffer((32,), data=buf)
 *                                                               buf_1[i * 8 + j] = 0.0
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <unordered_map>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class BufferFlattener : public StmtExprMutator {
 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        analyzer_.Bind(iv->var, Range::FromMinExtent(make_zero(op->value.dtype()), op->value), true);
      }
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    Array<PrimExpr> extents = op->extents;
    if (extents.size() != 1) {
      const auto* decl = op->body.as<DeclBufferNode>();
      if (decl != nullptr && decl->buffer->data.same_as(op->buffer_var) && decl->buffer->dtype == op->dtype &&
          StructuralEqual()(decl->buffer->shape, op->extents)) {
        extents = Flat(decl->buffer)->shape;
      } else {
        PrimExpr size = make_const(extents.empty() ? DataType::Int(32) : extents[0].dtype(), 1);
        for (const PrimExpr& e : op->extents) size = size * e;
        extents = {analyzer_.Simplify(size)};
      }
    }
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* alloc = s.as<AllocateNode>();
    DataType dtype = alloc->dtype == DataType::Bool() ? DataType::Int(8) : alloc->dtype;
    return Allocate(alloc->buffer_var, dtype, extents, alloc->condition, alloc->body, alloc->annotations);
  }

  Stmt VisitStmt_(const DeclBufferNode* op) final { return VisitStmt(op->body); }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* load = e.as<BufferLoadNode>();
    auto flat = FlatAccess(load->buffer, load->indices);
    if (!flat) return e;
    if (op->dtype == DataType::Bool()) {
      auto n = make_object<BufferLoadNode>(*load);
      n->buffer = flat->first;
      n->indices = {flat->second};
      n->dtype = DataType::Int(8);
      return cast(DataType::Bool(), PrimExpr(ObjectPtr<Object>(std::move(n))));
    }
    return BufferLoad(flat->first, {flat->second});
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* store = s.as<BufferStoreNode>();
    auto flat = FlatAccess(store->buffer, store->indices);
    if (!flat) return s;
    PrimExpr value = store->value;
    if (value.dtype() == DataType::Bool()) value = cast(DataType::Int(8), value);
    return BufferStore(flat->first, value, {flat->second});
  }

 private:
  /*! \brief The flat buffer over b's data: one dimension, no offset (the index carries it). */
  Buffer Flat(const Buffer& b) {
    auto it = flat_.find(b.get());
    if (it != flat_.end()) return it->second;
    TVM_CHECK(b->axis_separators.empty(), "NotImplementedError")
        << "FlattenBuffer: buffer " << b->name << " has axis separators, which this project does not flatten";
    Buffer flat = b.GetFlattenedBuffer();
    BufferNode* n = flat.CopyOnWrite();
    n->shape = n->shape.Map([this](const PrimExpr& e) { return analyzer_.Simplify(e); });
    if (n->elem_offset.defined() && !is_zero(n->elem_offset)) n->elem_offset = make_zero(n->elem_offset.dtype());
    if (n->dtype == DataType::Bool()) n->dtype = DataType::Int(8);
    flat_[b.get()] = flat;
    return flat;
  }

  std::optional<std::pair<Buffer, PrimExpr>> FlatAccess(const Buffer& b, const Array<PrimExpr>& indices) {
    bool trivial = indices.size() == 1 && b->strides.empty() && (!b->elem_offset.defined() || is_zero(b->elem_offset)) &&
                   b->dtype != DataType::Bool();
    if (trivial) return std::nullopt;
    PrimExpr index = b->ElemOffset(indices);
    if (index.dtype().lanes() == 1) index = analyzer_.Simplify(index);
    return std::make_pair(Flat(b), index);
  }

  std::unordered_map<const Object*, Buffer> flat_;
  arith::Analyzer analyzer_;
};

}  // namespace

namespace transform {

Pass FlattenBuffer() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    if (f->GetAttr<Bool>(attr::kFromLegacyTESchedule).value_or(Bool(false))) return f;
    Stmt body = BufferFlattener()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.FlattenBuffer", {});
}

TVM_REGISTER_GLOBAL("tir.transform.FlattenBuffer").set_body_typed([]() { return FlattenBuffer(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
