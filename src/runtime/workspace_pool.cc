/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/runtime/workspace_pool.cc
 * \brief Temporary memory for kernels (TVMBackendAllocWorkspace and
 *  TVMBackendFreeWorkspace) and one-time initialisation (TVMBackendRunOnce).
 *
 * Kernels allocate and free their temporaries on every call, usually in
 * stack order and usually with the same sizes as last time. On the CPU each
 * thread therefore keeps its own cache of freed blocks: an allocation takes
 * the smallest cached block that is large enough, and only goes to the
 * system allocator when none is. No lock is taken on this path. The cache is
 * released when the thread exits.
 *
 * Other devices forward to their DeviceAPI's AllocWorkspace/FreeWorkspace.
 *
 * These are C entry points called from generated code: nothing here throws;
 * failures return NULL or -1 with the thread's last error set.
 */
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/ndarray.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {
namespace {

/*! \brief Blocks kept in a thread's cache at most; beyond that the smallest goes back. */
constexpr size_t kMaxCachedBlocks = 64;

std::string PointerText(const void* ptr) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%p", ptr);
  return buf;
}

/*! \brief The CPU workspace cache of one thread. */
class CpuWorkspacePool {
 public:
  struct Block {
    void* ptr;
    size_t size;
  };

  CpuWorkspacePool() = default;
  CpuWorkspacePool(const CpuWorkspacePool&) = delete;
  CpuWorkspacePool& operator=(const CpuWorkspacePool&) = delete;

  ~CpuWorkspacePool() {
    for (const Block& b : free_) std::free(b.ptr);
    // Blocks still in use are not freed: some other code may still hold them,
    // and a leak at thread exit is better than a use after free.
  }

  /*! \brief A block of at least nbytes, 64-byte aligned; nullptr with the error set on failure. */
  void* Alloc(uint64_t nbytes) {
    constexpr uint64_t kAlign = static_cast<uint64_t>(kAllocAlignment);
    if (nbytes > static_cast<uint64_t>(SIZE_MAX) - kAlign) {
      TVMAPISetLastError(("TVMError: TVMBackendAllocWorkspace: cannot allocate " +
                          std::to_string(nbytes) + " bytes on cpu")
                             .c_str());
      return nullptr;
    }
    size_t size = static_cast<size_t>((nbytes + kAlign - 1) / kAlign * kAlign);
    if (size == 0) size = kAlign;

    // Best fit among the cached blocks; among equals the most recently freed (still in cache).
    size_t best = free_.size();
    for (size_t i = free_.size(); i-- > 0;) {
      if (free_[i].size >= size && (best == free_.size() || free_[i].size < free_[best].size)) {
        best = i;
      }
    }
    Block block{nullptr, 0};
    if (best != free_.size()) {
      block = free_[best];
      free_[best] = free_.back();
      free_.pop_back();
    } else {
      // Nothing fits. The largest cached block is too small for requests of
      // this size; give it back so that growing sizes do not pile up.
      if (!free_.empty()) {
        size_t largest = 0;
        for (size_t i = 1; i < free_.size(); ++i) {
          if (free_[i].size > free_[largest].size) largest = i;
        }
        std::free(free_[largest].ptr);
        free_[largest] = free_.back();
        free_.pop_back();
      }
      void* ptr = nullptr;
      if (posix_memalign(&ptr, kAllocAlignment, size) != 0 || ptr == nullptr) {
        TVMAPISetLastError(("TVMError: TVMBackendAllocWorkspace: out of memory allocating " +
                            std::to_string(nbytes) + " bytes on cpu")
                               .c_str());
        return nullptr;
      }
      block = Block{ptr, size};
    }
    try {
      in_use_.push_back(block);
    } catch (const std::bad_alloc&) {
      std::free(block.ptr);
      TVMAPISetLastError("TVMError: TVMBackendAllocWorkspace: out of memory");
      return nullptr;
    }
    return block.ptr;
  }

  /*! \brief 0, or -1 with the error set when ptr is not in use here. */
  int Free(void* ptr) {
    // Kernels free in reverse order of allocation: search from the back.
    for (size_t i = in_use_.size(); i-- > 0;) {
      if (in_use_[i].ptr != ptr) continue;
      Block block = in_use_[i];
      in_use_.erase(in_use_.begin() + static_cast<std::ptrdiff_t>(i));
      try {
        free_.push_back(block);
      } catch (const std::bad_alloc&) {
        std::free(block.ptr);
        return 0;
      }
      if (free_.size() > kMaxCachedBlocks) {
        size_t smallest = 0;
        for (size_t j = 1; j < free_.size(); ++j) {
          if (free_[j].size < free_[smallest].size) smallest = j;
        }
        std::free(free_[smallest].ptr);
        free_[smallest] = free_.back();
        free_.pop_back();
      }
      return 0;
    }
    TVMAPISetLastError(("TVMError: TVMBackendFreeWorkspace: pointer " + PointerText(ptr) +
                        " was not allocated by TVMBackendAllocWorkspace on cpu in this thread, "
                        "or was already freed")
                           .c_str());
    return -1;
  }

 private:
  std::vector<Block> free_;
  std::vector<Block> in_use_;
};

CpuWorkspacePool& ThreadCpuPool() {
  thread_local CpuWorkspacePool pool;
  return pool;
}

}  // namespace
}  // namespace runtime
}  // namespace tvm

extern "C" TVM_DLL void* TVMBackendAllocWorkspace(int device_type, int device_id, uint64_t nbytes,
                                                  int dtype_code_hint, int dtype_bits_hint) {
  using namespace tvm::runtime;
  if (device_type == kDLCPU) return ThreadCpuPool().Alloc(nbytes);
  try {
    DLDevice dev{static_cast<DLDeviceType>(device_type), device_id};
    DLDataType hint;
    hint.code = static_cast<uint8_t>(dtype_code_hint);
    hint.bits = static_cast<uint8_t>(dtype_bits_hint);
    hint.lanes = 1;
    TVM_CHECK(nbytes <= static_cast<uint64_t>(SIZE_MAX), "ValueError")
        << "TVMBackendAllocWorkspace: cannot allocate " << nbytes << " bytes";
    void* ptr = DeviceAPI::Get(dev)->AllocWorkspace(dev, static_cast<size_t>(nbytes), hint);
    TVM_CHECK(ptr != nullptr, "TVMError")
        << "TVMBackendAllocWorkspace: the device API returned no memory for " << nbytes
        << " bytes on " << dev;
    return ptr;
  } catch (const std::exception& e) {
    SetLastErrorFromException(e);
    return nullptr;
  } catch (...) {
    TVMAPISetLastError("TVMError: TVMBackendAllocWorkspace: unknown exception");
    return nullptr;
  }
}

extern "C" TVM_DLL int TVMBackendFreeWorkspace(int device_type, int device_id, void* ptr) {
  using namespace tvm::runtime;
  if (device_type == kDLCPU) return ThreadCpuPool().Free(ptr);
  try {
    DLDevice dev{static_cast<DLDeviceType>(device_type), device_id};
    DeviceAPI::Get(dev)->FreeWorkspace(dev, ptr);
    return 0;
  } catch (const std::exception& e) {
    SetLastErrorFromException(e);
    return -1;
  } catch (...) {
    TVMAPISetLastError("TVMError: TVMBackendFreeWorkspace: unknown exception");
    return -1;
  }
}

namespace {
// Values stored in *handle by TVMBackendRunOnce.
char g_run_once_running;
char g_run_once_done;

std::recursive_mutex& RunOnceMutex() {
  static auto* mutex = new std::recursive_mutex();  // never destroyed: usable during exit
  return *mutex;
}
}  // namespace

extern "C" TVM_DLL int TVMBackendRunOnce(void** handle, int (*f)(void*), void* cdata, int nbytes) {
  (void)nbytes;
  if (handle == nullptr || f == nullptr) {
    TVMAPISetLastError("TVMError: TVMBackendRunOnce: null handle or function");
    return -1;
  }
  void* done = &g_run_once_done;
  if (__atomic_load_n(handle, __ATOMIC_ACQUIRE) == done) return 0;
  std::lock_guard<std::recursive_mutex> lock(RunOnceMutex());
  // Under the lock, "running" can only mean that f itself asked again.
  if (*handle != nullptr) return 0;
  __atomic_store_n(handle, static_cast<void*>(&g_run_once_running), __ATOMIC_RELAXED);
  int rc;
  try {
    rc = f(cdata);
  } catch (const std::exception& e) {
    tvm::runtime::SetLastErrorFromException(e);
    rc = -1;
  } catch (...) {
    TVMAPISetLastError("TVMError: TVMBackendRunOnce: unknown exception");
    rc = -1;
  }
  __atomic_store_n(handle, done, __ATOMIC_RELEASE);
  return rc;
}
