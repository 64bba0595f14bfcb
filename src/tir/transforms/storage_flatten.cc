/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file storage_flatten.cc
 * \brief StorageFlatten: multi-dimensional buffers become flat memory.
 *
 * Assumes: the PrimFunc comes from a TE schedule: BufferRealize marks where
 *  an intermediate buffer lives (with its region, whose minimum may be
 *  non-zero under compute_at) in the storage scope of its buffer's data
 *  pointer ("" for the default), optionally inside AttrStmts "realize_scope"
 *  (a storage scope that overrides it: T.realize), "buffer_dim_align" /
 *  "storage_alignment" (storage_align: tvm_tuple(dim, factor, offset)) and "buffer_bind_scope" (tensorize: node
 *  [bound buffer, target buffer], value tvm_tuple(min0, extent0, ...)) and
 *  "prefetch_scope" (Stage.prefetch: node the buffer, value the offset in
 *  iterations, placed inside the loop of the prefetched axis).
 *
 * Guarantees: no BufferRealize remains; each becomes an Allocate of the
 *  flattened size over the buffer's data variable (whose pointer type
 *  carries the scope). Every BufferLoad/BufferStore addresses a 1-D buffer
 *  that shares the data variable of the original, at the element offset
 *  (region minimum subtracted, strides and elem_offset applied). Buffers
 *  bound by buffer_bind_scope are replaced by views of their target: a
 *  symbolic elem_offset takes the region's offset (checked against
 *  offset_factor, at run time when it cannot be proven), a fixed one must
 *  equal it (ValueError otherwise, since the view would address the wrong
 *  elements). Each prefetch_scope becomes, at the start of every iteration,
 *  one builtin::prefetch per cache line of the region the iteration `offset`
 *  ahead reads.
 *  A parameter's buffer with axis_separators (te's transform_layout with
 *  AXIS_SEPARATOR) keeps one physical axis per group of logical axes, each
 *  group flattened row-major; buffers the function allocates are flat.
 *  A realize of a parameter's buffer allocates nothing (the caller owns
 *  that memory). Realizes without a scope take one from the enclosing threads: global
 *  outside kernels, shared under blockIdx, local under threadIdx. With
 *  create_bound_attribute, each buffer's data carries an AttrStmt
 *  "buffer_bound" (its size in elements) for InstrumentBoundCheckers.
 *
 *   before:  T.realize(B[i:i+1, 0:16])
 *            B[i, j] = A[i, j] * 2
 *   after:   B = T.allocate([16], "float32", "global")
 *            B_1 = T.Buffer((16,), data=B)
 *            B_1[j] = A_1[i * 16 + j] * 2        # A_1 = T.Buffer((256,), data=A.data)
 */
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class StorageFlattener : public StmtExprMutator {
 public:
  StorageFlattener(int cache_line_size, bool create_bound_attribute)
      : cache_line_size_(cache_line_size), create_bound_attribute_(create_bound_attribute) {}

  Stmt Run(const PrimFunc& func) {
    std::vector<std::pair<Var, PrimExpr>> bounded;
    for (const Var& p : func->params) {
      if (auto b = func->buffer_map.Get(p)) {
        external_.insert(b->get());
        const Entry& e = GetEntry(*b);
        bounded.emplace_back(e.flat->data, e.flat->shape[0]);
      }
    }
    Stmt body = VisitStmt(func->body);
    if (create_bound_attribute_) {
      for (size_t i = bounded.size(); i > 0; --i) {
        body = AttrStmt(bounded[i - 1].first, attr::buffer_bound, bounded[i - 1].second, body);
      }
    }
    return body;
  }

 protected:
  /*! \brief How a (multi-dimensional) buffer is addressed after flattening. */
  struct Entry {
    /*! \brief The buffer with strides made explicit where aligned; its ElemOffset gives flat indices. */
    Buffer shaped;
    /*! \brief Subtracted from each index (the realize region's minimum). */
    Array<PrimExpr> mins;
    /*! \brief The 1-D view used in the flattened body (N-D with axis separators). */
    Buffer flat;
    /*! \brief With axis separators: the first logical axis of each physical axis. */
    std::vector<size_t> group_starts;
  };

  /*! \brief An enclosing loop and the variables bound inside it so far. */
  struct LoopFrame {
    For loop;
    std::vector<std::pair<Var, PrimExpr>> lets;
  };

  const Entry& GetEntry(const Buffer& buffer) {
    auto it = entries_.find(buffer.get());
    if (it != entries_.end()) return it->second;
    // A buffer that is not realized here: a parameter or a view bound from outside.
    Entry e;
    e.shaped = buffer;
    Var data = RemapVar(buffer->data);
    if (!buffer->axis_separators.empty() && buffer->strides.empty()) {
      // Axis separators (te's transform_layout with AXIS_SEPARATOR): one physical
      // axis per group of logical axes, each group flattened row-major.
      Array<PrimExpr> physical;
      size_t start = 0;
      std::vector<int64_t> bounds;
      for (const IntImm& sep : buffer->axis_separators) bounds.push_back(sep->value);
      bounds.push_back(static_cast<int64_t>(buffer->shape.size()));
      for (int64_t end : bounds) {
        e.group_starts.push_back(start);
        PrimExpr size = I32(1);
        for (size_t i = start; i < static_cast<size_t>(end); ++i) size = i == start ? buffer->shape[i] : mul(size, buffer->shape[i]);
        physical.push_back(size);
        start = static_cast<size_t>(end);
      }
      e.flat = Buffer(data, buffer->dtype, physical, {}, PrimExpr(), buffer->name, 0, 0, kDefault);
      return entries_.emplace(buffer.get(), e).first->second;
    }
    Buffer flat = buffer.GetFlattenedBuffer();
    PrimExpr extent = flat->shape.empty() ? I32(1) : flat->shape[0];
    e.flat = FlatBufferOver(data, buffer->dtype, extent, buffer->name);
    return entries_.emplace(buffer.get(), e).first->second;
  }

  Var RemapVar(const Var& v) {
    auto it = var_remap_.find(v.get());
    return it == var_remap_.end() ? v : it->second;
  }

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = var_remap_.find(op);
    if (it != var_remap_.end()) return it->second;
    return GetRef<PrimExpr>(op);
  }

  PrimExpr FlatIndex(const Entry& e, const Array<PrimExpr>& indices) {
    Array<PrimExpr> shifted;
    for (size_t i = 0; i < indices.size(); ++i) {
      shifted.push_back(i < e.mins.size() && !is_zero(e.mins[i]) ? sub(indices[i], e.mins[i]) : indices[i]);
    }
    if (indices.empty()) return make_const(DataType::Int(32), 0);
    return e.shaped->ElemOffset(shifted);
  }

  /*! \brief The indices into e.flat: one flat index, or one per physical axis. */
  Array<PrimExpr> PhysicalIndices(const Entry& e, const Array<PrimExpr>& indices) {
    if (e.group_starts.empty()) return {FlatIndex(e, indices)};
    Array<PrimExpr> out;
    for (size_t g = 0; g < e.group_starts.size(); ++g) {
      size_t end = g + 1 < e.group_starts.size() ? e.group_starts[g + 1] : indices.size();
      PrimExpr index;
      for (size_t i = e.group_starts[g]; i < end; ++i) {
        index = index.defined() ? add(mul(index, e.shaped->shape[i]), indices[i]) : indices[i];
      }
      out.push_back(index.defined() ? index : I32(0));
    }
    return out;
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    Array<PrimExpr> indices = VisitExprs(op->indices);
    const Entry& e = GetEntry(op->buffer);
    TVM_CHECK(indices.size() == op->buffer->shape.size(), "ValueError")
        << "StorageFlatten: load of " << op->buffer->name << " has " << indices.size() << " indices for rank "
        << op->buffer->shape.size();
    auto n = make_object<BufferLoadNode>();
    n->dtype = op->dtype;
    n->buffer = e.flat;
    n->indices = PhysicalIndices(e, indices);
    return PrimExpr(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    Array<PrimExpr> indices = VisitExprs(op->indices);
    const Entry& e = GetEntry(op->buffer);
    TVM_CHECK(indices.size() == op->buffer->shape.size(), "ValueError")
        << "StorageFlatten: store to " << op->buffer->name << " has " << indices.size() << " indices for rank "
        << op->buffer->shape.size();
    return BufferStore(e.flat, value, PhysicalIndices(e, indices));
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    const std::string& key = op->attr_key;
    if (key == attr::realize_scope) {
      if (const auto* b = op->node.as<BufferNode>()) {
        if (const auto* s = op->value.as<StringImmNode>()) realize_scope_[b] = s->value;
      }
      return VisitStmt(op->body);
    }
    if (key == attr::buffer_dim_align || key == attr::storage_alignment) {
      const auto* call = op->value.as<CallNode>();
      if (const auto* b = op->node.as<BufferNode>(); b != nullptr && call != nullptr && call->args.size() == 3) {
        auto dim = as_const_int(call->args[0]);
        auto factor = as_const_int(call->args[1]);
        auto offset = as_const_int(call->args[2]);
        TVM_CHECK(dim && factor && offset, "ValueError")
            << "storage_align of " << b->name << " needs constant (axis, factor, offset)";
        auto& aligns = dim_align_[b];
        if (aligns.size() <= static_cast<size_t>(*dim)) aligns.resize(*dim + 1, {0, 0});
        aligns[*dim] = {*factor, *offset};
        return VisitStmt(op->body);
      }
    }
    if (key == attr::buffer_bind_scope) return HandleBufferBind(op);
    if (key == attr::prefetch_scope) return LowerPrefetchScope(op);
    if (key == attr::thread_extent) {
      std::string tag;
      if (const auto* iv = op->node.as<IterVarNode>()) tag = iv->thread_tag;
      thread_tags_.push_back(tag);
      Stmt s = StmtExprMutator::VisitStmt_(op);
      thread_tags_.pop_back();
      return s;
    }
    if (const auto* b = op->node.as<BufferNode>()) {
      // Attributes on buffers (double_buffer_scope, ...) now refer to their data.
      Stmt body = VisitStmt(op->body);
      PrimExpr value = op->value.defined() ? VisitExpr(op->value) : op->value;
      return AttrStmt(GetEntry(GetRef<Buffer>(b)).flat->data, key, value, body);
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const ForNode* op) final {
    loops_.push_back(LoopFrame{GetRef<For>(op), {}});
    Stmt s = StmtExprMutator::VisitStmt_(op);
    loops_.pop_back();
    return s;
  }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    if (!loops_.empty()) loops_.back().lets.emplace_back(op->var, op->value);
    Stmt s = StmtExprMutator::VisitStmt_(op);
    if (!loops_.empty()) loops_.back().lets.pop_back();
    return s;
  }

  std::string DefaultScope() const {
    for (size_t i = thread_tags_.size(); i > 0; --i) {
      const std::string& tag = thread_tags_[i - 1];
      if (tag.rfind("threadIdx", 0) == 0) return "local";
      if (tag.rfind("blockIdx", 0) == 0) return "shared";
    }
    return "global";
  }

  Stmt VisitStmt_(const BufferRealizeNode* op) final {
    const Buffer& buffer = op->buffer;
    // An argument's memory is given by the caller: nothing to allocate.
    if (external_.count(buffer.get())) return VisitStmt(op->body);
    // The scope is the buffer's (its data pointer's: a TE stage's scope, set by
    // SchedulePostProcToPrimFunc), "" meaning "choose by the enclosing threads". A
    // "realize_scope" AttrStmt (T.realize, older IR) names it instead; there a "global"
    // pointer is only TVMScript's default for T.Buffer, not a choice.
    std::string scope;
    const auto* ptr = buffer->data->type_annotation.as<PointerTypeNode>();
    std::string ptr_scope = ptr != nullptr ? std::string(ptr->storage_scope) : std::string();
    auto sit = realize_scope_.find(buffer.get());
    if (sit != realize_scope_.end()) {
      scope = sit->second;
      if (scope.empty() && ptr_scope != "global") scope = ptr_scope;
    } else {
      scope = ptr_scope;
    }
    if (scope.empty()) scope = DefaultScope();

    // The data variable must carry the scope in its pointer type, "global" spelt out.
    Var data = buffer->data;
    const auto* data_ptr = data->type_annotation.as<PointerTypeNode>();
    if (data_ptr == nullptr || data_ptr->storage_scope != scope) {
      DataType elem = buffer->dtype;
      if (const auto* ptr = data->type_annotation.as<PointerTypeNode>()) {
        if (const auto* prim = ptr->element_type.as<PrimTypeNode>()) elem = prim->dtype;
      }
      data = Var(data->name_hint, PointerType(PrimType(elem), scope));
      var_remap_[buffer->data.get()] = data;
    }

    Array<PrimExpr> shape, mins;
    for (const Range& r : op->bounds) {
      shape.push_back(r->extent);
      mins.push_back(r->min);
    }
    Array<PrimExpr> strides = AlignedStrides(buffer.get(), shape);
    Buffer shaped(data, buffer->dtype, shape, strides, PrimExpr(), buffer->name, buffer->data_alignment, 0, kDefault);
    PrimExpr size = strides.empty() ? ProductOf(shape) : mul(strides[0], shape[0]);
    if (shape.empty()) size = I32(1);

    Entry e;
    e.shaped = shaped;
    e.mins = mins;
    e.flat = FlatBufferOver(data, buffer->dtype, size, buffer->name);
    auto saved = entries_.find(buffer.get()) != entries_.end() ? std::optional<Entry>(entries_[buffer.get()])
                                                                : std::nullopt;
    entries_[buffer.get()] = e;
    Stmt body = VisitStmt(op->body);
    if (saved.has_value()) {
      entries_[buffer.get()] = *saved;
    } else {
      entries_.erase(buffer.get());
    }
    DataType storage = buffer->dtype;
    Stmt out = Allocate(data, storage, {size}, const_true(), body);
    if (create_bound_attribute_) {
      PrimExpr bound = storage.lanes() > 1 ? mul(size, make_const(size.dtype(), storage.lanes())) : size;
      out = AttrStmt(data, attr::buffer_bound, bound, out);
    }
    return out;
  }

  /*!
   * \brief A cache hint over a region: one prefetch call per cache line of
   *  each innermost row, inside loops over the other dimensions.
   */
  Stmt VisitStmt_(const PrefetchNode* op) final {
    const Entry& e = GetEntry(op->buffer);
    if (op->bounds.empty()) return Evaluate(0);
    int64_t per_line = std::max<int64_t>(1, cache_line_size_ / std::max(1, op->buffer->dtype.bytes()));
    // A loop per dimension; the innermost steps by a cache line. Single-iteration loops are left out.
    std::vector<std::pair<Var, PrimExpr>> loops;
    Array<PrimExpr> indices;
    size_t rank = op->bounds.size();
    for (size_t i = 0; i < rank; ++i) {
      PrimExpr min = VisitExpr(op->bounds[i]->min);
      PrimExpr extent = VisitExpr(op->bounds[i]->extent);
      bool innermost = i + 1 == rank;
      if (innermost) extent = ceildiv(extent, make_const(extent.dtype(), per_line));
      if (is_one(extent)) {
        indices.push_back(min);
        continue;
      }
      Var v("prefetch_" + op->buffer->name + "_" + std::to_string(i), min.dtype());
      loops.emplace_back(v, extent);
      indices.push_back(add(min, innermost ? mul(v, make_const(v.dtype(), per_line)) : PrimExpr(v)));
    }
    PrimExpr addr = Call(DataType::Handle(), builtin::address_of(), {BufferLoad(e.flat, {FlatIndex(e, indices)})});
    Stmt body = Evaluate(Call(DataType::Int(32), builtin::prefetch(), {addr, I32(0), I32(3), I32(1)}));
    for (size_t i = loops.size(); i > 0; --i) {
      const auto& [v, extent] = loops[i - 1];
      body = For(v, make_zero(extent.dtype()), extent, ForKind::kSerial, body);
    }
    return body;
  }

  /*!
   * \brief Stage.prefetch(A, axis, offset): the attribute sits inside the loop of
   *  `axis`. Each iteration first prefetches the region of A that iteration
   *  axis + offset will read, then runs its body.
   */
  Stmt LowerPrefetchScope(const AttrStmtNode* op) {
    const auto* buffer = op->node.as<BufferNode>();
    TVM_CHECK(buffer != nullptr, "ValueError") << "prefetch_scope expects a buffer as its node, got " << op->node;
    Stmt body = VisitStmt(op->body);
    // Outside any loop there is no later iteration to prefetch for.
    if (loops_.empty()) return body;
    const LoopFrame& loop = loops_.back();
    Array<Range> region = PrefetchRegion(GetRef<Buffer>(buffer), op->body, loop, VisitExpr(op->value));
    if (region.empty()) return body;
    return SeqStmt({VisitStmt(Prefetch(GetRef<Buffer>(buffer), region)), body});
  }

  /*!
   * \brief The region of `buffer` read by `body` in the iteration `offset` ahead
   *  of the current one of `loop`: loops inside body range over their whole
   *  extent, enclosing ones stay fixed. Empty when body does not read buffer.
   */
  Array<Range> PrefetchRegion(const Buffer& buffer, const Stmt& body, const LoopFrame& loop, const PrimExpr& offset) {
    std::unordered_map<const VarNode*, PrimExpr> values;
    const Var& loop_var = loop.loop->loop_var;
    values[loop_var.get()] = add(loop_var, cast(loop_var.dtype(), offset));
    // Variables bound between the loop and the attribute follow the loop variable.
    for (const auto& [var, value] : loop.lets) values[var.get()] = Substitute(value, values);
    ReadRegionCollector collector(buffer, std::move(values));
    collector(body);
    Array<Range> region;
    for (size_t i = 0; i < collector.dims.size(); ++i) {
      const arith::IntSet& set = collector.dims[i];
      if (!set.HasLowerBound() || !set.HasUpperBound()) {
        region.push_back(Range::FromMinExtent(make_zero(buffer->shape[i].dtype()), buffer->shape[i]));
        continue;
      }
      PrimExpr min = analyzer_.Simplify(set.min());
      PrimExpr extent = analyzer_.Simplify(sub(set.max(), min) + make_const(min.dtype(), 1));
      region.push_back(Range::FromMinExtent(min, extent));
    }
    return region;
  }

  /*!
   * \brief Collects, per dimension, the indices at which a statement reads a
   *  buffer, with the statement's own loops relaxed to their ranges.
   */
  class ReadRegionCollector : public StmtExprVisitor {
   public:
    ReadRegionCollector(const Buffer& buffer, std::unordered_map<const VarNode*, PrimExpr> values)
        : buffer_(buffer), values_(std::move(values)) {}

    std::vector<arith::IntSet> dims;

   private:
    void VisitStmt_(const ForNode* op) final {
      PrimExpr min = Substitute(op->min, values_);
      PrimExpr last = Substitute(sub(add(op->min, op->extent), make_const(op->extent.dtype(), 1)), values_);
      relaxed_[op->loop_var.get()] = arith::IntSet::Interval(arith::EvalSet(min, relaxed_).min(),
                                                            arith::EvalSet(last, relaxed_).max());
      StmtExprVisitor::VisitStmt_(op);
      relaxed_.erase(op->loop_var.get());
    }

    void VisitStmt_(const AttrStmtNode* op) final {
      const auto* iv = op->node.as<IterVarNode>();
      if (iv != nullptr && (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread)) {
        PrimExpr extent = Substitute(op->value, values_);
        relaxed_[iv->var.get()] = arith::IntSet::FromMinExtent(make_zero(extent.dtype()), extent);
      }
      StmtExprVisitor::VisitStmt_(op);
    }

    void VisitStmt_(const LetStmtNode* op) final {
      values_[op->var.get()] = Substitute(op->value, values_);
      StmtExprVisitor::VisitStmt_(op);
    }

    void VisitExpr_(const LetNode* op) final {
      values_[op->var.get()] = Substitute(op->value, values_);
      StmtExprVisitor::VisitExpr_(op);
    }

    void VisitExpr_(const BufferLoadNode* op) final {
      size_t rank = buffer_->shape.size();
      bool same = op->buffer.same_as(buffer_) || op->buffer->data.same_as(buffer_->data);
      if (same && op->indices.size() == rank) {
        if (dims.empty()) dims.resize(rank, arith::IntSet::Nothing());
        for (size_t i = 0; i < rank; ++i) {
          arith::IntSet touched = arith::EvalSet(Substitute(op->indices[i], values_), relaxed_);
          dims[i] = arith::Union({dims[i], touched});
        }
      }
      StmtExprVisitor::VisitExpr_(op);
    }

    Buffer buffer_;
    std::unordered_map<const VarNode*, PrimExpr> values_;
    std::unordered_map<const VarNode*, arith::IntSet> relaxed_;
  };

  /*!
   * \brief tensorize: the intrinsic's buffer becomes a view of the region
   *  [min_i, min_i + extent_i) of the target buffer. Its data, element
   *  offset, strides and shape variables are replaced in the body.
   */
  Stmt HandleBufferBind(const AttrStmtNode* op) {
    const auto* arr = op->node.as<runtime::ArrayNode>();
    TVM_CHECK(arr != nullptr && arr->size() == 2, "ValueError")
        << "buffer_bind_scope expects [buffer, target] as its node";
    Buffer bound = Downcast<Buffer>(arr->at(0));
    Buffer target = Downcast<Buffer>(arr->at(1));
    const auto* tuple = op->value.as<CallNode>();
    TVM_CHECK(tuple != nullptr && tuple->args.size() == 2 * target->shape.size(), "ValueError")
        << "buffer_bind_scope of " << bound->name << ": expected tvm_tuple(min, extent) for each of the "
        << target->shape.size() << " dimensions of " << target->name;
    const Entry& te = GetEntry(target);
    Array<PrimExpr> begins, extents;
    for (size_t i = 0; i < target->shape.size(); ++i) {
      begins.push_back(VisitExpr(tuple->args[2 * i]));
      extents.push_back(VisitExpr(tuple->args[2 * i + 1]));
    }
    PrimExpr offset = FlatIndex(te, begins);
    // Strides of the target (explicit, in elements).
    Array<PrimExpr> tstrides = te.shaped.MakeStrideView()->strides;

    std::unordered_map<const VarNode*, PrimExpr> bind;
    auto bind_field = [&](const PrimExpr& field, const PrimExpr& value, const std::string& what,
                          const std::string& hint) {
      if (const auto* v = field.as<VarNode>()) {
        auto it = bind.find(v);
        if (it == bind.end()) {
          bind[v] = value;
          return;
        }
      }
      // A fixed (or already bound) field must agree with the region, or the intrinsic would address wrong memory.
      PrimExpr expect = field;
      if (const auto* v = field.as<VarNode>()) expect = bind.at(v);
      TVM_CHECK(analyzer_.CanProveEqual(cast(value.dtype(), expect), value), "ValueError")
          << "tensorize: buffer " << bound->name << " has " << what << " = " << expect << " but the region of "
          << target->name << " has " << value << hint;
    };
    bind[bound->data.get()] = te.flat->data;
    std::optional<PrimExpr> offset_check = BindElemOffset(bound, target, offset, &bind);
    // The bound buffer may have fewer dimensions than the target: it matches the trailing ones.
    size_t rank = bound->shape.size();
    TVM_CHECK(rank <= target->shape.size(), "ValueError")
        << "tensorize: buffer " << bound->name << " has rank " << rank << ", more than " << target->name;
    size_t skip = target->shape.size() - rank;
    // A buffer without strides is compact: each stride is the product of the inner extents.
    std::vector<PrimExpr> bound_strides(rank);
    PrimExpr compact = make_const(DataType::Int(32), 1);
    for (size_t i = rank; i > 0; --i) {
      bound_strides[i - 1] = bound->strides.empty() ? compact : bound->strides[i - 1];
      compact = mul(compact, bound->shape[i - 1]);
    }
    for (size_t i = 0; i < rank; ++i) {
      bind_field(bound->shape[i], extents[skip + i], "shape[" + std::to_string(i) + "]", "");
    }
    for (size_t i = 0; i < rank; ++i) {
      PrimExpr stride = bound_strides[i];
      // Strides of compact buffers refer to its shape: substitute what is bound so far.
      stride = Substitute(stride, [&](const Var& v) -> std::optional<PrimExpr> {
        auto it = bind.find(v.get());
        if (it == bind.end()) return std::nullopt;
        return it->second;
      });
      if (rank == 1 && bound->strides.empty()) break;  // one dimension: no stride to match
      bind_field(stride, tstrides[skip + i], "strides[" + std::to_string(i) + "]",
                 "; declare the intrinsic's buffer with symbolic strides");
    }
    Stmt body = Substitute(op->body, [&](const Var& v) -> std::optional<PrimExpr> {
      auto it = bind.find(v.get());
      if (it == bind.end()) return std::nullopt;
      return it->second;
    });
    body = VisitStmt(body);
    if (offset_check.has_value()) {
      std::ostringstream message;
      message << "tensorize: buffer " << bound->name << " needs an element offset that is a multiple of its "
              << "offset_factor " << bound->offset_factor << ", but its region of " << target->name << " starts at "
              << analyzer_.Simplify(offset);
      body = AssertStmt(*offset_check, StringImm(message.str()), body);
    }
    return body;
  }

  /*!
   * \brief Binds the element offset of a tensorize buffer to the offset of its region.
   *
   * A buffer can only view memory at offsets its elem_offset can express: a
   * variable takes the region's offset (it must stay a multiple of
   * offset_factor); a fixed offset (0 by default) must equal the region's.
   * \return a condition to check at run time when the multiple cannot be proven.
   */
  std::optional<PrimExpr> BindElemOffset(const Buffer& bound, const Buffer& target, const PrimExpr& offset,
                                         std::unordered_map<const VarNode*, PrimExpr>* bind) {
    if (const auto* v = bound->elem_offset.as<VarNode>(); v != nullptr && !bind->count(v)) {
      (*bind)[v] = offset;
      if (bound->offset_factor <= 1) return std::nullopt;
      PrimExpr factor = make_const(offset.dtype(), bound->offset_factor);
      PrimExpr aligned = EQ(floormod(offset, factor), make_zero(offset.dtype()));
      if (analyzer_.CanProve(aligned)) return std::nullopt;
      TVM_CHECK(!analyzer_.CanProve(logical_not(aligned)), "ValueError")
          << "tensorize: buffer " << bound->name << " has offset_factor " << bound->offset_factor
          << " but its region of " << target->name << " starts at element offset " << analyzer_.Simplify(offset)
          << ", which is not a multiple of it; declare the intrinsic's buffer with a smaller offset_factor";
      return aligned;
    }
    PrimExpr fixed = bound->elem_offset.defined() ? bound->elem_offset : make_zero(offset.dtype());
    TVM_CHECK(analyzer_.CanProveEqual(cast(offset.dtype(), fixed), offset), "ValueError")
        << "tensorize: buffer " << bound->name << " has the fixed elem_offset " << fixed << " but its region of "
        << target->name << " starts at element offset " << analyzer_.Simplify(offset)
        << "; the intrinsic would read or write the wrong elements. Declare the intrinsic's buffer with "
        << "offset_factor (tvm.tir.decl_buffer(..., offset_factor=1)) or a symbolic elem_offset so that it can "
        << "start anywhere";
    return std::nullopt;
  }

  static PrimExpr ProductOf(const Array<PrimExpr>& shape) {
    PrimExpr p;
    for (const PrimExpr& d : shape) p = p.defined() ? mul(p, d) : d;
    return p.defined() ? p : I32(1);
  }

  /*! \brief Strides honouring storage_align (empty when the buffer has no alignment request). */
  Array<PrimExpr> AlignedStrides(const Object* buffer, const Array<PrimExpr>& shape) {
    auto it = dim_align_.find(buffer);
    if (it == dim_align_.end()) return {};
    const auto& aligns = it->second;
    std::vector<PrimExpr> rev;
    PrimExpr stride = make_const(shape.empty() ? DataType::Int(32) : shape[0].dtype(), 1);
    for (size_t i = shape.size(); i > 0; --i) {
      size_t dim = i - 1;
      if (dim < aligns.size() && aligns[dim].first != 0) {
        int64_t factor = aligns[dim].first, offset = aligns[dim].second;
        if (auto s = as_const_int(stride)) {
          int64_t r = ((*s % factor) + factor) % factor;
          int64_t pad = ((offset - r) % factor + factor) % factor;
          stride = make_const(stride.dtype(), *s + pad);
        } else {
          PrimExpr f = make_const(stride.dtype(), factor);
          stride = add(stride, floormod(sub(add(f, make_const(stride.dtype(), offset)), floormod(stride, f)), f));
        }
      }
      rev.push_back(stride);
      stride = mul(stride, shape[dim]);
    }
    return Array<PrimExpr>(rev.rbegin(), rev.rend());
  }

  int cache_line_size_;
  bool create_bound_attribute_;
  std::vector<LoopFrame> loops_;
  std::unordered_map<const Object*, Entry> entries_;
  std::unordered_map<const Object*, std::string> realize_scope_;
  std::unordered_map<const Object*, std::vector<std::pair<int64_t, int64_t>>> dim_align_;
  std::unordered_map<const VarNode*, Var> var_remap_;
  std::unordered_set<const Object*> external_;
  std::vector<std::string> thread_tags_;
  arith::Analyzer analyzer_;
};

}  // namespace

namespace transform {

Pass StorageFlatten(int cache_line_size, bool create_bound_attribute) {
  auto fpass = [=](PrimFunc f, IRModule m, PassContext ctx) {
    StorageFlattener flattener(cache_line_size, create_bound_attribute);
    Stmt body = flattener.Run(f);
    if (body.same_as(f->body)) return f;
    PrimFuncNode* n = f.CopyOnWrite();
    n->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.StorageFlatten", {});
}

TVM_REGISTER_GLOBAL("tir.transform.StorageFlatten").set_body_typed([](int cache_line_size, bool create_bound) {
  return StorageFlatten(cache_line_size, create_bound);
});

}  // namespace transform
}  // namespace tir
}  // namespace tvm
