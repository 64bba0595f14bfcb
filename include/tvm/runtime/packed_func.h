/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/packed_func.h
 * \brief Type-erased functions: PackedFunc, its arguments and return value.
 *
 * A PackedFunc takes any number of values, each a TVMValue plus a type code
 * (the C ABI of c_runtime_api.h), and returns one. The same calling
 * convention serves C++ lambdas, Python callables, and compiled kernels.
 *
 *   PackedFunc f([](TVMArgs args, TVMRetValue* rv) { *rv = args[0].operator int() + 1; });
 *   int y = f(41);
 *   TypedPackedFunc<int(int)> g([](int x) { return x + 1; }, "add_one");
 *
 * Conversions check their types and say which argument was wrong:
 *   "add_one: argument 0 expected int but got str".
 */
#ifndef TVM_RUNTIME_PACKED_FUNC_H_
#define TVM_RUNTIME_PACKED_FUNC_H_

#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/object.h>

#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tvm {
namespace runtime {

class TVMArgs;
class TVMArgValue;
class TVMRetValue;

/*! \brief A readable name for a type code ("int", "str", "NDArray", ...). */
TVM_DLL const char* ArgTypeCode2Str(int type_code);

/*! \brief The object behind PackedFunc. */
class TVM_DLL PackedFuncObj : public Object {
 public:
  using FType = std::function<void(TVMArgs args, TVMRetValue* rv)>;
  explicit PackedFuncObj(FType body) : body_(std::move(body)) {}
  void CallPacked(TVMArgs args, TVMRetValue* rv) const;

  static constexpr const char* _type_key = "runtime.PackedFunc";
  static constexpr bool _type_final = true;
  static constexpr uint32_t _type_static_index = TypeIndex::kRuntimePackedFunc;
  using _type_parent = Object;

 private:
  FType body_;
};

class PackedFunc : public ObjectRef {
 public:
  using ContainerType = PackedFuncObj;
  using FType = PackedFuncObj::FType;

  PackedFunc() = default;
  PackedFunc(std::nullptr_t) {}  // NOLINT(*)
  explicit PackedFunc(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  template <typename F, typename = std::enable_if_t<std::is_invocable_v<F, TVMArgs, TVMRetValue*>>>
  explicit PackedFunc(F body) : ObjectRef(make_object<PackedFuncObj>(FType(std::move(body)))) {}

  /*! \brief Call with C++ values; each is converted as TVMArgsSetter does. */
  template <typename... Args>
  inline TVMRetValue operator()(Args&&... args) const;
  inline void CallPacked(TVMArgs args, TVMRetValue* rv) const;
  bool operator==(std::nullptr_t) const { return !defined(); }
  bool operator!=(std::nullptr_t) const { return defined(); }
  explicit operator bool() const { return defined(); }
  const PackedFuncObj* operator->() const { return static_cast<const PackedFuncObj*>(get()); }
};

/*! \brief The arguments of a packed call (not owned). */
class TVMArgs {
 public:
  const TVMValue* values;
  const int* type_codes;
  int num_args;
  TVMArgs(const TVMValue* values, const int* type_codes, int num_args)
      : values(values), type_codes(type_codes), num_args(num_args) {}
  int size() const { return num_args; }
  inline TVMArgValue operator[](int i) const;
};

/*!
 * \brief Conversion of packed values into a C++ type T; specialise it to let
 *  a type accept other kinds of values (ir does this for PrimExpr from int).
 *  The primary template (defined below) converts objects.
 */
template <typename T, typename = void>
struct PackedFuncValueConverter;

/*! \brief The shared part of argument and return values: a value and its code. */
class TVMPODValue_ {
 public:
  int type_code() const { return type_code_; }
  const TVMValue& value() const { return value_; }
  /*! \brief "int", "float", "str", an object's type key, ... */
  TVM_DLL std::string TypeName() const;

  operator int64_t() const {
    Expect(type_code_ == kDLInt, "int");
    return value_.v_int64;
  }
  operator uint64_t() const { return static_cast<uint64_t>(operator int64_t()); }
  operator int() const {
    int64_t v = operator int64_t();
    TVM_CHECK(v >= INT32_MIN && v <= INT32_MAX, "ValueError") << "int " << v << " does not fit in int32";
    return static_cast<int>(v);
  }
  operator bool() const {
    Expect(type_code_ == kDLInt, "bool");
    return value_.v_int64 != 0;
  }
  operator double() const {
    if (type_code_ == kDLInt) return static_cast<double>(value_.v_int64);
    Expect(type_code_ == kDLFloat, "float");
    return value_.v_float64;
  }
  operator void*() const {
    if (type_code_ == kTVMNullptr) return nullptr;
    if (type_code_ == kTVMDLTensorHandle || type_code_ == kTVMNDArrayHandle) return value_.v_handle;
    Expect(type_code_ == kTVMOpaqueHandle, "handle");
    return value_.v_handle;
  }
  operator DLTensor*() const {
    if (type_code_ == kTVMNullptr) return nullptr;
    Expect(type_code_ == kTVMDLTensorHandle || type_code_ == kTVMNDArrayHandle, "DLTensor");
    return static_cast<DLTensor*>(value_.v_handle);
  }
  operator DLDevice() const {
    Expect(type_code_ == kDLDevice, "Device");
    return value_.v_device;
  }
  operator NDArray() const {
    if (type_code_ == kTVMNullptr) return NDArray();
    Expect(type_code_ == kTVMNDArrayHandle, "NDArray");
    return NDArray::FromContainerHandle(static_cast<DLTensor*>(value_.v_handle));
  }
  operator Module() const {
    if (type_code_ == kTVMNullptr) return Module();
    Expect(type_code_ == kTVMModuleHandle, "Module");
    return Module(GetObjectPtr<Object>(static_cast<Object*>(value_.v_handle)));
  }
  operator PackedFunc() const {
    if (type_code_ == kTVMNullptr) return PackedFunc();
    Expect(type_code_ == kTVMPackedFuncHandle, "PackedFunc");
    return PackedFunc(GetObjectPtr<Object>(static_cast<Object*>(value_.v_handle)));
  }
  /*! \brief Whether the value is None. */
  bool IsNull() const { return type_code_ == kTVMNullptr; }
  /*! \brief The value as a plain ObjectRef (NDArray, Module and PackedFunc included). */
  TVM_DLL ObjectRef AsObjectRef() const;
  /*! \brief Whether the value holds an object whose type is T (or derives from it). */
  template <typename T>
  bool IsObjectRef() const;

 protected:
  TVMPODValue_() : type_code_(kTVMNullptr) { value_.v_handle = nullptr; }
  TVMPODValue_(TVMValue value, int type_code) : value_(value), type_code_(type_code) {}
  void Expect(bool ok, const char* expected) const {
    if (!ok) ThrowTypeMismatch(expected);
  }
  [[noreturn]] TVM_DLL void ThrowTypeMismatch(const std::string& expected) const;

  TVMValue value_;
  int type_code_;
};

/*! \brief One argument of a packed call (not owned). */
class TVMArgValue : public TVMPODValue_ {
 public:
  TVMArgValue() = default;
  TVMArgValue(TVMValue value, int type_code) : TVMPODValue_(value, type_code) {}

  using TVMPODValue_::operator int64_t;
  using TVMPODValue_::operator uint64_t;
  using TVMPODValue_::operator int;
  using TVMPODValue_::operator bool;
  using TVMPODValue_::operator double;
  using TVMPODValue_::operator void*;
  using TVMPODValue_::operator DLTensor*;
  using TVMPODValue_::operator DLDevice;
  using TVMPODValue_::operator NDArray;
  using TVMPODValue_::operator Module;
  using TVMPODValue_::operator PackedFunc;

  TVM_DLL operator std::string() const;
  TVM_DLL operator DLDataType() const;
  operator DataType() const { return DataType(operator DLDataType()); }
  const char* ptr_str() const {
    Expect(type_code_ == kTVMStr, "str");
    return value_.v_str;
  }
  /*! \brief Convert to T with the same checks as a TypedPackedFunc argument. */
  template <typename T>
  T AsType() const;
  template <typename T, typename = std::enable_if_t<std::is_base_of_v<ObjectRef, T> &&
                                                    !std::is_same_v<T, NDArray> &&
                                                    !std::is_same_v<T, Module> &&
                                                    !std::is_same_v<T, PackedFunc>>>
  operator T() const {
    return AsType<T>();
  }
};

/*! \brief An owning return value of a packed call. */
class TVM_DLL TVMRetValue : public TVMPODValue_ {
 public:
  TVMRetValue() = default;
  TVMRetValue(const TVMRetValue& other) : TVMPODValue_() { Assign(other); }
  TVMRetValue(TVMRetValue&& other) noexcept : TVMPODValue_(other.value_, other.type_code_) {
    other.type_code_ = kTVMNullptr;
  }
  ~TVMRetValue() { Clear(); }

  using TVMPODValue_::operator int64_t;
  using TVMPODValue_::operator uint64_t;
  using TVMPODValue_::operator int;
  using TVMPODValue_::operator bool;
  using TVMPODValue_::operator double;
  using TVMPODValue_::operator void*;
  using TVMPODValue_::operator DLTensor*;
  using TVMPODValue_::operator DLDevice;
  using TVMPODValue_::operator NDArray;
  using TVMPODValue_::operator Module;
  using TVMPODValue_::operator PackedFunc;

  operator std::string() const;
  operator DLDataType() const;
  operator DataType() const { return DataType(operator DLDataType()); }
  /*! \brief A borrowed view of this value as an argument (valid while this value lives). */
  TVMArgValue AsArgValue() const;
  template <typename T>
  T AsType() const {
    return AsArgValue().AsType<T>();
  }
  template <typename T, typename = std::enable_if_t<std::is_base_of_v<ObjectRef, T> &&
                                                    !std::is_same_v<T, NDArray> &&
                                                    !std::is_same_v<T, Module> &&
                                                    !std::is_same_v<T, PackedFunc>>>
  operator T() const {
    return AsType<T>();
  }

  TVMRetValue& operator=(const TVMRetValue& other) {
    if (this != &other) {
      TVMRetValue tmp(other);
      Swap(tmp);
    }
    return *this;
  }
  TVMRetValue& operator=(TVMRetValue&& other) noexcept {
    TVMRetValue tmp(std::move(other));
    Swap(tmp);
    return *this;
  }
  TVMRetValue& operator=(std::nullptr_t) {
    Clear();
    return *this;
  }
  TVMRetValue& operator=(int64_t v) {
    SetPOD(kDLInt).v_int64 = v;
    return *this;
  }
  TVMRetValue& operator=(int v) { return operator=(static_cast<int64_t>(v)); }
  TVMRetValue& operator=(uint64_t v) { return operator=(static_cast<int64_t>(v)); }
  TVMRetValue& operator=(bool v) { return operator=(static_cast<int64_t>(v)); }
  TVMRetValue& operator=(double v) {
    SetPOD(kDLFloat).v_float64 = v;
    return *this;
  }
  TVMRetValue& operator=(void* v) {
    if (v == nullptr) return operator=(nullptr);
    SetPOD(kTVMOpaqueHandle).v_handle = v;
    return *this;
  }
  TVMRetValue& operator=(DLDevice v) {
    SetPOD(kDLDevice).v_device = v;
    return *this;
  }
  TVMRetValue& operator=(DLDataType v) {
    SetPOD(kTVMDataType).v_type = v;
    return *this;
  }
  TVMRetValue& operator=(DataType v) { return operator=(static_cast<DLDataType>(v)); }
  TVMRetValue& operator=(std::string v);
  TVMRetValue& operator=(const char* v) { return operator=(std::string(v)); }
  TVMRetValue& operator=(TVMByteArray v);
  TVMRetValue& operator=(const TVMArgValue& v);
  /*! \brief Store any object; NDArray, Module and PackedFunc keep their own codes. */
  TVMRetValue& operator=(ObjectRef v);

  /*! \brief Hand the value to C: ownership of any object or string moves to the caller. */
  void MoveToCHost(TVMValue* ret_value, int* ret_type_code);
  /*! \brief Take a value that C returned (the inverse of MoveToCHost). */
  static TVMRetValue MoveFromCHost(TVMValue value, int type_code);

 private:
  TVMValue& SetPOD(int code) {
    Clear();
    type_code_ = code;
    return value_;
  }
  void Assign(const TVMRetValue& other);
  void Clear();
  void Swap(TVMRetValue& other) noexcept {
    std::swap(value_, other.value_);
    std::swap(type_code_, other.type_code_);
  }
};

inline TVMArgValue TVMArgs::operator[](int i) const {
  TVM_CHECK(i >= 0 && i < num_args, "IndexError")
      << "not enough arguments: asked for argument " << i << " of " << num_args;
  return TVMArgValue(values[i], type_codes[i]);
}

inline void PackedFunc::CallPacked(TVMArgs args, TVMRetValue* rv) const {
  TVM_CHECK(defined(), "TVMError") << "calling a null PackedFunc";
  (*this)->CallPacked(args, rv);
}

// ---------------------------------------------------------------------------
// Converting values to C++ types.

template <typename T>
inline bool TVMPODValue_::IsObjectRef() const {
  using Node = typename T::ContainerType;
  if (type_code_ == kTVMNullptr) return T::_type_is_nullable;
  if (type_code_ == kTVMNDArrayHandle) return std::is_base_of_v<Node, NDArray::Container>;
  if (type_code_ == kTVMModuleHandle || type_code_ == kTVMPackedFuncHandle ||
      type_code_ == kTVMObjectHandle) {
    return static_cast<Object*>(value_.v_handle)->IsInstance<Node>();
  }
  return false;
}

/*! \brief The default: an object of type T (None allowed for nullable T). */
template <typename T, typename>
struct PackedFuncValueConverter {
  static_assert(std::is_base_of_v<ObjectRef, T>, "no conversion from a packed value to this type");
  static T From(const TVMArgValue& v) {
    // Strings are objects too: a str passes for String and for ObjectRef.
    if constexpr (std::is_base_of_v<T, String>) {
      if (v.type_code() == kTVMStr || v.type_code() == kTVMBytes) return String(v.operator std::string());
    }
    // None for a container is the empty container: our Array and Map are
    // never null, so a null one would crash the first size() or iteration.
    if constexpr (std::is_same_v<typename T::ContainerType, ArrayNode> ||
                  std::is_same_v<typename T::ContainerType, MapNode>) {
      if (v.IsNull()) return T();
    }
    if (!v.IsObjectRef<T>()) {
      throw Error("TypeError", std::string("expected ") + T::ContainerType::_type_key +
                                   " but got " + v.TypeName());
    }
    if constexpr (std::is_same_v<T, ObjectRef>) {
      return v.AsObjectRef();
    } else {
      return Downcast<T>(v.AsObjectRef());
    }
  }
};

template <typename T>
struct PackedFuncValueConverter<std::optional<T>> {
  static std::optional<T> From(const TVMArgValue& v) {
    if (v.IsNull()) return std::nullopt;
    return v.AsType<T>();
  }
};

template <typename T>
inline T TVMArgValue::AsType() const {
  using U = std::remove_cv_t<std::remove_reference_t<T>>;
  if constexpr (std::is_same_v<U, TVMArgValue>) {
    return *this;
  } else if constexpr (std::is_same_v<U, bool>) {
    return operator bool();
  } else if constexpr (std::is_integral_v<U>) {
    int64_t v = operator int64_t();
    TVM_CHECK(static_cast<int64_t>(static_cast<U>(v)) == v, "ValueError")
        << "int " << v << " is out of range for the parameter";
    return static_cast<U>(v);
  } else if constexpr (std::is_floating_point_v<U>) {
    return static_cast<U>(operator double());
  } else if constexpr (std::is_same_v<U, std::string>) {
    return operator std::string();
  } else if constexpr (std::is_same_v<U, DataType>) {
    return operator DataType();
  } else if constexpr (std::is_same_v<U, DLDataType>) {
    return operator DLDataType();
  } else if constexpr (std::is_same_v<U, DLDevice>) {
    return operator DLDevice();
  } else if constexpr (std::is_same_v<U, void*>) {
    return operator void*();
  } else if constexpr (std::is_same_v<U, DLTensor*>) {
    return operator DLTensor*();
  } else if constexpr (std::is_same_v<U, NDArray>) {
    return operator NDArray();
  } else if constexpr (std::is_same_v<U, Module>) {
    return operator Module();
  } else if constexpr (std::is_same_v<U, PackedFunc>) {
    return operator PackedFunc();
  } else {
    return PackedFuncValueConverter<U>::From(*this);
  }
}

// ---------------------------------------------------------------------------
// Calling a PackedFunc from C++.

/*! \brief Fills one slot of the argument arrays from a C++ value. */
class TVMArgsSetter {
 public:
  TVMArgsSetter(TVMValue* values, int* type_codes) : values_(values), type_codes_(type_codes) {}

  template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
  void operator()(size_t i, T value) const {
    values_[i].v_int64 = static_cast<int64_t>(value);
    type_codes_[i] = kDLInt;
  }
  void operator()(size_t i, double value) const {
    values_[i].v_float64 = value;
    type_codes_[i] = kDLFloat;
  }
  void operator()(size_t i, float value) const { operator()(i, static_cast<double>(value)); }
  void operator()(size_t i, std::nullptr_t) const {
    values_[i].v_handle = nullptr;
    type_codes_[i] = kTVMNullptr;
  }
  void operator()(size_t i, void* value) const {
    values_[i].v_handle = value;
    type_codes_[i] = value == nullptr ? kTVMNullptr : kTVMOpaqueHandle;
  }
  void operator()(size_t i, DLTensor* value) const {
    values_[i].v_handle = value;
    type_codes_[i] = value == nullptr ? kTVMNullptr : kTVMDLTensorHandle;
  }
  void operator()(size_t i, DLDevice value) const {
    values_[i].v_device = value;
    type_codes_[i] = kDLDevice;
  }
  void operator()(size_t i, DLDataType value) const {
    values_[i].v_type = value;
    type_codes_[i] = kTVMDataType;
  }
  void operator()(size_t i, DataType value) const { operator()(i, static_cast<DLDataType>(value)); }
  void operator()(size_t i, const char* value) const {
    values_[i].v_str = value;
    type_codes_[i] = kTVMStr;
  }
  void operator()(size_t i, const std::string& value) const { operator()(i, value.c_str()); }
  void operator()(size_t i, const TVMByteArray& value) const {
    values_[i].v_handle = const_cast<TVMByteArray*>(&value);
    type_codes_[i] = kTVMBytes;
  }
  void operator()(size_t i, const TVMArgValue& value) const {
    values_[i] = value.value();
    type_codes_[i] = value.type_code();
  }
  void operator()(size_t i, const TVMRetValue& value) const { operator()(i, value.AsArgValue()); }
  void operator()(size_t i, const ObjectRef& value) const {
    const Object* obj = value.get();
    if (obj == nullptr) {
      operator()(i, nullptr);
    } else if (obj->IsInstance<NDArray::Container>()) {
      values_[i].v_handle = const_cast<DLTensor*>(&static_cast<const NDArray::Container*>(obj)->dl_tensor);
      type_codes_[i] = kTVMNDArrayHandle;
    } else {
      values_[i].v_handle = const_cast<Object*>(obj);
      type_codes_[i] = obj->IsInstance<ModuleNode>()       ? kTVMModuleHandle
                       : obj->IsInstance<PackedFuncObj>() ? kTVMPackedFuncHandle
                                                          : kTVMObjectHandle;
    }
  }

 private:
  TVMValue* values_;
  int* type_codes_;
};

template <typename... Args>
inline TVMRetValue PackedFunc::operator()(Args&&... args) const {
  constexpr size_t kNum = sizeof...(Args);
  TVMValue values[kNum > 0 ? kNum : 1];
  int codes[kNum > 0 ? kNum : 1];
  TVMArgsSetter setter(values, codes);
  size_t i = 0;
  (setter(i++, std::forward<Args>(args)), ...);
  TVMRetValue rv;
  CallPacked(TVMArgs(values, codes, static_cast<int>(kNum)), &rv);
  return rv;
}

// ---------------------------------------------------------------------------
// TypedPackedFunc: a PackedFunc with a C++ signature.

namespace detail {
/*! \brief Prefix an argument conversion error with the function and argument index. */
[[noreturn]] TVM_DLL void RethrowArgError(const std::string& func_name, int index,
                                          const std::string& sig, const Error& e);
TVM_DLL std::string ArgCountMessage(const std::string& func_name, int expected, int got);

template <typename T>
inline T ConvertArg(const TVMArgs& args, int i, const std::string& name) {
  try {
    return args[i].AsType<T>();
  } catch (const Error& e) {
    RethrowArgError(name, i, "", e);
  }
}

template <typename R, typename... Args, typename F, size_t... I>
inline void UnpackCall(const F& f, const std::string& name, const TVMArgs& args, TVMRetValue* rv,
                       std::index_sequence<I...>) {
  if (args.size() != static_cast<int>(sizeof...(Args))) {
    throw Error("TypeError", ArgCountMessage(name, sizeof...(Args), args.size()));
  }
  if constexpr (std::is_void_v<R>) {
    f(ConvertArg<std::remove_cv_t<std::remove_reference_t<Args>>>(args, I, name)...);
  } else {
    *rv = R(f(ConvertArg<std::remove_cv_t<std::remove_reference_t<Args>>>(args, I, name)...));
  }
}
}  // namespace detail

template <typename FType>
class TypedPackedFunc;

template <typename R, typename... Args>
class TypedPackedFunc<R(Args...)> {
 public:
  TypedPackedFunc() = default;
  TypedPackedFunc(std::nullptr_t) {}  // NOLINT(*)
  /*! \brief Wrap a packed function (no checks until it is called). */
  TypedPackedFunc(PackedFunc packed) : packed_(std::move(packed)) {}  // NOLINT(*)
  /*! \brief Wrap a C++ callable; `name` appears in argument errors. */
  template <typename F, typename = std::enable_if_t<std::is_invocable_r_v<R, F, Args...> &&
                                                    !std::is_same_v<std::decay_t<F>, PackedFunc>>>
  TypedPackedFunc(F f, std::string name = "<anonymous>") {  // NOLINT(*)
    packed_ = PackedFunc([f = std::move(f), name = std::move(name)](TVMArgs args, TVMRetValue* rv) {
      detail::UnpackCall<R, Args...>(f, name, args, rv, std::index_sequence_for<Args...>());
    });
  }

  R operator()(Args... args) const {
    if constexpr (std::is_void_v<R>) {
      packed_(std::forward<Args>(args)...);
    } else {
      return packed_(std::forward<Args>(args)...).template AsType<R>();
    }
  }
  operator PackedFunc() const { return packed_; }  // NOLINT(*)
  const PackedFunc& packed() const { return packed_; }
  bool defined() const { return packed_.defined(); }
  bool operator==(std::nullptr_t) const { return !defined(); }
  bool operator!=(std::nullptr_t) const { return defined(); }

 private:
  PackedFunc packed_;
};

template <typename FType>
struct PackedFuncValueConverter<TypedPackedFunc<FType>> {
  static TypedPackedFunc<FType> From(const TVMArgValue& v) { return TypedPackedFunc<FType>(v.operator PackedFunc()); }
};

}  // namespace runtime

using runtime::PackedFunc;
using runtime::TVMArgs;
using runtime::TVMArgValue;
using runtime::TVMRetValue;
using runtime::TypedPackedFunc;

}  // namespace tvm
#endif  // TVM_RUNTIME_PACKED_FUNC_H_
