/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file deep_recursion.h
 * \brief Recursive walks over IR of any depth (a chain of 100,000 operators).
 *
 * A walk that recurses per level counts its depth with a DepthGuard; past
 * kShallowDepth on the caller's stack it throws TooDeep, and the entry point
 * runs the walk again, from the start, on a thread with a large stack
 * (reserved, committed only as used). Shallow inputs, nearly all of them,
 * pay nothing but the counter.
 *
 *   bool Equal(a, b) {
 *     try { return Impl(false).Run(a, b); }
 *     catch (const support::TooDeep&) {}
 *     bool r; support::RunOnLargeStack([&] { r = Impl(true).Run(a, b); }); return r;
 *   }
 */
#ifndef TVM_SUPPORT_DEEP_RECURSION_H_
#define TVM_SUPPORT_DEEP_RECURSION_H_

#include <cstddef>
#include <functional>

namespace tvm {
namespace support {

/*! \brief Thrown by a DepthGuard when the caller's stack may not hold the walk. */
struct TooDeep {};

/*! \brief Levels a walk may recurse on an ordinary thread's stack. */
constexpr int kShallowDepth = 2000;

/*! \brief Counts one level of a walk; throws TooDeep past the limit unless on a large stack. */
class DepthGuard {
 public:
  DepthGuard(int* depth, bool large_stack) : depth_(depth) {
    if (++*depth_ > kShallowDepth && !large_stack) {
      --*depth_;
      throw TooDeep();
    }
  }
  ~DepthGuard() { --*depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int* depth_;
};

/*! \brief Run f on a new thread with a stack of `bytes` and wait; f's exception is rethrown here. */
void RunOnLargeStack(const std::function<void()>& f, size_t bytes = size_t{1} << 30);

}  // namespace support
}  // namespace tvm
#endif  // TVM_SUPPORT_DEEP_RECURSION_H_
