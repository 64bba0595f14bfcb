/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/device_api.h
 * \brief DeviceAPI: memory, copies and attributes of one kind of device.
 *
 * Each device type registers a global function "device_api.<name>" that
 * returns its singleton DeviceAPI*. The CUDA one opens the driver library
 * with dlopen on first use, so the runtime has no link-time CUDA dependency.
 */
#ifndef TVM_RUNTIME_DEVICE_API_H_
#define TVM_RUNTIME_DEVICE_API_H_

#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/data_type.h>

#include <string>

namespace tvm {
namespace runtime {

class TVMRetValue;

/*! \brief What GetAttr can be asked (values as in TVM's Device.* properties). */
enum DeviceAttrKind : int {
  kExist = 0,
  kMaxThreadsPerBlock = 1,
  kWarpSize = 2,
  kMaxSharedMemoryPerBlock = 3,
  kComputeVersion = 4,
  kDeviceName = 5,
  kMaxClockRate = 6,
  kMultiProcessorCount = 7,
  kMaxThreadDimensions = 8,
  kMaxRegistersPerBlock = 9,
  kGcnArch = 10,
  kApiVersion = 11,
  kDriverVersion = 12,
  kL2CacheSizeBytes = 13,
  kTotalGlobalMemory = 14,
};

class TVM_DLL DeviceAPI {
 public:
  virtual ~DeviceAPI() = default;
  virtual void SetDevice(DLDevice dev) = 0;
  /*! \brief Set *rv to the attribute, or leave it None if unknown. */
  virtual void GetAttr(DLDevice dev, DeviceAttrKind kind, TVMRetValue* rv) = 0;
  virtual void* AllocDataSpace(DLDevice dev, size_t nbytes, size_t alignment, DLDataType type_hint) = 0;
  virtual void FreeDataSpace(DLDevice dev, void* ptr) = 0;
  /*! \brief Copy between two tensors of equal size; at least one is on this device type. */
  virtual void CopyDataFromTo(const DLTensor* from, DLTensor* to, TVMStreamHandle stream) = 0;
  virtual void StreamSync(DLDevice dev, TVMStreamHandle stream) = 0;
  /*! \brief Temporary memory for kernels; the default forwards to AllocDataSpace. */
  virtual void* AllocWorkspace(DLDevice dev, size_t nbytes, DLDataType type_hint);
  virtual void FreeWorkspace(DLDevice dev, void* ptr);

  /*!
   * \brief The API for dev's type.
   * \param allow_missing Return nullptr instead of throwing when none is registered.
   */
  static DeviceAPI* Get(DLDevice dev, bool allow_missing = false);
  /*! \brief Whether a device exists (false, not an error, for an absent driver). */
  static bool Exists(DLDevice dev);
};

/*! \brief "cpu" -> kDLCPU, "cuda"/"gpu" -> kDLCUDA, "llvm" -> kDLCPU, ...; throws ValueError otherwise. */
TVM_DLL int DeviceTypeFromName(const std::string& name);

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_DEVICE_API_H_
