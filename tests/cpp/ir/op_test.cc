/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The operator registry: registration, lookup, typed attribute maps with
// priority levels, reset, and operators in JSON.
#include <gtest/gtest.h>
#include <tvm/ir/op.h>
#include <tvm/ir/serialization.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using namespace tvm;           // NOLINT(*)
using namespace tvm::runtime;  // NOLINT(*)

TVM_REGISTER_OP("test.op.add")
    .set_num_inputs(2)
    .describe("Adds two tensors elementwise.")
    .add_argument("lhs", "Tensor", "The left operand.")
    .add_argument("rhs", "Tensor", "The right operand.")
    .set_support_level(1)
    .set_attr<int>("TTestPattern", 0)
    .set_attr<std::string>("TTestLayout", "NCHW");

TVM_REGISTER_OP("test.op.relu")
    .set_num_inputs(1)
    .describe("Rectified linear unit.")
    .add_argument("data", "Tensor", "The input.")
    .set_attr<int>("TTestPattern", 1);

// A second registration block for an existing op adds to it.
TVM_REGISTER_OP("test.op.relu").set_attr<std::string>("TTestLayout", "any");

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

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(Op, RegisteredFieldsAndGet) {
  const Op& add = Op::Get("test.op.add");
  ASSERT_TRUE(add.defined());
  EXPECT_EQ(add->name, "test.op.add");
  EXPECT_EQ(add->num_inputs, 2);
  EXPECT_EQ(add->support_level, 1);
  EXPECT_EQ(add->description, "Adds two tensors elementwise.");
  ASSERT_EQ(add->arguments.size(), 2u);
  EXPECT_EQ(add->arguments[0]->name, "lhs");
  EXPECT_EQ(add->arguments[0]->type_info, "Tensor");
  EXPECT_EQ(add->arguments[1]->description, "The right operand.");
  const Op& relu = Op::Get("test.op.relu");
  EXPECT_EQ(relu->num_inputs, 1);
  EXPECT_EQ(relu->support_level, 10);  // the default
}

TEST(Op, GetReturnsTheSingleton) {
  const Op& a = Op::Get("test.op.add");
  const Op& b = Op::Get("test.op.add");
  EXPECT_TRUE(a.same_as(b));
  EXPECT_TRUE(OpRegEntry::RegisterOrGet("test.op.add").op().same_as(a));
  EXPECT_FALSE(a.same_as(Op::Get("test.op.relu")));
}

TEST(Op, UnknownOpThrowsNamingIt) {
  Error e = CatchError([] { Op::Get("test.op.does_not_exist"); });
  EXPECT_EQ(e.kind(), "AttributeError");
  EXPECT_TRUE(Contains(e.what(), "test.op.does_not_exist")) << e.what();
  e = CatchError([] { GetGlobalFunc("ir.GetOp")("test.op.also_missing"); });
  EXPECT_TRUE(Contains(e.what(), "test.op.also_missing")) << e.what();
}

TEST(Op, ListNamesIsSortedAndIncludesTestOps) {
  std::vector<std::string> names = Op::ListNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "test.op.add"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "test.op.relu"), names.end());
}

TEST(OpAttrMap, CountIndexAndDefault) {
  const Op& add = Op::Get("test.op.add");
  const Op& relu = Op::Get("test.op.relu");
  OpRegEntry::RegisterOrGet("test.op.no_attrs");
  const Op& bare = Op::Get("test.op.no_attrs");

  OpAttrMap<int> pattern = Op::GetAttrMap<int>("TTestPattern");
  EXPECT_EQ(pattern.count(add), 1u);
  EXPECT_EQ(pattern.count(relu), 1u);
  EXPECT_EQ(pattern.count(bare), 0u);
  EXPECT_EQ(pattern[add], 0);
  EXPECT_EQ(pattern[relu], 1);
  EXPECT_EQ(pattern.get(relu, -1), 1);
  EXPECT_EQ(pattern.get(bare, -1), -1);

  OpAttrMap<std::string> layout = Op::GetAttrMap<std::string>("TTestLayout");
  EXPECT_EQ(layout[add], "NCHW");
  EXPECT_EQ(layout[relu], "any");
  EXPECT_EQ(layout.get(bare, "default"), "default");
  EXPECT_TRUE(Op::HasAttrMap("TTestLayout"));
}

TEST(OpAttrMap, MissingAttributeNamesOpAndAttribute) {
  OpRegEntry::RegisterOrGet("test.op.no_attrs2");
  const Op& bare = Op::Get("test.op.no_attrs2");
  OpAttrMap<int> pattern = Op::GetAttrMap<int>("TTestPattern");
  Error e = CatchError([&] { pattern[bare]; });
  EXPECT_EQ(e.kind(), "AttributeError");
  EXPECT_TRUE(Contains(e.what(), "test.op.no_attrs2")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "TTestPattern")) << e.what();
}

TEST(OpAttrMap, WrongValueTypeIsTypeError) {
  OpAttrMap<int> as_int = Op::GetAttrMap<int>("TTestLayout");  // holds strings
  Error e = CatchError([&] { as_int[Op::Get("test.op.add")]; });
  EXPECT_EQ(e.kind(), "TypeError");
}

TEST(OpAttrMap, UnknownAttributeMapIsEmpty) {
  OpAttrMap<int> m = Op::GetAttrMap<int>("TTestNeverSet");
  EXPECT_EQ(m.count(Op::Get("test.op.add")), 0u);
  EXPECT_EQ(m.get(Op::Get("test.op.add"), 7), 7);
}

TEST(OpAttrMap, PriorityLevels) {
  OpRegEntry& reg = OpRegEntry::RegisterOrGet("test.op.levels");
  const Op& op = reg.op();
  reg.reset_attr("TTestLevel");  // start clean even when tests repeat
  reg.set_attr<int>("TTestLevel", 1, 5);
  OpAttrMap<int> level = Op::GetAttrMap<int>("TTestLevel");
  EXPECT_EQ(level[op], 1);
  // A higher level replaces the value.
  reg.set_attr<int>("TTestLevel", 2, 15);
  EXPECT_EQ(level[op], 2);
  // A lower level is ignored.
  reg.set_attr<int>("TTestLevel", 3, 10);
  EXPECT_EQ(level[op], 2);
  // The same level twice is an error naming the op and the attribute.
  Error e = CatchError([&] { reg.set_attr<int>("TTestLevel", 4, 15); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "test.op.levels")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "TTestLevel")) << e.what();
  EXPECT_EQ(level[op], 2);
  // Levels must be positive.
  EXPECT_THROW(reg.set_attr<int>("TTestLevel", 5, 0), Error);
  EXPECT_EQ(level[op], 2);
}

TEST(OpAttrMap, DefaultLevelRegisteredTwiceIsAnError) {
  OpRegEntry& reg = OpRegEntry::RegisterOrGet("test.op.twice");
  reg.reset_attr("TTestTwice");
  reg.set_attr<int>("TTestTwice", 1);
  EXPECT_THROW(reg.set_attr<int>("TTestTwice", 2), Error);
  EXPECT_EQ(Op::GetAttrMap<int>("TTestTwice")[reg.op()], 1);
}

TEST(OpAttrMap, ResetAttr) {
  OpRegEntry& reg = OpRegEntry::RegisterOrGet("test.op.reset");
  reg.reset_attr("TTestReset");
  OpRegEntry::RegisterOrGet("test.op.reset_other").reset_attr("TTestReset");
  reg.set_attr<int>("TTestReset", 10, 20);
  OpAttrMap<int> m = Op::GetAttrMap<int>("TTestReset");
  EXPECT_EQ(m.count(reg.op()), 1u);
  reg.reset_attr("TTestReset");
  EXPECT_EQ(m.count(reg.op()), 0u);
  EXPECT_EQ(m.get(reg.op(), -5), -5);
  // After a reset any level may register again, even a lower one.
  reg.set_attr<int>("TTestReset", 11, 1);
  EXPECT_EQ(m[reg.op()], 11);
  // Resetting only touches this op.
  OpRegEntry& other = OpRegEntry::RegisterOrGet("test.op.reset_other");
  other.set_attr<int>("TTestReset", 99);
  reg.reset_attr("TTestReset");
  EXPECT_EQ(m.count(reg.op()), 0u);
  EXPECT_EQ(m[other.op()], 99);
}

TEST(OpAttrMap, ObjectAndFunctionValues) {
  OpRegEntry& reg = OpRegEntry::RegisterOrGet("test.op.fn_attr");
  reg.reset_attr("TTestCompute");
  reg.reset_attr("TTestNames");
  reg.set_attr<PackedFunc>("TTestCompute", PackedFunc([](TVMArgs args, TVMRetValue* rv) {
                             *rv = args[0].operator int() * 2;
                           }));
  reg.set_attr<Array<String>>("TTestNames", Array<String>{"a", "b"});
  PackedFunc f = Op::GetAttrMap<PackedFunc>("TTestCompute")[reg.op()];
  EXPECT_EQ(f(21).operator int(), 42);
  Array<String> names = Op::GetAttrMap<Array<String>>("TTestNames")[reg.op()];
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[1], "b");
}

TEST(Op, SavedToJsonLoadsAsTheSameSingleton) {
  const Op& add = Op::Get("test.op.add");
  std::string json = SaveJSON(add);
  EXPECT_TRUE(Contains(json, "test.op.add")) << json;
  ObjectRef loaded = LoadJSON(json);
  EXPECT_TRUE(loaded.same_as(add));
  // Inside a container too, and repeated references stay one object.
  Array<ObjectRef> arr{add, Op::Get("test.op.relu"), add};
  auto back = Downcast<Array<ObjectRef>>(LoadJSON(SaveJSON(arr)));
  EXPECT_TRUE(back[0].same_as(add));
  EXPECT_TRUE(back[1].same_as(Op::Get("test.op.relu")));
  EXPECT_TRUE(back[2].same_as(add));
  EXPECT_TRUE(StructuralEqual()(arr, back));
}

TEST(Op, JsonOfUnregisteredOpNamesIt) {
  std::string json = SaveJSON(Op::Get("test.op.add"));
  size_t pos = json.find("test.op.add");
  ASSERT_NE(pos, std::string::npos);
  json.replace(pos, std::string("test.op.add").size(), "test.op.gone");
  try {
    LoadJSON(json);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_TRUE(Contains(e.what(), "test.op.gone")) << e.what();
  }
}

TEST(Op, GlobalFunctionsForAttributes) {
  OpRegEntry::RegisterOrGet("test.op.py_style");
  const Op& op = Op::Get("test.op.py_style");
  GetGlobalFunc("ir.OpSetAttr")(op, "TTestPy", 17, 10);
  EXPECT_EQ(GetGlobalFunc("ir.OpGetAttr")(op, "TTestPy").operator int(), 17);
  EXPECT_TRUE(GetGlobalFunc("ir.OpHasAttr")(op, "TTestPy").operator bool());
  EXPECT_TRUE(GetGlobalFunc("ir.OpGetAttr")(op, "TTestNeverSetPy").IsNull());
  GetGlobalFunc("ir.OpResetAttr")(op, "TTestPy");
  EXPECT_FALSE(GetGlobalFunc("ir.OpHasAttr")(op, "TTestPy").operator bool());
  EXPECT_TRUE(GetGlobalFunc("ir.OpGetAttr")(op, "TTestPy").IsNull());
}

}  // namespace
