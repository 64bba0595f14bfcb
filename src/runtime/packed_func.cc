/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Packed values: conversions, ownership of return values, and the C entry
// points that call packed functions.
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <string>

#include "c_api_common.h"

namespace tvm {
namespace runtime {

const char* ArgTypeCode2Str(int type_code) {
  switch (type_code) {
    case kDLInt: return "int";
    case kDLUInt: return "uint";
    case kDLFloat: return "float";
    case kTVMStr: return "str";
    case kTVMBytes: return "bytes";
    case kTVMOpaqueHandle: return "handle";
    case kTVMNullptr: return "None";
    case kTVMDLTensorHandle: return "DLTensor*";
    case kTVMDataType: return "DataType";
    case kDLDevice: return "Device";
    case kTVMPackedFuncHandle: return "PackedFunc";
    case kTVMModuleHandle: return "Module";
    case kTVMNDArrayHandle: return "NDArray";
    case kTVMObjectHandle: return "Object";
    case kTVMObjectRValueRefArg: return "ObjectRValueRef";
    default: return "<unknown type code>";
  }
}

[[maybe_unused]] static const uint32_t kPackedFuncTypeIndex = TypeIndexOf<PackedFuncObj>();

void PackedFuncObj::CallPacked(TVMArgs args, TVMRetValue* rv) const { body_(args, rv); }

std::string TVMPODValue_::TypeName() const {
  if (type_code_ == kTVMObjectHandle && value_.v_handle != nullptr) {
    return static_cast<Object*>(value_.v_handle)->GetTypeKey();
  }
  return ArgTypeCode2Str(type_code_);
}

void TVMPODValue_::ThrowTypeMismatch(const std::string& expected) const {
  throw Error("TypeError", "expected " + expected + " but got " + TypeName());
}

ObjectRef TVMPODValue_::AsObjectRef() const {
  switch (type_code_) {
    case kTVMNullptr:
      return ObjectRef();
    case kTVMObjectHandle:
    case kTVMModuleHandle:
    case kTVMPackedFuncHandle:
      return ObjectRef(GetObjectPtr<Object>(static_cast<Object*>(value_.v_handle)));
    case kTVMNDArrayHandle:
      return NDArray::FromContainerHandle(static_cast<DLTensor*>(value_.v_handle));
    case kTVMStr:
      return String(value_.v_str);
    case kTVMBytes: {
      const auto* arr = static_cast<const TVMByteArray*>(value_.v_handle);
      return String(std::string(arr->data, arr->size));
    }
    default:
      ThrowTypeMismatch("Object");
  }
}

TVMArgValue::operator std::string() const {
  if (type_code_ == kTVMStr) return value_.v_str;
  if (type_code_ == kTVMBytes) {
    const auto* arr = static_cast<const TVMByteArray*>(value_.v_handle);
    return std::string(arr->data, arr->size);
  }
  if (type_code_ == kTVMObjectHandle) {
    if (const auto* s = static_cast<Object*>(value_.v_handle); s->IsInstance<StringObj>()) {
      return static_cast<const StringObj*>(s)->data;
    }
  }
  ThrowTypeMismatch("str");
}

TVMArgValue::operator DLDataType() const {
  if (type_code_ == kTVMDataType) return value_.v_type;
  if (type_code_ == kTVMNullptr) return DataType::Void();
  // Strings name types: "float32".
  if (type_code_ == kTVMStr || type_code_ == kTVMBytes || type_code_ == kTVMObjectHandle) {
    return String2DLDataType(operator std::string());
  }
  ThrowTypeMismatch("DataType");
}

// ---------------------------------------------------------------------------
// TVMRetValue

namespace {
/*! \brief How a return value owns a string or bytes: the data and a view for kTVMBytes. */
struct StringStore {
  std::string data;
  TVMByteArray view;
  explicit StringStore(std::string s) : data(std::move(s)) { view = TVMByteArray{data.data(), data.size()}; }
};
}  // namespace

TVMArgValue TVMRetValue::AsArgValue() const {
  if (type_code_ == kTVMStr || type_code_ == kTVMBytes) {
    auto* store = static_cast<StringStore*>(value_.v_handle);
    TVMValue v;
    if (type_code_ == kTVMStr) {
      v.v_str = store->data.c_str();
    } else {
      v.v_handle = &store->view;
    }
    return TVMArgValue(v, type_code_);
  }
  return TVMArgValue(value_, type_code_);
}

TVMRetValue::operator std::string() const { return AsArgValue().operator std::string(); }
TVMRetValue::operator DLDataType() const { return AsArgValue().operator DLDataType(); }

void TVMRetValue::Clear() {
  switch (type_code_) {
    case kTVMStr:
    case kTVMBytes:
      delete static_cast<StringStore*>(value_.v_handle);
      break;
    case kTVMObjectHandle:
    case kTVMModuleHandle:
    case kTVMPackedFuncHandle:
      ObjectInternal::DecRef(static_cast<Object*>(value_.v_handle));
      break;
    case kTVMNDArrayHandle: {
      NDArray arr = NDArray::FromContainerHandle(static_cast<DLTensor*>(value_.v_handle));
      ObjectInternal::DecRef(const_cast<Object*>(arr.get()));
      break;
    }
    default:
      break;
  }
  type_code_ = kTVMNullptr;
  value_.v_handle = nullptr;
}

void TVMRetValue::Assign(const TVMRetValue& other) {
  switch (other.type_code_) {
    case kTVMStr:
    case kTVMBytes:
      SetPOD(other.type_code_).v_handle = new StringStore(static_cast<StringStore*>(other.value_.v_handle)->data);
      break;
    case kTVMObjectHandle:
    case kTVMModuleHandle:
    case kTVMPackedFuncHandle:
    case kTVMNDArrayHandle:
      operator=(other.AsObjectRef());
      break;
    default:
      SetPOD(other.type_code_) = other.value_;
      break;
  }
}

TVMRetValue& TVMRetValue::operator=(std::string v) {
  auto* s = new StringStore(std::move(v));
  SetPOD(kTVMStr).v_handle = s;
  return *this;
}

TVMRetValue& TVMRetValue::operator=(TVMByteArray v) {
  auto* s = new StringStore(std::string(v.data, v.size));
  SetPOD(kTVMBytes).v_handle = s;
  return *this;
}

TVMRetValue& TVMRetValue::operator=(const TVMArgValue& v) {
  switch (v.type_code()) {
    case kTVMStr:
      return operator=(std::string(v.value().v_str));
    case kTVMBytes:
      return operator=(*static_cast<const TVMByteArray*>(v.value().v_handle));
    case kTVMObjectHandle:
    case kTVMModuleHandle:
    case kTVMPackedFuncHandle:
    case kTVMNDArrayHandle:
      return operator=(v.AsObjectRef());
    case kTVMDLTensorHandle:
      throw Error("TypeError", "cannot return a borrowed DLTensor*; return an NDArray instead");
    default:
      SetPOD(v.type_code()) = v.value();
      return *this;
  }
}

TVMRetValue& TVMRetValue::operator=(ObjectRef v) {
  if (!v.defined()) return operator=(nullptr);
  Object* obj = ObjectInternal::Release(&v);  // we now own one reference
  Clear();
  if (obj->IsInstance<NDArray::Container>()) {
    type_code_ = kTVMNDArrayHandle;
    value_.v_handle = &static_cast<NDArray::Container*>(obj)->dl_tensor;
  } else {
    type_code_ = obj->IsInstance<ModuleNode>()       ? kTVMModuleHandle
                 : obj->IsInstance<PackedFuncObj>() ? kTVMPackedFuncHandle
                                                    : kTVMObjectHandle;
    value_.v_handle = obj;
  }
  return *this;
}

void TVMRetValue::MoveToCHost(TVMValue* ret_value, int* ret_type_code) {
  *ret_value = value_;
  *ret_type_code = type_code_;
  type_code_ = kTVMNullptr;
  value_.v_handle = nullptr;
}

TVMRetValue TVMRetValue::MoveFromCHost(TVMValue value, int type_code) {
  TVMRetValue rv;
  switch (type_code) {
    case kTVMStr:
      // C hands out borrowed strings; take a copy.
      rv = std::string(value.v_str);
      break;
    case kTVMBytes:
      rv = *static_cast<const TVMByteArray*>(value.v_handle);
      break;
    case kTVMObjectHandle:
    case kTVMModuleHandle:
    case kTVMPackedFuncHandle:
    case kTVMNDArrayHandle:
      rv.value_ = value;
      rv.type_code_ = type_code;
      break;
    default:
      rv.SetPOD(type_code) = value;
      break;
  }
  return rv;
}

namespace detail {

void RethrowArgError(const std::string& func_name, int index, const std::string& sig, const Error& e) {
  throw Error(e.kind(), func_name + ": argument " + std::to_string(index) + ": " + e.what());
}

std::string ArgCountMessage(const std::string& func_name, int expected, int got) {
  return func_name + " expects " + std::to_string(expected) + " argument" + (expected == 1 ? "" : "s") +
         " but got " + std::to_string(got);
}

}  // namespace detail
}  // namespace runtime
}  // namespace tvm

using namespace tvm::runtime;  // NOLINT(*)

extern "C" {

int TVMFuncFree(TVMFunctionHandle func) {
  API_BEGIN();
  if (func != nullptr) ObjectInternal::DecRef(static_cast<Object*>(func));
  API_END();
}

int TVMFuncCall(TVMFunctionHandle func, TVMValue* args, int* arg_type_codes, int num_args,
                TVMValue* ret_val, int* ret_type_code) {
  API_BEGIN();
  TVM_CHECK(func != nullptr, "ValueError") << "calling a null function handle";
  TVMRetValue rv;
  static_cast<const PackedFuncObj*>(func)->CallPacked(TVMArgs(args, arg_type_codes, num_args), &rv);
  if (rv.type_code() == kTVMStr || rv.type_code() == kTVMBytes) {
    // Strings are returned through thread-local storage valid until the next call.
    thread_local std::string ret_str;
    thread_local TVMByteArray ret_bytes;
    ret_str = rv.operator std::string();
    if (rv.type_code() == kTVMStr) {
      ret_val->v_str = ret_str.c_str();
    } else {
      ret_bytes.data = ret_str.data();
      ret_bytes.size = ret_str.size();
      ret_val->v_handle = &ret_bytes;
    }
    *ret_type_code = rv.type_code();
  } else {
    rv.MoveToCHost(ret_val, ret_type_code);
  }
  API_END();
}

int TVMCFuncSetReturn(TVMRetValueHandle ret, TVMValue* value, int* type_code, int num_ret) {
  API_BEGIN();
  TVM_CHECK(num_ret == 1, "ValueError") << "TVMCFuncSetReturn supports one return value, got " << num_ret;
  *static_cast<TVMRetValue*>(ret) = TVMArgValue(value[0], type_code[0]);
  API_END();
}

int TVMFuncCreateFromCFunc(TVMPackedCFunc func, void* resource_handle, TVMPackedCFuncFinalizer fin,
                           TVMFunctionHandle* out) {
  API_BEGIN();
  std::shared_ptr<void> resource(resource_handle, [fin](void* p) {
    if (fin != nullptr) fin(p);
  });
  PackedFunc f([func, resource](TVMArgs args, TVMRetValue* rv) {
    int ret = func(const_cast<TVMValue*>(args.values), const_cast<int*>(args.type_codes), args.num_args,
                   rv, resource.get());
    if (ret != 0) throw LastError();
  });
  *out = ObjectInternal::Release(&f);
  API_END();
}

}  // extern "C"
