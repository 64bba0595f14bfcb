/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/runtime/thread_pool.cc
 * \brief The thread pool behind TVMBackendParallelLaunch and
 *  TVMBackendParallelBarrier.
 *
 * Shape of the pool
 * -----------------
 * The pool has `n` threads in all: the thread that calls Launch plus `n - 1`
 * persistent workers, started on the first launch that needs them. `n` comes
 * from TVM_NUM_THREADS (or OMP_NUM_THREADS), else from the number of physical
 * cores the process may run on.
 *
 * A launch of `num_task` tasks uses `used = min(num_task, n)` threads; thread
 * `t` runs tasks t, t + used, t + 2 * used, ... so the caller always runs
 * task 0. Each worker owns a mailbox (one atomic pointer). The launcher drops
 * the job into the mailboxes of workers 1 .. used-1, runs its own share, and
 * waits for a counter of outstanding workers to reach zero.
 *
 * Waiting
 * -------
 * Generated code often issues many small parallel loops back to back, so
 * both sides first spin for a short while (pause instructions with the odd
 * yield), and only then block on a condition variable. An idle pool thus
 * costs nothing, and a hot one never pays for a system call. Lost wake-ups
 * are excluded by a Dekker-style handshake: the sleeper publishes "I am
 * asleep" and then re-checks its condition; the waker publishes the work and
 * then checks "is anyone asleep" (all sequentially consistent).
 *
 * Errors
 * ------
 * A task reports failure by returning non-zero after TVMAPISetLastError in
 * its own thread. The first failure (in time) is kept and re-raised on the
 * launching thread; a C++ exception escaping a task is turned into such an
 * error. Once a task failed, the barrier stops waiting so that the remaining
 * tasks of the group cannot hang on a partner that will never arrive.
 *
 * Launches from inside a task, or from a second thread while the pool is busy,
 * run serially on the calling thread: never a deadlock.
 */
#include <pthread.h>
#include <sched.h>
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tvm {
namespace runtime {
namespace threading {
namespace {

/*! \brief Spin iterations before a waiting thread blocks. */
constexpr int kSpinIterations = 4096;
/*! \brief Upper bound on the pool size, whatever the environment says. */
constexpr int kMaxThreads = 1024;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#else
  std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

/*! \brief One step of a spin loop: mostly pause, sometimes give the core away. */
inline void SpinStep(int iteration) {
  if ((iteration & 31) == 31) {
    std::this_thread::yield();
  } else {
    CpuRelax();
  }
}

/*! \brief Whether this thread is currently executing a parallel task (workers: always). */
thread_local bool tls_in_parallel_region = false;

/*! \brief Sets tls_in_parallel_region for a scope and restores it afterwards. */
class ParallelRegionScope {
 public:
  ParallelRegionScope() : saved_(tls_in_parallel_region) { tls_in_parallel_region = true; }
  ~ParallelRegionScope() { tls_in_parallel_region = saved_; }
  ParallelRegionScope(const ParallelRegionScope&) = delete;
  ParallelRegionScope& operator=(const ParallelRegionScope&) = delete;

 private:
  bool saved_;
};

// ---------------------------------------------------------------------------
// How many threads: environment, else physical cores in our affinity mask.

bool ParsePositiveInt(const char* text, int* out) {
  if (text == nullptr || *text == '\0') return false;
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text, &end, 10);
  while (end != nullptr && (*end == ' ' || *end == '\t' || *end == '\n')) ++end;
  if (errno != 0 || end == text || (end != nullptr && *end != '\0') || value <= 0) return false;
  *out = static_cast<int>(std::min<long>(value, kMaxThreads));
  return true;
}

bool ReadLongFromFile(const std::string& path, long* out) {
  std::ifstream in(path);
  if (!in) return false;
  long value = 0;
  if (!(in >> value)) return false;
  *out = value;
  return true;
}

/*! \brief The CPUs this process may run on; empty if the kernel does not say. */
std::vector<int> AffinityCpus() {
  std::vector<int> cpus;
  for (int ncpu = 1024; ncpu <= (1 << 18); ncpu *= 2) {
    cpu_set_t* set = CPU_ALLOC(ncpu);
    if (set == nullptr) break;
    size_t size = CPU_ALLOC_SIZE(ncpu);
    CPU_ZERO_S(size, set);
    if (sched_getaffinity(0, size, set) == 0) {
      for (int i = 0; i < ncpu; ++i) {
        if (CPU_ISSET_S(i, size, set)) cpus.push_back(i);
      }
      CPU_FREE(set);
      break;
    }
    int err = errno;
    CPU_FREE(set);
    if (err != EINVAL) break;  // EINVAL: the mask is too small for this machine
  }
  return cpus;
}

/*! \brief Physical cores among the CPUs we may run on (hyper-threads count once). */
int CountPhysicalCores() {
  std::vector<int> cpus = AffinityCpus();
  if (!cpus.empty()) {
    std::set<std::pair<long, long>> cores;
    bool topology_known = true;
    for (int cpu : cpus) {
      std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
      long package = 0, core = 0;
      if (!ReadLongFromFile(base + "physical_package_id", &package) ||
          !ReadLongFromFile(base + "core_id", &core)) {
        topology_known = false;
        break;
      }
      cores.emplace(package, core);
    }
    if (topology_known && !cores.empty()) return static_cast<int>(cores.size());
    return static_cast<int>(cpus.size());
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

int DefaultNumThreads() {
  int n = 0;
  const char* names[] = {"TVM_NUM_THREADS", "OMP_NUM_THREADS"};
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value == nullptr) continue;
    if (ParsePositiveInt(value, &n)) return n;
    LOG(WARNING) << "ignoring " << name << "=\"" << value
                 << "\": expected a positive integer";
  }
  n = CountPhysicalCores();
  return std::max(1, std::min(n, kMaxThreads));
}

// ---------------------------------------------------------------------------
// One launch: the tasks, the barrier state (penv->sync_handle) and the errors.

class ParallelJob {
 public:
  ParallelJob(FTVMParallelLambda f, void* cdata, int num_task, int concurrency)
      : f_(f), cdata_(cdata), concurrency_(concurrency) {
    env_.sync_handle = this;
    env_.num_task = num_task;
  }
  ParallelJob(const ParallelJob&) = delete;
  ParallelJob& operator=(const ParallelJob&) = delete;

  int num_task() const { return env_.num_task; }

  /*! \brief Run the share of the tasks that belongs to thread `slot`. */
  void RunShare(int slot) {
    for (int t = slot; t < env_.num_task; t += concurrency_) RunTask(t);
  }

  /*! \brief 0, or -1 with the first error set on the calling thread. */
  int Finish() {
    if (!failed_.load(std::memory_order_acquire)) return 0;
    std::lock_guard<std::mutex> lock(error_mutex_);
    TVMAPISetLastError(error_message_.c_str());
    return -1;
  }

  int Barrier(int task_id) {
    if (task_id < 0 || task_id >= env_.num_task) {
      TVMAPISetLastError(("TVMError: TVMBackendParallelBarrier: task id " + std::to_string(task_id) +
                          " is out of range for a group of " + std::to_string(env_.num_task) +
                          " tasks")
                             .c_str());
      return -1;
    }
    if (env_.num_task <= 1) return 0;
    if (env_.num_task > concurrency_) {
      // Some tasks of this group run one after another on the same thread, so
      // waiting for all of them would never end.
      TVMAPISetLastError(("TVMError: TVMBackendParallelBarrier: the group has " +
                          std::to_string(env_.num_task) + " tasks but only " +
                          std::to_string(concurrency_) +
                          " run at the same time (more tasks than pool threads, or a nested "
                          "launch); a barrier needs every task of the group running at once")
                             .c_str());
      return -1;
    }
    // Sense reversal by generation number: a task can only reach barrier k+1
    // after barrier k opened, and barrier k+1 cannot open before it arrives,
    // so the generation read on arrival is the one this episode will bump.
    unsigned generation = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == env_.num_task) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.store(generation + 1, std::memory_order_release);
      return 0;
    }
    for (int i = 0;; ++i) {
      if (generation_.load(std::memory_order_acquire) != generation) return 0;
      if (failed_.load(std::memory_order_acquire)) {
        TVMAPISetLastError(
            "TVMError: TVMBackendParallelBarrier: abandoned because another task of the group "
            "failed");
        return -1;
      }
      if (i < kSpinIterations) {
        SpinStep(i);
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  void RunTask(int task_id) {
    int rc = 0;
    TVMAPISetLastError("");
    try {
      rc = f_(task_id, &env_, cdata_);
    } catch (const std::exception& e) {
      SetLastErrorFromException(e);
      rc = -1;
    } catch (...) {
      TVMAPISetLastError("TVMError: a parallel task threw an unknown C++ exception");
      rc = -1;
    }
    if (rc != 0) RecordError(task_id, rc);
  }

  void RecordError(int task_id, int rc) {
    const char* message = TVMGetLastError();
    std::string text;
    if (message != nullptr && *message != '\0') {
      text = message;
    } else {
      text = "TVMError: parallel task " + std::to_string(task_id) + " of " +
             std::to_string(env_.num_task) + " failed with code " + std::to_string(rc) +
             " without setting an error message";
    }
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (!failed_.load(std::memory_order_relaxed)) {
      error_message_ = std::move(text);
      failed_.store(true, std::memory_order_release);
    }
  }

  FTVMParallelLambda f_;
  void* cdata_;
  /*! \brief Threads that run this job's tasks at the same time. */
  int concurrency_;
  TVMParallelGroupEnv env_;

  alignas(64) std::atomic<int> arrived_{0};
  alignas(64) std::atomic<unsigned> generation_{0};
  std::atomic<bool> failed_{false};
  std::mutex error_mutex_;
  std::string error_message_;
};

// ---------------------------------------------------------------------------
// The pool.

class ThreadPool {
 public:
  static ThreadPool* Global();

  ~ThreadPool() {
    alive().store(false, std::memory_order_release);
    StopWorkers();
  }

  /*! \brief Whether the singleton exists and has not been destroyed. */
  static std::atomic<bool>& alive() {
    static std::atomic<bool> flag{false};
    return flag;
  }

  int NumThreads() {
    std::lock_guard<std::mutex> lock(config_mutex_);
    return num_threads_;
  }

  int Launch(FTVMParallelLambda f, void* cdata, int num_task) {
    if (tls_in_parallel_region) return RunSerially(f, cdata, num_task);
    std::unique_lock<std::mutex> launch_lock(*launch_mutex_, std::try_to_lock);
    // Another thread is using the pool: run here rather than wait for it.
    if (!launch_lock.owns_lock()) return RunSerially(f, cdata, num_task);

    int n = num_threads_;  // stable: Resize holds launch_mutex_
    if (num_task == 0) num_task = n;
    int used = std::min(num_task, n);
    if (used <= 1 || !EnsureWorkers()) {
      launch_lock.unlock();
      return RunSerially(f, cdata, num_task);
    }

    ParallelJob job(f, cdata, num_task, used);
    pending_.store(used - 1, std::memory_order_seq_cst);
    for (int w = 1; w < used; ++w) workers_[w - 1]->Post(&job);
    {
      ParallelRegionScope region;
      job.RunShare(0);
    }
    WaitForWorkers();
    return job.Finish();
  }

  /*! \brief Use `n` threads from the next launch on. */
  void Resize(int n) {
    TVM_CHECK(!tls_in_parallel_region, "TVMError")
        << "runtime.config_threadpool cannot be called from inside a parallel task";
    n = std::max(1, std::min(n, kMaxThreads));
    std::lock_guard<std::mutex> launch_lock(*launch_mutex_);
    if (n == num_threads_) return;
    StopWorkers();
    std::lock_guard<std::mutex> lock(config_mutex_);
    num_threads_ = n;
  }

  /*! \brief In a child after fork(): the workers did not come along; forget them. */
  void ForgetWorkersAfterFork() {
    for (auto& worker : workers_) (void)worker.release();  // leaked on purpose: its thread is gone
    workers_.clear();
    (void)launch_mutex_.release();  // may have been held by the forking thread; leaked on purpose
    launch_mutex_.reset(new std::mutex());
    pending_.store(0);
  }

 private:
  /*! \brief A persistent worker thread and its mailbox. */
  class Worker {
   public:
    Worker(ThreadPool* pool, int slot) : pool_(pool), slot_(slot) {
      thread_ = std::thread([this] { Loop(); });
    }

    void Post(ParallelJob* job) {
      mailbox_.store(job, std::memory_order_seq_cst);
      if (sleeping_.load(std::memory_order_seq_cst)) {
        std::lock_guard<std::mutex> lock(mutex_);
        cv_.notify_one();
      }
    }

    void StopAndJoin() {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_.store(true, std::memory_order_seq_cst);
      }
      cv_.notify_one();
      if (!thread_.joinable()) return;
      if (thread_.get_id() == std::this_thread::get_id()) {
        thread_.detach();  // exit() called from inside a task on this very worker
      } else {
        thread_.join();
      }
    }

   private:
    void Loop() {
      tls_in_parallel_region = true;
      for (;;) {
        ParallelJob* job = WaitForJob();
        if (job == nullptr) return;
        job->RunShare(slot_);
        mailbox_.store(nullptr, std::memory_order_relaxed);
        pool_->WorkerDone();  // `job` may be gone after this
      }
    }

    /*! \brief The next job, or nullptr when asked to stop. */
    ParallelJob* WaitForJob() {
      for (int i = 0; i < kSpinIterations; ++i) {
        ParallelJob* job = mailbox_.load(std::memory_order_acquire);
        if (job != nullptr) return job;
        if (stop_.load(std::memory_order_relaxed)) return nullptr;
        SpinStep(i);
      }
      std::unique_lock<std::mutex> lock(mutex_);
      sleeping_.store(true, std::memory_order_seq_cst);
      cv_.wait(lock, [this] {
        return mailbox_.load(std::memory_order_seq_cst) != nullptr ||
               stop_.load(std::memory_order_seq_cst);
      });
      sleeping_.store(false, std::memory_order_relaxed);
      // Finish a posted job before honouring stop: its launcher is waiting.
      return mailbox_.load(std::memory_order_acquire);
    }

    ThreadPool* pool_;
    int slot_;
    alignas(64) std::atomic<ParallelJob*> mailbox_{nullptr};
    std::atomic<bool> sleeping_{false};
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::thread thread_;
  };

  ThreadPool() : launch_mutex_(new std::mutex()), num_threads_(DefaultNumThreads()) {}

  /*! \brief Start the workers if needed; false if the system refused to create threads. */
  bool EnsureWorkers() {
    int wanted = num_threads_ - 1;
    if (static_cast<int>(workers_.size()) == wanted) return true;
    StopWorkers();
    try {
      workers_.reserve(wanted);
      for (int w = 1; w <= wanted; ++w) workers_.emplace_back(new Worker(this, w));
    } catch (const std::exception& e) {
      LOG(WARNING) << "could not start " << wanted << " thread-pool workers (" << e.what()
                   << "); running parallel loops serially";
      StopWorkers();
      return false;
    }
    return true;
  }

  void StopWorkers() {
    for (auto& worker : workers_) worker->StopAndJoin();
    workers_.clear();
  }

  void WorkerDone() {
    if (pending_.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
        launcher_sleeping_.load(std::memory_order_seq_cst)) {
      std::lock_guard<std::mutex> lock(done_mutex_);
      done_cv_.notify_one();
    }
  }

  void WaitForWorkers() {
    for (int i = 0; i < kSpinIterations; ++i) {
      if (pending_.load(std::memory_order_acquire) == 0) return;
      SpinStep(i);
    }
    std::unique_lock<std::mutex> lock(done_mutex_);
    launcher_sleeping_.store(true, std::memory_order_seq_cst);
    done_cv_.wait(lock, [this] { return pending_.load(std::memory_order_seq_cst) == 0; });
    launcher_sleeping_.store(false, std::memory_order_relaxed);
  }

  /*! \brief Run every task on the calling thread (nested launch, busy or single-thread pool). */
  static int RunSerially(FTVMParallelLambda f, void* cdata, int num_task) {
    if (num_task == 0) num_task = 1;
    ParallelJob job(f, cdata, num_task, 1);
    {
      ParallelRegionScope region;
      job.RunShare(0);
    }
    return job.Finish();
  }

  /*! \brief Held for a whole launch; a pointer so that a forked child can replace it. */
  std::unique_ptr<std::mutex> launch_mutex_;
  /*! \brief Guards num_threads_ for readers that do not hold launch_mutex_. */
  std::mutex config_mutex_;
  int num_threads_;
  std::vector<std::unique_ptr<Worker>> workers_;

  alignas(64) std::atomic<int> pending_{0};
  std::atomic<bool> launcher_sleeping_{false};
  std::mutex done_mutex_;
  std::condition_variable done_cv_;
};

void ForgetWorkersInChild() {
  if (ThreadPool::alive().load(std::memory_order_acquire)) {
    ThreadPool::Global()->ForgetWorkersAfterFork();
  }
}

ThreadPool* ThreadPool::Global() {
  // Destroyed at exit: the destructor stops and joins the workers.
  static ThreadPool pool;
  static bool registered = [] {
    alive().store(true, std::memory_order_release);
    pthread_atfork(nullptr, nullptr, ForgetWorkersInChild);
    return true;
  }();
  (void)registered;
  return &pool;
}

}  // namespace

/*! \brief The number of threads a launch with num_task == 0 uses. */
int NumThreads() {
  ThreadPool* pool = ThreadPool::Global();
  if (!ThreadPool::alive().load(std::memory_order_acquire)) return 1;  // torn down at exit
  return pool->NumThreads();
}

}  // namespace threading
}  // namespace runtime
}  // namespace tvm

using tvm::runtime::threading::ThreadPool;

extern "C" TVM_DLL int TVMBackendParallelLaunch(FTVMParallelLambda flambda, void* cdata,
                                                int num_task) {
  if (flambda == nullptr) {
    TVMAPISetLastError("TVMError: TVMBackendParallelLaunch: the task function is null");
    return -1;
  }
  if (num_task < 0) {
    TVMAPISetLastError(("TVMError: TVMBackendParallelLaunch: num_task must be >= 0, got " +
                        std::to_string(num_task))
                           .c_str());
    return -1;
  }
  try {
    ThreadPool* pool = ThreadPool::Global();
    if (!ThreadPool::alive().load(std::memory_order_acquire)) {
      // Called during static destruction, after the pool was torn down.
      tvm::runtime::threading::ParallelJob job(flambda, cdata, num_task == 0 ? 1 : num_task, 1);
      job.RunShare(0);
      return job.Finish();
    }
    return pool->Launch(flambda, cdata, num_task);
  } catch (const std::exception& e) {
    tvm::runtime::SetLastErrorFromException(e);
    return -1;
  }
}

extern "C" TVM_DLL int TVMBackendParallelBarrier(int task_id, TVMParallelGroupEnv* penv) {
  if (penv == nullptr || penv->sync_handle == nullptr) {
    TVMAPISetLastError(
        "TVMError: TVMBackendParallelBarrier: called without the group environment of a "
        "parallel launch");
    return -1;
  }
  return static_cast<tvm::runtime::threading::ParallelJob*>(penv->sync_handle)->Barrier(task_id);
}

TVM_REGISTER_GLOBAL("runtime.NumThreads").set_body_typed([]() -> int {
  return tvm::runtime::threading::NumThreads();
});

TVM_REGISTER_GLOBAL("runtime.config_threadpool")
    .set_body([](tvm::runtime::TVMArgs args, tvm::runtime::TVMRetValue* rv) {
      TVM_CHECK(args.size() >= 2, "TypeError")
          << "runtime.config_threadpool expects (mode, nthreads), got " << args.size()
          << " arguments";
      int mode = args[0];  // affinity mode: accepted for compatibility, not used
      (void)mode;
      int nthreads = args[1];
      if (nthreads > 0) ThreadPool::Global()->Resize(nthreads);
    });
