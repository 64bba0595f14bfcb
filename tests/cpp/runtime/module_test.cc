/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Module: a shared library compiled at test time and loaded with
// Module::LoadFromFile, the function-pointer variables the loader fills in,
// lookups through imports, and import cycles.
#include <gtest/gtest.h>
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace tvm::runtime;  // NOLINT(*)

const char* kLibrarySource = R"C(
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/c_runtime_api.h>

/* Filled in by the runtime's loader after dlopen. */
void* __tvm_module_ctx = 0;
void (*__TVMAPISetLastError)(const char*) = 0;

static int64_t num_elements(const DLTensor* t) {
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

/* out[i] = in[i] + 1 for two float32 arrays of equal size. */
int add_one(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
            int* out_ret_tcode, void* resource_handle) {
  if (num_args != 2) {
    __TVMAPISetLastError("ValueError: add_one expects 2 arguments");
    return -1;
  }
  for (int i = 0; i < 2; ++i) {
    if (type_codes[i] != kTVMNDArrayHandle && type_codes[i] != kTVMDLTensorHandle) {
      __TVMAPISetLastError("TypeError: add_one expects arrays");
      return -1;
    }
  }
  DLTensor* in = (DLTensor*)args[0].v_handle;
  DLTensor* out = (DLTensor*)args[1].v_handle;
  if (in->dtype.code != kDLFloat || in->dtype.bits != 32 || num_elements(in) != num_elements(out)) {
    __TVMAPISetLastError("ValueError: add_one expects float32 arrays of one size");
    return -1;
  }
  const float* src = (const float*)((const char*)in->data + in->byte_offset);
  float* dst = (float*)((char*)out->data + out->byte_offset);
  int64_t n = num_elements(in);
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i] + 1.0f;
  return 0;
}

/* Returns the first argument's type code and a copy of the int it holds. */
int twice(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
          int* out_ret_tcode, void* resource_handle) {
  out_ret_value->v_int64 = args[0].v_int64 * 2;
  *out_ret_tcode = kTVMArgInt;
  return 0;
}

int always_fails(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
                 int* out_ret_tcode, void* resource_handle) {
  __TVMAPISetLastError("RuntimeError: kernel refused: error from inside the library");
  return -1;
}

int has_module_ctx(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
                   int* out_ret_tcode, void* resource_handle) {
  out_ret_value->v_int64 = __tvm_module_ctx != 0;
  *out_ret_tcode = kTVMArgInt;
  return 0;
}
)C";

const char* kSecondLibrarySource = R"C(
#include <tvm/runtime/c_runtime_api.h>
int only_in_second(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
                   int* out_ret_tcode, void* resource_handle) {
  out_ret_value->v_int64 = 2222;
  *out_ret_tcode = kTVMArgInt;
  return 0;
}
int twice(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
          int* out_ret_tcode, void* resource_handle) {
  out_ret_value->v_int64 = -1; /* shadowed by the importing module's twice */
  *out_ret_tcode = kTVMArgInt;
  return 0;
}
)C";

/*! \brief Compile `source` into `dir`/`name`.so; returns the path or "" on failure. */
std::string CompileLibrary(const std::string& dir, const std::string& name, const char* source) {
  std::string c_path = dir + "/" + name + ".c";
  std::string so_path = dir + "/" + name + ".so";
  {
    std::ofstream out(c_path);
    out << source;
  }
  std::string cmd = std::string("cc -shared -fPIC -O2 -I") + TVM_TEST_SOURCE_DIR + "/include -o " + so_path + " " +
                    c_path + " 2> " + dir + "/" + name + ".log";
  int rc = std::system(cmd.c_str());
  if (rc != 0) {
    std::ifstream log(dir + "/" + name + ".log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    ADD_FAILURE() << "compiling the test library failed: " << cmd << "\n" << text;
    return "";
  }
  return so_path;
}

class LibraryModuleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/tvm_module_test_XXXXXX";
    char* dir = mkdtemp(tmpl);
    ASSERT_NE(dir, nullptr);
    dir_ = dir;
    lib_ = CompileLibrary(dir_, "kernels", kLibrarySource);
    lib2_ = CompileLibrary(dir_, "second", kSecondLibrarySource);
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }
  void SetUp() override {
    if (lib_.empty() || lib2_.empty()) GTEST_SKIP() << "no C compiler to build the test library";
  }

  static std::string dir_, lib_, lib2_;
};
std::string LibraryModuleTest::dir_, LibraryModuleTest::lib_, LibraryModuleTest::lib2_;

TEST_F(LibraryModuleTest, LoadAndCallAddOne) {
  Module mod = Module::LoadFromFile(lib_);
  ASSERT_TRUE(mod.defined());
  EXPECT_STREQ(mod->type_key(), "library");
  PackedFunc f = mod.GetFunction("add_one");
  ASSERT_TRUE(f.defined());

  const DLDevice cpu{kDLCPU, 0};
  NDArray a = NDArray::Empty({2, 5}, DataType::Float(32), cpu);
  NDArray b = NDArray::Empty({2, 5}, DataType::Float(32), cpu);
  std::vector<float> in(10);
  for (int i = 0; i < 10; ++i) in[i] = 0.5f * i - 2.f;
  a.CopyFromBytes(in.data(), 40);
  f(a, b);
  std::vector<float> out(10);
  b.CopyToBytes(out.data(), 40);
  for (int i = 0; i < 10; ++i) EXPECT_FLOAT_EQ(out[i], in[i] + 1.f) << i;
  // The input is untouched.
  std::vector<float> again(10);
  a.CopyToBytes(again.data(), 40);
  EXPECT_EQ(again, in);

  // In place, through the raw DLTensor* as well.
  f(a.ContainerHandle(), a.ContainerHandle());
  a.CopyToBytes(again.data(), 40);
  for (int i = 0; i < 10; ++i) EXPECT_FLOAT_EQ(again[i], in[i] + 1.f) << i;
}

TEST_F(LibraryModuleTest, ReturnValuesAndModuleContext) {
  Module mod = Module::LoadFromFile(lib_, "so");
  EXPECT_EQ(mod.GetFunction("twice")(21).operator int(), 42);
  EXPECT_EQ(mod.GetFunction("has_module_ctx")().operator int(), 1);
}

TEST_F(LibraryModuleTest, ErrorSetInsideLibraryIsThrown) {
  Module mod = Module::LoadFromFile(lib_);
  PackedFunc fail = mod.GetFunction("always_fails");
  ASSERT_TRUE(fail.defined());
  try {
    fail();
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), "RuntimeError");
    EXPECT_STREQ(e.what(), "kernel refused: error from inside the library");
  }
  // The kernel's own argument checks come back the same way.
  PackedFunc add_one = mod.GetFunction("add_one");
  NDArray ints = NDArray::Empty({3}, DataType::Int(32), DLDevice{kDLCPU, 0});
  try {
    add_one(ints, ints);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), "ValueError");
    EXPECT_NE(std::string(e.what()).find("float32"), std::string::npos) << e.what();
  }
  try {
    add_one(1);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), "ValueError");
  }
}

TEST_F(LibraryModuleTest, MissingSymbolIsNullFunction) {
  Module mod = Module::LoadFromFile(lib_);
  PackedFunc f = mod.GetFunction("no_such_function");
  EXPECT_FALSE(f.defined());
  EXPECT_TRUE(f == nullptr);
  EXPECT_FALSE(mod.GetFunction("no_such_function", true).defined());
}

TEST_F(LibraryModuleTest, FunctionKeepsModuleAlive) {
  PackedFunc f;
  {
    Module mod = Module::LoadFromFile(lib_);
    f = mod.GetFunction("twice");
  }
  // The library must still be mapped: calling does not crash.
  EXPECT_EQ(f(4).operator int(), 8);
}

TEST_F(LibraryModuleTest, ImportsAreSearchedWhenAsked) {
  Module first = Module::LoadFromFile(lib_);
  Module second = Module::LoadFromFile(lib2_);
  EXPECT_FALSE(first.GetFunction("only_in_second").defined());
  first.Import(second);
  ASSERT_EQ(first->imports().size(), 1u);
  EXPECT_FALSE(first.GetFunction("only_in_second", false).defined());
  PackedFunc f = first.GetFunction("only_in_second", true);
  ASSERT_TRUE(f.defined());
  EXPECT_EQ(f().operator int(), 2222);
  // The importing module's own function wins over an import's.
  EXPECT_EQ(first.GetFunction("twice", true)(5).operator int(), 10);
}

TEST(Module, LoadFromMissingFileThrowsNamingTheFile) {
  const std::string path = "/nonexistent/dir/no_such_library.so";
  try {
    Module::LoadFromFile(path);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  // Through the C API, the file is named in the last error.
  TVMModuleHandle h = nullptr;
  EXPECT_EQ(TVMModLoadFromFile(path.c_str(), "so", &h), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find(path), std::string::npos) << TVMGetLastError();
}

TEST(Module, LoadFromFileThatIsNotALibraryThrowsNamingIt) {
  char tmpl[] = "/tmp/tvm_not_a_lib_XXXXXX";
  char* dir = mkdtemp(tmpl);
  ASSERT_NE(dir, nullptr);
  std::string path = std::string(dir) + "/garbage.so";
  {
    std::ofstream out(path);
    out << "this is not an ELF file";
  }
  try {
    Module::LoadFromFile(path);
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  std::string unknown = std::string(dir) + "/module.unknownfmt";
  {
    std::ofstream out(unknown);
    out << "x";
  }
  try {
    Module::LoadFromFile(unknown);
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknownfmt"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
  std::remove(unknown.c_str());
  rmdir(dir);
}

// A module defined in C++: functions in a table.
class TableModuleNode : public ModuleNode {
 public:
  explicit TableModuleNode(std::map<std::string, int> values) : values_(std::move(values)) {}
  const char* type_key() const final { return "test_table"; }
  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    auto it = values_.find(name);
    if (it == values_.end()) return PackedFunc();
    int v = it->second;
    return PackedFunc([v, sptr_to_self](TVMArgs, TVMRetValue* rv) { *rv = v; });
  }

 private:
  std::map<std::string, int> values_;
};

Module MakeTable(std::map<std::string, int> values) {
  return Module(make_object<TableModuleNode>(std::move(values)));
}

TEST(Module, ImportSearchIsDepthFirstInImportOrder) {
  Module root = MakeTable({{"r", 0}});
  Module a = MakeTable({{"a", 1}, {"shared", 10}});
  Module a_child = MakeTable({{"deep", 100}, {"shared2", 1000}});
  Module b = MakeTable({{"b", 2}, {"shared", 20}, {"shared2", 2000}});
  a.Import(a_child);
  root.Import(a);
  root.Import(b);
  EXPECT_EQ(root.GetFunction("r")().operator int(), 0);
  EXPECT_FALSE(root.GetFunction("a").defined());
  EXPECT_EQ(root.GetFunction("a", true)().operator int(), 1);
  EXPECT_EQ(root.GetFunction("b", true)().operator int(), 2);
  EXPECT_EQ(root.GetFunction("deep", true)().operator int(), 100);
  EXPECT_EQ(root.GetFunction("shared", true)().operator int(), 10);
  // Depth first: a's import is searched before b.
  EXPECT_EQ(root.GetFunction("shared2", true)().operator int(), 1000);
  EXPECT_FALSE(root.GetFunction("nowhere", true).defined());
}

TEST(Module, DiamondImportsAreFine) {
  Module top = MakeTable({});
  Module left = MakeTable({});
  Module right = MakeTable({});
  Module bottom = MakeTable({{"x", 7}});
  left.Import(bottom);
  right.Import(bottom);
  top.Import(left);
  EXPECT_NO_THROW(top.Import(right));
  EXPECT_EQ(top.GetFunction("x", true)().operator int(), 7);
}

TEST(Module, ImportCycleIsRejected) {
  Module a = MakeTable({{"a", 1}});
  Module b = MakeTable({{"b", 2}});
  Module c = MakeTable({{"c", 3}});
  EXPECT_THROW(a.Import(a), Error);
  a.Import(b);
  b.Import(c);
  try {
    c.Import(a);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), "ValueError");
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
  }
  EXPECT_THROW(b.Import(a), Error);
  EXPECT_EQ(c->imports().size(), 0u);
  EXPECT_EQ(b->imports().size(), 1u);
  // Lookups still terminate.
  EXPECT_EQ(a.GetFunction("c", true)().operator int(), 3);
  EXPECT_THROW(a.Import(Module()), Error);
}

TEST(Module, GetFuncFromEnvFallsBackToRegistry) {
  Registry::Register("test.module.env_func", true).set_body([](TVMArgs, TVMRetValue* rv) { *rv = 55; });
  Module m = MakeTable({{"local", 1}});
  const PackedFunc* local = m->GetFuncFromEnv("local");
  ASSERT_NE(local, nullptr);
  EXPECT_EQ((*local)().operator int(), 1);
  EXPECT_EQ(m->GetFuncFromEnv("local"), local);  // cached
  const PackedFunc* global = m->GetFuncFromEnv("test.module.env_func");
  ASSERT_NE(global, nullptr);
  EXPECT_EQ((*global)().operator int(), 55);
  EXPECT_THROW(m->GetFuncFromEnv("test.module.nowhere"), Error);
  Registry::Remove("test.module.env_func");
}

}  // namespace
