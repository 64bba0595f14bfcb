/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Tests of the parallel-launch thread pool (TVMBackendParallelLaunch/Barrier).
#include <gtest/gtest.h>
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using tvm::runtime::GetGlobalFunc;

int PoolThreads() { return GetGlobalFunc("runtime.NumThreads")().operator int(); }

void SetPoolThreads(int n) { GetGlobalFunc("runtime.config_threadpool")(0, n); }

/*! \brief Sets the pool size for one test and puts the old one back afterwards. */
class PoolSizeScope {
 public:
  explicit PoolSizeScope(int n) : saved_(PoolThreads()) { SetPoolThreads(n); }
  ~PoolSizeScope() { SetPoolThreads(saved_); }

 private:
  int saved_;
};

// ---------------------------------------------------------------------------
// A parallel sum: each task adds up its own slice.

constexpr int kMaxTasks = 4096;

struct SumJob {
  const int64_t* data;
  int64_t n;
  int64_t partial[kMaxTasks];
  std::atomic<int> runs[kMaxTasks];
  std::atomic<int> seen_num_task{-1};
};

int SumTask(int task_id, TVMParallelGroupEnv* penv, void* cdata) {
  auto* job = static_cast<SumJob*>(cdata);
  int num = penv->num_task;
  job->seen_num_task.store(num);
  if (task_id < 0 || task_id >= num || num > kMaxTasks) return -1;
  int64_t chunk = (job->n + num - 1) / num;
  int64_t begin = std::min<int64_t>(job->n, chunk * task_id);
  int64_t end = std::min<int64_t>(job->n, begin + chunk);
  int64_t sum = 0;
  for (int64_t i = begin; i < end; ++i) sum += job->data[i];
  job->partial[task_id] = sum;
  job->runs[task_id].fetch_add(1);
  return 0;
}

/*! \brief Launch SumTask; returns the total and checks every task ran once. */
int64_t ParallelSum(const std::vector<int64_t>& data, int num_task, int* used_tasks) {
  auto job = std::make_unique<SumJob>();
  job->data = data.data();
  job->n = static_cast<int64_t>(data.size());
  for (auto& r : job->runs) r.store(0);
  EXPECT_EQ(TVMBackendParallelLaunch(SumTask, job.get(), num_task), 0) << TVMGetLastError();
  int used = job->seen_num_task.load();
  *used_tasks = used;
  int64_t total = 0;
  for (int t = 0; t < used; ++t) {
    EXPECT_EQ(job->runs[t].load(), 1) << "task " << t << " of " << used;
    total += job->partial[t];
  }
  return total;
}

std::vector<int64_t> MakeData() {
  std::vector<int64_t> data(1 << 20);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<int64_t>((i * 2654435761u) % 1000);
  return data;
}

TEST(ThreadPool, ParallelSumMatchesSerial) {
  std::vector<int64_t> data = MakeData();
  int64_t serial = 0;
  for (int64_t v : data) serial += v;
  for (int num_task : {0, 1, 7, 64}) {
    int used = -1;
    EXPECT_EQ(ParallelSum(data, num_task, &used), serial) << "num_task=" << num_task;
    if (num_task == 0) {
      EXPECT_EQ(used, PoolThreads());
    } else {
      EXPECT_EQ(used, num_task);
    }
  }
}

TEST(ThreadPool, ParallelSumWithMoreThreadsThanCores) {
  PoolSizeScope scope(4);
  std::vector<int64_t> data = MakeData();
  int64_t serial = 0;
  for (int64_t v : data) serial += v;
  for (int num_task : {0, 1, 3, 4, 7, 64, 1000}) {
    int used = -1;
    EXPECT_EQ(ParallelSum(data, num_task, &used), serial) << "num_task=" << num_task;
    EXPECT_EQ(used, num_task == 0 ? 4 : num_task);
  }
}

TEST(ThreadPool, NumThreadsIsPositive) {
  EXPECT_GE(PoolThreads(), 1);
}

TEST(ThreadPool, ConfigThreadPoolResizes) {
  int before = PoolThreads();
  {
    PoolSizeScope scope(3);
    EXPECT_EQ(PoolThreads(), 3);
    std::atomic<int> seen{0};
    auto task = [](int task_id, TVMParallelGroupEnv* penv, void* cdata) -> int {
      static_cast<std::atomic<int>*>(cdata)->store(penv->num_task);
      return 0;
    };
    ASSERT_EQ(TVMBackendParallelLaunch(task, &seen, 0), 0);
    EXPECT_EQ(seen.load(), 3);
    // nthreads <= 0 leaves the size alone.
    SetPoolThreads(0);
    EXPECT_EQ(PoolThreads(), 3);
  }
  EXPECT_EQ(PoolThreads(), before);
}

// ---------------------------------------------------------------------------
// Barrier: every task publishes, waits, then reads a neighbour's value.

constexpr int kRounds = 200;

struct BarrierJob {
  std::vector<std::atomic<int64_t>> slots;
  std::atomic<int> mismatches{0};
  std::atomic<int> barrier_errors{0};
  explicit BarrierJob(int n) : slots(n) {}
};

int BarrierTask(int task_id, TVMParallelGroupEnv* penv, void* cdata) {
  auto* job = static_cast<BarrierJob*>(cdata);
  int n = penv->num_task;
  for (int round = 0; round < kRounds; ++round) {
    job->slots[task_id].store(int64_t{round} * 1000 + task_id, std::memory_order_relaxed);
    if (TVMBackendParallelBarrier(task_id, penv) != 0) {
      job->barrier_errors.fetch_add(1);
      return -1;
    }
    int other = (task_id + 1 + round) % n;
    if (job->slots[other].load(std::memory_order_relaxed) != int64_t{round} * 1000 + other) {
      job->mismatches.fetch_add(1);
    }
    // Second barrier so that nobody overwrites a slot that is still being read.
    if (TVMBackendParallelBarrier(task_id, penv) != 0) {
      job->barrier_errors.fetch_add(1);
      return -1;
    }
  }
  return 0;
}

TEST(ThreadPool, BarrierSeparatesPhases) {
  for (int threads : {2, 4}) {
    PoolSizeScope scope(threads);
    BarrierJob job(threads);
    ASSERT_EQ(TVMBackendParallelLaunch(BarrierTask, &job, 0), 0) << TVMGetLastError();
    EXPECT_EQ(job.mismatches.load(), 0) << "threads=" << threads;
    EXPECT_EQ(job.barrier_errors.load(), 0);
  }
}

TEST(ThreadPool, BarrierWithSingleTaskIsTrivial) {
  BarrierJob job(1);
  ASSERT_EQ(TVMBackendParallelLaunch(BarrierTask, &job, 1), 0) << TVMGetLastError();
  EXPECT_EQ(job.mismatches.load(), 0);
}

TEST(ThreadPool, BarrierWithMoreTasksThanThreadsFailsInsteadOfHanging) {
  PoolSizeScope scope(2);
  BarrierJob job(5);
  EXPECT_EQ(TVMBackendParallelLaunch(BarrierTask, &job, 5), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("barrier"), std::string::npos)
      << TVMGetLastError();
}

TEST(ThreadPool, BarrierIsAbandonedWhenATaskFails) {
  PoolSizeScope scope(4);
  auto task = [](int task_id, TVMParallelGroupEnv* penv, void*) -> int {
    if (task_id == 2) {
      TVMAPISetLastError("task 2 gave up before the barrier");
      return -1;
    }
    return TVMBackendParallelBarrier(task_id, penv);
  };
  EXPECT_EQ(TVMBackendParallelLaunch(task, nullptr, 4), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("task 2 gave up"), std::string::npos)
      << TVMGetLastError();
}

TEST(ThreadPool, BarrierRejectsMissingEnvironment) {
  EXPECT_EQ(TVMBackendParallelBarrier(0, nullptr), -1);
  TVMParallelGroupEnv env{nullptr, 2};
  EXPECT_EQ(TVMBackendParallelBarrier(0, &env), -1);
}

// ---------------------------------------------------------------------------
// Errors.

int FailInTask3(int task_id, TVMParallelGroupEnv*, void*) {
  if (task_id == 3) {
    TVMAPISetLastError("boom in task 3");
    return -1;
  }
  return 0;
}

TEST(ThreadPool, ErrorOfATaskReachesTheLauncher) {
  for (int threads : {1, 2, 4}) {
    PoolSizeScope scope(threads);
    TVMAPISetLastError("");
    EXPECT_EQ(TVMBackendParallelLaunch(FailInTask3, nullptr, 8), -1);
    EXPECT_NE(std::string(TVMGetLastError()).find("boom in task 3"), std::string::npos)
        << "threads=" << threads << ": " << TVMGetLastError();
  }
  // The pool still works after a failure.
  std::vector<int64_t> data = MakeData();
  int64_t serial = 0;
  for (int64_t v : data) serial += v;
  int used = 0;
  EXPECT_EQ(ParallelSum(data, 7, &used), serial);
}

TEST(ThreadPool, ExceptionInTaskBecomesAnError) {
  PoolSizeScope scope(3);
  auto task = [](int task_id, TVMParallelGroupEnv*, void*) -> int {
    if (task_id == 1) throw tvm::runtime::Error("ValueError", "thrown from task 1");
    return 0;
  };
  EXPECT_EQ(TVMBackendParallelLaunch(task, nullptr, 3), -1);
  std::string message = TVMGetLastError();
  EXPECT_NE(message.find("thrown from task 1"), std::string::npos) << message;
}

TEST(ThreadPool, TaskFailingWithoutMessageStillReportsSomething) {
  PoolSizeScope scope(2);
  auto task = [](int task_id, TVMParallelGroupEnv*, void*) -> int { return task_id == 1 ? 7 : 0; };
  EXPECT_EQ(TVMBackendParallelLaunch(task, nullptr, 2), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("task 1"), std::string::npos) << TVMGetLastError();
}

TEST(ThreadPool, InvalidArgumentsAreErrors) {
  EXPECT_EQ(TVMBackendParallelLaunch(nullptr, nullptr, 2), -1);
  EXPECT_EQ(TVMBackendParallelLaunch(FailInTask3, nullptr, -1), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("num_task"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Nesting and concurrency.

struct NestedJob {
  std::atomic<int64_t> inner_runs{0};
  std::atomic<int> inner_failures{0};
};

int InnerTask(int task_id, TVMParallelGroupEnv* penv, void* cdata) {
  static_cast<NestedJob*>(cdata)->inner_runs.fetch_add(1);
  return 0;
}

int OuterTask(int task_id, TVMParallelGroupEnv* penv, void* cdata) {
  auto* job = static_cast<NestedJob*>(cdata);
  if (TVMBackendParallelLaunch(InnerTask, job, 5) != 0) job->inner_failures.fetch_add(1);
  return 0;
}

TEST(ThreadPool, NestedLaunchRunsInline) {
  for (int threads : {1, 4}) {
    PoolSizeScope scope(threads);
    NestedJob job;
    ASSERT_EQ(TVMBackendParallelLaunch(OuterTask, &job, 6), 0) << TVMGetLastError();
    EXPECT_EQ(job.inner_runs.load(), 6 * 5);
    EXPECT_EQ(job.inner_failures.load(), 0);
  }
}

TEST(ThreadPool, ManyBackToBackLaunches) {
  PoolSizeScope scope(3);
  std::atomic<int64_t> counter{0};
  auto task = [](int task_id, TVMParallelGroupEnv*, void* cdata) -> int {
    static_cast<std::atomic<int64_t>*>(cdata)->fetch_add(task_id + 1);
    return 0;
  };
  constexpr int kLaunches = 20000;
  for (int i = 0; i < kLaunches; ++i) {
    ASSERT_EQ(TVMBackendParallelLaunch(task, &counter, 3), 0);
  }
  EXPECT_EQ(counter.load(), int64_t{kLaunches} * (1 + 2 + 3));
}

TEST(ThreadPool, LaunchesFromSeveralThreadsAtOnce) {
  PoolSizeScope scope(2);
  std::vector<int64_t> data = MakeData();
  int64_t serial = 0;
  for (int64_t v : data) serial += v;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        int used = 0;
        if (ParallelSum(data, (i % 3) * 3, &used) != serial) wrong.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
