/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The CPU DeviceAPI, the lookup of device APIs by type, and the device C API.
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/registry.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "c_api_common.h"

namespace tvm {
namespace runtime {

void* DeviceAPI::AllocWorkspace(DLDevice dev, size_t nbytes, DLDataType type_hint) {
  return AllocDataSpace(dev, nbytes, kTempAllocaAlignment, type_hint);
}

void DeviceAPI::FreeWorkspace(DLDevice dev, void* ptr) { FreeDataSpace(dev, ptr); }

class CPUDeviceAPI final : public DeviceAPI {
 public:
  void SetDevice(DLDevice dev) final {}
  void GetAttr(DLDevice dev, DeviceAttrKind kind, TVMRetValue* rv) final {
    if (kind == kExist) *rv = 1;
  }
  void* AllocDataSpace(DLDevice dev, size_t nbytes, size_t alignment, DLDataType type_hint) final {
    if (alignment < sizeof(void*)) alignment = sizeof(void*);
    void* ptr = nullptr;
    int ret = posix_memalign(&ptr, alignment, nbytes > 0 ? nbytes : 1);
    TVM_CHECK(ret == 0 && ptr != nullptr, "MemoryError")
        << "failed to allocate " << nbytes << " bytes of host memory";
    return ptr;
  }
  void FreeDataSpace(DLDevice dev, void* ptr) final { std::free(ptr); }
  void CopyDataFromTo(const DLTensor* from, DLTensor* to, TVMStreamHandle stream) final {
    std::memcpy(static_cast<char*>(to->data) + to->byte_offset,
                static_cast<const char*>(from->data) + from->byte_offset, GetDataSize(*from));
  }
  void StreamSync(DLDevice dev, TVMStreamHandle stream) final {}

  static CPUDeviceAPI* Global() {
    static CPUDeviceAPI* inst = new CPUDeviceAPI();
    return inst;
  }
};

TVM_REGISTER_GLOBAL("device_api.cpu").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = static_cast<void*>(CPUDeviceAPI::Global());
});

namespace {

constexpr int kMaxDeviceType = 32;

/*! \brief DeviceAPI* per device type, looked up once through the registry. */
DeviceAPI* LookupDeviceAPI(int device_type, bool allow_missing) {
  static std::array<DeviceAPI*, kMaxDeviceType> cache{};
  static std::mutex mutex;
  TVM_CHECK(device_type >= 0 && device_type < kMaxDeviceType, "ValueError")
      << "invalid device type " << device_type;
  std::lock_guard<std::mutex> lock(mutex);
  if (cache[device_type] != nullptr) return cache[device_type];
  if (device_type == kDLCPU) return cache[device_type] = CPUDeviceAPI::Global();
  // Host-pinned memory of an accelerator is served by the accelerator's API.
  int api_type = device_type == kDLCUDAHost || device_type == kDLCUDAManaged ? kDLCUDA : device_type;
  std::string name = std::string("device_api.") + DeviceName(api_type);
  const PackedFunc* f = Registry::Get(name);
  if (f == nullptr) {
    if (allow_missing) return nullptr;
    throw Error("ValueError", std::string("device type '") + DeviceName(device_type) +
                                  "' is not supported by this build (no " + name + " registered)");
  }
  void* ptr = (*f)();
  return cache[device_type] = static_cast<DeviceAPI*>(ptr);
}

}  // namespace

DeviceAPI* DeviceAPI::Get(DLDevice dev, bool allow_missing) {
  return LookupDeviceAPI(static_cast<int>(dev.device_type), allow_missing);
}

bool DeviceAPI::Exists(DLDevice dev) {
  DeviceAPI* api = Get(dev, /*allow_missing=*/true);
  if (api == nullptr) return false;
  TVMRetValue rv;
  try {
    api->GetAttr(dev, kExist, &rv);
  } catch (const Error&) {
    return false;
  }
  return rv.type_code() == kDLInt && rv.operator int64_t() != 0;
}

TVM_REGISTER_GLOBAL("runtime.GetDeviceAttr").set_body([](TVMArgs args, TVMRetValue* rv) {
  DLDevice dev{static_cast<DLDeviceType>(args[0].operator int()), args[1].operator int()};
  int kind = args[2];
  if (kind == kExist) {
    *rv = static_cast<int64_t>(DeviceAPI::Exists(dev));
    return;
  }
  DeviceAPI* api = DeviceAPI::Get(dev, /*allow_missing=*/true);
  if (api != nullptr) api->GetAttr(dev, static_cast<DeviceAttrKind>(kind), rv);
});

TVM_REGISTER_GLOBAL("runtime.DeviceTypeFromName").set_body_typed([](std::string name) {
  return DeviceTypeFromName(name);
});

TVM_REGISTER_GLOBAL("runtime.DeviceSync").set_body_typed([](int device_type, int device_id) {
  DLDevice dev{static_cast<DLDeviceType>(device_type), device_id};
  DeviceAPI::Get(dev)->StreamSync(dev, nullptr);
});

}  // namespace runtime
}  // namespace tvm

using namespace tvm::runtime;  // NOLINT(*)

extern "C" {

int TVMDeviceAllocDataSpace(DLDevice dev, size_t nbytes, size_t alignment, DLDataType type_hint,
                            void** out_data) {
  API_BEGIN();
  *out_data = DeviceAPI::Get(dev)->AllocDataSpace(dev, nbytes, alignment, type_hint);
  API_END();
}

int TVMDeviceFreeDataSpace(DLDevice dev, void* ptr) {
  API_BEGIN();
  DeviceAPI::Get(dev)->FreeDataSpace(dev, ptr);
  API_END();
}

int TVMSynchronize(int device_type, int device_id, TVMStreamHandle stream) {
  API_BEGIN();
  DLDevice dev{static_cast<DLDeviceType>(device_type), device_id};
  DeviceAPI::Get(dev)->StreamSync(dev, stream);
  API_END();
}

}  // extern "C"
