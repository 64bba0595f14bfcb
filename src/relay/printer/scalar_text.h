/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Scalars as the Relay text format writes them (42, 42i64, 3f, 3f16, True) and
// the float16 conversions both the printer and the parser need.
#ifndef TVM_SRC_RELAY_PRINTER_SCALAR_TEXT_H_
#define TVM_SRC_RELAY_PRINTER_SCALAR_TEXT_H_

#include <tvm/runtime/data_type.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

namespace tvm {
namespace relay {
namespace text {

inline float HalfToFloat(uint16_t h) {
  uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    v = mant ? NAN : INFINITY;
  } else {
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

/*! \brief Round to nearest even, as hardware conversion does. */
inline uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  float a = std::fabs(f);
  if (std::isnan(f)) return static_cast<uint16_t>(sign | 0x7e00);
  if (a >= 65520.0f) return static_cast<uint16_t>(sign | 0x7c00);
  if (a < std::ldexp(1.0f, -14)) {  // subnormal: units of 2^-24
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(std::ldexp(a, 24))));
  }
  int e;
  float m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  uint32_t mant = static_cast<uint32_t>(std::nearbyint(std::ldexp(m, 11)));  // 11 significant bits
  if (mant == 2048) {
    mant = 1024;
    ++e;
  }
  uint32_t exp = static_cast<uint32_t>(e + 14);
  if (exp >= 31) return static_cast<uint16_t>(sign | 0x7c00);
  return static_cast<uint16_t>(sign | (exp << 10) | (mant & 0x3ff));
}

/*! \brief The shortest decimal text that reads back as `v` at `bits` precision. */
inline std::string ShortestFloat(double v, int bits) {
  for (int prec = 1; prec <= 17; ++prec) {
    std::ostringstream os;
    os.precision(prec);
    os << v;
    double back = std::strtod(os.str().c_str(), nullptr);
    bool same = bits == 64   ? back == v
                : bits == 32 ? static_cast<float>(back) == static_cast<float>(v)
                             : FloatToHalf(static_cast<float>(back)) == FloatToHalf(static_cast<float>(v));
    if (same) return os.str();
  }
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

/*! \brief The literal of an integer of `dtype`: int32 is bare, others carry a suffix. */
inline std::string IntLiteral(int64_t v, DataType dtype) {
  if (dtype.is_bool()) return v ? "True" : "False";
  std::string s = std::to_string(v);
  if (dtype.is_int() && dtype.bits() == 32) return s;
  return s + (dtype.is_uint() ? "u" : "i") + std::to_string(dtype.bits());
}

inline std::string FloatLiteral(double v, DataType dtype) {
  std::string s = ShortestFloat(v, dtype.bits());
  return s + (dtype.bits() == 32 ? "f" : "f" + std::to_string(dtype.bits()));
}

/*! \brief inff, -inff, nanf (with the width suffix of `dtype` as other floats). */
inline std::string NonFiniteLiteral(double v, DataType dtype) {
  std::string s = std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf");
  return s + (dtype.bits() == 32 ? "f" : "f" + std::to_string(dtype.bits()));
}

/*!
 * \brief Reads inf/nan words (inf, inff, inff16, nanf64, ...) into value and dtype;
 *  false when `word` is not one.
 */
inline bool ParseNonFinite(const std::string& word, double* value, DataType* dtype) {
  std::string rest;
  if (word.rfind("inf", 0) == 0) {
    *value = INFINITY;
    rest = word.substr(3);
  } else if (word.rfind("nan", 0) == 0) {
    *value = NAN;
    rest = word.substr(3);
  } else {
    return false;
  }
  if (rest.empty() || rest == "f" || rest == "f32") {
    *dtype = DataType::Float(32);
  } else if (rest == "f16") {
    *dtype = DataType::Float(16);
  } else if (rest == "f64") {
    *dtype = DataType::Float(64);
  } else {
    return false;
  }
  return true;
}

}  // namespace text
}  // namespace relay
}  // namespace tvm
#endif  // TVM_SRC_RELAY_PRINTER_SCALAR_TEXT_H_
