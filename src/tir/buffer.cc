/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Buffer: construction, element addressing, slices and flattening.
#include <algorithm>

#include <tvm/runtime/registry.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt.h>

namespace tvm {
namespace tir {

// type_annotation(): a call whose dtype carries a type (used by tvm_access_ptr).
TVM_REGISTER_OP("tir.type_annotation").set_num_inputs(0).set_attr<int>("TCallEffectKind", 0);

namespace {
Var MakeDataVar(const String& name, DataType dtype, const String& scope) {
  DataType storage = dtype.is_bool() ? DataType::Int(8) : dtype;
  return Var(name, PointerType(PrimType(storage), scope));
}

PrimExpr ProductOf(const Array<PrimExpr>& shape, size_t begin, size_t end) {
  PrimExpr p = make_const(shape.empty() ? DataType::Int(32) : shape[0].dtype(), 1);
  for (size_t i = begin; i < end; ++i) p = mul(p, shape[i]);
  return p;
}
}  // namespace

Buffer::Buffer(Var data, DataType dtype, Array<PrimExpr> shape, Array<PrimExpr> strides, PrimExpr elem_offset,
               String name, int data_alignment, int offset_factor, BufferType buffer_type,
               Array<IntImm> axis_separators) {
  TVM_CHECK(data.defined() && data.dtype().is_handle(), "TypeError")
      << "Buffer " << name << ": the data variable must be a handle";
  TVM_CHECK(strides.empty() || strides.size() == shape.size(), "ValueError")
      << "Buffer " << name << ": " << strides.size() << " strides for a shape of rank " << shape.size();
  for (const PrimExpr& d : shape) {
    TVM_CHECK(d.defined() && (d.dtype().is_int() || d.dtype().is_uint()), "TypeError")
        << "Buffer " << name << ": the shape must be integers";
    if (auto v = as_const_int(d)) {
      TVM_CHECK(*v >= 0, "ValueError") << "Buffer " << name << ": negative dimension " << *v;
    }
  }
  auto n = make_object<BufferNode>();
  n->data = std::move(data);
  n->dtype = dtype;
  n->shape = std::move(shape);
  n->strides = std::move(strides);
  DataType index_type = n->shape.empty() ? DataType::Int(32) : n->shape[0].dtype();
  n->elem_offset = elem_offset.defined() ? elem_offset : make_const(index_type, 0);
  n->name = std::move(name);
  // No promise given: the element's natural alignment (see BufferNode::data_alignment).
  n->data_alignment = data_alignment > 0 ? data_alignment : std::max(1, dtype.bytes());
  n->offset_factor = offset_factor > 0 ? offset_factor : 1;
  n->buffer_type = buffer_type;
  n->axis_separators = std::move(axis_separators);
  if (n->buffer_type == kAutoBroadcast && !n->shape.empty() && n->strides.empty()) {
    // Each dimension gets a symbolic stride so extent-1 axes can broadcast.
    for (size_t i = 0; i < n->shape.size(); ++i) {
      n->strides.push_back(Var(n->name + "_s" + std::to_string(i), n->shape[i].dtype()));
    }
  }
  data_ = std::move(n);
}

BufferNode* Buffer::CopyOnWrite() {
  if (!unique()) data_ = make_object<BufferNode>(*operator->());
  return static_cast<BufferNode*>(get_mutable());
}

String BufferNode::scope() const {
  if (const auto* ptr = data->type_annotation.as<PointerTypeNode>()) {
    if (!ptr->storage_scope.empty()) return ptr->storage_scope;
  }
  return "global";
}

PrimExpr BufferNode::ElemOffset(Array<PrimExpr> indices) const {
  TVM_CHECK(indices.size() == shape.size(), "ValueError")
      << "buffer " << name << ": " << indices.size() << " indices for rank " << shape.size();
  PrimExpr offset;
  if (strides.empty()) {
    for (size_t i = 0; i < indices.size(); ++i) {
      offset = offset.defined() ? add(mul(offset, shape[i]), indices[i]) : indices[i];
    }
  } else {
    for (size_t i = 0; i < indices.size(); ++i) {
      PrimExpr term = mul(indices[i], strides[i]);
      offset = offset.defined() ? add(offset, term) : term;
    }
  }
  if (!offset.defined()) offset = make_const(elem_offset.dtype(), 0);
  if (!is_zero(elem_offset)) offset = add(offset, elem_offset);
  return offset;
}

PrimExpr Buffer::vload(Array<PrimExpr> begin, DataType dtype) const {
  const BufferNode* n = operator->();
  TVM_CHECK(dtype.element_of() == n->dtype.element_of(), "TypeError")
      << "vload from " << n->name << " (" << runtime::DLDataType2String(n->dtype) << ") as "
      << runtime::DLDataType2String(dtype);
  if (dtype.lanes() > n->dtype.lanes() && !begin.empty()) {
    int lanes = dtype.lanes() / n->dtype.lanes();
    begin.Set(static_cast<int64_t>(begin.size()) - 1,
              Ramp(begin.back(), make_const(begin.back().dtype(), 1), lanes));
  }
  return BufferLoad(*this, begin);
}

Stmt Buffer::vstore(Array<PrimExpr> begin, PrimExpr value) const {
  const BufferNode* n = operator->();
  DataType dtype = value.dtype();
  if (dtype.lanes() > n->dtype.lanes() && !begin.empty()) {
    int lanes = dtype.lanes() / n->dtype.lanes();
    begin.Set(static_cast<int64_t>(begin.size()) - 1,
              Ramp(begin.back(), make_const(begin.back().dtype(), 1), lanes));
  }
  return BufferStore(*this, value, begin);
}

PrimExpr Buffer::access_ptr(int access_mask, DataType ptr_type, int content_lanes, PrimExpr offset) const {
  const BufferNode* n = operator->();
  DataType content = n->dtype.with_lanes(content_lanes);
  PrimExpr extent = n->shape.empty() ? make_const(DataType::Int(32), 1)
                                     : (n->strides.empty() ? ProductOf(n->shape, 0, n->shape.size())
                                                           : mul(n->strides[0], n->shape[0]));
  PrimExpr elem_offset = add(n->elem_offset, offset);
  if (content_lanes > 1) {
    extent = floordiv(extent, make_const(extent.dtype(), content_lanes));
    elem_offset = floordiv(elem_offset, make_const(elem_offset.dtype(), content_lanes));
  }
  extent = sub(extent, offset);
  Array<PrimExpr> args{Call(content, Op::Get("tir.type_annotation"), {}), n->data, elem_offset, extent,
                       make_const(DataType::Int(32), access_mask)};
  return Call(ptr_type, builtin::tvm_access_ptr(), args);
}

Buffer Buffer::MakeStrideView() const {
  const BufferNode* n = operator->();
  if (!n->strides.empty()) return *this;
  Array<PrimExpr> strides;
  PrimExpr acc = make_const(n->shape.empty() ? DataType::Int(32) : n->shape[0].dtype(), 1);
  std::vector<PrimExpr> rev;
  for (size_t i = n->shape.size(); i > 0; --i) {
    rev.push_back(acc);
    acc = mul(acc, n->shape[i - 1]);
  }
  for (size_t i = rev.size(); i > 0; --i) strides.push_back(rev[i - 1]);
  Buffer out = *this;
  out.CopyOnWrite()->strides = strides;
  return out;
}

Buffer Buffer::MakeSlice(Array<PrimExpr> begins, Array<PrimExpr> extents) const {
  const BufferNode* n = operator->();
  TVM_CHECK(begins.size() == n->shape.size() && extents.size() == n->shape.size(), "ValueError")
      << "MakeSlice of " << n->name << ": begins and extents must match the rank " << n->shape.size();
  Buffer strided = MakeStrideView();
  PrimExpr offset = strided->ElemOffset(begins);
  Buffer out = strided;
  BufferNode* m = out.CopyOnWrite();
  m->shape = extents;
  m->elem_offset = offset;
  m->name = n->name + "_slice";
  return out;
}

Buffer Buffer::GetFlattenedBuffer() const {
  const BufferNode* n = operator->();
  if (n->shape.size() <= 1 && n->strides.empty()) return *this;
  PrimExpr size;
  if (n->strides.empty()) {
    size = ProductOf(n->shape, 0, n->shape.size());
  } else {
    size = make_const(n->shape[0].dtype(), 1);
    for (size_t i = 0; i < n->shape.size(); ++i) {
      size = max(size, mul(n->strides[i], n->shape[i]));
    }
  }
  Buffer out = *this;
  BufferNode* m = out.CopyOnWrite();
  m->shape = {size};
  m->strides = {};
  m->axis_separators = {};
  return out;
}

Buffer decl_buffer(Array<PrimExpr> shape, DataType dtype, String name, String storage_scope,
                   Array<IntImm> axis_separators) {
  Var data = MakeDataVar(name, dtype, storage_scope);
  return Buffer(data, dtype, shape, {}, PrimExpr(), name, 0, 0, kDefault, axis_separators);
}

TVM_REGISTER_NODE_TYPE(BufferNode);

TVM_REGISTER_GLOBAL("tir.Buffer")
    .set_body_typed([](Var data, DataType dtype, Array<PrimExpr> shape, Array<PrimExpr> strides, PrimExpr elem_offset,
                       String name, int data_alignment, int offset_factor, int buffer_type,
                       std::optional<Array<IntImm>> axis_separators) {
      TVM_CHECK(buffer_type == kDefault || buffer_type == kAutoBroadcast, "ValueError")
          << "invalid buffer_type " << buffer_type;
      return Buffer(data, dtype, shape, strides, elem_offset, name, data_alignment, offset_factor,
                    static_cast<BufferType>(buffer_type), axis_separators.value_or(Array<IntImm>()));
    });
TVM_REGISTER_GLOBAL("tir.decl_buffer")
    .set_body_typed([](Array<PrimExpr> shape, DataType dtype, String name, String scope) {
      return decl_buffer(shape, dtype, name, scope);
    });
TVM_REGISTER_GLOBAL("tir.BufferAccessPtr")
    .set_body_typed([](Buffer buffer, int access_mask, DataType ptr_type, int content_lanes, PrimExpr offset) {
      return buffer.access_ptr(access_mask, ptr_type, content_lanes, offset);
    });
TVM_REGISTER_GLOBAL("tir.BufferVLoad").set_body_typed([](Buffer buffer, Array<PrimExpr> begin, DataType dtype) {
  return buffer.vload(begin, dtype);
});
TVM_REGISTER_GLOBAL("tir.BufferVStore").set_body_typed([](Buffer buffer, Array<PrimExpr> begin, PrimExpr value) {
  return buffer.vstore(begin, value);
});
TVM_REGISTER_GLOBAL("tir.BufferStorageScope").set_body_typed([](Buffer buffer) { return buffer.scope(); });
TVM_REGISTER_GLOBAL("tir.BufferOffsetOf").set_body_typed([](Buffer buffer, Array<PrimExpr> indices) {
  return Array<PrimExpr>{buffer->ElemOffset(indices)};
});
TVM_REGISTER_GLOBAL("tir.BufferGetFlattenedBuffer").set_body_typed([](Buffer buffer) {
  return buffer.GetFlattenedBuffer();
});

}  // namespace tir
}  // namespace tvm
