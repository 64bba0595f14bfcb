/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// NDArray: allocation through DeviceAPI, DLPack exchange without copies,
// copies between devices and layouts, views, and the binary array format.
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/ndarray.h>

#include <cstring>
#include <sstream>

#include "c_api_common.h"

namespace tvm {
namespace runtime {
namespace {

std::string ShapeToString(const int64_t* shape, int ndim) {
  std::ostringstream os;
  os << "(";
  for (int i = 0; i < ndim; ++i) os << (i ? ", " : "") << shape[i];
  os << (ndim == 1 ? ",)" : ")");
  return os.str();
}

void ValidateDType(DLDataType dtype) {
  TVM_CHECK(dtype.lanes >= 1, "ValueError") << "dtype " << dtype << " has no lanes";
  TVM_CHECK(dtype.bits == 1 || dtype.bits % 8 == 0 || (dtype.bits == 4 && dtype.lanes % 2 == 0), "ValueError")
      << "arrays of dtype " << dtype << " are not supported (element size must be whole bytes)";
  TVM_CHECK(!(dtype.code == kTVMOpaqueHandle && dtype.bits == 0), "ValueError")
      << "cannot make an array of dtype void";
}

/*! \brief Bytes between consecutive elements along each axis, for any layout. */
std::vector<int64_t> ByteStrides(const DLTensor& t) {
  int64_t elem = (t.dtype.bits * t.dtype.lanes + 7) / 8;
  std::vector<int64_t> strides(t.ndim);
  int64_t running = elem;
  for (int i = t.ndim - 1; i >= 0; --i) {
    strides[i] = t.strides != nullptr ? t.strides[i] * elem : running;
    running *= t.shape[i];
  }
  return strides;
}

/*! \brief Copy between two host tensors of equal shape and dtype, any strides. */
void HostStridedCopy(const DLTensor* from, DLTensor* to) {
  const char* src = static_cast<const char*>(from->data) + from->byte_offset;
  char* dst = static_cast<char*>(to->data) + to->byte_offset;
  if (IsContiguous(*from) && IsContiguous(*to)) {
    std::memcpy(dst, src, GetDataSize(*from));
    return;
  }
  int ndim = from->ndim;
  size_t elem = (from->dtype.bits * from->dtype.lanes + 7) / 8;
  std::vector<int64_t> sstr = ByteStrides(*from), dstr = ByteStrides(*to);
  int64_t total = 1;
  for (int i = 0; i < ndim; ++i) total *= from->shape[i];
  if (total == 0) return;
  std::vector<int64_t> index(ndim, 0);
  for (int64_t n = 0; n < total; ++n) {
    int64_t so = 0, doff = 0;
    for (int i = 0; i < ndim; ++i) {
      so += index[i] * sstr[i];
      doff += index[i] * dstr[i];
    }
    std::memcpy(dst + doff, src + so, elem);
    for (int i = ndim - 1; i >= 0; --i) {
      if (++index[i] < from->shape[i]) break;
      index[i] = 0;
    }
  }
}

size_t ContainerOffset() {
  static const size_t offset = [] {
    NDArray::Container probe;
    return static_cast<size_t>(reinterpret_cast<char*>(&probe.dl_tensor) - reinterpret_cast<char*>(&probe));
  }();
  return offset;
}

}  // namespace

[[maybe_unused]] static const uint32_t kNDArrayTypeIndex = TypeIndexOf<NDArray::Container>();

size_t GetDataSize(const DLTensor& arr) {
  // Whole bytes per element: bool (uint1) takes one byte, as in numpy.
  size_t size = 1;
  for (int i = 0; i < arr.ndim; ++i) size *= static_cast<size_t>(arr.shape[i]);
  return size * ((arr.dtype.bits * arr.dtype.lanes + 7) / 8);
}

bool IsContiguous(const DLTensor& arr) {
  if (arr.strides == nullptr) return true;
  int64_t expected = 1;
  for (int i = arr.ndim - 1; i >= 0; --i) {
    // Axes of extent 1 may carry any stride.
    if (arr.shape[i] != 1 && arr.strides[i] != expected) return false;
    expected *= arr.shape[i];
  }
  return true;
}

NDArray::Container::~Container() {
  if (dlpack_source != nullptr) {
    if (dlpack_source->deleter != nullptr) dlpack_source->deleter(dlpack_source);
  } else if (owns_data && dl_tensor.data != nullptr) {
    DeviceAPI::Get(dl_tensor.device)->FreeDataSpace(dl_tensor.device, dl_tensor.data);
  }
}

ShapeTuple NDArray::Shape() const {
  const DLTensor* t = operator->();
  return ShapeTuple(t->shape, t->shape + t->ndim);
}

runtime::DataType NDArray::DataType() const { return runtime::DataType(operator->()->dtype); }

int64_t NDArray::NumElements() const {
  const DLTensor* t = operator->();
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

size_t NDArray::NBytes() const { return GetDataSize(*operator->()); }
bool NDArray::IsContiguous() const { return runtime::IsContiguous(*operator->()); }
bool NDArray::IsAligned(size_t alignment) const {
  const DLTensor* t = operator->();
  return (reinterpret_cast<uintptr_t>(t->data) + t->byte_offset) % alignment == 0;
}

NDArray NDArray::Empty(ShapeTuple shape, DLDataType dtype, DLDevice dev) {
  for (int64_t d : shape) {
    TVM_CHECK(d >= 0, "ValueError") << "negative dimension " << d << " in shape "
                                    << ShapeToString(shape.data(), static_cast<int>(shape.size()));
  }
  ValidateDType(dtype);
  DeviceAPI* api = DeviceAPI::Get(dev);
  auto n = make_object<Container>();
  n->shape_storage = std::move(shape);
  n->dl_tensor.ndim = static_cast<int>(n->shape_storage.size());
  n->dl_tensor.shape = n->shape_storage.data();
  n->dl_tensor.strides = nullptr;
  n->dl_tensor.dtype = dtype;
  n->dl_tensor.device = dev;
  n->dl_tensor.byte_offset = 0;
  size_t nbytes = GetDataSize(n->dl_tensor);
  n->dl_tensor.data = api->AllocDataSpace(dev, nbytes > 0 ? nbytes : 1, kAllocAlignment, dtype);
  n->owns_data = true;
  return NDArray(ObjectPtr<Object>(std::move(n)));
}

NDArray NDArray::FromDLPack(DLManagedTensor* tensor) {
  TVM_CHECK(tensor != nullptr, "ValueError") << "null DLPack tensor";
  const DLTensor& t = tensor->dl_tensor;
  TVM_CHECK(t.ndim >= 0, "ValueError") << "DLPack tensor with negative ndim " << t.ndim;
  auto n = make_object<Container>();
  n->dl_tensor = t;
  n->shape_storage.assign(t.shape, t.shape + t.ndim);
  n->dl_tensor.shape = n->shape_storage.data();
  if (t.strides != nullptr && !runtime::IsContiguous(t)) {
    n->strides_storage.assign(t.strides, t.strides + t.ndim);
    n->dl_tensor.strides = n->strides_storage.data();
  } else {
    // Compact arrays are presented without strides, as kernels expect.
    n->dl_tensor.strides = nullptr;
  }
  n->dlpack_source = tensor;
  return NDArray(ObjectPtr<Object>(std::move(n)));
}

NDArray NDArray::FromExternalDLTensor(const DLTensor& t) {
  auto n = make_object<Container>();
  n->dl_tensor = t;
  n->shape_storage.assign(t.shape, t.shape + t.ndim);
  n->dl_tensor.shape = n->shape_storage.data();
  if (t.strides != nullptr) {
    n->strides_storage.assign(t.strides, t.strides + t.ndim);
    n->dl_tensor.strides = n->strides_storage.data();
  }
  return NDArray(ObjectPtr<Object>(std::move(n)));
}

NDArray NDArray::NewFromDLTensor(DLTensor* tensor, const DLDevice& dev) {
  TVM_CHECK(tensor != nullptr, "ValueError") << "NewFromDLTensor: the tensor is null";
  NDArray arr = Empty(ShapeTuple(tensor->shape, tensor->shape + tensor->ndim), tensor->dtype, dev);
  arr.CopyFrom(tensor);
  return arr;
}

DLManagedTensor* NDArray::ToDLPack() const {
  ICHECK(defined()) << "ToDLPack of a null NDArray";
  auto* managed = new DLManagedTensor();
  managed->dl_tensor = *operator->();
  NDArray* keep_alive = new NDArray(*this);
  managed->manager_ctx = keep_alive;
  managed->deleter = [](DLManagedTensor* self) {
    delete static_cast<NDArray*>(self->manager_ctx);
    delete self;
  };
  return managed;
}

NDArray NDArray::FromContainerHandle(DLTensor* handle) {
  auto* container = reinterpret_cast<Container*>(reinterpret_cast<char*>(handle) - ContainerOffset());
  return NDArray(GetObjectPtr<Object>(container));
}

DLTensor* NDArray::ContainerHandle() const {
  return const_cast<DLTensor*>(&static_cast<const Container*>(get())->dl_tensor);
}

void NDArray::CopyFromTo(const DLTensor* from, DLTensor* to, TVMStreamHandle stream) {
  TVM_CHECK(from->ndim == to->ndim, "ValueError")
      << "cannot copy an array of shape " << ShapeToString(from->shape, from->ndim)
      << " into one of shape " << ShapeToString(to->shape, to->ndim);
  for (int i = 0; i < from->ndim; ++i) {
    TVM_CHECK(from->shape[i] == to->shape[i], "ValueError")
        << "cannot copy an array of shape " << ShapeToString(from->shape, from->ndim)
        << " into one of shape " << ShapeToString(to->shape, to->ndim);
  }
  TVM_CHECK(from->dtype.code == to->dtype.code && from->dtype.bits == to->dtype.bits &&
                from->dtype.lanes == to->dtype.lanes,
            "TypeError")
      << "cannot copy an array of dtype " << from->dtype << " into one of dtype " << to->dtype;
  if (from->device.device_type == kDLCPU && to->device.device_type == kDLCPU) {
    HostStridedCopy(from, to);
    return;
  }
  TVM_CHECK(runtime::IsContiguous(*from) && runtime::IsContiguous(*to), "ValueError")
      << "copies between devices need compact arrays";
  DLDevice dev = from->device.device_type != kDLCPU ? from->device : to->device;
  DeviceAPI::Get(dev)->CopyDataFromTo(from, to, stream);
}

void NDArray::CopyFrom(const DLTensor* other) {
  ICHECK(defined()) << "CopyFrom into a null NDArray";
  CopyFromTo(other, const_cast<DLTensor*>(operator->()), nullptr);
}

void NDArray::CopyTo(DLTensor* other) const {
  ICHECK(defined()) << "CopyTo from a null NDArray";
  CopyFromTo(operator->(), other, nullptr);
}

void NDArray::CopyTo(const NDArray& other) const { CopyTo(const_cast<DLTensor*>(other.operator->())); }

NDArray NDArray::CopyTo(const DLDevice& dev) const {
  NDArray out = Empty(Shape(), DataType(), dev);
  CopyTo(out);
  return out;
}

void NDArray::CopyFromBytes(const void* data, size_t nbytes) {
  const DLTensor* t = operator->();
  TVM_CHECK(nbytes == NBytes(), "ValueError")
      << "CopyFromBytes: got " << nbytes << " bytes for an array of " << NBytes() << " bytes";
  DLTensor src = *t;
  src.data = const_cast<void*>(data);
  src.device = DLDevice{kDLCPU, 0};
  src.strides = nullptr;
  src.byte_offset = 0;
  CopyFromTo(&src, const_cast<DLTensor*>(t), nullptr);
}

void NDArray::CopyToBytes(void* data, size_t nbytes) const {
  const DLTensor* t = operator->();
  TVM_CHECK(nbytes == NBytes(), "ValueError")
      << "CopyToBytes: asked for " << nbytes << " bytes of an array of " << NBytes() << " bytes";
  DLTensor dst = *t;
  dst.data = data;
  dst.device = DLDevice{kDLCPU, 0};
  dst.strides = nullptr;
  dst.byte_offset = 0;
  CopyFromTo(t, &dst, nullptr);
}

NDArray NDArray::CreateView(ShapeTuple shape, DLDataType dtype) const {
  const DLTensor* t = operator->();
  TVM_CHECK(IsContiguous(), "ValueError") << "CreateView needs a compact array";
  for (int64_t d : shape) {
    TVM_CHECK(d >= 0, "ValueError") << "negative dimension " << d << " in view shape";
  }
  auto n = make_object<Container>();
  n->shape_storage = std::move(shape);
  n->dl_tensor = *t;
  n->dl_tensor.ndim = static_cast<int>(n->shape_storage.size());
  n->dl_tensor.shape = n->shape_storage.data();
  n->dl_tensor.strides = nullptr;
  n->dl_tensor.dtype = dtype;
  TVM_CHECK(GetDataSize(n->dl_tensor) <= NBytes(), "ValueError")
      << "a view of shape " << ShapeToString(n->dl_tensor.shape, n->dl_tensor.ndim) << " and dtype "
      << dtype << " needs " << GetDataSize(n->dl_tensor) << " bytes but the array has " << NBytes();
  n->view_base = *this;
  return NDArray(ObjectPtr<Object>(std::move(n)));
}

// ---------------------------------------------------------------------------
// Binary format of one array: magic, reserved, device, ndim, dtype, shape,
// byte count, bytes (little endian, as in parameter files).

constexpr uint64_t kNDArrayMagic = 0xDD5E40F096B4A13F;

void SaveDLTensor(std::string* out, const DLTensor* t) {
  auto put = [out](const void* p, size_t n) { out->append(static_cast<const char*>(p), n); };
  uint64_t magic = kNDArrayMagic, reserved = 0;
  DLDevice cpu{kDLCPU, 0};
  int32_t ndim = t->ndim;
  put(&magic, 8);
  put(&reserved, 8);
  put(&cpu, sizeof(cpu));
  put(&ndim, 4);
  put(&t->dtype, sizeof(DLDataType));
  put(t->shape, sizeof(int64_t) * t->ndim);
  int64_t nbytes = static_cast<int64_t>(GetDataSize(*t));
  put(&nbytes, 8);
  size_t start = out->size();
  out->resize(start + nbytes);
  DLTensor dst = *t;
  dst.data = &(*out)[start];
  dst.device = cpu;
  dst.strides = nullptr;
  dst.byte_offset = 0;
  NDArray::CopyFromTo(t, &dst, nullptr);
}

NDArray LoadDLTensor(const std::string& bytes, size_t* offset) {
  auto get = [&](void* p, size_t n) {
    TVM_CHECK(*offset + n <= bytes.size(), "ValueError") << "truncated array data";
    std::memcpy(p, bytes.data() + *offset, n);
    *offset += n;
  };
  uint64_t magic, reserved;
  DLDevice dev;
  int32_t ndim;
  DLDataType dtype;
  get(&magic, 8);
  TVM_CHECK(magic == kNDArrayMagic, "ValueError") << "not an array: bad magic number";
  get(&reserved, 8);
  get(&dev, sizeof(dev));
  get(&ndim, 4);
  TVM_CHECK(ndim >= 0 && ndim <= 64, "ValueError") << "bad ndim " << ndim << " in array data";
  get(&dtype, sizeof(dtype));
  ShapeTuple shape(ndim);
  if (ndim > 0) get(shape.data(), sizeof(int64_t) * ndim);
  int64_t nbytes;
  get(&nbytes, 8);
  // Check the sizes before allocating: a corrupted shape must not ask for terabytes.
  TVM_CHECK(dtype.bits > 0 && dtype.lanes > 0, "ValueError")
      << "bad dtype (code " << int(dtype.code) << ", bits " << int(dtype.bits) << ", lanes " << dtype.lanes
      << ") in array data";
  uint64_t expected = (static_cast<uint64_t>(dtype.bits) * dtype.lanes + 7) / 8;
  for (int64_t d : shape) {
    TVM_CHECK(d >= 0, "ValueError") << "negative dimension " << d << " in array data";
    TVM_CHECK(d == 0 || expected <= (uint64_t{1} << 62) / static_cast<uint64_t>(d), "ValueError")
        << "array shape " << ShapeToString(shape.data(), ndim) << " in array data is too large";
    expected *= static_cast<uint64_t>(d);
  }
  TVM_CHECK(nbytes >= 0 && static_cast<uint64_t>(nbytes) == expected, "ValueError")
      << "array data holds " << nbytes << " bytes, but shape " << ShapeToString(shape.data(), ndim)
      << " and dtype " << dtype << " need " << expected;
  TVM_CHECK(*offset + nbytes <= bytes.size(), "ValueError")
      << "truncated array data: " << nbytes << " bytes needed at offset " << *offset << ", "
      << bytes.size() - *offset << " remain";
  NDArray arr = NDArray::Empty(shape, runtime::DataType(dtype), DLDevice{kDLCPU, 0});
  arr.CopyFromBytes(bytes.data() + *offset, nbytes);
  *offset += nbytes;
  return arr;
}

}  // namespace runtime
}  // namespace tvm

using namespace tvm::runtime;  // NOLINT(*)

extern "C" {

int TVMArrayAlloc(const int64_t* shape, int ndim, int dtype_code, int dtype_bits, int dtype_lanes,
                  int device_type, int device_id, TVMArrayHandle* out) {
  API_BEGIN();
  TVM_CHECK(ndim >= 0, "ValueError") << "negative ndim " << ndim;
  NDArray arr = NDArray::Empty(ShapeTuple(shape, shape + ndim), DataType(dtype_code, dtype_bits, dtype_lanes),
                               DLDevice{static_cast<DLDeviceType>(device_type), device_id});
  *out = arr.ContainerHandle();
  ObjectInternal::Release(&arr);
  API_END();
}

int TVMArrayFree(TVMArrayHandle handle) {
  API_BEGIN();
  if (handle != nullptr) {
    NDArray arr = NDArray::FromContainerHandle(handle);
    ObjectInternal::DecRef(const_cast<Object*>(arr.get()));
  }
  API_END();
}

int TVMArrayCopyFromBytes(TVMArrayHandle handle, void* data, size_t nbytes) {
  API_BEGIN();
  NDArray::FromContainerHandle(handle).CopyFromBytes(data, nbytes);
  API_END();
}

int TVMArrayCopyToBytes(TVMArrayHandle handle, void* data, size_t nbytes) {
  API_BEGIN();
  NDArray::FromContainerHandle(handle).CopyToBytes(data, nbytes);
  API_END();
}

int TVMArrayCopyFromTo(TVMArrayHandle from, TVMArrayHandle to, TVMStreamHandle stream) {
  API_BEGIN();
  NDArray::CopyFromTo(from, to, stream);
  API_END();
}

}  // extern "C"
