/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Tests of the CUDA DeviceAPI. Without a driver or GPU (the usual development
// machine) they check that CUDA reports itself absent cleanly; with a GPU they
// move data through device memory.
#include <gtest/gtest.h>
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <cstring>
#include <regex>
#include <string>
#include <vector>

namespace {

using tvm::runtime::DataType;
using tvm::runtime::DeviceAPI;
using tvm::runtime::NDArray;
using tvm::runtime::TVMRetValue;

constexpr DLDevice kCuda0{kDLCUDA, 0};
constexpr DLDevice kCpu{kDLCPU, 0};

bool HasGpu() { return DeviceAPI::Exists(kCuda0); }

TEST(CudaDeviceAPI, IsRegistered) {
  const tvm::runtime::PackedFunc* f = tvm::runtime::Registry::Get("device_api.cuda");
  ASSERT_NE(f, nullptr);
  void* api = (*f)().operator void*();
  EXPECT_NE(api, nullptr);
  EXPECT_EQ(DeviceAPI::Get(kCuda0), static_cast<DeviceAPI*>(api));
}

TEST(CudaDeviceAPI, ExistsNeverThrows) {
  bool exists = false;
  EXPECT_NO_THROW(exists = DeviceAPI::Exists(kCuda0));
  (void)exists;
  EXPECT_NO_THROW({
    TVMRetValue rv;
    DeviceAPI::Get(kCuda0)->GetAttr(DLDevice{kDLCUDA, 1000}, tvm::runtime::kExist, &rv);
    EXPECT_EQ(rv.operator int(), 0);
  });
  EXPECT_FALSE(DeviceAPI::Exists(DLDevice{kDLCUDA, 1000}));
  EXPECT_FALSE(DeviceAPI::Exists(DLDevice{kDLCUDA, -1}));
}

TEST(CudaDeviceAPI, WithoutGpuAllocationIsAClearError) {
  if (HasGpu()) GTEST_SKIP() << "a CUDA GPU is present";
  try {
    NDArray a = NDArray::Empty({4}, DataType::Float(32), kCuda0);
    FAIL() << "allocating on cuda(0) without a GPU should throw";
  } catch (const tvm::runtime::Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("CUDA"), std::string::npos) << message;
  }
  // Attributes other than kExist are errors too, not silent garbage.
  TVMRetValue rv;
  EXPECT_THROW(DeviceAPI::Get(kCuda0)->GetAttr(kCuda0, tvm::runtime::kWarpSize, &rv),
               tvm::runtime::Error);
  // Workspaces report the failure through the C ABI.
  void* p = TVMBackendAllocWorkspace(kDLCUDA, 0, 256, kDLFloat, 32);
  EXPECT_EQ(p, nullptr);
  EXPECT_NE(std::string(TVMGetLastError()).find("CUDA"), std::string::npos) << TVMGetLastError();
}

TEST(CudaDeviceAPI, MissingDeviceIdIsAClearError) {
  try {
    NDArray a = NDArray::Empty({4}, DataType::Float(32), DLDevice{kDLCUDA, 1000});
    FAIL() << "cuda(1000) does not exist";
  } catch (const tvm::runtime::Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("CUDA"), std::string::npos) << message;
  }
}

TEST(CudaDeviceAPI, RoundTripThroughDeviceMemory) {
  if (!HasGpu()) GTEST_SKIP() << "no CUDA GPU on this machine";
  constexpr int64_t n = 1 << 16;
  std::vector<float> host(n), back(n, -1.0f), back2(n, -2.0f);
  for (int64_t i = 0; i < n; ++i) host[i] = static_cast<float>(i) * 0.5f - 3.0f;

  NDArray dev = NDArray::Empty({n}, DataType::Float(32), kCuda0);
  EXPECT_EQ(dev->device.device_type, kDLCUDA);
  dev.CopyFromBytes(host.data(), n * sizeof(float));

  // device -> host
  dev.CopyToBytes(back.data(), n * sizeof(float));
  EXPECT_EQ(std::memcmp(host.data(), back.data(), n * sizeof(float)), 0);

  // device -> device, then -> host through an NDArray on the CPU
  NDArray dev2 = NDArray::Empty({n}, DataType::Float(32), kCuda0);
  dev2.CopyFrom(dev);
  NDArray cpu = dev2.CopyTo(kCpu);
  std::memcpy(back2.data(), cpu->data, n * sizeof(float));
  EXPECT_EQ(std::memcmp(host.data(), back2.data(), n * sizeof(float)), 0);

  DeviceAPI::Get(kCuda0)->StreamSync(kCuda0, nullptr);

  // Workspaces on the device.
  void* w = TVMBackendAllocWorkspace(kDLCUDA, 0, 1 << 20, kDLFloat, 32);
  ASSERT_NE(w, nullptr) << TVMGetLastError();
  EXPECT_EQ(TVMBackendFreeWorkspace(kDLCUDA, 0, w), 0) << TVMGetLastError();
}

TEST(CudaDeviceAPI, Attributes) {
  if (!HasGpu()) GTEST_SKIP() << "no CUDA GPU on this machine";
  DeviceAPI* api = DeviceAPI::Get(kCuda0);
  auto get = [&](tvm::runtime::DeviceAttrKind kind) {
    TVMRetValue rv;
    api->GetAttr(kCuda0, kind, &rv);
    return rv;
  };
  EXPECT_EQ(get(tvm::runtime::kExist).operator int(), 1);
  EXPECT_EQ(get(tvm::runtime::kWarpSize).operator int(), 32);
  EXPECT_GE(get(tvm::runtime::kMaxThreadsPerBlock).operator int(), 256);
  EXPECT_GT(get(tvm::runtime::kMaxSharedMemoryPerBlock).operator int(), 0);
  EXPECT_GT(get(tvm::runtime::kMultiProcessorCount).operator int(), 0);
  EXPECT_GT(get(tvm::runtime::kMaxClockRate).operator int(), 0);
  EXPECT_GT(get(tvm::runtime::kMaxRegistersPerBlock).operator int(), 0);
  EXPECT_GT(get(tvm::runtime::kDriverVersion).operator int(), 0);
  EXPECT_GT(get(tvm::runtime::kL2CacheSizeBytes).operator int(), 0);
  EXPECT_GT(get(tvm::runtime::kTotalGlobalMemory).operator int64_t(), 0);
  std::string version = get(tvm::runtime::kComputeVersion).operator std::string();
  EXPECT_TRUE(std::regex_match(version, std::regex("[0-9]+\\.[0-9]+"))) << version;
  std::string dims = get(tvm::runtime::kMaxThreadDimensions).operator std::string();
  EXPECT_TRUE(std::regex_match(dims, std::regex("\\[[0-9]+, [0-9]+, [0-9]+\\]"))) << dims;
  EXPECT_FALSE(get(tvm::runtime::kDeviceName).operator std::string().empty());
}

}  // namespace
