/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/utils.h
 * \brief What an x86 schedule needs to know about its target and machine: the
 *  vector width, the register file, the runtime's thread count and the caches.
 *
 * The Python schedules (tvm.topi.x86.utils) call these, so a schedule made from
 * Python and one made from C++ see the same numbers and produce the same code.
 */
#ifndef TVM_TOPI_X86_UTILS_H_
#define TVM_TOPI_X86_UTILS_H_

#include <tvm/target/target.h>

#include <cstdint>

namespace tvm {
namespace topi {
namespace x86 {

/*!
 * \brief float32 lanes of one vector register of `target` (the current target
 *  when undefined): 16 with AVX-512F, 8 with AVX/AVX2, else 4 (SSE). Read from
 *  -mattr, else from what -mcpu names (the host's features when -mcpu is the host).
 */
TVM_DLL int GetSimd32BitLanes(const Target& target = Target());
/*!
 * \brief Bytes of one vector register of `target` as the pool and NCHW convolution schedules
 *  read it: 64 with AVX-512F, 32 with AVX or AVX2, else 16; from -mattr and the CPU -mcpu names
 *  ("-avx512f" / "-avx" in -mattr take the wider units away). 16 for an undefined target.
 */
TVM_DLL int GetVectorBytes(const Target& target);
/*! \brief Architectural vector registers: 32 with AVX-512, else 16. */
inline int VectorRegisters(int lanes) { return lanes >= 16 ? 32 : 16; }
/*! \brief Threads a parallel loop runs on: TVM_NUM_THREADS, else the CPUs this process may use. */
TVM_DLL int NumThreads();

/*! \brief Data cache sizes of CPU 0 in bytes (sysfs; typical sizes where unreadable). */
struct CacheSizes {
  int64_t l1d = int64_t{32} << 10;
  int64_t l2 = int64_t{1} << 20;
  int64_t l3 = int64_t{32} << 20;
};
TVM_DLL const CacheSizes& GetCacheSizes();

/*! \brief Whether schedules for `target` should be the x86 ones (an llvm target with key "cpu"). */
TVM_DLL bool IsX86Target(const Target& target);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_UTILS_H_
