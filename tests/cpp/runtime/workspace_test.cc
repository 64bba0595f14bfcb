/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Tests of kernel workspaces (TVMBackendAllocWorkspace/FreeWorkspace) and TVMBackendRunOnce.
#include <gtest/gtest.h>
#include <tvm/runtime/c_backend_api.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kFloatCode = 2;  // kDLFloat

void* Alloc(uint64_t nbytes) { return TVMBackendAllocWorkspace(kDLCPU, 0, nbytes, kFloatCode, 32); }
int Free(void* ptr) { return TVMBackendFreeWorkspace(kDLCPU, 0, ptr); }

bool Aligned64(const void* p) { return reinterpret_cast<uintptr_t>(p) % 64 == 0; }

void Fill(void* p, size_t n, uint8_t seed) {
  auto* b = static_cast<uint8_t*>(p);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
}

bool Check(const void* p, size_t n, uint8_t seed) {
  auto* b = static_cast<const uint8_t*>(p);
  for (size_t i = 0; i < n; ++i) {
    if (b[i] != static_cast<uint8_t>(seed + i * 7)) return false;
  }
  return true;
}

const std::vector<uint64_t>& Sizes() {
  static const std::vector<uint64_t> sizes = {0,   1,    7,    63,    64,     65,      100,
                                              127, 128,  1000, 4096,  4097,   65536,   100000,
                                              3,   1024, 1,    1 << 20, 12345, 777, (1 << 22) + 5};
  return sizes;
}

TEST(Workspace, AllocFreeManySizesAligned) {
  for (int repeat = 0; repeat < 3; ++repeat) {
    std::vector<void*> ptrs;
    for (uint64_t n : Sizes()) {
      void* p = Alloc(n);
      ASSERT_NE(p, nullptr) << "size " << n << ": " << TVMGetLastError();
      EXPECT_TRUE(Aligned64(p)) << "size " << n;
      Fill(p, n, static_cast<uint8_t>(n));
      ptrs.push_back(p);
    }
    // Every block is distinct and its data survived the other allocations.
    for (size_t i = 0; i < ptrs.size(); ++i) {
      EXPECT_TRUE(Check(ptrs[i], Sizes()[i], static_cast<uint8_t>(Sizes()[i]))) << "block " << i;
      for (size_t j = i + 1; j < ptrs.size(); ++j) EXPECT_NE(ptrs[i], ptrs[j]);
    }
    // Free in a mixed order.
    for (size_t i = 0; i < ptrs.size(); i += 2) EXPECT_EQ(Free(ptrs[i]), 0);
    for (size_t i = 1; i < ptrs.size(); i += 2) EXPECT_EQ(Free(ptrs[i]), 0);
  }
}

TEST(Workspace, FreedBlockIsReused) {
  void* p = Alloc(5000);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(Free(p), 0);
  void* q = Alloc(5000);
  EXPECT_EQ(q, p);
  ASSERT_EQ(Free(q), 0);
  // A slightly smaller request fits in the same cached block.
  void* r = Alloc(4950);
  EXPECT_EQ(r, p);
  ASSERT_EQ(Free(r), 0);
}

TEST(Workspace, StackOrderReuse) {
  // A kernel called in a loop: the same allocations every time, no new memory after the first.
  std::vector<void*> first;
  for (uint64_t n : {4096u, 256u, 65536u}) first.push_back(Alloc(n));
  for (auto it = first.rbegin(); it != first.rend(); ++it) ASSERT_EQ(Free(*it), 0);
  for (int iter = 0; iter < 100; ++iter) {
    std::vector<void*> again;
    for (uint64_t n : {4096u, 256u, 65536u}) again.push_back(Alloc(n));
    for (size_t i = 0; i < again.size(); ++i) EXPECT_EQ(again[i], first[i]) << "iteration " << iter;
    for (auto it = again.rbegin(); it != again.rend(); ++it) ASSERT_EQ(Free(*it), 0);
  }
}

TEST(Workspace, FreeingAnUnknownPointerIsAnError) {
  int on_stack = 0;
  EXPECT_EQ(Free(&on_stack), -1);
  std::string message = TVMGetLastError();
  EXPECT_NE(message.find("TVMBackendFreeWorkspace"), std::string::npos) << message;

  void* p = Alloc(64);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Free(p), 0);
  EXPECT_EQ(Free(p), -1) << "double free must be reported";
  EXPECT_EQ(Free(nullptr), -1);
}

TEST(Workspace, HugeRequestFailsCleanly) {
  void* p = Alloc(~uint64_t{0});
  EXPECT_EQ(p, nullptr);
  EXPECT_NE(std::string(TVMGetLastError()).find("TVMBackendAllocWorkspace"), std::string::npos);
  // Far beyond any machine, but not overflowing.
  p = Alloc(uint64_t{1} << 60);
  EXPECT_EQ(p, nullptr);
}

TEST(Workspace, ManyThreads) {
  constexpr int kThreads = 6;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      for (int iter = 0; iter < 300; ++iter) {
        std::vector<std::pair<void*, uint64_t>> live;
        for (int k = 0; k < 5; ++k) {
          uint64_t n = 16 + ((iter * 131 + k * 977 + t * 31) % 20000);
          void* p = Alloc(n);
          if (p == nullptr || !Aligned64(p)) {
            failures.fetch_add(1);
            continue;
          }
          Fill(p, n, static_cast<uint8_t>(t * 10 + k));
          live.emplace_back(p, n);
        }
        for (size_t k = 0; k < live.size(); ++k) {
          if (!Check(live[k].first, live[k].second, static_cast<uint8_t>(t * 10 + k))) {
            failures.fetch_add(1);
          }
        }
        for (auto it = live.rbegin(); it != live.rend(); ++it) {
          if (Free(it->first) != 0) failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Workspace, WorkspacesInsideParallelTasks) {
  std::atomic<int> failures{0};
  auto task = [](int task_id, TVMParallelGroupEnv*, void* cdata) -> int {
    for (int i = 0; i < 50; ++i) {
      uint64_t n = 1024 + 64 * task_id + i;
      void* p = TVMBackendAllocWorkspace(kDLCPU, 0, n, kFloatCode, 32);
      if (p == nullptr) return -1;
      std::memset(p, task_id, n);
      if (TVMBackendFreeWorkspace(kDLCPU, 0, p) != 0) {
        static_cast<std::atomic<int>*>(cdata)->fetch_add(1);
      }
    }
    return 0;
  };
  EXPECT_EQ(TVMBackendParallelLaunch(task, &failures, 8), 0) << TVMGetLastError();
  EXPECT_EQ(failures.load(), 0);
}

// ---------------------------------------------------------------------------
// TVMBackendRunOnce

struct OnceState {
  std::atomic<int> calls{0};
  std::atomic<bool> initialised{false};
};

int InitOnce(void* cdata) {
  auto* s = static_cast<OnceState*>(cdata);
  s->calls.fetch_add(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  s->initialised.store(true);
  return 42;
}

TEST(Workspace, RunOnceRunsOnceAndReturnsFirstResult) {
  void* handle = nullptr;
  OnceState state;
  EXPECT_EQ(TVMBackendRunOnce(&handle, InitOnce, &state, 0), 42);
  EXPECT_EQ(TVMBackendRunOnce(&handle, InitOnce, &state, 0), 0);
  EXPECT_EQ(TVMBackendRunOnce(&handle, InitOnce, &state, 0), 0);
  EXPECT_EQ(state.calls.load(), 1);
  EXPECT_NE(handle, nullptr);

  // A different handle runs again.
  void* other = nullptr;
  EXPECT_EQ(TVMBackendRunOnce(&other, InitOnce, &state, 0), 42);
  EXPECT_EQ(state.calls.load(), 2);
}

TEST(Workspace, RunOnceIsThreadSafe) {
  void* handle = nullptr;
  OnceState state;
  std::atomic<int> first_results{0};
  std::atomic<int> saw_uninitialised{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      int rc = TVMBackendRunOnce(&handle, InitOnce, &state, 0);
      if (rc == 42) first_results.fetch_add(1);
      // Whoever returns, the initialisation is complete.
      if (!state.initialised.load()) saw_uninitialised.fetch_add(1);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(state.calls.load(), 1);
  EXPECT_EQ(first_results.load(), 1);
  EXPECT_EQ(saw_uninitialised.load(), 0);
}

int RecursiveInit(void* cdata) {
  auto** handle = static_cast<void**>(cdata);
  // Asking again from inside the initialiser must not recurse or deadlock.
  return TVMBackendRunOnce(handle, RecursiveInit, cdata, 0) == 0 ? 5 : -1;
}

TEST(Workspace, RunOnceFromInsideItself) {
  void* handle = nullptr;
  EXPECT_EQ(TVMBackendRunOnce(&handle, RecursiveInit, &handle, 0), 5);
  EXPECT_EQ(TVMBackendRunOnce(&handle, RecursiveInit, &handle, 0), 0);
}

}  // namespace
