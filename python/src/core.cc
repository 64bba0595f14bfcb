/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file core.cc
 * \brief tvm._core: the only binding between Python and C++.
 *
 * Python sees three things: opaque object handles, packed-function calls, and
 * a few helpers (DLPack capsules, NDArray bytes). Everything else - IR
 * constructors, attribute access, passes - is a registered global function
 * called through the same path, so adding a C++ feature needs no binding code.
 *
 * Value conversions (Python -> packed):
 *   None, bool, int, float, str, bytes, tvm objects (by handle), Device,
 *   DataType, list/tuple -> Array, dict -> Map, callables -> PackedFunc,
 *   anything with __dlpack__ (numpy, torch) -> NDArray without a copy.
 * and back (packed -> Python): the Python class registered for the object's
 * type key, or its closest registered ancestor.
 */
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <tvm/ir/expr.h>
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace py = pybind11;

namespace tvm {
namespace python {

using runtime::DataType;
using runtime::Error;
using runtime::NDArray;
using runtime::ObjectInternal;
using runtime::PackedFunc;
using runtime::TVMArgs;
using runtime::TVMArgValue;
using runtime::TVMRetValue;

/*! \brief An opaque reference held by every Python tvm.runtime.Object. */
struct ObjectHandle {
  ObjectRef ref;
};

/*! \brief Python classes the conversions need, installed by tvm._ffi at import. */
struct PyHooks {
  py::object object_base;     // tvm.runtime.Object
  py::object device_cls;      // tvm.runtime.Device
  py::object dtype_cls;       // tvm.runtime.DataType
  py::object raise_error;     // f(kind, message) -> raises the matching Python exception
  py::object void_p;          // ctypes.c_void_p
  std::unordered_map<uint32_t, py::object> classes;  // type index -> Python class
  py::object default_cls;     // class for objects with no registered class
};

PyHooks& Hooks() {
  static PyHooks* hooks = new PyHooks();  // leaked: lives until interpreter exit
  return *hooks;
}

// ---------------------------------------------------------------------------
// packed -> Python

py::object WrapObject(ObjectRef ref) {
  if (!ref.defined()) return py::none();
  if (const auto* s = ref.as<runtime::StringObj>()) return py::str(s->data);
  PyHooks& hooks = Hooks();
  uint32_t index = ref->type_index();
  py::object cls;
  while (true) {
    auto it = hooks.classes.find(index);
    if (it != hooks.classes.end()) {
      cls = it->second;
      break;
    }
    if (index == 0) {
      cls = hooks.default_cls;
      break;
    }
    index = Object::ParentTypeIndex(index);
  }
  py::object obj = cls.attr("__new__")(cls);
  obj.attr("handle") = py::cast(ObjectHandle{std::move(ref)});
  return obj;
}

py::object ToPython(const TVMRetValue& rv) {
  switch (rv.type_code()) {
    case kTVMNullptr: return py::none();
    case kDLInt: return py::int_(rv.operator int64_t());
    case kDLUInt: return py::int_(static_cast<uint64_t>(rv.value().v_int64));
    case kDLFloat: return py::float_(rv.operator double());
    case kTVMStr: return py::str(rv.operator std::string());
    case kTVMBytes: {
      std::string s = rv.operator std::string();
      return py::bytes(s);
    }
    case kTVMDataType: return Hooks().dtype_cls(runtime::DLDataType2String(rv.operator DLDataType()));
    case kDLDevice: {
      DLDevice dev = rv.operator DLDevice();
      return Hooks().device_cls(static_cast<int>(dev.device_type), dev.device_id);
    }
    case kTVMOpaqueHandle: return Hooks().void_p(reinterpret_cast<uintptr_t>(rv.value().v_handle));
    case kTVMObjectHandle:
    case kTVMModuleHandle:
    case kTVMPackedFuncHandle:
    case kTVMNDArrayHandle: return WrapObject(rv.AsObjectRef());
    default:
      throw Error("TypeError", std::string("cannot return a value of type ") +
                                   runtime::ArgTypeCode2Str(rv.type_code()) + " to Python");
  }
}

py::object ArgToPython(const TVMArgValue& v) {
  if (v.type_code() == kTVMDLTensorHandle) {
    // A borrowed tensor (e.g. from a compiled kernel): wrap without ownership.
    return WrapObject(NDArray::FromExternalDLTensor(*v.operator DLTensor*()));
  }
  TVMRetValue rv;
  rv = v;
  return ToPython(rv);
}

// ---------------------------------------------------------------------------
// Python -> packed

PackedFunc MakePyFunc(py::object func);
ObjectRef ToObject(py::handle h);

/*! \brief Keeps the temporaries of one call alive (strings, arrays made from lists). */
struct ArgStore {
  std::deque<std::string> strings;
  std::deque<TVMByteArray> bytes;
  std::vector<ObjectRef> objects;
};

void SetObjectArg(const ObjectRef& ref, TVMValue* value, int* code) {
  runtime::TVMArgsSetter(value, code)(0, ref);
}

bool IsObjectBase(py::handle h) {
  return PyObject_IsInstance(h.ptr(), Hooks().object_base.ptr()) == 1;
}

const ObjectRef& HandleOf(py::handle h) {
  py::object handle = h.attr("handle");
  return handle.cast<ObjectHandle&>().ref;
}

std::string PyTypeName(py::handle h) { return py::str(py::type::handle_of(h).attr("__name__")); }

/*! \brief A Python integer (or anything with __index__) as int64; OverflowError naming it otherwise. */
int64_t AsInt64(py::handle h) {
  py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0) {
    throw Error("OverflowError", "integer " + std::string(py::str(index)) + " does not fit in int64");
  }
  return v;
}

/*! \brief Convert a Python value into one packed argument. */
void ToPacked(py::handle h, TVMValue* value, int* code, ArgStore* store) {
  PyObject* p = h.ptr();
  if (p == Py_None) {
    value->v_handle = nullptr;
    *code = kTVMNullptr;
  } else if (PyBool_Check(p)) {
    value->v_int64 = p == Py_True;
    *code = kDLInt;
  } else if (PyLong_Check(p)) {
    value->v_int64 = AsInt64(h);
    *code = kDLInt;
  } else if (PyFloat_Check(p)) {
    value->v_float64 = PyFloat_AsDouble(p);
    *code = kDLFloat;
  } else if (PyUnicode_Check(p)) {
    store->strings.push_back(h.cast<std::string>());
    value->v_str = store->strings.back().c_str();
    *code = kTVMStr;
  } else if (PyBytes_Check(p) || PyByteArray_Check(p)) {
    // bytearray too: save_param_dict returns one, as in TVM.
    if (PyByteArray_Check(p)) {
      store->strings.emplace_back(PyByteArray_AsString(p), static_cast<size_t>(PyByteArray_Size(p)));
    } else {
      store->strings.emplace_back(PyBytes_AsString(p), static_cast<size_t>(PyBytes_Size(p)));
    }
    store->bytes.push_back(TVMByteArray{store->strings.back().data(), store->strings.back().size()});
    value->v_handle = &store->bytes.back();
    *code = kTVMBytes;
  } else if (IsObjectBase(h)) {
    SetObjectArg(HandleOf(h), value, code);
  } else if (py::isinstance<ObjectHandle>(h)) {
    SetObjectArg(h.cast<ObjectHandle&>().ref, value, code);
  } else if (PyObject_IsInstance(p, Hooks().device_cls.ptr()) == 1) {
    value->v_device = DLDevice{static_cast<DLDeviceType>(h.attr("device_type").cast<int>()),
                               h.attr("device_id").cast<int>()};
    *code = kDLDevice;
  } else if (PyObject_IsInstance(p, Hooks().dtype_cls.ptr()) == 1) {
    value->v_type = runtime::String2DLDataType(py::str(h));
    *code = kTVMDataType;
  } else if (PyIndex_Check(p) && !PyObject_HasAttrString(p, "__dlpack__")) {
    // numpy integer scalars
    value->v_int64 = AsInt64(h);
    *code = kDLInt;
  } else if (PyObject_HasAttrString(p, "__float__") && !PyObject_HasAttrString(p, "__dlpack__") &&
             !PyList_Check(p) && !PyTuple_Check(p)) {
    value->v_float64 = py::float_(py::reinterpret_borrow<py::object>(h)).cast<double>();
    *code = kDLFloat;
  } else {
    // Containers, callables and DLPack producers become objects.
    store->objects.push_back(ToObject(h));
    SetObjectArg(store->objects.back(), value, code);
  }
}

NDArray FromDLPackCapsule(py::handle capsule);

/*! \brief Convert a Python value into an object (for containers and object-typed arguments). */
ObjectRef ToObject(py::handle h) {
  PyObject* p = h.ptr();
  if (p == Py_None) return ObjectRef();
  if (IsObjectBase(h)) return HandleOf(h);
  if (py::isinstance<ObjectHandle>(h)) return h.cast<ObjectHandle&>().ref;
  if (PyBool_Check(p)) return Bool(p == Py_True);
  if (PyLong_Check(p)) return PrimExpr(AsInt64(h));
  if (PyIndex_Check(p) && !PyObject_HasAttrString(p, "__dlpack__")) {
    // numpy integer scalars keep their dtype (np.int64(1) -> int64 IntImm), as TVM's convert does
    if (PyObject_HasAttrString(p, "dtype")) {
      DataType dtype(runtime::String2DLDataType(py::str(h.attr("dtype"))));
      if (dtype.is_int() || dtype.is_uint()) return IntImm(dtype, AsInt64(h));
    }
    return PrimExpr(AsInt64(h));
  }
  if (PyFloat_Check(p)) return PrimExpr(PyFloat_AsDouble(p));
  if (PyUnicode_Check(p)) return String(h.cast<std::string>());
  if (PyList_Check(p) || PyTuple_Check(p)) {
    Array<ObjectRef> arr;
    for (py::handle item : py::reinterpret_borrow<py::sequence>(h)) arr.push_back(ToObject(item));
    return arr;
  }
  if (PyDict_Check(p)) {
    Map<ObjectRef, ObjectRef> map;
    for (auto kv : py::reinterpret_borrow<py::dict>(h)) map.Set(ToObject(kv.first), ToObject(kv.second));
    return map;
  }
  if (PyObject_HasAttrString(p, "__dlpack__")) {
    return FromDLPackCapsule(h.attr("__dlpack__")());
  }
  // tvm.runtime.ObjectGeneric (e.g. the ir_builder's BufferVar): stands for the object it names.
  if (PyObject_HasAttrString(p, "asobject")) return ToObject(h.attr("asobject")());
  if (PyObject_HasAttrString(p, "__float__")) return PrimExpr(py::float_(py::reinterpret_borrow<py::object>(h)).cast<double>());
  if (PyCallable_Check(p)) return MakePyFunc(py::reinterpret_borrow<py::object>(h));
  throw Error("TypeError", "cannot convert a Python " + PyTypeName(h) + " to a TVM object");
}

// ---------------------------------------------------------------------------
// Errors

/*! \brief Raise the Python exception matching a TVM error. */
[[noreturn]] void RaiseError(const Error& e) {
  Hooks().raise_error(e.kind(), std::string(e.what()));
  throw py::error_already_set();  // raise_error always raises; this keeps the compiler happy
}

/*! \brief The current Python exception as a TVM error (kind = the exception's class name). */
Error ErrorFromPython(py::error_already_set& err) {
  std::string kind = py::str(err.type().attr("__name__"));
  std::string msg = py::str(err.value());
  // Keep the Python traceback: the C++ side has no other way to show where it failed.
  try {
    py::object tb = py::module_::import("traceback");
    py::list lines = tb.attr("format_exception")(err.type(), err.value(), err.trace());
    std::string text;
    for (py::handle l : lines) text += py::str(l).cast<std::string>();
    msg += "\n" + text;
  } catch (...) {
  }
  if (kind.size() < 5 || kind.compare(kind.size() - 5, 5, "Error") != 0) {
    msg = kind + ": " + msg;
    kind = "TVMError";
  }
  return Error(kind, msg);
}

// ---------------------------------------------------------------------------
// Calls

py::object CallPacked(const PackedFunc& f, py::args args) {
  size_t n = args.size();
  std::vector<TVMValue> values(n > 0 ? n : 1);
  std::vector<int> codes(n > 0 ? n : 1);
  ArgStore store;
  TVMRetValue rv;
  try {
    for (size_t i = 0; i < n; ++i) {
      try {
        ToPacked(args[i], &values[i], &codes[i], &store);
      } catch (const Error& e) {
        throw Error(e.kind(), "argument " + std::to_string(i) + ": " + e.what());
      }
    }
    py::gil_scoped_release release;
    f.CallPacked(TVMArgs(values.data(), codes.data(), static_cast<int>(n)), &rv);
  } catch (const Error& e) {
    RaiseError(e);
  } catch (py::error_already_set&) {
    throw;
  } catch (const std::exception& e) {
    RaiseError(Error("InternalError", e.what()));
  }
  try {
    return ToPython(rv);
  } catch (const Error& e) {
    RaiseError(e);
  }
}

/*! \brief A PackedFunc that calls a Python callable (taking the GIL). */
PackedFunc MakePyFunc(py::object func) {
  // The callable must be released with the GIL held, possibly from a C++ thread.
  auto holder = std::shared_ptr<py::object>(new py::object(std::move(func)), [](py::object* p) {
    if (Py_IsInitialized()) {
      py::gil_scoped_acquire gil;
      delete p;
    }
  });
  return PackedFunc([holder](TVMArgs args, TVMRetValue* rv) {
    py::gil_scoped_acquire gil;
    try {
      py::tuple py_args(args.size());
      for (int i = 0; i < args.size(); ++i) py_args[i] = ArgToPython(args[i]);
      py::object result = (*holder)(*py_args);
      if (result.is_none()) return;
      TVMValue value;
      int code;
      ArgStore store;
      ToPacked(result, &value, &code, &store);
      *rv = TVMArgValue(value, code);
    } catch (py::error_already_set& err) {
      throw ErrorFromPython(err);
    }
  });
}

// ---------------------------------------------------------------------------
// DLPack

constexpr const char* kCapsuleName = "dltensor";
constexpr const char* kUsedCapsuleName = "used_dltensor";

NDArray FromDLPackCapsule(py::handle capsule) {
  PyObject* p = capsule.ptr();
  if (!PyCapsule_IsValid(p, kCapsuleName)) {
    throw Error("ValueError", "expected an unused DLPack capsule (named 'dltensor')");
  }
  auto* managed = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(p, kCapsuleName));
  NDArray arr = NDArray::FromDLPack(managed);
  PyCapsule_SetName(p, kUsedCapsuleName);
  PyCapsule_SetDestructor(p, nullptr);
  return arr;
}

void CapsuleDestructor(PyObject* capsule) {
  // Only an unconsumed capsule still owns its tensor.
  if (PyCapsule_IsValid(capsule, kCapsuleName)) {
    auto* managed = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(capsule, kCapsuleName));
    if (managed != nullptr && managed->deleter != nullptr) managed->deleter(managed);
  }
}

py::object ToDLPackCapsule(const NDArray& arr) {
  DLManagedTensor* managed = arr.ToDLPack();
  PyObject* capsule = PyCapsule_New(managed, kCapsuleName, CapsuleDestructor);
  if (capsule == nullptr) {
    managed->deleter(managed);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::object>(capsule);
}

template <typename F>
auto Guard(F f) {
  try {
    return f();
  } catch (const Error& e) {
    RaiseError(e);
  }
}

NDArray AsNDArray(const ObjectHandle& h) {
  if (!h.ref.defined() || !h.ref->IsInstance<NDArray::Container>()) {
    throw Error("TypeError", "expected an NDArray handle");
  }
  return Downcast<NDArray>(h.ref);
}

}  // namespace python
}  // namespace tvm

using namespace tvm::python;  // NOLINT(*)

PYBIND11_MODULE(_core, m) {
  m.doc() = "TVM core bindings: object handles, packed calls, DLPack";

  py::class_<ObjectHandle>(m, "ObjectHandle")
      .def_property_readonly("type_index", [](const ObjectHandle& h) {
        return h.ref.defined() ? h.ref->type_index() : 0u;
      })
      .def_property_readonly("type_key", [](const ObjectHandle& h) {
        return h.ref.defined() ? h.ref->GetTypeKey() : std::string("None");
      })
      .def_property_readonly("address", [](const ObjectHandle& h) {
        return reinterpret_cast<uintptr_t>(h.ref.get());
      })
      .def("same_as", [](const ObjectHandle& a, const ObjectHandle& b) { return a.ref.same_as(b.ref); })
      .def("use_count", [](const ObjectHandle& h) { return h.ref.use_count(); });

  m.def("set_hooks", [](py::object object_base, py::object default_cls, py::object device_cls,
                        py::object dtype_cls, py::object raise_error, py::object void_p) {
    PyHooks& hooks = Hooks();
    hooks.object_base = object_base;
    hooks.default_cls = default_cls;
    hooks.device_cls = device_cls;
    hooks.dtype_cls = dtype_cls;
    hooks.raise_error = raise_error;
    hooks.void_p = void_p;
  });

  m.def("register_object_class", [](const std::string& type_key, py::object cls) {
    uint32_t index = Guard([&] { return tvm::Object::TypeKey2Index(type_key); });
    Hooks().classes[index] = cls;
    return index;
  });

  m.def("type_key_to_index", [](const std::string& key) -> py::object {
    try {
      return py::int_(tvm::Object::TypeKey2Index(key));
    } catch (const Error&) {
      return py::none();
    }
  });

  m.def("call", [](const ObjectHandle& f, py::args args) {
    if (!f.ref.defined() || !f.ref->IsInstance<tvm::runtime::PackedFuncObj>()) {
      RaiseError(Error("TypeError", "call: not a PackedFunc handle"));
    }
    return CallPacked(PackedFunc(tvm::runtime::GetObjectPtr<tvm::Object>(const_cast<tvm::Object*>(f.ref.get()))),
                      args);
  });

  m.def("get_global_func", [](const std::string& name) -> py::object {
    const PackedFunc* f = tvm::runtime::Registry::Get(name);
    if (f == nullptr) return py::none();
    return py::cast(ObjectHandle{*f});
  });

  m.def("register_func", [](const std::string& name, py::object func, bool override) {
    Guard([&] {
      PackedFunc f;
      if (py::isinstance<ObjectHandle>(func)) {
        f = tvm::Downcast<PackedFunc>(func.cast<ObjectHandle&>().ref);
      } else {
        f = MakePyFunc(func);
      }
      tvm::runtime::Registry::Register(name, override).set_body(f);
      return 0;
    });
  });

  m.def("remove_global_func", [](const std::string& name) { return tvm::runtime::Registry::Remove(name); });
  m.def("list_global_func_names", []() { return tvm::runtime::Registry::ListNames(); });

  m.def("convert_to_object", [](py::object value) {
    return Guard([&] { return WrapObject(ToObject(value)); });
  });

  m.def("make_packed_func", [](py::object func) { return py::cast(ObjectHandle{MakePyFunc(func)}); });

  // NDArray helpers: allocation, metadata, bytes, DLPack.
  m.def("ndarray_empty", [](std::vector<int64_t> shape, const std::string& dtype, int device_type, int device_id) {
    return Guard([&] {
      DLDevice dev{static_cast<DLDeviceType>(device_type), device_id};
      return WrapObject(NDArray::Empty(shape, DataType(tvm::runtime::String2DLDataType(dtype)), dev));
    });
  });

  m.def("ndarray_info", [](const ObjectHandle& h) {
    return Guard([&] {
      NDArray arr = AsNDArray(h);
      const DLTensor* t = arr.operator->();
      py::tuple shape(t->ndim);
      for (int i = 0; i < t->ndim; ++i) shape[i] = py::int_(t->shape[i]);
      py::object strides = py::none();
      if (t->strides != nullptr) {
        py::tuple s(t->ndim);
        for (int i = 0; i < t->ndim; ++i) s[i] = py::int_(t->strides[i]);
        strides = s;
      }
      return py::make_tuple(reinterpret_cast<uintptr_t>(t->data), shape,
                            tvm::runtime::DLDataType2String(t->dtype), static_cast<int>(t->device.device_type),
                            t->device.device_id, strides, t->byte_offset);
    });
  });

  m.def("ndarray_copy_from_bytes", [](const ObjectHandle& h, py::buffer buffer) {
    Guard([&] {
      py::buffer_info info = buffer.request();
      NDArray arr = AsNDArray(h);
      size_t nbytes = static_cast<size_t>(info.size) * static_cast<size_t>(info.itemsize);
      arr.CopyFromBytes(info.ptr, nbytes);
      return 0;
    });
  });

  m.def("ndarray_copy_to_bytes", [](const ObjectHandle& h, py::buffer buffer) {
    Guard([&] {
      py::buffer_info info = buffer.request(true);
      NDArray arr = AsNDArray(h);
      size_t nbytes = static_cast<size_t>(info.size) * static_cast<size_t>(info.itemsize);
      arr.CopyToBytes(info.ptr, nbytes);
      return 0;
    });
  });

  m.def("ndarray_copy_from_to", [](const ObjectHandle& from, const ObjectHandle& to) {
    Guard([&] {
      AsNDArray(to).CopyFrom(AsNDArray(from));
      return 0;
    });
  });

  m.def("ndarray_create_view", [](const ObjectHandle& h, std::vector<int64_t> shape, const std::string& dtype) {
    return Guard([&] {
      return WrapObject(AsNDArray(h).CreateView(shape, DataType(tvm::runtime::String2DLDataType(dtype))));
    });
  });

  m.def("ndarray_is_aligned", [](const ObjectHandle& h, size_t alignment) {
    return Guard([&] { return AsNDArray(h).IsAligned(alignment); });
  });

  m.def("to_dlpack", [](const ObjectHandle& h) { return Guard([&] { return ToDLPackCapsule(AsNDArray(h)); }); });

  m.def("from_dlpack", [](py::object capsule) {
    return Guard([&] { return WrapObject(FromDLPackCapsule(capsule)); });
  });

  m.def("parse_dtype", [](const std::string& s) {
    DLDataType t;
    try {
      t = tvm::runtime::String2DLDataType(s);
    } catch (const Error& e) {
      throw py::value_error(e.what());
    }
    return py::make_tuple(static_cast<int>(t.code), static_cast<int>(t.bits), static_cast<int>(t.lanes));
  });

  m.def("device_exists", [](int device_type, int device_id) {
    return Guard([&] {
      return tvm::runtime::DeviceAPI::Exists(DLDevice{static_cast<DLDeviceType>(device_type), device_id});
    });
  });
}
