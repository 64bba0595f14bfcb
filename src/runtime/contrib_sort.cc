/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/runtime/contrib_sort.cc
 * \brief The packed functions TOPI's sort, argsort and topk call
 *  (tvm.contrib.sort.sort / argsort / topk, TVM's names and arguments): each
 *  line along the axis is sorted with std::stable_sort, so equal keys keep
 *  their order. In the runtime library, so that a compiled model using them
 *  runs where no compiler is installed.
 */
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace tvm {
namespace runtime {
namespace {

// Data as DLTensors (compact, on the CPU).

int64_t NumElements(const DLTensor* t) {
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

void CheckCompact(const DLTensor* t, const char* fn) {
  if (t->strides == nullptr) return;
  int64_t expect = 1;
  for (int i = t->ndim - 1; i >= 0; --i) {
    TVM_CHECK(t->shape[i] == 1 || t->strides[i] == expect, "ValueError") << fn << ": strided tensors are not supported";
    expect *= t->shape[i];
  }
}

template <typename T>
double Load(const void* base, int64_t i) {
  return static_cast<double>(static_cast<const T*>(base)[i]);
}

// IEEE half and bfloat16 bits as a double (exact).
double HalfBitsToDouble(uint16_t h) {
  int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  double v;
  if (exponent == 0) {
    v = std::ldexp(static_cast<double>(mantissa), -24);  // subnormal
  } else if (exponent == 31) {
    v = mantissa ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  } else {
    v = std::ldexp(static_cast<double>(mantissa | 0x400), exponent - 25);
  }
  return sign ? -v : v;
}

double BFloat16BitsToDouble(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Element i of t as a double (exact for every integer up to 2^53 and every float type).
double ReadAt(const DLTensor* t, int64_t i) {
  const char* base = static_cast<const char*>(t->data) + t->byte_offset;
  DLDataType d = t->dtype;
  if (d.code == kDLFloat && d.bits == 16) return HalfBitsToDouble(static_cast<const uint16_t*>(
                                                  static_cast<const void*>(base))[i]);
  if (d.code == kDLBfloat && d.bits == 16) return BFloat16BitsToDouble(static_cast<const uint16_t*>(
                                                  static_cast<const void*>(base))[i]);
  if (d.code == kDLFloat && d.bits == 32) return Load<float>(base, i);
  if (d.code == kDLFloat && d.bits == 64) return Load<double>(base, i);
  if (d.code == kDLInt && d.bits == 8) return Load<int8_t>(base, i);
  if (d.code == kDLInt && d.bits == 16) return Load<int16_t>(base, i);
  if (d.code == kDLInt && d.bits == 32) return Load<int32_t>(base, i);
  if (d.code == kDLInt && d.bits == 64) return Load<int64_t>(base, i);
  if (d.code == kDLUInt && d.bits == 8) return Load<uint8_t>(base, i);
  if (d.code == kDLUInt && d.bits == 16) return Load<uint16_t>(base, i);
  if (d.code == kDLUInt && d.bits == 32) return Load<uint32_t>(base, i);
  if (d.code == kDLUInt && d.bits == 64) return Load<uint64_t>(base, i);
  TVM_LOG_FATAL << "tvm.contrib.sort: unsupported dtype " << DataType(d);
  return 0;
}

void WriteAt(DLTensor* t, int64_t i, double v) {
  char* base = static_cast<char*>(t->data) + t->byte_offset;
  DLDataType d = t->dtype;
  if (d.code == kDLFloat && d.bits == 32) {
    reinterpret_cast<float*>(base)[i] = static_cast<float>(v);
  } else if (d.code == kDLFloat && d.bits == 64) {
    reinterpret_cast<double*>(base)[i] = v;
  } else if (d.code == kDLInt && d.bits == 8) {
    reinterpret_cast<int8_t*>(base)[i] = static_cast<int8_t>(v);
  } else if (d.code == kDLInt && d.bits == 16) {
    reinterpret_cast<int16_t*>(base)[i] = static_cast<int16_t>(v);
  } else if (d.code == kDLInt && d.bits == 32) {
    reinterpret_cast<int32_t*>(base)[i] = static_cast<int32_t>(v);
  } else if (d.code == kDLInt && d.bits == 64) {
    reinterpret_cast<int64_t*>(base)[i] = static_cast<int64_t>(v);
  } else if (d.code == kDLUInt && d.bits == 8) {
    reinterpret_cast<uint8_t*>(base)[i] = static_cast<uint8_t>(v);
  } else if (d.code == kDLUInt && d.bits == 16) {
    reinterpret_cast<uint16_t*>(base)[i] = static_cast<uint16_t>(v);
  } else if (d.code == kDLUInt && d.bits == 32) {
    reinterpret_cast<uint32_t*>(base)[i] = static_cast<uint32_t>(v);
  } else if (d.code == kDLUInt && d.bits == 64) {
    reinterpret_cast<uint64_t*>(base)[i] = static_cast<uint64_t>(v);
  } else {
    TVM_LOG_FATAL << "tvm.contrib.sort: unsupported output dtype " << DataType(d);
  }
}

// Sort every line of `in` along axis; write the first k of each (all when k <= 0)
// as values and/or indices. The element bytes are copied for values, so 64-bit
// integers keep every bit.
void SortLines(const DLTensor* in, DLTensor* values, DLTensor* indices, int axis, bool ascend, int64_t k,
               const char* fn) {
  CheckCompact(in, fn);
  TVM_CHECK(axis >= -in->ndim && axis < in->ndim, "ValueError")
      << fn << ": axis " << axis << " is out of range for " << in->ndim << " dimensions";
  if (axis < 0) axis += in->ndim;
  int64_t n = in->shape[axis], outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= in->shape[i];
  for (int i = axis + 1; i < in->ndim; ++i) inner *= in->shape[i];
  int64_t kk = (k <= 0 || k > n) ? n : k;
  size_t elem = (in->dtype.bits * in->dtype.lanes + 7) / 8;
  const char* src = static_cast<const char*>(in->data) + in->byte_offset;
  std::vector<int64_t> order(n);
  std::vector<double> keys(n);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t base = o * n * inner + i;
      for (int64_t j = 0; j < n; ++j) keys[j] = ReadAt(in, base + j * inner);
      std::iota(order.begin(), order.end(), 0);
      // NaN ranks above every number (numpy's order), which also keeps the comparison a
      // strict weak order: std::stable_sort with a raw < on NaNs is undefined behaviour.
      auto below = [&](int64_t a, int64_t b) {
        double x = keys[a], y = keys[b];
        if (std::isnan(x)) return false;
        return std::isnan(y) || x < y;
      };
      if (ascend) {
        std::stable_sort(order.begin(), order.end(), below);
      } else {
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return below(b, a); });
      }
      int64_t out_base = o * kk * inner + i;
      for (int64_t j = 0; j < kk; ++j) {
        if (values != nullptr) {
          char* dst = static_cast<char*>(values->data) + values->byte_offset;
          std::memcpy(dst + (out_base + j * inner) * elem, src + (base + order[j] * inner) * elem, elem);
        }
        if (indices != nullptr) WriteAt(indices, out_base + j * inner, static_cast<double>(order[j]));
      }
    }
  }
}

}  // namespace

TVM_REGISTER_GLOBAL("tvm.contrib.sort.sort").set_body_typed([](DLTensor* in, DLTensor* out, int axis, bool ascend) {
  SortLines(in, out, nullptr, axis, ascend, 0, "tvm.contrib.sort.sort");
});
TVM_REGISTER_GLOBAL("tvm.contrib.sort.argsort")
    .set_body_typed([](DLTensor* in, DLTensor* out, int axis, bool ascend) {
      SortLines(in, nullptr, out, axis, ascend, 0, "tvm.contrib.sort.argsort");
    });
TVM_REGISTER_GLOBAL("tvm.contrib.sort.topk")
    .set_body_typed([](DLTensor* in, DLTensor* values, DLTensor* indices, int k, int axis, std::string ret_type,
                       bool ascend) {
      SortLines(in, ret_type == "indices" ? nullptr : values, ret_type == "values" ? nullptr : indices, axis, ascend,
                k, "tvm.contrib.sort.topk");
    });

}  // namespace runtime
}  // namespace tvm
