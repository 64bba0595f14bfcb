/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file storage_rank.h
 * \brief Where a stage's buffer lives relative to the thread hierarchy:
 *  global memory is shared by all blocks, shared memory by the threads of a
 *  block, local memory is per thread. A thread axis whose rank is below the
 *  storage rank (threadIdx for a local buffer, blockIdx for a shared one)
 *  gives every thread its own copy of the buffer.
 */
#ifndef TVM_TE_SCHEDULE_STORAGE_RANK_H_
#define TVM_TE_SCHEDULE_STORAGE_RANK_H_

#include <string>

namespace tvm {
namespace te {

enum StorageRank : int { kGlobal = 0, kShared = 1, kWarp = 2, kLocal = 3 };

inline int StorageRankOf(const std::string& scope) {
  if (scope.empty() || scope.compare(0, 6, "global") == 0) return kGlobal;
  if (scope.compare(0, 6, "shared") == 0) return kShared;
  if (scope.compare(0, 4, "warp") == 0) return kWarp;
  if (scope.compare(0, 5, "local") == 0) return kLocal;
  // Accelerator scopes (e.g. "local.inp_buffer") behave like local memory.
  return kLocal;
}

/*! \brief Thread ranks: 0 for blocks, 1 for threads and virtual threads. */
inline int ThreadRankOf(const std::string& tag) {
  if (tag.compare(0, 9, "blockIdx.") == 0) return 0;
  return 1;
}

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_SCHEDULE_STORAGE_RANK_H_
