/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// PackedFunc, TVMArgs/TVMRetValue, TypedPackedFunc conversions, the global
// registry, the C API around packed calls, and data type strings.
#include <gtest/gtest.h>
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace tvm::runtime;  // NOLINT(*)

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

template <typename F>
Error CatchError(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an Error";
  return Error("none", "none");
}

class PayloadNode : public Object {
 public:
  int value = 0;
  static constexpr const char* _type_key = "test.pf.Payload";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Payload : public ObjectRef {
 public:
  using ContainerType = PayloadNode;
  using ObjectRef::ObjectRef;
  explicit Payload(int v) {
    auto n = make_object<PayloadNode>();
    n->value = v;
    data_ = std::move(n);
  }
  const PayloadNode* operator->() const { return static_cast<const PayloadNode*>(get()); }
};

// ---------------------------------------------------------------------------
// PackedFunc and argument passing

TEST(PackedFunc, FromLambda) {
  PackedFunc f([](TVMArgs args, TVMRetValue* rv) {
    int64_t sum = 0;
    for (int i = 0; i < args.size(); ++i) sum += args[i].operator int64_t();
    *rv = sum;
  });
  EXPECT_TRUE(f.defined());
  EXPECT_TRUE(f != nullptr);
  EXPECT_EQ(f(1, 2, 3).operator int64_t(), 6);
  EXPECT_EQ(f().operator int64_t(), 0);
  EXPECT_EQ(f(int64_t{1} << 40, -1).operator int64_t(), (int64_t{1} << 40) - 1);
}

TEST(PackedFunc, NullFunctionCallIsAnError) {
  PackedFunc f;
  EXPECT_FALSE(f.defined());
  EXPECT_TRUE(f == nullptr);
  EXPECT_THROW(f(1), Error);
}

TEST(PackedFunc, ArgumentsOfEveryKind) {
  NDArray arr = NDArray::Empty({3}, DataType::Float(32), DLDevice{kDLCPU, 0});
  Payload payload(42);
  std::vector<int> codes;
  PackedFunc f([&](TVMArgs args, TVMRetValue* rv) {
    codes.clear();
    for (int i = 0; i < args.size(); ++i) codes.push_back(args.type_codes[i]);
    ASSERT_EQ(args.size(), 8);
    EXPECT_EQ(args[0].operator int(), 7);
    EXPECT_DOUBLE_EQ(args[1].operator double(), 2.5);
    EXPECT_EQ(args[2].operator std::string(), "hello");
    EXPECT_EQ(args[3].operator std::string(), "world");
    Payload p = args[4];
    EXPECT_TRUE(p.same_as(payload));
    EXPECT_EQ(p->value, 42);
    NDArray a = args[5];
    EXPECT_TRUE(a.same_as(arr));
    DLTensor* t = args[5];
    EXPECT_EQ(t, arr.operator->());
    EXPECT_TRUE(args[6].IsNull());
    EXPECT_EQ(args[6].operator void*(), nullptr);
    EXPECT_EQ(args[7].operator DataType(), DataType::Int(8, 4));
    *rv = std::string("ok");
  });
  TVMRetValue rv = f(7, 2.5, "hello", std::string("world"), payload, arr, nullptr, DataType::Int(8, 4));
  EXPECT_EQ(rv.operator std::string(), "ok");
  EXPECT_EQ(codes, (std::vector<int>{kDLInt, kDLFloat, kTVMStr, kTVMStr, kTVMObjectHandle, kTVMNDArrayHandle,
                                     kTVMNullptr, kTVMDataType}));
}

TEST(PackedFunc, IntArgumentConvertsToDoubleButNotToString) {
  PackedFunc f([](TVMArgs args, TVMRetValue* rv) { *rv = args[0].operator double() * 2; });
  EXPECT_DOUBLE_EQ(f(3).operator double(), 6.0);
  PackedFunc g([](TVMArgs args, TVMRetValue* rv) { *rv = args[0].operator std::string(); });
  Error e = CatchError([&] { g(3); });
  EXPECT_EQ(e.kind(), "TypeError");
  EXPECT_TRUE(Contains(e.what(), "str")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "int")) << e.what();
}

TEST(PackedFunc, OutOfRangeArgumentIndexIsIndexError) {
  PackedFunc f([](TVMArgs args, TVMRetValue* rv) { *rv = args[2].operator int(); });
  Error e = CatchError([&] { f(1); });
  EXPECT_EQ(e.kind(), "IndexError");
}

TEST(PackedFunc, ObjectsPassedAsArgumentsAreBorrowed) {
  Payload p(1);
  int inside = -1;
  PackedFunc f([&](TVMArgs args, TVMRetValue* rv) {
    inside = static_cast<Object*>(args.values[0].v_handle)->use_count();
  });
  int before = p.use_count();
  f(p);
  EXPECT_EQ(inside, before);  // no reference taken just to pass it
  EXPECT_EQ(p.use_count(), before);
}

TEST(PackedFunc, ReturnsFunctionsAndCallsThem) {
  PackedFunc make_adder([](TVMArgs args, TVMRetValue* rv) {
    int64_t k = args[0];
    *rv = PackedFunc([k](TVMArgs a, TVMRetValue* r) { *r = a[0].operator int64_t() + k; });
  });
  TVMRetValue rv = make_adder(10);
  EXPECT_EQ(rv.type_code(), kTVMPackedFuncHandle);
  PackedFunc add10 = rv;
  EXPECT_EQ(add10(5).operator int64_t(), 15);
}

// ---------------------------------------------------------------------------
// TVMRetValue ownership

TEST(TVMRetValue, HoldsPodValues) {
  TVMRetValue rv;
  EXPECT_TRUE(rv.IsNull());
  rv = 5;
  EXPECT_EQ(rv.type_code(), kDLInt);
  EXPECT_EQ(rv.operator int(), 5);
  rv = 1.25;
  EXPECT_EQ(rv.type_code(), kDLFloat);
  EXPECT_DOUBLE_EQ(rv.operator double(), 1.25);
  rv = true;
  EXPECT_TRUE(rv.operator bool());
  rv = DataType::Float(16);
  EXPECT_EQ(rv.operator DataType(), DataType::Float(16));
  rv = DLDevice{kDLCPU, 3};
  EXPECT_EQ(rv.operator DLDevice().device_id, 3);
  rv = nullptr;
  EXPECT_TRUE(rv.IsNull());
  // A POD value does not convert to an unrelated kind.
  rv = 5;
  Error e = CatchError([&] { rv.operator std::string(); });
  EXPECT_EQ(e.kind(), "TypeError");
}

TEST(TVMRetValue, StringsAreOwnedAndCopied) {
  TVMRetValue a;
  {
    std::string s = "a string that outlives its source";
    a = s;
    s.assign(s.size(), 'x');
  }
  EXPECT_EQ(a.type_code(), kTVMStr);
  EXPECT_EQ(a.operator std::string(), "a string that outlives its source");
  TVMRetValue b = a;
  a = std::string("changed");
  EXPECT_EQ(b.operator std::string(), "a string that outlives its source");
  EXPECT_EQ(a.operator std::string(), "changed");
  TVMRetValue c = std::move(b);
  EXPECT_EQ(c.operator std::string(), "a string that outlives its source");
  EXPECT_TRUE(b.IsNull());  // NOLINT(bugprone-use-after-move): moved-from is None
  TVMRetValue& alias = c;
  c = alias;  // self-assignment keeps the value
  EXPECT_EQ(c.operator std::string(), "a string that outlives its source");

  TVMRetValue bytes;
  std::string raw("a\0b", 3);
  bytes = TVMByteArray{raw.data(), raw.size()};
  EXPECT_EQ(bytes.type_code(), kTVMBytes);
  EXPECT_EQ(bytes.operator std::string(), raw);
  TVMRetValue bytes_copy = bytes;
  EXPECT_EQ(bytes_copy.operator std::string(), raw);
}

TEST(TVMRetValue, ObjectReferenceCounts) {
  Payload p(3);
  EXPECT_EQ(p.use_count(), 1);
  {
    TVMRetValue a;
    a = p;
    EXPECT_EQ(a.type_code(), kTVMObjectHandle);
    EXPECT_EQ(p.use_count(), 2);
    TVMRetValue b = a;  // copy takes a reference
    EXPECT_EQ(p.use_count(), 3);
    TVMRetValue c = std::move(a);  // move does not
    EXPECT_EQ(p.use_count(), 3);
    EXPECT_TRUE(a.IsNull());  // NOLINT(bugprone-use-after-move)
    TVMRetValue d;
    d = std::move(c);
    EXPECT_EQ(p.use_count(), 3);
    Payload back = d;
    EXPECT_TRUE(back.same_as(p));
    EXPECT_EQ(p.use_count(), 4);
    b = 7;  // overwriting releases
    EXPECT_EQ(p.use_count(), 3);
    d = nullptr;
    EXPECT_EQ(p.use_count(), 2);
  }
  EXPECT_EQ(p.use_count(), 1);
}

TEST(TVMRetValue, NDArrayModuleAndFunctionKeepTheirCodes) {
  NDArray arr = NDArray::Empty({2}, DataType::Int(32), DLDevice{kDLCPU, 0});
  TVMRetValue rv;
  rv = arr;
  EXPECT_EQ(rv.type_code(), kTVMNDArrayHandle);
  EXPECT_EQ(arr.use_count(), 2);
  NDArray back = rv;
  EXPECT_TRUE(back.same_as(arr));
  TVMRetValue copy = rv;
  EXPECT_EQ(arr.use_count(), 4);
  rv = nullptr;
  copy = nullptr;
  EXPECT_EQ(arr.use_count(), 2);

  PackedFunc f([](TVMArgs, TVMRetValue* r) { *r = 1; });
  rv = ObjectRef(f);
  EXPECT_EQ(rv.type_code(), kTVMPackedFuncHandle);
  EXPECT_EQ(f.use_count(), 2);
  rv = nullptr;
  EXPECT_EQ(f.use_count(), 1);
}

TEST(TVMRetValue, AssignFromArgValueTakesOwnership) {
  Payload p(9);
  TVMRetValue kept;
  PackedFunc f([&](TVMArgs args, TVMRetValue* rv) {
    kept = args[0];
    *rv = args[1];
  });
  std::string temp = "temporary";
  TVMRetValue rv = f(p, temp.c_str());
  temp.assign(temp.size(), '?');
  EXPECT_EQ(rv.operator std::string(), "temporary");
  EXPECT_EQ(p.use_count(), 2);
  Payload back = kept;
  EXPECT_EQ(back->value, 9);
}

// ---------------------------------------------------------------------------
// TypedPackedFunc

TEST(TypedPackedFunc, ConvertsArgumentsAndResult) {
  TypedPackedFunc<double(int, double, std::string)> f(
      [](int a, double b, std::string s) { return a * b + static_cast<double>(s.size()); }, "mix");
  EXPECT_DOUBLE_EQ(f(2, 1.5, "abcd"), 7.0);
  PackedFunc packed = f;
  EXPECT_DOUBLE_EQ(packed(3, 2, "x").operator double(), 7.0);  // int passes for double
  TypedPackedFunc<std::string(std::string)> echo([](std::string s) { return s + "!"; }, "echo");
  EXPECT_EQ(echo("hi"), "hi!");
}

TEST(TypedPackedFunc, ArgumentTypeErrorNamesFunctionIndexAndTypes) {
  TypedPackedFunc<int(int, int)> add([](int a, int b) { return a + b; }, "my_add");
  PackedFunc packed = add;
  Error e = CatchError([&] { packed(1, "two"); });
  std::string msg = e.what();
  EXPECT_EQ(e.kind(), "TypeError");
  EXPECT_TRUE(Contains(msg, "my_add")) << msg;
  EXPECT_TRUE(Contains(msg, "argument 1")) << msg;
  EXPECT_TRUE(Contains(msg, "int")) << msg;
  EXPECT_TRUE(Contains(msg, "str")) << msg;
  EXPECT_FALSE(Contains(msg, "argument 0")) << msg;

  e = CatchError([&] { packed(2.5, 1); });
  msg = e.what();
  EXPECT_TRUE(Contains(msg, "my_add")) << msg;
  EXPECT_TRUE(Contains(msg, "argument 0")) << msg;
  EXPECT_TRUE(Contains(msg, "float")) << msg;
}

TEST(TypedPackedFunc, ObjectArgumentTypeErrorNamesTypeKeys) {
  TypedPackedFunc<int(Payload)> get([](Payload p) { return p->value; }, "get_payload");
  PackedFunc packed = get;
  EXPECT_EQ(packed(Payload(5)).operator int(), 5);
  Error e = CatchError([&] { packed(Array<ObjectRef>()); });
  std::string msg = e.what();
  EXPECT_EQ(e.kind(), "TypeError");
  EXPECT_TRUE(Contains(msg, "get_payload")) << msg;
  EXPECT_TRUE(Contains(msg, "argument 0")) << msg;
  EXPECT_TRUE(Contains(msg, "test.pf.Payload")) << msg;
  EXPECT_TRUE(Contains(msg, "Array")) << msg;
}

TEST(TypedPackedFunc, StrArgumentPassesForStringAndObjectRef) {
  // A str is a String object, so a parameter of any base type of String takes it.
  TypedPackedFunc<std::string(ObjectRef)> key([](ObjectRef o) { return o->GetTypeKey(); }, "key_of");
  PackedFunc packed = key;
  EXPECT_EQ(packed("text").operator std::string(), "runtime.String");
  EXPECT_EQ(packed(std::string("more")).operator std::string(), "runtime.String");
  TypedPackedFunc<std::string(std::optional<ObjectRef>)> opt(
      [](std::optional<ObjectRef> o) { return o.has_value() ? Downcast<String>(*o).str() : std::string("-"); },
      "opt_obj");
  PackedFunc opt_packed = opt;
  EXPECT_EQ(opt_packed("abc").operator std::string(), "abc");
  // But not for an unrelated object type.
  TypedPackedFunc<int(Payload)> payload([](Payload p) { return p->value; }, "payload_only");
  PackedFunc payload_packed = payload;
  EXPECT_THROW(payload_packed("text"), Error);
}

TEST(TypedPackedFunc, IntOutOfRangeIsValueError) {
  TypedPackedFunc<int(int)> f([](int x) { return x; }, "narrow");
  PackedFunc packed = f;
  Error e = CatchError([&] { packed(int64_t{1} << 40); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "narrow")) << e.what();
}

TEST(TypedPackedFunc, ArgumentCountErrors) {
  TypedPackedFunc<int(int, int)> add([](int a, int b) { return a + b; }, "add2");
  PackedFunc packed = add;
  Error e = CatchError([&] { packed(1); });
  std::string msg = e.what();
  EXPECT_EQ(e.kind(), "TypeError");
  EXPECT_TRUE(Contains(msg, "add2")) << msg;
  EXPECT_TRUE(Contains(msg, "2")) << msg;
  EXPECT_TRUE(Contains(msg, "1")) << msg;
  e = CatchError([&] { packed(1, 2, 3); });
  EXPECT_TRUE(Contains(e.what(), "3")) << e.what();
  EXPECT_EQ(packed(1, 2).operator int(), 3);
}

TEST(TypedPackedFunc, OptionalArguments) {
  TypedPackedFunc<int(std::optional<int>)> f(
      [](std::optional<int> x) { return x.has_value() ? *x * 10 : -1; }, "opt");
  PackedFunc packed = f;
  EXPECT_EQ(packed(nullptr).operator int(), -1);
  EXPECT_EQ(packed(4).operator int(), 40);
  Error e = CatchError([&] { packed("x"); });
  EXPECT_TRUE(Contains(e.what(), "opt")) << e.what();

  TypedPackedFunc<std::string(std::optional<String>)> g(
      [](std::optional<String> s) { return s.has_value() ? s->str() : std::string("<none>"); }, "opt_str");
  PackedFunc gp = g;
  EXPECT_EQ(gp(nullptr).operator std::string(), "<none>");
  EXPECT_EQ(gp("abc").operator std::string(), "abc");
  EXPECT_EQ(gp(String("obj")).operator std::string(), "obj");
}

TEST(TypedPackedFunc, VoidResultAndObjectResult) {
  int calls = 0;
  TypedPackedFunc<void(int)> touch([&calls](int x) { calls += x; }, "touch");
  touch(3);
  EXPECT_EQ(calls, 3);
  TypedPackedFunc<Payload(int)> make([](int x) { return Payload(x); }, "make");
  Payload p = make(11);
  EXPECT_EQ(p->value, 11);
  EXPECT_EQ(p.use_count(), 1);  // the return value did not leak a reference
}

// ---------------------------------------------------------------------------
// Registry

TEST(Registry, RegisterGetListRemove) {
  const std::string name = "test.pf.registry_basic";
  ASSERT_EQ(Registry::Get(name), nullptr);
  Registry::Register(name).set_body_typed([](int a, int b) { return a * b; });
  const PackedFunc* f = Registry::Get(name);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)(6, 7).operator int(), 42);
  EXPECT_EQ(GetGlobalFunc(name)(2, 3).operator int(), 6);

  std::vector<std::string> names = Registry::ListNames();
  EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  // Argument errors of a typed body name the registered function.
  Error e = CatchError([&] { (*f)("a", 1); });
  EXPECT_TRUE(Contains(e.what(), name)) << e.what();

  EXPECT_TRUE(Registry::Remove(name));
  EXPECT_EQ(Registry::Get(name), nullptr);
  EXPECT_FALSE(Registry::Remove(name));
  names = Registry::ListNames();
  EXPECT_EQ(std::find(names.begin(), names.end(), name), names.end());
}

TEST(Registry, GetGlobalFuncOfMissingNameThrowsNamingIt) {
  Error e = CatchError([] { GetGlobalFunc("test.pf.no_such_function"); });
  EXPECT_TRUE(Contains(e.what(), "test.pf.no_such_function")) << e.what();
}

TEST(Registry, DuplicateRegistrationThrowsUnlessOverride) {
  const std::string name = "test.pf.registry_dup";
  Registry::Register(name).set_body([](TVMArgs, TVMRetValue* rv) { *rv = 1; });
  Error e = CatchError([&] { Registry::Register(name); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), name)) << e.what();
  // The first registration is still in place.
  EXPECT_EQ((*Registry::Get(name))().operator int(), 1);

  Registry::Register(name, /*can_override=*/true).set_body([](TVMArgs, TVMRetValue* rv) { *rv = 2; });
  EXPECT_EQ((*Registry::Get(name))().operator int(), 2);
  Registry::Remove(name);
}

TEST(Registry, StaticRegistrationIsVisible) {
  // Registered by the runtime library itself at load time.
  EXPECT_NE(Registry::Get("runtime.ModuleLoadFromFile"), nullptr);
}

// ---------------------------------------------------------------------------
// C API

TEST(CApi, FuncGetGlobalAndCall) {
  const std::string name = "test.pf.capi_add";
  Registry::Register(name, true).set_body_typed([](int64_t a, double b) { return static_cast<double>(a) + b; });
  TVMFunctionHandle h = nullptr;
  ASSERT_EQ(TVMFuncGetGlobal(name.c_str(), &h), 0) << TVMGetLastError();
  ASSERT_NE(h, nullptr);
  TVMValue args[2];
  int codes[2] = {kDLInt, kDLFloat};
  args[0].v_int64 = 2;
  args[1].v_float64 = 0.5;
  TVMValue ret;
  int ret_code = -1;
  ASSERT_EQ(TVMFuncCall(h, args, codes, 2, &ret, &ret_code), 0) << TVMGetLastError();
  EXPECT_EQ(ret_code, kDLFloat);
  EXPECT_DOUBLE_EQ(ret.v_float64, 2.5);
  EXPECT_EQ(TVMFuncFree(h), 0);

  TVMFunctionHandle missing = reinterpret_cast<TVMFunctionHandle>(0x1);
  ASSERT_EQ(TVMFuncGetGlobal("test.pf.capi_missing", &missing), 0);
  EXPECT_EQ(missing, nullptr);
  Registry::Remove(name);
}

TEST(CApi, ErrorInsideCallBecomesMinusOneAndLastError) {
  const std::string name = "test.pf.capi_throws";
  Registry::Register(name, true).set_body([](TVMArgs, TVMRetValue*) {
    throw Error("IndexError", "the thing at 3 is gone");
  });
  TVMFunctionHandle h = nullptr;
  ASSERT_EQ(TVMFuncGetGlobal(name.c_str(), &h), 0);
  TVMValue ret;
  int ret_code;
  EXPECT_EQ(TVMFuncCall(h, nullptr, nullptr, 0, &ret, &ret_code), -1);
  EXPECT_STREQ(TVMGetLastError(), "IndexError: the thing at 3 is gone");
  // The error can be rebuilt with its kind.
  Error e = LastError();
  EXPECT_EQ(e.kind(), "IndexError");
  EXPECT_STREQ(e.what(), "the thing at 3 is gone");
  TVMFuncFree(h);
  Registry::Remove(name);
}

TEST(CApi, ArgumentErrorThroughCApiKeepsKind) {
  const std::string name = "test.pf.capi_typed";
  Registry::Register(name, true).set_body_typed([](int x) { return x; });
  TVMFunctionHandle h = nullptr;
  ASSERT_EQ(TVMFuncGetGlobal(name.c_str(), &h), 0);
  TVMValue arg;
  arg.v_str = "not an int";
  int code = kTVMStr;
  TVMValue ret;
  int ret_code;
  EXPECT_EQ(TVMFuncCall(h, &arg, &code, 1, &ret, &ret_code), -1);
  std::string last = TVMGetLastError();
  EXPECT_EQ(last.rfind("TypeError: ", 0), 0u) << last;
  EXPECT_TRUE(Contains(last, name)) << last;
  TVMFuncFree(h);
  Registry::Remove(name);
}

TEST(CApi, StringReturnThroughCApi) {
  const std::string name = "test.pf.capi_str";
  Registry::Register(name, true).set_body_typed([](std::string s) { return s + s; });
  TVMFunctionHandle h = nullptr;
  ASSERT_EQ(TVMFuncGetGlobal(name.c_str(), &h), 0);
  TVMValue arg;
  arg.v_str = "ab";
  int code = kTVMStr;
  TVMValue ret;
  int ret_code;
  ASSERT_EQ(TVMFuncCall(h, &arg, &code, 1, &ret, &ret_code), 0) << TVMGetLastError();
  EXPECT_EQ(ret_code, kTVMStr);
  EXPECT_STREQ(ret.v_str, "abab");
  TVMFuncFree(h);
  Registry::Remove(name);
}

struct CFuncState {
  int finalized = 0;
  int calls = 0;
};

int CTripleOrFail(TVMValue* args, int* codes, int num_args, TVMRetValueHandle ret, void* resource) {
  auto* state = static_cast<CFuncState*>(resource);
  state->calls++;
  if (num_args != 1 || codes[0] != kDLInt) {
    TVMAPISetLastError("ValueError: ctriple wants one int");
    return -1;
  }
  TVMValue out;
  out.v_int64 = args[0].v_int64 * 3;
  int out_code = kDLInt;
  return TVMCFuncSetReturn(ret, &out, &out_code, 1);
}

TEST(CApi, CreateFromCFuncRoundTrip) {
  CFuncState state;
  TVMFunctionHandle h = nullptr;
  ASSERT_EQ(TVMFuncCreateFromCFunc(CTripleOrFail, &state,
                                   [](void* p) { static_cast<CFuncState*>(p)->finalized++; }, &h),
            0);
  ASSERT_NE(h, nullptr);
  {
    // Through the C entry point.
    TVMValue arg;
    arg.v_int64 = 14;
    int code = kDLInt;
    TVMValue ret;
    int ret_code;
    ASSERT_EQ(TVMFuncCall(h, &arg, &code, 1, &ret, &ret_code), 0) << TVMGetLastError();
    EXPECT_EQ(ret_code, kDLInt);
    EXPECT_EQ(ret.v_int64, 42);

    // Registered and called from C++: the C error becomes an Error of its kind.
    ASSERT_EQ(TVMFuncRegisterGlobal("test.pf.ctriple", h, 1), 0) << TVMGetLastError();
    PackedFunc f = GetGlobalFunc("test.pf.ctriple");
    EXPECT_EQ(f(5).operator int(), 15);
    Error e = CatchError([&] { f("five"); });
    EXPECT_EQ(e.kind(), "ValueError");
    EXPECT_STREQ(e.what(), "ctriple wants one int");

    // Through TVMFuncCall the error stays "Kind: message".
    arg.v_str = "x";
    code = kTVMStr;
    EXPECT_EQ(TVMFuncCall(h, &arg, &code, 1, &ret, &ret_code), -1);
    EXPECT_STREQ(TVMGetLastError(), "ValueError: ctriple wants one int");
    EXPECT_EQ(state.calls, 4);
  }
  EXPECT_EQ(state.finalized, 0);
  ASSERT_EQ(TVMFuncRemoveGlobal("test.pf.ctriple"), 0);
  EXPECT_EQ(state.finalized, 0);  // our handle still holds it
  ASSERT_EQ(TVMFuncFree(h), 0);
  EXPECT_EQ(state.finalized, 1);
}

TEST(CApi, ListGlobalNames) {
  Registry::Register("test.pf.listed", true).set_body([](TVMArgs, TVMRetValue*) {});
  int n = 0;
  const char** names = nullptr;
  ASSERT_EQ(TVMFuncListGlobalNames(&n, &names), 0);
  bool found = false;
  for (int i = 0; i < n; ++i) found = found || std::strcmp(names[i], "test.pf.listed") == 0;
  EXPECT_TRUE(found);
  Registry::Remove("test.pf.listed");
}

TEST(ErrorFromFullMessage, ParsesKindOnlyWhenItLooksLikeOne) {
  Error a = ErrorFromFullMessage("ValueError: bad value");
  EXPECT_EQ(a.kind(), "ValueError");
  EXPECT_STREQ(a.what(), "bad value");
  Error b = ErrorFromFullMessage("plain text: with a colon");
  EXPECT_EQ(b.kind(), "TVMError");
  EXPECT_STREQ(b.what(), "plain text: with a colon");
  Error c = ErrorFromFullMessage("no colon at all");
  EXPECT_EQ(c.kind(), "TVMError");
  EXPECT_EQ(Error("TypeError", "x").FullMessage(), "TypeError: x");
}

// ---------------------------------------------------------------------------
// Data type strings

TEST(DataTypeString, RoundTrip) {
  struct Case {
    const char* text;
    DataType type;
  };
  const Case cases[] = {
      {"int8", DataType::Int(8)},         {"uint8", DataType::UInt(8)},
      {"int32x4", DataType::Int(32, 4)},  {"float16", DataType::Float(16)},
      {"bfloat16", DataType::BFloat(16)}, {"bool", DataType::Bool()},
      {"handle", DataType::Handle()},     {"float32", DataType::Float(32)},
      {"int64", DataType::Int(64)},       {"float64x2", DataType::Float(64, 2)},
      {"uint1x8", DataType::Bool(8)},
  };
  for (const Case& c : cases) {
    DataType parsed(String2DLDataType(c.text));
    EXPECT_EQ(parsed, c.type) << c.text;
    std::string printed = DLDataType2String(c.type);
    EXPECT_EQ(DataType(String2DLDataType(printed)), c.type) << c.text << " printed as " << printed;
  }
  EXPECT_EQ(DLDataType2String(DataType::Int(8)), "int8");
  EXPECT_EQ(DLDataType2String(DataType::UInt(8)), "uint8");
  EXPECT_EQ(DLDataType2String(DataType::Int(32, 4)), "int32x4");
  EXPECT_EQ(DLDataType2String(DataType::Float(16)), "float16");
  EXPECT_EQ(DLDataType2String(DataType::BFloat(16)), "bfloat16");
  EXPECT_EQ(DLDataType2String(DataType::Bool()), "bool");
  EXPECT_EQ(DLDataType2String(DataType::Handle()), "handle");
  EXPECT_EQ(DLDataType2String(DataType::Void()), "void");
}

TEST(DataTypeString, Properties) {
  EXPECT_TRUE(DataType::Bool().is_bool());
  EXPECT_EQ(DataType::Int(32, 4).bytes(), 16);
  EXPECT_EQ(DataType::Bool().bytes(), 1);
  EXPECT_TRUE(DataType(String2DLDataType("bfloat16")).is_bfloat16());
  EXPECT_FALSE(DataType(String2DLDataType("float16")).is_bfloat16());
  EXPECT_TRUE(DataType(String2DLDataType("handle")).is_handle());
  EXPECT_TRUE(DataType::Void().is_void());
  EXPECT_FALSE(DataType::Void().is_handle());
  EXPECT_EQ(DataType::Int(32, 4).element_of(), DataType::Int(32));
}

TEST(DataTypeString, EmptyStringIsVoid) {
  // TVM spells the type of a call that returns nothing "" or "void".
  DLDataType t = String2DLDataType("");
  EXPECT_EQ(t.code, kTVMOpaqueHandle);
  EXPECT_EQ(t.bits, 0);
  EXPECT_EQ(t.lanes, 0);
}

TEST(DataTypeString, BadStringsAreValueErrorsNamingTheString) {
  for (const char* bad : {"float7", "int33", "floaty", "int32x", "int32x0", "bfloat32", "tensor",
                          "int8x4x2", "float32 "}) {
    try {
      String2DLDataType(bad);
      ADD_FAILURE() << "'" << bad << "' parsed as a data type";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), "ValueError") << bad;
      EXPECT_TRUE(Contains(e.what(), std::string("'") + bad + "'")) << e.what();
    }
  }
}

TEST(DataTypeString, ArgValueParsesStrings) {
  PackedFunc f([](TVMArgs args, TVMRetValue* rv) { *rv = args[0].operator DataType(); });
  EXPECT_EQ(f("int16x2").operator DataType(), DataType::Int(16, 2));
  Error e = CatchError([&] { f("notatype"); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "notatype")) << e.what();
}

}  // namespace
