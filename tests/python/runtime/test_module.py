"""Modules loaded from shared libraries that export packed functions through the C ABI."""

import gc
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tvm

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]

# Packed functions written against include/tvm/runtime/c_runtime_api.h, the way generated code is:
# the library does not link the runtime; the loader fills in __TVMAPISetLastError after dlopen.
LIB_A_SOURCE = r"""
#include <tvm/runtime/c_runtime_api.h>
#include <stdint.h>

void (*__TVMAPISetLastError)(const char*) = 0;

static int64_t num_elements(const DLTensor* t) {
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

static float* f32_data(const DLTensor* t) { return (float*)((char*)t->data + t->byte_offset); }

static int check_f32(const DLTensor* t) {
  return t->dtype.code == kDLFloat && t->dtype.bits == 32 && t->dtype.lanes == 1 && t->strides == 0;
}

/* out[i] = in[i] + 1 over float32 */
int add_one(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  if (num_args != 2) {
    __TVMAPISetLastError("TypeError: add_one expects 2 arguments");
    return -1;
  }
  if (type_codes[0] != kTVMNDArrayHandle || type_codes[1] != kTVMNDArrayHandle) {
    __TVMAPISetLastError("TypeError: add_one expects two arrays");
    return -1;
  }
  DLTensor* in = (DLTensor*)args[0].v_handle;
  DLTensor* out = (DLTensor*)args[1].v_handle;
  if (!check_f32(in) || !check_f32(out)) {
    __TVMAPISetLastError("TypeError: add_one expects compact float32 arrays");
    return -1;
  }
  int64_t n = num_elements(in);
  if (n != num_elements(out)) {
    __TVMAPISetLastError("ValueError: add_one: input and output sizes differ");
    return -1;
  }
  float* x = f32_data(in);
  float* y = f32_data(out);
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] + 1.0f;
  return 0;
}

/* y = alpha * x + y, alpha a float argument */
int axpy(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  if (num_args != 3 || type_codes[2] != kDLFloat) {
    __TVMAPISetLastError("TypeError: axpy(x, y, alpha: float)");
    return -1;
  }
  DLTensor* x = (DLTensor*)args[0].v_handle;
  DLTensor* y = (DLTensor*)args[1].v_handle;
  float alpha = (float)args[2].v_float64;
  int64_t n = num_elements(x);
  for (int64_t i = 0; i < n; ++i) f32_data(y)[i] += alpha * f32_data(x)[i];
  return 0;
}

/* Returns an int: 1000 * num_args + the first int argument (if any). */
int answer(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  int64_t base = 0;
  if (num_args > 0 && type_codes[0] == kDLInt) base = args[0].v_int64;
  ret->v_int64 = 42 + 1000 * num_args + base;
  *ret_tcode = kDLInt;
  return 0;
}

/* Returns the sum of the elements of a float32 array, as a float. */
int sum_f32(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  DLTensor* x = (DLTensor*)args[0].v_handle;
  double s = 0;
  int64_t n = num_elements(x);
  for (int64_t i = 0; i < n; ++i) s += f32_data(x)[i];
  ret->v_float64 = s;
  *ret_tcode = kDLFloat;
  return 0;
}

/* Returns a (static) string. */
int greet(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  ret->v_str = "hello from C";
  *ret_tcode = kTVMStr;
  return 0;
}

/* Always fails with a ValueError. */
int fail(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  __TVMAPISetLastError("ValueError: bad shape");
  return -1;
}

/* Fails with a message that names no kind. */
int fail_plain(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  __TVMAPISetLastError("something went wrong in fail_plain");
  return -1;
}
"""

LIB_B_SOURCE = r"""
#include <tvm/runtime/c_runtime_api.h>
#include <stdint.h>

void (*__TVMAPISetLastError)(const char*) = 0;

/* In place: x[i] *= 2 over int32 */
int times_two(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  if (num_args != 1 || type_codes[0] != kTVMNDArrayHandle) {
    __TVMAPISetLastError("TypeError: times_two expects one array");
    return -1;
  }
  DLTensor* x = (DLTensor*)args[0].v_handle;
  int64_t n = 1;
  for (int i = 0; i < x->ndim; ++i) n *= x->shape[i];
  int32_t* d = (int32_t*)((char*)x->data + x->byte_offset);
  for (int64_t i = 0; i < n; ++i) d[i] *= 2;
  return 0;
}

int which_library(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  ret->v_int64 = 2;
  *ret_tcode = kDLInt;
  return 0;
}
"""

# A library that uses the backend API through the function pointers the loader fills in:
# calling packed functions, the module environment, the thread pool and workspaces.
LIB_BACKEND_SOURCE = r"""
#include <tvm/runtime/c_backend_api.h>
#include <stdint.h>

void* __tvm_module_ctx = 0;
void (*__TVMAPISetLastError)(const char*) = 0;
int (*__TVMFuncCall)(TVMFunctionHandle, TVMValue*, int*, int, TVMValue*, int*) = 0;
int (*__TVMBackendGetFuncFromEnv)(void*, const char*, TVMFunctionHandle*) = 0;
void* (*__TVMBackendAllocWorkspace)(int, int, uint64_t, int, int) = 0;
int (*__TVMBackendFreeWorkspace)(int, int, void*) = 0;
int (*__TVMBackendParallelLaunch)(FTVMParallelLambda, void*, int) = 0;
int (*__TVMBackendParallelBarrier)(int, TVMParallelGroupEnv*) = 0;

/* call_back(f, x) = f(x) + 1, f called through __TVMFuncCall */
int call_back(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  if (num_args != 2 || type_codes[0] != kTVMPackedFuncHandle) {
    __TVMAPISetLastError("TypeError: call_back expects (function, value)");
    return -1;
  }
  TVMValue r; int rc = kTVMNullptr;
  if (__TVMFuncCall(args[0].v_handle, &args[1], &type_codes[1], 1, &r, &rc) != 0) return -1;
  if (rc != kDLInt) { __TVMAPISetLastError("TypeError: callback must return an int"); return -1; }
  ret->v_int64 = r.v_int64 + 1;
  *ret_tcode = kDLInt;
  return 0;
}

/* env_call(name, x): look `name` up through the module environment and call it with x */
int env_call(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  TVMFunctionHandle h = 0;
  if (__TVMBackendGetFuncFromEnv(__tvm_module_ctx, args[0].v_str, &h) != 0) return -1;
  TVMValue r; int rc = kTVMNullptr;
  if (__TVMFuncCall(h, &args[1], &type_codes[1], 1, &r, &rc) != 0) return -1;
  *ret = r; *ret_tcode = rc;
  return 0;
}

typedef struct { const float* x; float* y; int64_t n; TVMFunctionHandle f; int32_t* hits; } Job;

static int add_one_task(int task_id, TVMParallelGroupEnv* penv, void* cdata) {
  Job* job = (Job*)cdata;
  int64_t chunk = (job->n + penv->num_task - 1) / penv->num_task;
  int64_t begin = task_id * chunk, end = begin + chunk < job->n ? begin + chunk : job->n;
  for (int64_t i = begin; i < end; ++i) job->y[i] = job->x[i] + 1.0f;
  job->hits[task_id] += 1;
  return 0;
}

/* parallel_add_one(x, y, num_task, hits): y = x + 1 in num_task tasks; hits[task] counts runs */
int parallel_add_one(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  DLTensor* x = (DLTensor*)args[0].v_handle;
  DLTensor* y = (DLTensor*)args[1].v_handle;
  DLTensor* hits = (DLTensor*)args[3].v_handle;
  Job job = {(const float*)x->data, (float*)y->data, x->shape[0], 0, (int32_t*)hits->data};
  return __TVMBackendParallelLaunch(add_one_task, &job, (int)args[2].v_int64);
}

static int callback_task(int task_id, TVMParallelGroupEnv* penv, void* cdata) {
  Job* job = (Job*)cdata;
  TVMValue a; int code = kDLInt; a.v_int64 = task_id;
  TVMValue r; int rc = kTVMNullptr;
  return __TVMFuncCall(job->f, &a, &code, 1, &r, &rc);
}

/* parallel_callback(f, num_task): calls f(task_id) from every task (worker threads) */
int parallel_callback(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  Job job = {0, 0, 0, args[0].v_handle, 0};
  return __TVMBackendParallelLaunch(callback_task, &job, (int)args[1].v_int64);
}

/* workspace(nbytes): allocate, fill, check, free; returns the pointer's address mod 64 */
int workspace(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  uint64_t n = (uint64_t)args[0].v_int64;
  unsigned char* p = (unsigned char*)__TVMBackendAllocWorkspace(1, 0, n, 2, 32);
  if (p == 0) return -1;
  for (uint64_t i = 0; i < n; ++i) p[i] = (unsigned char)i;
  for (uint64_t i = 0; i < n; ++i) if (p[i] != (unsigned char)i) { __TVMAPISetLastError("workspace corrupted"); return -1; }
  ret->v_int64 = (int64_t)((uintptr_t)p % 64);
  *ret_tcode = kDLInt;
  return __TVMBackendFreeWorkspace(1, 0, p);
}
"""

# Generated code names its entry function in `__tvm_main__`, a NUL-terminated char array
# (the symbol's address is the string), as TVM's code generators emit it.
LIB_MAIN_SOURCE = r"""
#include <tvm/runtime/c_runtime_api.h>

const char __tvm_main__[] = "entry";

int entry(TVMValue* args, int* type_codes, int num_args, TVMValue* ret, int* ret_tcode, void* resource) {
  ret->v_int64 = 7 * (num_args > 0 ? args[0].v_int64 : 1);
  *ret_tcode = kDLInt;
  return 0;
}
"""


def _dlpack_include_dirs():
    """Where dlpack/dlpack.h is: the build's CMake cache when known, and /usr/include."""
    dirs = []
    build = os.environ.get("TVM_LIBRARY_PATH")
    cache = pathlib.Path(build) / "CMakeCache.txt" if build else None
    if cache is not None and cache.is_file():
        for line in cache.read_text().splitlines():
            if line.startswith("DLPACK_INCLUDE_DIR:"):
                dirs.append(line.split("=", 1)[1])
    dirs.append("/usr/include")
    return dirs


def _compile(source, out_dir, name):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler (cc) to build the test library")
    src = out_dir / f"{name}.c"
    src.write_text(source)
    lib = out_dir / f"{name}.so"
    includes = [f"-I{REPO_ROOT / 'include'}"] + [f"-I{d}" for d in _dlpack_include_dirs()]
    cmd = [cc, "-shared", "-fPIC", "-O2", *includes, str(src), "-o", str(lib)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(cmd)}\n{result.stderr}"
    return lib


@pytest.fixture(scope="module")
def libs(tmp_path_factory):
    out = tmp_path_factory.mktemp("libs")
    return {
        "a": _compile(LIB_A_SOURCE, out, "lib_a"),
        "b": _compile(LIB_B_SOURCE, out, "lib_b"),
        "main": _compile(LIB_MAIN_SOURCE, out, "lib_main"),
        "backend": _compile(LIB_BACKEND_SOURCE, out, "lib_backend"),
    }


@pytest.fixture
def mod_a(libs):
    return tvm.runtime.load_module(str(libs["a"]))


def test_load_module_gives_library_module(mod_a):
    assert isinstance(mod_a, tvm.runtime.Module)
    assert mod_a.type_key == "library"
    assert mod_a.imported_modules == []


def test_load_module_accepts_pathlib_path(libs):
    mod = tvm.runtime.load_module(libs["a"])
    assert mod["answer"]() == 42


def test_add_one_matches_numpy(mod_a):
    x = np.random.default_rng(1).standard_normal((4, 33)).astype("float32")
    a = tvm.nd.array(x)
    b = tvm.nd.empty((4, 33), "float32")
    mod_a["add_one"](a, b)
    np.testing.assert_array_equal(b.numpy(), x + np.float32(1))
    # The input is untouched.
    np.testing.assert_array_equal(a.numpy(), x)


def test_get_function_is_the_same_function(mod_a):
    f = mod_a.get_function("add_one")
    assert isinstance(f, tvm.runtime.PackedFunc)
    a = tvm.nd.array(np.arange(5, dtype="float32"))
    b = tvm.nd.empty((5,), "float32")
    f(a, b)
    np.testing.assert_array_equal(b.numpy(), np.arange(1, 6, dtype="float32"))


def test_numpy_arrays_can_be_passed_directly(mod_a):
    x = np.linspace(-1, 1, 11, dtype="float32")
    y = np.zeros(11, dtype="float32")
    mod_a["add_one"](x, y)  # zero-copy through DLPack: the kernel writes into y
    np.testing.assert_array_equal(y, x + np.float32(1))


def test_float_argument_reaches_c(mod_a):
    x = np.arange(6, dtype="float32")
    y = np.full(6, 0.5, dtype="float32")
    ty = tvm.nd.array(y)
    mod_a["axpy"](tvm.nd.array(x), ty, 2.0)
    np.testing.assert_array_equal(ty.numpy(), np.float32(2.0) * x + y)


def test_int_return_value(mod_a):
    f = mod_a["answer"]
    assert f() == 42
    assert f(5) == 42 + 1000 + 5
    assert f(1, 2, 3) == 42 + 3000 + 1
    assert type(f()) is int


def test_float_return_value(mod_a):
    x = np.array([0.5, 0.25, 2.0], dtype="float32")
    result = mod_a["sum_f32"](tvm.nd.array(x))
    assert type(result) is float
    assert result == 2.75


def test_string_return_value(mod_a):
    assert mod_a["greet"]() == "hello from C"


def test_c_error_surfaces_as_value_error(mod_a):
    with pytest.raises(ValueError) as info:
        mod_a["fail"]()
    assert "bad shape" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_c_error_without_kind_is_tvm_error(mod_a):
    with pytest.raises(tvm.error.TVMError) as info:
        mod_a["fail_plain"]()
    assert "something went wrong in fail_plain" in str(info.value)


def test_c_type_check_error(mod_a):
    with pytest.raises(TypeError) as info:
        mod_a["add_one"](1, 2)
    assert "two arrays" in str(info.value)


def test_errors_do_not_leak_into_later_calls(mod_a):
    with pytest.raises(ValueError):
        mod_a["fail"]()
    assert mod_a["answer"]() == 42
    with pytest.raises(tvm.error.TVMError, match="fail_plain"):
        mod_a["fail_plain"]()
    with pytest.raises(ValueError, match="bad shape"):
        mod_a["fail"]()


def test_missing_function_raises_attribute_error_naming_it(mod_a):
    with pytest.raises(AttributeError) as info:
        mod_a["does_not_exist"]
    assert "does_not_exist" in str(info.value)
    with pytest.raises(AttributeError, match="also_missing"):
        mod_a.get_function("also_missing")
    assert not mod_a.implements_function("does_not_exist")
    assert mod_a.implements_function("add_one")


def test_function_keeps_module_alive(libs):
    f = tvm.runtime.load_module(str(libs["a"]))["answer"]
    gc.collect()
    assert f(1) == 1043


def test_import_module_and_query_imports(libs):
    parent = tvm.runtime.load_module(str(libs["a"]))
    child = tvm.runtime.load_module(str(libs["b"]))
    parent.import_module(child)

    imported = parent.imported_modules
    assert len(imported) == 1
    assert imported[0].same_as(child)
    assert imported[0].type_key == "library"

    # Without query_imports only the parent's own symbols are seen.
    with pytest.raises(AttributeError, match="times_two"):
        parent.get_function("times_two")
    assert not parent.implements_function("times_two")
    assert parent.implements_function("times_two", query_imports=True)

    f = parent.get_function("times_two", query_imports=True)
    x = tvm.nd.array(np.array([1, -2, 3, 40000], dtype="int32"))
    f(x)
    np.testing.assert_array_equal(x.numpy(), np.array([2, -4, 6, 80000], dtype="int32"))
    # The parent's own functions still win and still work.
    assert parent.get_function("answer", query_imports=True)() == 42
    assert parent.get_function("which_library", query_imports=True)() == 2


def test_imports_keep_child_alive(libs):
    parent = tvm.runtime.load_module(str(libs["a"]))
    parent.import_module(tvm.runtime.load_module(str(libs["b"])))
    gc.collect()
    assert parent.get_function("which_library", query_imports=True)() == 2


def test_import_cycle_is_rejected(libs):
    a = tvm.runtime.load_module(str(libs["a"]))
    b = tvm.runtime.load_module(str(libs["b"]))
    a.import_module(b)
    with pytest.raises(ValueError, match="cycle"):
        b.import_module(a)


def test_missing_file_raises_file_not_found_naming_path(tmp_path):
    path = tmp_path / "not_there.so"
    with pytest.raises(FileNotFoundError) as info:
        tvm.runtime.load_module(str(path))
    assert str(path) in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_non_library_file_raises_error_naming_it(tmp_path):
    path = tmp_path / "x.so"
    path.write_bytes(b"this is not an ELF shared object\n" * 10)
    with pytest.raises(tvm.error.TVMError) as info:
        tvm.runtime.load_module(str(path))
    assert str(path) in str(info.value)


def test_unknown_format_raises_value_error(tmp_path):
    path = tmp_path / "model.weird"
    path.write_bytes(b"\0")
    with pytest.raises(ValueError) as info:
        tvm.runtime.load_module(str(path))
    assert "weird" in str(info.value)
    assert str(path) in str(info.value)


def test_entry_function_from_tvm_main_symbol(libs, subprocess_env):
    # Run in a child: a loader that misreads `__tvm_main__` crashes the interpreter.
    code = textwrap.dedent(
        f"""
        import tvm
        mod = tvm.runtime.load_module({str(libs["main"])!r})
        assert mod.implements_function("__tvm_main__")
        print(mod(), mod.entry_func(6))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True,
                            timeout=120)
    crashed = f"killed by signal {-result.returncode}" if result.returncode < 0 else f"exit code {result.returncode}"
    assert result.returncode == 0, f"loading a library with __tvm_main__ failed: {crashed}\n{result.stderr}"
    assert result.stdout.split() == ["7", "42"]


# ---------------------------------------------------------------------------
# the backend API seen from a library


@pytest.fixture
def mod_backend(libs):
    return tvm.runtime.load_module(str(libs["backend"]))


def test_c_calls_python_callback(mod_backend):
    assert mod_backend["call_back"](lambda v: v * 3, 5) == 16
    assert mod_backend["call_back"](lambda v: -v, 41) == -40


def test_c_callback_error_keeps_its_kind(mod_backend):
    def bad(v):
        raise KeyError(f"no entry {v}")

    with pytest.raises(KeyError) as info:
        mod_backend["call_back"](bad, 5)
    assert "no entry 5" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_c_finds_python_global_through_module_env(mod_backend):
    name = "testing.module.env_global"
    tvm.register_func(name, lambda v: v * 100, override=True)
    try:
        assert mod_backend["env_call"](name, 4) == 400
    finally:
        tvm._ffi.remove_global_func(name)


def test_c_env_lookup_of_missing_function_names_it(mod_backend):
    with pytest.raises(tvm.error.TVMError, match="testing.module.no_such_global"):
        mod_backend["env_call"]("testing.module.no_such_global", 1)


@pytest.mark.parametrize("num_task", [0, 1, 3, 8])
def test_parallel_launch_matches_numpy(mod_backend, num_task):
    x = np.random.default_rng(num_task).standard_normal(100003).astype("float32")
    y = np.zeros_like(x)
    hits = np.zeros(64, dtype="int32")
    mod_backend["parallel_add_one"](x, y, num_task, hits)
    np.testing.assert_array_equal(y, x + np.float32(1))
    expected_tasks = num_task if num_task > 0 else tvm.runtime.num_threads()
    # Every task ran exactly once.
    np.testing.assert_array_equal(hits[:expected_tasks], np.ones(expected_tasks, dtype="int32"))
    assert hits[expected_tasks:].sum() == 0


def test_python_callback_from_worker_threads(mod_backend):
    seen = []
    mod_backend["parallel_callback"](seen.append, 8)
    assert sorted(seen) == list(range(8))


def test_error_in_parallel_task_propagates(mod_backend):
    def task(i):
        if i == 3:
            raise ValueError("task three failed")

    with pytest.raises(ValueError, match="task three failed"):
        mod_backend["parallel_callback"](task, 4)
    # The pool still works afterwards.
    seen = []
    mod_backend["parallel_callback"](seen.append, 4)
    assert sorted(seen) == [0, 1, 2, 3]


@pytest.mark.parametrize("nbytes", [1, 100, 4096, 1 << 20])
def test_workspace_is_64_byte_aligned_and_usable(mod_backend, nbytes):
    assert mod_backend["workspace"](nbytes) == 0


# ---------------------------------------------------------------------------
# small surface checks


def test_lookup_by_non_string_is_type_error(mod_a):
    with pytest.raises(TypeError):
        mod_a[0]


def test_library_module_has_no_source_and_cannot_be_saved(mod_a, tmp_path):
    with pytest.raises(ValueError, match="library"):
        mod_a.get_source()
    with pytest.raises(ValueError, match="library"):
        mod_a.save(str(tmp_path / "copy.so"))


def test_module_repr_names_type(mod_a):
    assert "library" in repr(mod_a)
