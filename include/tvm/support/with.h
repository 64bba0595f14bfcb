/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/support/with.h
 * \brief With<T>: enter a scope object on construction, leave it on
 *  destruction (PassContext, arith::ConstraintContext, ...).
 *
 *   {
 *     With<arith::ConstraintContext> ctx(&analyzer, i < n);
 *     analyzer.CanProve(i < n);   // true inside the scope
 *   }
 *
 * T provides EnterWithScope() and ExitWithScope(); they may be private when
 * T declares `friend class With<T>`.
 */
#ifndef TVM_SUPPORT_WITH_H_
#define TVM_SUPPORT_WITH_H_

#include <utility>

namespace tvm {

template <typename T>
class With {
 public:
  template <typename... Args>
  explicit With(Args&&... args) : ctx_(std::forward<Args>(args)...) {
    ctx_.EnterWithScope();
  }
  ~With() noexcept(false) { ctx_.ExitWithScope(); }
  With(const With&) = delete;
  With& operator=(const With&) = delete;
  T& get() { return ctx_; }
  T* operator->() { return &ctx_; }

 private:
  T ctx_;
};

}  // namespace tvm
#endif  // TVM_SUPPORT_WITH_H_
