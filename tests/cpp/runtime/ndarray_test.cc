/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// NDArray: allocation, byte copies, views, DLPack exchange, strided sources,
// the binary array format and the container handle that crosses the C ABI.
#include <gtest/gtest.h>
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/ndarray.h>

#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

namespace {

using namespace tvm::runtime;  // NOLINT(*)

const DLDevice kCPU{kDLCPU, 0};

std::vector<float> Iota(size_t n, float start = 0.f) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

/*! \brief Run `f`, expect it to throw Error of `kind`, and return the message. */
template <typename F>
std::string ExpectError(F f, const std::string& kind) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected an Error of kind " << kind;
  return "";
}

TEST(NDArray, EmptyShapeDtypeAndAlignment) {
  NDArray a = NDArray::Empty({2, 3, 5}, DataType::Float(32), kCPU);
  ASSERT_TRUE(a.defined());
  EXPECT_EQ(a.Shape(), (ShapeTuple{2, 3, 5}));
  EXPECT_EQ(a->ndim, 3);
  EXPECT_EQ(a.DataType(), DataType::Float(32));
  EXPECT_EQ(a->dtype.code, kDLFloat);
  EXPECT_EQ(a->dtype.bits, 32);
  EXPECT_EQ(a->dtype.lanes, 1);
  EXPECT_EQ(a.Device().device_type, kDLCPU);
  EXPECT_EQ(a.NumElements(), 30);
  EXPECT_EQ(a.NBytes(), 120u);
  EXPECT_TRUE(a.IsContiguous());
  EXPECT_EQ(a->byte_offset, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a->data) % kAllocAlignment, 0u);
  EXPECT_TRUE(a.IsAligned());
  EXPECT_TRUE(a.IsAligned(64));

  // Many small allocations are all aligned, not only the first.
  for (int i = 1; i < 20; ++i) {
    NDArray b = NDArray::Empty({i}, DataType::Int(8), kCPU);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b->data) % 64, 0u) << "size " << i;
    EXPECT_EQ(b.NBytes(), static_cast<size_t>(i));
  }

  NDArray vec = NDArray::Empty({4}, DataType::Float(32, 4), kCPU);
  EXPECT_EQ(vec.NBytes(), 64u);
  NDArray scalar = NDArray::Empty({}, DataType::Int(64), kCPU);
  EXPECT_EQ(scalar->ndim, 0);
  EXPECT_EQ(scalar.NumElements(), 1);
  EXPECT_EQ(scalar.NBytes(), 8u);
  NDArray zero = NDArray::Empty({0, 4}, DataType::Float(32), kCPU);
  EXPECT_EQ(zero.NumElements(), 0);
  EXPECT_EQ(zero.NBytes(), 0u);
}

TEST(NDArray, NegativeDimensionIsValueError) {
  std::string msg = ExpectError([] { NDArray::Empty({2, -3}, DataType::Float(32), kCPU); }, "ValueError");
  EXPECT_NE(msg.find("-3"), std::string::npos) << msg;
}

TEST(NDArray, VoidDtypeIsValueError) {
  ExpectError([] { NDArray::Empty({2}, DataType::Void(), kCPU); }, "ValueError");
}

TEST(NDArray, CopyFromBytesAndToBytesAreExact) {
  NDArray a = NDArray::Empty({3, 4}, DataType::Float(32), kCPU);
  std::vector<float> src = Iota(12, -5.5f);
  src[7] = 1e-30f;
  a.CopyFromBytes(src.data(), src.size() * sizeof(float));
  EXPECT_EQ(std::memcmp(a->data, src.data(), 48), 0);
  std::vector<float> dst(12, 99.f);
  a.CopyToBytes(dst.data(), dst.size() * sizeof(float));
  EXPECT_EQ(dst, src);

  // Integer data with every byte value survives unchanged.
  NDArray b = NDArray::Empty({256}, DataType::UInt(8), kCPU);
  std::vector<uint8_t> bytes(256);
  std::iota(bytes.begin(), bytes.end(), 0);
  b.CopyFromBytes(bytes.data(), bytes.size());
  std::vector<uint8_t> back(256, 0);
  b.CopyToBytes(back.data(), back.size());
  EXPECT_EQ(back, bytes);
}

TEST(NDArray, CopyBytesWithWrongSizeIsValueError) {
  NDArray a = NDArray::Empty({4}, DataType::Float(32), kCPU);
  std::vector<char> buf(64);
  ExpectError([&] { a.CopyFromBytes(buf.data(), 15); }, "ValueError");
  ExpectError([&] { a.CopyToBytes(buf.data(), 17); }, "ValueError");
}

TEST(NDArray, CopyFromAnotherArray) {
  NDArray a = NDArray::Empty({2, 5}, DataType::Int(32), kCPU);
  NDArray b = NDArray::Empty({2, 5}, DataType::Int(32), kCPU);
  std::vector<int32_t> src(10);
  std::iota(src.begin(), src.end(), 100);
  a.CopyFromBytes(src.data(), 40);
  b.CopyFrom(a);
  EXPECT_NE(a->data, b->data);
  std::vector<int32_t> out(10);
  b.CopyToBytes(out.data(), 40);
  EXPECT_EQ(out, src);

  // The copy is independent of the source afterwards.
  std::vector<int32_t> zeros(10, 0);
  a.CopyFromBytes(zeros.data(), 40);
  b.CopyToBytes(out.data(), 40);
  EXPECT_EQ(out, src);

  NDArray c = a.CopyTo(kCPU);
  EXPECT_EQ(c.Shape(), a.Shape());
  c.CopyToBytes(out.data(), 40);
  EXPECT_EQ(out, zeros);
}

TEST(NDArray, CopyFromMismatchedArrayIsAnError) {
  NDArray a = NDArray::Empty({2, 5}, DataType::Int(32), kCPU);
  NDArray wrong_shape = NDArray::Empty({5, 2}, DataType::Int(32), kCPU);
  NDArray wrong_dtype = NDArray::Empty({2, 5}, DataType::Float(32), kCPU);
  std::string msg = ExpectError([&] { a.CopyFrom(wrong_shape); }, "ValueError");
  EXPECT_NE(msg.find("(5, 2)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(2, 5)"), std::string::npos) << msg;
  msg = ExpectError([&] { a.CopyFrom(wrong_dtype); }, "TypeError");
  EXPECT_NE(msg.find("float32"), std::string::npos) << msg;
  EXPECT_NE(msg.find("int32"), std::string::npos) << msg;
}

TEST(NDArray, CreateViewSharesMemory) {
  NDArray a = NDArray::Empty({4, 4}, DataType::Float(32), kCPU);
  std::vector<float> src = Iota(16);
  a.CopyFromBytes(src.data(), 64);

  NDArray v = a.CreateView({16}, DataType::Float(32));
  EXPECT_EQ(v->data, a->data);
  EXPECT_EQ(v.Shape(), ShapeTuple{16});
  std::vector<float> flat(16);
  v.CopyToBytes(flat.data(), 64);
  EXPECT_EQ(flat, src);

  // A write through the view is seen by the base array.
  std::vector<float> ones(16, 1.f);
  v.CopyFromBytes(ones.data(), 64);
  std::vector<float> out(16);
  a.CopyToBytes(out.data(), 64);
  EXPECT_EQ(out, ones);

  // A smaller view of another dtype reinterprets the same bytes.
  NDArray bytes = a.CreateView({8}, DataType::UInt(8));
  EXPECT_EQ(bytes->data, a->data);
  EXPECT_EQ(bytes.NBytes(), 8u);

  // The view keeps the memory alive after the base reference goes.
  void* data = a->data;
  a = NDArray();
  v.CopyToBytes(out.data(), 64);
  EXPECT_EQ(out, ones);
  EXPECT_EQ(v->data, data);
}

TEST(NDArray, CreateViewRejectsTooLargeViews) {
  NDArray a = NDArray::Empty({4, 4}, DataType::Float(32), kCPU);
  std::string msg = ExpectError([&] { a.CreateView({17}, DataType::Float(32)); }, "ValueError");
  EXPECT_NE(msg.find("68"), std::string::npos) << msg;  // bytes needed
  EXPECT_NE(msg.find("64"), std::string::npos) << msg;  // bytes held
  ExpectError([&] { a.CreateView({16}, DataType::Float(64)); }, "ValueError");
  ExpectError([&] { a.CreateView({-1}, DataType::Float(32)); }, "ValueError");
  // Exactly the same size is fine.
  EXPECT_NO_THROW(a.CreateView({8}, DataType::Float(64)));
}

TEST(NDArray, DLPackRoundTripDoesNotCopy) {
  NDArray a = NDArray::Empty({3, 2}, DataType::Float(32), kCPU);
  std::vector<float> src = Iota(6, 1.f);
  a.CopyFromBytes(src.data(), 24);
  int before = a.use_count();

  DLManagedTensor* managed = a.ToDLPack();
  ASSERT_NE(managed, nullptr);
  EXPECT_EQ(managed->dl_tensor.data, a->data);
  EXPECT_EQ(managed->dl_tensor.ndim, 2);
  EXPECT_EQ(managed->dl_tensor.shape[0], 3);
  EXPECT_EQ(managed->dl_tensor.shape[1], 2);
  EXPECT_EQ(managed->dl_tensor.dtype.code, kDLFloat);
  // The exported tensor holds a reference of its own.
  EXPECT_EQ(a.use_count(), before + 1);

  NDArray b = NDArray::FromDLPack(managed);
  EXPECT_EQ(b->data, a->data);
  EXPECT_EQ(b.Shape(), a.Shape());
  EXPECT_EQ(b.DataType(), a.DataType());
  std::vector<float> out(6);
  b.CopyToBytes(out.data(), 24);
  EXPECT_EQ(out, src);

  // Dropping the consumer runs the deleter, which gives the reference back.
  b = NDArray();
  EXPECT_EQ(a.use_count(), before);
}

struct DeleterProbe {
  int calls = 0;
  std::vector<float> storage;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

DLManagedTensor* MakeExternal(DeleterProbe* probe) {
  auto* m = new DLManagedTensor();
  m->dl_tensor.data = probe->storage.data();
  m->dl_tensor.device = kCPU;
  m->dl_tensor.ndim = static_cast<int>(probe->shape.size());
  m->dl_tensor.dtype = DLDataType{kDLFloat, 32, 1};
  m->dl_tensor.shape = probe->shape.data();
  m->dl_tensor.strides = probe->strides.empty() ? nullptr : probe->strides.data();
  m->dl_tensor.byte_offset = 0;
  m->manager_ctx = probe;
  m->deleter = [](DLManagedTensor* self) {
    static_cast<DeleterProbe*>(self->manager_ctx)->calls++;
    delete self;
  };
  return m;
}

TEST(NDArray, FromDLPackDeleterRunsOnceWhenLastReferenceGoes) {
  DeleterProbe probe;
  probe.storage = Iota(8);
  probe.shape = {2, 4};
  {
    NDArray a = NDArray::FromDLPack(MakeExternal(&probe));
    EXPECT_EQ(a->data, probe.storage.data());
    NDArray b = a;
    NDArray c = b;
    a = NDArray();
    b = NDArray();
    EXPECT_EQ(probe.calls, 0) << "deleter ran while a reference was still held";
    std::vector<float> out(8);
    c.CopyToBytes(out.data(), 32);
    EXPECT_EQ(out, probe.storage);
  }
  EXPECT_EQ(probe.calls, 1);
}

TEST(NDArray, FromDLPackKeepsShapeAfterProducerChangesIt) {
  DeleterProbe probe;
  probe.storage = Iota(6);
  probe.shape = {2, 3};
  NDArray a = NDArray::FromDLPack(MakeExternal(&probe));
  probe.shape[0] = 1000;  // the array owns its own copy of the shape
  EXPECT_EQ(a.Shape(), (ShapeTuple{2, 3}));
  a = NDArray();
  EXPECT_EQ(probe.calls, 1);
}

TEST(NDArray, StridedDLPackTensorIsCopiedOutCorrectly) {
  // Storage is a row-major 3x4 matrix; the tensor is its 4x3 transpose.
  DeleterProbe probe;
  probe.storage = Iota(12);
  probe.shape = {4, 3};
  probe.strides = {1, 4};
  NDArray t = NDArray::FromDLPack(MakeExternal(&probe));
  EXPECT_FALSE(t.IsContiguous());
  EXPECT_EQ(t.NBytes(), 48u);
  std::vector<float> out(12, -1.f);
  t.CopyToBytes(out.data(), 48);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(out[i * 3 + j], probe.storage[j * 4 + i]) << "at (" << i << ", " << j << ")";
    }
  }

  // Copying into a compact array also honours the strides.
  NDArray compact = NDArray::Empty({4, 3}, DataType::Float(32), kCPU);
  compact.CopyFrom(t);
  std::vector<float> out2(12);
  compact.CopyToBytes(out2.data(), 48);
  EXPECT_EQ(out2, out);

  // A strided array cannot be viewed as if it were compact.
  EXPECT_THROW(t.CreateView({12}, DataType::Float(32)), Error);
  t = NDArray();
  EXPECT_EQ(probe.calls, 1);
}

TEST(NDArray, StridedSliceWithPaddingIsCopiedOutCorrectly) {
  // Every other column of a 2x6 matrix: shape (2, 3), strides (6, 2).
  DeleterProbe probe;
  probe.storage = Iota(12, 10.f);
  probe.shape = {2, 3};
  probe.strides = {6, 2};
  NDArray t = NDArray::FromDLPack(MakeExternal(&probe));
  std::vector<float> out(6);
  t.CopyToBytes(out.data(), 24);
  EXPECT_EQ(out, (std::vector<float>{10, 12, 14, 16, 18, 20}));
}

TEST(NDArray, CompactStridesArePresentedWithoutStrides) {
  DeleterProbe probe;
  probe.storage = Iota(6);
  probe.shape = {2, 3};
  probe.strides = {3, 1};
  NDArray t = NDArray::FromDLPack(MakeExternal(&probe));
  EXPECT_TRUE(t.IsContiguous());
  EXPECT_NO_THROW(t.CreateView({6}, DataType::Float(32)));
}

TEST(NDArray, SaveAndLoadRoundTrip) {
  NDArray a = NDArray::Empty({2, 3}, DataType::Float(32), kCPU);
  std::vector<float> src = {1.5f, -2.f, 3.25f, 0.f, 1e9f, -1e-9f};
  a.CopyFromBytes(src.data(), 24);
  NDArray b = NDArray::Empty({5}, DataType::Int(64), kCPU);
  std::vector<int64_t> ints = {1, -1, INT64_MAX, INT64_MIN, 0};
  b.CopyFromBytes(ints.data(), 40);

  std::string blob;
  SaveDLTensor(&blob, a.operator->());
  SaveDLTensor(&blob, b.operator->());
  size_t offset = 0;
  NDArray a2 = LoadDLTensor(blob, &offset);
  NDArray b2 = LoadDLTensor(blob, &offset);
  EXPECT_EQ(offset, blob.size());

  EXPECT_EQ(a2.Shape(), a.Shape());
  EXPECT_EQ(a2.DataType(), a.DataType());
  EXPECT_NE(a2->data, a->data);
  std::vector<float> out(6);
  a2.CopyToBytes(out.data(), 24);
  EXPECT_EQ(out, src);
  EXPECT_EQ(b2.DataType(), DataType::Int(64));
  std::vector<int64_t> out_ints(5);
  b2.CopyToBytes(out_ints.data(), 40);
  EXPECT_EQ(out_ints, ints);
}

TEST(NDArray, SaveStridedTensorWritesLogicalOrder) {
  DeleterProbe probe;
  probe.storage = Iota(12);
  probe.shape = {4, 3};
  probe.strides = {1, 4};
  NDArray t = NDArray::FromDLPack(MakeExternal(&probe));
  std::string blob;
  SaveDLTensor(&blob, t.operator->());
  size_t offset = 0;
  NDArray loaded = LoadDLTensor(blob, &offset);
  std::vector<float> expected(12), got(12);
  t.CopyToBytes(expected.data(), 48);
  loaded.CopyToBytes(got.data(), 48);
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(loaded.IsContiguous());
}

TEST(NDArray, LoadRejectsCorruptData) {
  NDArray a = NDArray::Empty({4}, DataType::Float(32), kCPU);
  std::vector<float> src(4, 2.f);
  a.CopyFromBytes(src.data(), 16);
  std::string blob;
  SaveDLTensor(&blob, a.operator->());

  std::string truncated = blob.substr(0, blob.size() - 3);
  size_t offset = 0;
  EXPECT_THROW(LoadDLTensor(truncated, &offset), Error);

  std::string bad_magic = blob;
  bad_magic[0] ^= 0x5a;
  offset = 0;
  std::string msg = ExpectError([&] { LoadDLTensor(bad_magic, &offset); }, "ValueError");
  EXPECT_NE(msg.find("magic"), std::string::npos) << msg;

  offset = 0;
  EXPECT_THROW(LoadDLTensor(std::string(), &offset), Error);
}

TEST(NDArray, ContainerHandleRoundTrip) {
  NDArray a = NDArray::Empty({7}, DataType::Int(16), kCPU);
  DLTensor* handle = a.ContainerHandle();
  EXPECT_EQ(handle, a.operator->());
  EXPECT_EQ(handle->data, a->data);
  int before = a.use_count();
  {
    NDArray b = NDArray::FromContainerHandle(handle);
    EXPECT_TRUE(b.same_as(a));
    EXPECT_EQ(a.use_count(), before + 1);
  }
  EXPECT_EQ(a.use_count(), before);
}

TEST(NDArray, CApiAllocCopyFree) {
  int64_t shape[2] = {2, 2};
  TVMArrayHandle h = nullptr;
  ASSERT_EQ(TVMArrayAlloc(shape, 2, kDLFloat, 32, 1, kDLCPU, 0, &h), 0) << TVMGetLastError();
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->ndim, 2);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(h->data) % 64, 0u);
  float in[4] = {1, 2, 3, 4}, out[4] = {0, 0, 0, 0};
  ASSERT_EQ(TVMArrayCopyFromBytes(h, in, sizeof(in)), 0) << TVMGetLastError();
  ASSERT_EQ(TVMArrayCopyToBytes(h, out, sizeof(out)), 0) << TVMGetLastError();
  EXPECT_EQ(std::memcmp(in, out, sizeof(in)), 0);
  // A wrong size is reported through the last error, not thrown.
  EXPECT_EQ(TVMArrayCopyToBytes(h, out, 3), -1);
  EXPECT_EQ(std::string(TVMGetLastError()).rfind("ValueError: ", 0), 0u) << TVMGetLastError();
  EXPECT_EQ(TVMArrayFree(h), 0);

  int64_t bad_shape[1] = {-2};
  EXPECT_EQ(TVMArrayAlloc(bad_shape, 1, kDLFloat, 32, 1, kDLCPU, 0, &h), -1);
  EXPECT_EQ(std::string(TVMGetLastError()).rfind("ValueError: ", 0), 0u) << TVMGetLastError();
}

}  // namespace
