/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Data type strings ("float32x4") and device names.
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/device_api.h>

#include <cctype>
#include <string>

namespace tvm {
namespace runtime {

std::string DLDataType2String(DLDataType t) {
  if (t.code == kTVMOpaqueHandle && t.bits == 0 && t.lanes == 0) return "void";
  if (t.code == kDLUInt && t.bits == 1 && t.lanes == 1) return "bool";
  std::string out;
  switch (t.code) {
    case kDLInt: out = "int"; break;
    case kDLUInt: out = t.bits == 1 ? "bool" : "uint"; break;
    case kDLFloat: out = "float"; break;
    case kTVMOpaqueHandle: out = "handle"; break;
    case kDLBfloat: out = "bfloat"; break;
    case kDLComplex: out = "complex"; break;
    default: out = "custom[" + std::to_string(t.code) + "]"; break;
  }
  if (t.code == kTVMOpaqueHandle) {
    if (t.lanes != 1) out += "x" + std::to_string(t.lanes);
    return out;
  }
  if (!(t.code == kDLUInt && t.bits == 1)) out += std::to_string(t.bits);
  if (t.lanes != 1) out += "x" + std::to_string(t.lanes);
  return out;
}

DLDataType String2DLDataType(const std::string& s) {
  auto fail = [&s]() -> Error {
    return Error("ValueError", "unknown data type '" + s +
                                   "' (expected e.g. float32, int8, uint8, bool, bfloat16, "
                                   "float16, int32x4, handle)");
  };
  DLDataType t;
  t.lanes = 1;
  size_t pos;
  int default_bits;
  if (s == "bool") return DLDataType{kDLUInt, 1, 1};
  // "" is void too (TVM spells the type of a call that returns nothing either way).
  if (s.empty() || s == "void") return DLDataType{kTVMOpaqueHandle, 0, 0};
  if (s.rfind("int", 0) == 0) {
    t.code = kDLInt; pos = 3; default_bits = 32;
  } else if (s.rfind("uint", 0) == 0) {
    t.code = kDLUInt; pos = 4; default_bits = 32;
  } else if (s.rfind("float", 0) == 0) {
    t.code = kDLFloat; pos = 5; default_bits = 32;
  } else if (s.rfind("bfloat", 0) == 0) {
    t.code = kDLBfloat; pos = 6; default_bits = 16;
  } else if (s.rfind("handle", 0) == 0) {
    t.code = kTVMOpaqueHandle; pos = 6; default_bits = 64;
  } else if (s.rfind("bool", 0) == 0) {
    t.code = kDLUInt; pos = 4; default_bits = 1;
  } else {
    throw fail();
  }
  auto read_number = [&](size_t* p, int64_t* value) {
    size_t start = *p;
    int64_t v = 0;
    while (*p < s.size() && std::isdigit(static_cast<unsigned char>(s[*p]))) {
      v = v * 10 + (s[*p] - '0');
      if (v > 65535) throw fail();
      ++*p;
    }
    *value = v;
    return *p > start;
  };
  int64_t bits = default_bits;
  if (t.code != kTVMOpaqueHandle && !(t.code == kDLUInt && default_bits == 1)) {
    int64_t parsed;
    if (read_number(&pos, &parsed)) bits = parsed;
  }
  if (pos < s.size()) {
    if (s[pos] != 'x') throw fail();
    ++pos;
    int64_t lanes;
    if (!read_number(&pos, &lanes) || lanes == 0 || pos != s.size()) throw fail();
    t.lanes = static_cast<uint16_t>(lanes);
  }
  if (bits <= 0 || bits > 255) throw fail();
  switch (t.code) {
    case kDLFloat:
      if (bits != 16 && bits != 32 && bits != 64) throw fail();
      break;
    case kDLBfloat:
      if (bits != 16) throw fail();
      break;
    case kDLInt:
    case kDLUInt:
      if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 32 && bits != 64) throw fail();
      break;
    default:
      break;
  }
  t.bits = static_cast<uint8_t>(bits);
  return t;
}

const char* DeviceName(int device_type) {
  switch (device_type) {
    case kDLCPU: return "cpu";
    case kDLCUDA: return "cuda";
    case kDLCUDAHost: return "cuda_host";
    case kDLOpenCL: return "opencl";
    case kDLVulkan: return "vulkan";
    case kDLMetal: return "metal";
    case kDLVPI: return "vpi";
    case kDLROCM: return "rocm";
    case kDLROCMHost: return "rocm_host";
    case kDLExtDev: return "ext_dev";
    case kDLCUDAManaged: return "cuda_managed";
    default: return "unknown";
  }
}

int DeviceTypeFromName(const std::string& name) {
  if (name == "cpu" || name == "llvm" || name == "stackvm" || name == "c" || name == "hybrid") return kDLCPU;
  if (name == "cuda" || name == "gpu" || name == "nvptx" || name == "cuda_device") return kDLCUDA;
  if (name == "cuda_host") return kDLCUDAHost;
  if (name == "cuda_managed") return kDLCUDAManaged;
  if (name == "opencl" || name == "cl") return kDLOpenCL;
  if (name == "vulkan") return kDLVulkan;
  if (name == "metal") return kDLMetal;
  if (name == "rocm") return kDLROCM;
  if (name == "ext_dev" || name == "vta") return kDLExtDev;
  throw Error("ValueError", "unknown device name '" + name +
                                "' (expected cpu, llvm, cuda, gpu, opencl, vulkan, metal, rocm or ext_dev)");
}

}  // namespace runtime
}  // namespace tvm
