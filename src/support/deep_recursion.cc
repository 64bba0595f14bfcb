/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include "deep_recursion.h"

#include <pthread.h>
#include <tvm/runtime/logging.h>

#include <exception>

namespace tvm {
namespace support {

namespace {
struct Task {
  const std::function<void()>* f;
  std::exception_ptr error;
};

void* RunTask(void* arg) {
  auto* task = static_cast<Task*>(arg);
  try {
    (*task->f)();
  } catch (...) {
    task->error = std::current_exception();
  }
  return nullptr;
}
}  // namespace

void RunOnLargeStack(const std::function<void()>& f, size_t bytes) {
  Task task{&f, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  // The stack is address space: pages are committed only as the walk reaches them.
  int rc = pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  if (rc == 0) rc = pthread_create(&thread, &attr, RunTask, &task);
  pthread_attr_destroy(&attr);
  TVM_CHECK(rc == 0, "RuntimeError") << "could not start a thread with a " << (bytes >> 20)
                                     << " MiB stack for a deep IR walk (error " << rc << ")";
  pthread_join(thread, nullptr);
  if (task.error) std::rethrow_exception(task.error);
}

}  // namespace support
}  // namespace tvm
