/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/ndarray.h
 * \brief NDArray: a reference-counted DLTensor on any device.
 *
 * Arrays allocated here are 64-byte aligned. Arrays that arrive through
 * DLPack keep the producer's memory (no copy) and may have any alignment or
 * strides; kernels that need more check it at their entry point.
 */
#ifndef TVM_RUNTIME_NDARRAY_H_
#define TVM_RUNTIME_NDARRAY_H_

#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/object.h>

#include <cstddef>
#include <string>
#include <vector>

namespace tvm {
namespace runtime {

/*! \brief Alignment, in bytes, of every array and workspace the runtime allocates. */
constexpr int kAllocAlignment = 64;
/*! \brief Alignment that generated code may assume for its temporaries. */
constexpr int kTempAllocaAlignment = 64;

using ShapeTuple = std::vector<int64_t>;

class TVM_DLL NDArray : public ObjectRef {
 public:
  class Container;
  using ContainerType = Container;

  NDArray() = default;
  explicit NDArray(ObjectPtr<Object> data) : ObjectRef(std::move(data)) {}

  /*! \brief The tensor description (data, shape, dtype, device, strides). */
  const DLTensor* operator->() const;
  const DLTensor* GetDLTensor() const { return operator->(); }
  ShapeTuple Shape() const;
  runtime::DataType DataType() const;
  DLDevice Device() const { return operator->()->device; }
  int64_t NumElements() const;
  /*! \brief Bytes of the logical data (elements times element size). */
  size_t NBytes() const;
  /*! \brief Whether strides are absent or equal to the compact row-major strides. */
  bool IsContiguous() const;
  /*! \brief Whether the data pointer plus byte_offset is a multiple of `alignment`. */
  bool IsAligned(size_t alignment = kAllocAlignment) const;

  /*! \brief Copy from another array of the same shape and dtype (any device). */
  void CopyFrom(const DLTensor* other);
  void CopyFrom(const NDArray& other) { CopyFrom(other.operator->()); }
  void CopyTo(DLTensor* other) const;
  void CopyTo(const NDArray& other) const;
  /*! \brief A copy on `dev`. */
  NDArray CopyTo(const DLDevice& dev) const;
  /*! \brief Copy `nbytes` of host memory in; nbytes must equal NBytes(). */
  void CopyFromBytes(const void* data, size_t nbytes);
  void CopyToBytes(void* data, size_t nbytes) const;
  /*!
   * \brief A view with another shape and dtype sharing this array's memory.
   * \throws Error (ValueError) when the view needs more bytes than this array
   *  holds or this array is not contiguous.
   */
  NDArray CreateView(ShapeTuple shape, DLDataType dtype) const;
  /*! \brief Export with DLPack; the consumer calls the deleter when done. */
  DLManagedTensor* ToDLPack() const;

  /*!
   * \brief A new, uninitialised array.
   * \throws Error (ValueError) on a negative dimension or invalid dtype.
   */
  static NDArray Empty(ShapeTuple shape, DLDataType dtype, DLDevice dev);
  /*! \brief Take a DLPack tensor without copying; its deleter runs when the last reference goes. */
  static NDArray FromDLPack(DLManagedTensor* tensor);
  /*! \brief Wrap a DLTensor owned elsewhere (no ownership; caller keeps memory alive). */
  static NDArray FromExternalDLTensor(const DLTensor& tensor);
  /*! \brief A new compact array on `dev` holding a copy of `tensor`. */
  static NDArray NewFromDLTensor(DLTensor* tensor, const DLDevice& dev);
  static void CopyFromTo(const DLTensor* from, DLTensor* to, TVMStreamHandle stream = nullptr);

  /*! \brief Recover the NDArray from a DLTensor* handed out by one. */
  static NDArray FromContainerHandle(DLTensor* handle);
  /*! \brief The DLTensor* that crosses the ABI for this array (kTVMNDArrayHandle). */
  DLTensor* ContainerHandle() const;
};

/*!
 * \brief The object behind NDArray. `dl_tensor` is the first field after the
 *  Object header so that a DLTensor* handed to C code maps back to it.
 */
class TVM_DLL NDArray::Container : public Object {
 public:
  DLTensor dl_tensor;
  /*! \brief Storage behind dl_tensor.shape and dl_tensor.strides. */
  std::vector<int64_t> shape_storage;
  std::vector<int64_t> strides_storage;
  /*! \brief What keeps dl_tensor.data alive when this array does not own it. */
  DLManagedTensor* dlpack_source{nullptr};
  ObjectRef view_base;
  bool owns_data{false};

  Container() { dl_tensor = DLTensor{}; }
  ~Container() override;

  static constexpr const char* _type_key = "runtime.NDArray";
  static constexpr bool _type_final = true;
  static constexpr uint32_t _type_static_index = TypeIndex::kRuntimeNDArray;
  using _type_parent = Object;
};

inline const DLTensor* NDArray::operator->() const {
  return &static_cast<const Container*>(get())->dl_tensor;
}

/*! \brief Total number of elements of a shape. */
inline int64_t ShapeSize(const ShapeTuple& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

/*! \brief Bytes of the data of a DLTensor (ignoring strides). */
TVM_DLL size_t GetDataSize(const DLTensor& arr);
/*! \brief Whether a DLTensor is compact row-major. */
TVM_DLL bool IsContiguous(const DLTensor& arr);

/*! \brief Save/load arrays in the runtime's binary parameter format. */
TVM_DLL void SaveDLTensor(std::string* out, const DLTensor* tensor);
TVM_DLL NDArray LoadDLTensor(const std::string& bytes, size_t* offset);

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_NDARRAY_H_
