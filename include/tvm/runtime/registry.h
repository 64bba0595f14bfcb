/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/registry.h
 * \brief The global registry of named packed functions, shared by C++,
 *  Python (tvm.get_global_func / tvm.register_func) and compiled code.
 *
 *   TVM_REGISTER_GLOBAL("runtime.Add").set_body_typed([](int a, int b) { return a + b; });
 */
#ifndef TVM_RUNTIME_REGISTRY_H_
#define TVM_RUNTIME_REGISTRY_H_

#include <tvm/runtime/packed_func.h>

#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {

class TVM_DLL Registry {
 public:
  /*! \brief Set the body of the function (a PackedFunc or a (TVMArgs, TVMRetValue*) lambda). */
  Registry& set_body(PackedFunc f);
  template <typename F, typename = std::enable_if_t<std::is_invocable_v<F, TVMArgs, TVMRetValue*>>>
  Registry& set_body(F f) {
    return set_body(PackedFunc(std::move(f)));
  }
  /*! \brief Set the body from a typed callable; argument errors name this function. */
  template <typename F>
  Registry& set_body_typed(F f) {
    return set_body_typed_impl(std::function(std::move(f)));
  }
  /*! \brief Expose a const member function: the object is argument 0. */
  template <typename R, typename Ref, typename... Args>
  Registry& set_body_method(R (Ref::*method)(Args...) const) {
    return set_body_typed_impl(
        std::function<R(Ref, Args...)>([method](Ref ref, Args... args) { return (ref.*method)(args...); }));
  }

  /*!
   * \brief Register `name`.
   * \param can_override Whether an existing registration may be replaced;
   *  otherwise registering a name twice throws.
   */
  static Registry& Register(const std::string& name, bool can_override = false);
  /*! \brief Remove `name`; returns whether it existed. */
  static bool Remove(const std::string& name);
  /*! \brief The function, or nullptr when no such name is registered. */
  static const PackedFunc* Get(const std::string& name);
  static std::vector<std::string> ListNames();

  const std::string& name() const { return name_; }

 private:
  template <typename R, typename... Args>
  Registry& set_body_typed_impl(std::function<R(Args...)> f) {
    return set_body(TypedPackedFunc<R(Args...)>(std::move(f), name_).packed());
  }
  std::string name_;
  PackedFunc func_;
  friend struct RegistryManager;
};

/*!
 * \brief The registered function `name`.
 * \throws Error (AttributeError-like "TVMError") naming the function when absent.
 */
TVM_DLL PackedFunc GetGlobalFunc(const std::string& name);

}  // namespace runtime
}  // namespace tvm

#define TVM_STR_CONCAT_(a, b) a##b
#define TVM_STR_CONCAT(a, b) TVM_STR_CONCAT_(a, b)
/*! \brief Register a global function at static-initialisation time. */
#define TVM_REGISTER_GLOBAL(name)                                                  \
  [[maybe_unused]] static ::tvm::runtime::Registry& TVM_STR_CONCAT(__tvm_reg_, __COUNTER__) = \
      ::tvm::runtime::Registry::Register(name)

#endif  // TVM_RUNTIME_REGISTRY_H_
