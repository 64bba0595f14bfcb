/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/buffer.h
 * \brief Buffer: a typed, shaped view of memory (data pointer, shape,
 *  strides, element offset, storage scope, alignment).
 */
#ifndef TVM_TIR_BUFFER_H_
#define TVM_TIR_BUFFER_H_

#include <tvm/ir/expr.h>
#include <tvm/tir/var.h>

#include <string>

namespace tvm {
namespace tir {

class Stmt;

enum BufferType : int {
  kDefault = 1,
  /*! \brief Dimensions of extent 1 broadcast (stride 0) when bound to arguments. */
  kAutoBroadcast = 2,
};

class BufferNode : public Object {
 public:
  /*! \brief The pointer to the first element; its type annotation carries the storage scope. */
  Var data;
  DataType dtype;
  Array<PrimExpr> shape;
  /*! \brief Boundaries between physical axes after flattening (empty: one axis). */
  Array<IntImm> axis_separators;
  /*! \brief Strides in elements; empty means compact row-major. */
  Array<PrimExpr> strides;
  /*! \brief Offset of the first element from data, in elements. */
  PrimExpr elem_offset;
  String name;
  /*!
   * \brief Alignment of data in bytes, a promise the code may rely on: the
   *  packed entry point checks it for arguments. Unset (<= 0) means the
   *  element size, so zero-copy views of numpy or torch arrays are accepted;
   *  what the runtime allocates is 64-byte aligned anyway.
   */
  int data_alignment;
  /*! \brief elem_offset is a multiple of this. */
  int offset_factor;
  BufferType buffer_type;

  void VisitAttrs(AttrVisitor* v) {
    // A buffer defines the variables of its data pointer and layout where it
    // is first met (a parameter's buffer, a declaration): structural equality
    // pairs them there, as it does loop variables.
    v->VisitDef("data", reinterpret_cast<ObjectRef*>(&data));
    v->Visit("dtype", &dtype);
    v->VisitDef("shape", reinterpret_cast<ObjectRef*>(&shape));
    v->VisitDef("strides", reinterpret_cast<ObjectRef*>(&strides));
    v->VisitDef("axis_separators", reinterpret_cast<ObjectRef*>(&axis_separators));
    v->VisitDef("elem_offset", reinterpret_cast<ObjectRef*>(&elem_offset));
    v->Visit("name", &name);
    v->Visit("data_alignment", &data_alignment);
    v->Visit("offset_factor", &offset_factor);
    v->Visit("buffer_type", &buffer_type);
  }

  /*! \brief The storage scope ("global", "shared", "local", ...). */
  TVM_DLL String scope() const;
  /*! \brief Element offset of `indices` (flat index, strides and elem_offset applied). */
  TVM_DLL PrimExpr ElemOffset(Array<PrimExpr> indices) const;

  static constexpr const char* _type_key = "tir.Buffer";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Buffer : public ObjectRef {
 public:
  using ContainerType = BufferNode;
  using ObjectRef::ObjectRef;
  Buffer() = default;
  TVM_DLL Buffer(Var data, DataType dtype, Array<PrimExpr> shape, Array<PrimExpr> strides, PrimExpr elem_offset,
                 String name, int data_alignment, int offset_factor, BufferType buffer_type,
                 Array<IntImm> axis_separators = {});
  const BufferNode* operator->() const { return static_cast<const BufferNode*>(get()); }
  TVM_DLL BufferNode* CopyOnWrite();

  String scope() const { return (*this)->scope(); }
  /*! \brief Load of `dtype` (may be a vector type) at `begin`. */
  TVM_DLL PrimExpr vload(Array<PrimExpr> begin, DataType dtype) const;
  TVM_DLL Stmt vstore(Array<PrimExpr> begin, PrimExpr value) const;
  /*!
   * \brief A pointer expression for passing the buffer to an extern function:
   *  tvm_access_ptr(type, data, offset, extent, rw_mask).
   * \param access_mask 1 = read, 2 = write.
   */
  TVM_DLL PrimExpr access_ptr(int access_mask, DataType ptr_type = DataType::Handle(), int content_lanes = 1,
                              PrimExpr offset = IntImm(DataType::Int(32), 0)) const;
  /*! \brief A buffer over the region starting at `begins` with `extents`. */
  TVM_DLL Buffer MakeSlice(Array<PrimExpr> begins, Array<PrimExpr> extents) const;
  /*! \brief The same buffer with explicit compact strides. */
  TVM_DLL Buffer MakeStrideView() const;
  /*! \brief The buffer as one dimension (or one per axis separator group). */
  TVM_DLL Buffer GetFlattenedBuffer() const;
};

/*!
 * \brief A new buffer with its own data variable.
 * \param storage_scope "global" by default.
 */
TVM_DLL Buffer decl_buffer(Array<PrimExpr> shape, DataType dtype = DataType::Float(32), String name = "buffer",
                           String storage_scope = "", Array<IntImm> axis_separators = {});

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_BUFFER_H_
