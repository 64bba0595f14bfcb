/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/runtime/cuda/cuda_device_api.cc
 * \brief DeviceAPI for NVIDIA GPUs through the CUDA driver API.
 *
 * The runtime has no link-time dependency on CUDA: the driver library
 * (libcuda.so.1, installed with the NVIDIA driver) is opened with dlopen the
 * first time a CUDA device is touched, and the handful of driver functions
 * used here are looked up with dlsym. The few driver types and constants we
 * need are declared below from the public driver API documentation.
 *
 * Without a driver or a GPU, asking whether a device exists answers "no";
 * everything else throws an Error that says what is missing.
 *
 * Every device is used through its primary context (the one the CUDA runtime
 * API uses too), retained once and made current before each operation.
 * Copies use the synchronous cuMemcpy* calls on the default stream.
 */
#include <dlfcn.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <sstream>
#include <type_traits>
#include <string>
#include <vector>

namespace tvm {
namespace runtime {
namespace cuda {
namespace {

// ---------------------------------------------------------------------------
// The parts of the driver API that we use, declared by hand.

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;  // NOLINT(runtime/int)
using CUcontext = void*;

constexpr CUresult CUDA_SUCCESS = 0;
constexpr CUresult CUDA_ERROR_DEINITIALIZED = 4;

enum CUdeviceAttribute : int {
  CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1,
  CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X = 2,
  CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y = 3,
  CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z = 4,
  CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK = 8,
  CU_DEVICE_ATTRIBUTE_WARP_SIZE = 10,
  CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK = 12,
  CU_DEVICE_ATTRIBUTE_CLOCK_RATE = 13,
  CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
  CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
};

/*! \brief The driver library and the functions we resolved from it. */
struct CudaDriver {
  CUresult (*cuInit)(unsigned int flags) = nullptr;
  CUresult (*cuDriverGetVersion)(int* version) = nullptr;
  CUresult (*cuDeviceGetCount)(int* count) = nullptr;
  CUresult (*cuDeviceGet)(CUdevice* device, int ordinal) = nullptr;
  CUresult (*cuDeviceGetAttribute)(int* value, int attribute, CUdevice device) = nullptr;
  CUresult (*cuDeviceGetName)(char* name, int len, CUdevice device) = nullptr;
  CUresult (*cuDeviceTotalMem_v2)(size_t* bytes, CUdevice device) = nullptr;
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext* ctx, CUdevice device) = nullptr;
  CUresult (*cuCtxSetCurrent)(CUcontext ctx) = nullptr;
  CUresult (*cuCtxSynchronize)() = nullptr;
  CUresult (*cuMemAlloc_v2)(CUdeviceptr* dptr, size_t bytes) = nullptr;
  CUresult (*cuMemFree_v2)(CUdeviceptr dptr) = nullptr;
  CUresult (*cuMemcpyHtoD_v2)(CUdeviceptr dst, const void* src, size_t bytes) = nullptr;
  CUresult (*cuMemcpyDtoH_v2)(void* dst, CUdeviceptr src, size_t bytes) = nullptr;
  CUresult (*cuMemcpyDtoD_v2)(CUdeviceptr dst, CUdeviceptr src, size_t bytes) = nullptr;
  CUresult (*cuGetErrorString)(CUresult error, const char** text) = nullptr;
  /*! \brief Optional: the symbolic name of an error code. */
  CUresult (*cuGetErrorName)(CUresult error, const char** text) = nullptr;

  /*! \brief Whether the library loaded, every function resolved and cuInit succeeded. */
  bool usable = false;
  /*! \brief Why CUDA cannot be used (when !usable). */
  std::string unavailable_reason;
  int device_count = 0;
  int driver_version = 0;

  /*! \brief The driver, loaded and initialised on first use (thread safe). */
  static const CudaDriver& Get() {
    static const CudaDriver* driver = Load();  // never unloaded: kernels may still run at exit
    return *driver;
  }

  /*! \brief "CUDA_ERROR_OUT_OF_MEMORY (out of memory)", or as much as the driver tells. */
  std::string ErrorText(CUresult rc) const {
    const char* name = nullptr;
    const char* text = nullptr;
    if (cuGetErrorName == nullptr || cuGetErrorName(rc, &name) != CUDA_SUCCESS) name = nullptr;
    if (cuGetErrorString == nullptr || cuGetErrorString(rc, &text) != CUDA_SUCCESS) text = nullptr;
    std::ostringstream os;
    if (name != nullptr) {
      os << name;
    } else {
      os << "CUDA error " << rc;
    }
    if (text != nullptr) os << " (" << text << ")";
    return os.str();
  }

 private:
  static CudaDriver* Load() {
    auto* d = new CudaDriver();
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      const char* err = dlerror();
      std::string first_error = err != nullptr ? err : "unknown dlopen error";
      lib = dlopen("libcuda.so", RTLD_NOW | RTLD_LOCAL);
      if (lib == nullptr) {
        d->unavailable_reason = "CUDA is not available: libcuda.so.1 could not be opened (" +
                                first_error + "). Is the NVIDIA driver installed?";
        return d;
      }
    }
    std::string missing;
    auto resolve = [&](auto& fn, const char* name, bool required) {
      void* sym = dlsym(lib, name);
      if (sym == nullptr && required && missing.empty()) missing = name;
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(sym);
    };
    resolve(d->cuInit, "cuInit", true);
    resolve(d->cuDriverGetVersion, "cuDriverGetVersion", true);
    resolve(d->cuDeviceGetCount, "cuDeviceGetCount", true);
    resolve(d->cuDeviceGet, "cuDeviceGet", true);
    resolve(d->cuDeviceGetAttribute, "cuDeviceGetAttribute", true);
    resolve(d->cuDeviceGetName, "cuDeviceGetName", true);
    resolve(d->cuDeviceTotalMem_v2, "cuDeviceTotalMem_v2", true);
    resolve(d->cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", true);
    resolve(d->cuCtxSetCurrent, "cuCtxSetCurrent", true);
    resolve(d->cuCtxSynchronize, "cuCtxSynchronize", true);
    resolve(d->cuMemAlloc_v2, "cuMemAlloc_v2", true);
    resolve(d->cuMemFree_v2, "cuMemFree_v2", true);
    resolve(d->cuMemcpyHtoD_v2, "cuMemcpyHtoD_v2", true);
    resolve(d->cuMemcpyDtoH_v2, "cuMemcpyDtoH_v2", true);
    resolve(d->cuMemcpyDtoD_v2, "cuMemcpyDtoD_v2", true);
    resolve(d->cuGetErrorString, "cuGetErrorString", true);
    resolve(d->cuGetErrorName, "cuGetErrorName", false);
    if (!missing.empty()) {
      d->unavailable_reason = "CUDA is not available: the driver library libcuda.so.1 has no "
                              "function " + missing + " (is the NVIDIA driver too old?)";
      return d;
    }
    CUresult rc = d->cuInit(0);
    if (rc != CUDA_SUCCESS) {
      d->unavailable_reason = "CUDA is not available: cuInit failed with " + d->ErrorText(rc) +
                              ". Is an NVIDIA GPU present and visible to this process?";
      return d;
    }
    int count = 0;
    rc = d->cuDeviceGetCount(&count);
    if (rc != CUDA_SUCCESS) {
      d->unavailable_reason =
          "CUDA is not available: cuDeviceGetCount failed with " + d->ErrorText(rc);
      return d;
    }
    if (d->cuDriverGetVersion(&d->driver_version) != CUDA_SUCCESS) d->driver_version = 0;
    d->device_count = count;
    d->usable = true;
    return d;
  }
};

/*! \brief Throw unless a driver call succeeded; `what` names the call and its operands. */
void CheckCall(CUresult rc, const char* what) {
  if (rc == CUDA_SUCCESS) return;
  throw Error("TVMError", std::string("CUDA error in ") + what + ": " +
                              CudaDriver::Get().ErrorText(rc));
}

std::string DeviceText(int device_id) { return "cuda(" + std::to_string(device_id) + ")"; }

// ---------------------------------------------------------------------------

class CUDADeviceAPI final : public DeviceAPI {
 public:
  static CUDADeviceAPI* Global() {
    // Never destroyed: arrays freed during exit may still call into it.
    static CUDADeviceAPI* inst = new CUDADeviceAPI();
    return inst;
  }

  void SetDevice(DLDevice dev) final { Activate(dev.device_id); }

  void GetAttr(DLDevice dev, DeviceAttrKind kind, TVMRetValue* rv) final {
    if (kind == kExist) {
      *rv = static_cast<int>(DeviceExists(dev.device_id));
      return;
    }
    const CudaDriver& d = Driver();
    CUdevice device = Device(dev.device_id);
    auto attr = [&](CUdeviceAttribute a, const char* name) {
      int value = 0;
      std::string what = std::string("cuDeviceGetAttribute(") + name + ", " +
                         DeviceText(dev.device_id) + ")";
      CheckCall(d.cuDeviceGetAttribute(&value, a, device), what.c_str());
      return value;
    };
    switch (kind) {
      case kMaxThreadsPerBlock:
        *rv = attr(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, "MAX_THREADS_PER_BLOCK");
        return;
      case kWarpSize:
        *rv = attr(CU_DEVICE_ATTRIBUTE_WARP_SIZE, "WARP_SIZE");
        return;
      case kMaxSharedMemoryPerBlock:
        *rv = attr(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, "MAX_SHARED_MEMORY_PER_BLOCK");
        return;
      case kComputeVersion: {
        int major = attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, "COMPUTE_CAPABILITY_MAJOR");
        int minor = attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, "COMPUTE_CAPABILITY_MINOR");
        *rv = std::to_string(major) + "." + std::to_string(minor);
        return;
      }
      case kDeviceName: {
        char name[256] = {0};
        CheckCall(d.cuDeviceGetName(name, static_cast<int>(sizeof(name) - 1), device),
                  "cuDeviceGetName");
        *rv = std::string(name);
        return;
      }
      case kMaxClockRate:
        *rv = attr(CU_DEVICE_ATTRIBUTE_CLOCK_RATE, "CLOCK_RATE");
        return;
      case kMultiProcessorCount:
        *rv = attr(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, "MULTIPROCESSOR_COUNT");
        return;
      case kMaxThreadDimensions: {
        int x = attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, "MAX_BLOCK_DIM_X");
        int y = attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, "MAX_BLOCK_DIM_Y");
        int z = attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, "MAX_BLOCK_DIM_Z");
        *rv = "[" + std::to_string(x) + ", " + std::to_string(y) + ", " + std::to_string(z) + "]";
        return;
      }
      case kMaxRegistersPerBlock:
        *rv = attr(CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK, "MAX_REGISTERS_PER_BLOCK");
        return;
      case kDriverVersion:
        *rv = d.driver_version;
        return;
      case kL2CacheSizeBytes:
        *rv = attr(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, "L2_CACHE_SIZE");
        return;
      case kTotalGlobalMemory: {
        size_t bytes = 0;
        CheckCall(d.cuDeviceTotalMem_v2(&bytes, device), "cuDeviceTotalMem_v2");
        *rv = static_cast<int64_t>(bytes);
        return;
      }
      default:
        return;  // kGcnArch, kApiVersion: not a CUDA notion here; stays None
    }
  }

  void* AllocDataSpace(DLDevice dev, size_t nbytes, size_t alignment, DLDataType type_hint) final {
    // cuMemAlloc returns memory aligned for any kind of variable (256 bytes in practice).
    TVM_CHECK(alignment <= 256, "ValueError")
        << "CUDA allocations are aligned to 256 bytes; " << alignment << " was asked for";
    const CudaDriver& d = Driver();
    Activate(dev.device_id);
    CUdeviceptr ptr = 0;
    CUresult rc = d.cuMemAlloc_v2(&ptr, nbytes == 0 ? 1 : nbytes);
    if (rc != CUDA_SUCCESS) {
      throw Error("TVMError", "CUDA could not allocate " + std::to_string(nbytes) + " bytes on " +
                                  DeviceText(dev.device_id) + ": " + d.ErrorText(rc));
    }
    return reinterpret_cast<void*>(static_cast<uintptr_t>(ptr));
  }

  void FreeDataSpace(DLDevice dev, void* ptr) final {
    if (ptr == nullptr) return;
    const CudaDriver& d = Driver();
    Activate(dev.device_id);
    CUresult rc = d.cuMemFree_v2(static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(ptr)));
    // During process exit the driver may already be shut down; the memory went with it.
    if (rc != CUDA_SUCCESS && rc != CUDA_ERROR_DEINITIALIZED) {
      LOG(WARNING) << "cuMemFree on " << DeviceText(dev.device_id) << " failed: "
                   << d.ErrorText(rc);
    }
  }

  void CopyDataFromTo(const DLTensor* from, DLTensor* to, TVMStreamHandle stream) final {
    TVM_CHECK(from != nullptr && to != nullptr, "ValueError") << "copy with a null tensor";
    size_t nbytes = GetDataSize(*from);
    size_t to_bytes = GetDataSize(*to);
    TVM_CHECK(nbytes == to_bytes, "ValueError")
        << "cannot copy " << nbytes << " bytes into an array of " << to_bytes << " bytes";
    TVM_CHECK(IsContiguous(*from) && IsContiguous(*to), "ValueError")
        << "CUDA copies need compact (contiguous) arrays";
    if (nbytes == 0) return;
    const char* src = static_cast<const char*>(from->data) + from->byte_offset;
    char* dst = static_cast<char*>(to->data) + to->byte_offset;
    bool from_gpu = from->device.device_type == kDLCUDA;
    bool to_gpu = to->device.device_type == kDLCUDA;
    bool from_host = IsHost(from->device.device_type);
    bool to_host = IsHost(to->device.device_type);
    const CudaDriver& d = Driver();

    if (from_host && to_gpu) {
      Activate(to->device.device_id);
      CheckCall(d.cuMemcpyHtoD_v2(AsDevicePtr(dst), src, nbytes), "cuMemcpyHtoD (host to cuda)");
    } else if (from_gpu && to_host) {
      Activate(from->device.device_id);
      CheckCall(d.cuMemcpyDtoH_v2(dst, AsDevicePtr(src), nbytes), "cuMemcpyDtoH (cuda to host)");
    } else if (from_gpu && to_gpu) {
      if (from->device.device_id == to->device.device_id) {
        Activate(from->device.device_id);
        CheckCall(d.cuMemcpyDtoD_v2(AsDevicePtr(dst), AsDevicePtr(src), nbytes),
                  "cuMemcpyDtoD (cuda to cuda)");
      } else {
        // Between two GPUs: stage through host memory.
        std::vector<char> staging(nbytes);
        Activate(from->device.device_id);
        CheckCall(d.cuMemcpyDtoH_v2(staging.data(), AsDevicePtr(src), nbytes),
                  "cuMemcpyDtoH (cuda to cuda, staging)");
        Activate(to->device.device_id);
        CheckCall(d.cuMemcpyHtoD_v2(AsDevicePtr(dst), staging.data(), nbytes),
                  "cuMemcpyHtoD (cuda to cuda, staging)");
      }
    } else if (from_host && to_host) {
      std::memmove(dst, src, nbytes);
    } else {
      throw Error("ValueError", std::string("the CUDA device API cannot copy from ") +
                                    DeviceName(from->device.device_type) + " to " +
                                    DeviceName(to->device.device_type));
    }
  }

  void StreamSync(DLDevice dev, TVMStreamHandle stream) final {
    // Work is issued on the default stream; synchronising the context covers any stream.
    const CudaDriver& d = Driver();
    Activate(dev.device_id);
    CheckCall(d.cuCtxSynchronize(), "cuCtxSynchronize");
  }

 private:
  CUDADeviceAPI() = default;

  static bool IsHost(int device_type) {
    return device_type == kDLCPU || device_type == kDLCUDAHost;
  }

  static CUdeviceptr AsDevicePtr(const void* p) {
    return static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(p));
  }

  /*! \brief The driver, or throw saying why CUDA cannot be used. */
  static const CudaDriver& Driver() {
    const CudaDriver& d = CudaDriver::Get();
    if (!d.usable) throw Error("TVMError", d.unavailable_reason);
    return d;
  }

  bool DeviceExists(int device_id) noexcept {
    try {
      const CudaDriver& d = CudaDriver::Get();
      return d.usable && device_id >= 0 && device_id < d.device_count;
    } catch (...) {
      return false;
    }
  }

  /*! \brief The driver's handle of a device, checking that it exists. */
  CUdevice Device(int device_id) {
    const CudaDriver& d = Driver();
    if (device_id < 0 || device_id >= d.device_count) {
      throw Error("TVMError", "CUDA device " + std::to_string(device_id) +
                                  " does not exist (found " + std::to_string(d.device_count) +
                                  ")");
    }
    CUdevice device = 0;
    CheckCall(d.cuDeviceGet(&device, device_id), "cuDeviceGet");
    return device;
  }

  /*! \brief Make the primary context of a device current on this thread. */
  void Activate(int device_id) {
    const CudaDriver& d = Driver();
    CUcontext ctx = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (contexts_.empty()) contexts_.assign(static_cast<size_t>(d.device_count), nullptr);
      if (device_id >= 0 && device_id < d.device_count) ctx = contexts_[device_id];
      if (ctx == nullptr) {
        CUdevice device = Device(device_id);
        std::string what = "cuDevicePrimaryCtxRetain(" + DeviceText(device_id) + ")";
        CheckCall(d.cuDevicePrimaryCtxRetain(&ctx, device), what.c_str());
        contexts_[device_id] = ctx;
      }
    }
    CheckCall(d.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
  }

  std::mutex mutex_;
  /*! \brief The retained primary context of each device (nullptr until first use). */
  std::vector<CUcontext> contexts_;
};

}  // namespace

TVM_REGISTER_GLOBAL("device_api.cuda").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = static_cast<void*>(CUDADeviceAPI::Global());
});

}  // namespace cuda
}  // namespace runtime
}  // namespace tvm
