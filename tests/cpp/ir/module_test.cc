/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// IRModule with a test function type: adding, looking up, updating and
// removing functions, copy-on-write, and attributes of modules and functions.
#include <gtest/gtest.h>
#include <tvm/ir/attrs.h>
#include <tvm/ir/function.h>
#include <tvm/ir/module.h>
#include <tvm/ir/serialization.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/ir/structural_hash.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <vector>

namespace {

using namespace tvm;           // NOLINT(*)
using namespace tvm::runtime;  // NOLINT(*)

class TestFuncNode : public BaseFuncNode {
 public:
  String body;
  /*! \brief A function this one calls (a GlobalVar), if any. */
  ObjectRef callee;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("body", &body);
    v->Visit("callee", &callee);
    v->Visit("attrs", &attrs);
  }
  static constexpr const char* _type_key = "test.irmod.Func";
  static constexpr bool _type_final = true;
  using _type_parent = BaseFuncNode;
};
TVM_REGISTER_NODE_TYPE(TestFuncNode);

class TestFunc : public BaseFunc {
 public:
  using ContainerType = TestFuncNode;
  using BaseFunc::BaseFunc;
  explicit TestFunc(String body, ObjectRef callee = ObjectRef(), DictAttrs attrs = DictAttrs()) {
    auto n = make_object<TestFuncNode>();
    n->body = std::move(body);
    n->callee = std::move(callee);
    n->attrs = std::move(attrs);
    data_ = std::move(n);
  }
  const TestFuncNode* operator->() const { return static_cast<const TestFuncNode*>(get()); }
};

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

std::string BodyOf(const BaseFunc& f) { return Downcast<TestFunc>(f)->body; }

TEST(IRModule, AddLookupAndGetGlobalVar) {
  IRModule mod;
  EXPECT_EQ(mod->functions.size(), 0u);
  GlobalVar main("main"), helper("helper");
  IRModuleNode* n = mod.CopyOnWrite();
  n->Add(main, TestFunc("main body"));
  n->Add(helper, TestFunc("helper body"));
  EXPECT_EQ(mod->functions.size(), 2u);
  EXPECT_TRUE(mod->ContainGlobalVar("main"));
  EXPECT_FALSE(mod->ContainGlobalVar("missing"));
  EXPECT_TRUE(mod->GetGlobalVar("main").same_as(main));
  EXPECT_EQ(BodyOf(mod->Lookup(main)), "main body");
  EXPECT_EQ(BodyOf(mod->Lookup("helper")), "helper body");
  Array<GlobalVar> vars = mod->GetGlobalVars();
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_TRUE(vars[0].same_as(main));  // insertion order
  EXPECT_TRUE(vars[1].same_as(helper));
}

TEST(IRModule, ConstructFromMap) {
  GlobalVar f("f"), g("g");
  IRModule mod({{f, TestFunc("F")}, {g, TestFunc("G")}});
  EXPECT_EQ(mod->functions.size(), 2u);
  EXPECT_EQ(BodyOf(mod->Lookup("g")), "G");
  EXPECT_TRUE(mod->GetGlobalVar("f").same_as(f));
}

TEST(IRModule, UnknownNameThrowsListingFunctions) {
  IRModule mod;
  mod.CopyOnWrite()->Add(GlobalVar("alpha"), TestFunc("a"));
  mod.CopyOnWrite()->Add(GlobalVar("beta"), TestFunc("b"));
  Error e = CatchError([&] { mod->GetGlobalVar("gamma"); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "gamma")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "alpha")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "beta")) << e.what();
  e = CatchError([&] { mod->Lookup("gamma"); });
  EXPECT_TRUE(Contains(e.what(), "gamma")) << e.what();
  // A GlobalVar that is not in the module.
  e = CatchError([&] { mod->Lookup(GlobalVar("alpha")); });
  EXPECT_TRUE(Contains(e.what(), "alpha")) << e.what();
  // An empty module says so.
  e = CatchError([] { IRModule()->GetGlobalVar("main"); });
  EXPECT_TRUE(Contains(e.what(), "main")) << e.what();
}

TEST(IRModule, DuplicateNameWithoutUpdateThrows) {
  IRModule mod;
  GlobalVar main("main");
  mod.CopyOnWrite()->Add(main, TestFunc("v1"));
  Error e = CatchError([&] { mod.CopyOnWrite()->Add(main, TestFunc("v2")); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "main")) << e.what();
  // A different GlobalVar of the same name is rejected too.
  EXPECT_THROW(mod.CopyOnWrite()->Add(GlobalVar("main"), TestFunc("v3")), Error);
  EXPECT_EQ(BodyOf(mod->Lookup("main")), "v1");
  // With update=true a second GlobalVar object of the same name is still an error.
  EXPECT_THROW(mod.CopyOnWrite()->Add(GlobalVar("main"), TestFunc("v4"), true), Error);
  EXPECT_EQ(mod->functions.size(), 1u);
}

TEST(IRModule, NullArgumentsAreErrors) {
  IRModule mod;
  EXPECT_THROW(mod.CopyOnWrite()->Add(GlobalVar(), TestFunc("x")), Error);
  Error e = CatchError([&] { mod.CopyOnWrite()->Add(GlobalVar("f"), BaseFunc()); });
  EXPECT_TRUE(Contains(e.what(), "f")) << e.what();
  EXPECT_EQ(mod->functions.size(), 0u);
}

TEST(IRModule, UpdateReplacesFunction) {
  IRModule mod;
  GlobalVar main("main");
  mod.CopyOnWrite()->Add(main, TestFunc("v1"));
  mod.CopyOnWrite()->Update(main, TestFunc("v2"));
  EXPECT_EQ(BodyOf(mod->Lookup("main")), "v2");
  EXPECT_EQ(mod->functions.size(), 1u);
  mod.CopyOnWrite()->Add(main, TestFunc("v3"), /*update=*/true);
  EXPECT_EQ(BodyOf(mod->Lookup(main)), "v3");
}

TEST(IRModule, UpdateFromAnotherModule) {
  IRModule a, b;
  GlobalVar main_a("main"), main_b("main"), extra("extra");
  a.CopyOnWrite()->Add(main_a, TestFunc("a-main"));
  b.CopyOnWrite()->Add(main_b, TestFunc("b-main"));
  b.CopyOnWrite()->Add(extra, TestFunc("b-extra"));
  a.CopyOnWrite()->Update(b);
  EXPECT_EQ(a->functions.size(), 2u);
  EXPECT_EQ(BodyOf(a->Lookup("main")), "b-main");
  // The existing GlobalVar of the same name is kept.
  EXPECT_TRUE(a->GetGlobalVar("main").same_as(main_a));
  EXPECT_EQ(BodyOf(a->Lookup("extra")), "b-extra");
  EXPECT_EQ(b->functions.size(), 2u);
}

TEST(IRModule, Remove) {
  IRModule mod;
  GlobalVar f("f"), g("g");
  mod.CopyOnWrite()->Add(f, TestFunc("F"));
  mod.CopyOnWrite()->Add(g, TestFunc("G"));
  mod.CopyOnWrite()->Remove(f);
  EXPECT_FALSE(mod->ContainGlobalVar("f"));
  EXPECT_TRUE(mod->ContainGlobalVar("g"));
  EXPECT_EQ(mod->functions.size(), 1u);
  EXPECT_THROW(mod->Lookup("f"), Error);
  // The name is free again.
  mod.CopyOnWrite()->Add(GlobalVar("f"), TestFunc("F2"));
  EXPECT_EQ(BodyOf(mod->Lookup("f")), "F2");
}

TEST(IRModule, CopyOnWriteLeavesSharedOriginalUnchanged) {
  IRModule original;
  GlobalVar f("f");
  original.CopyOnWrite()->Add(f, TestFunc("F"));
  const Object* node = original.get();
  // Unique: CopyOnWrite mutates in place.
  EXPECT_EQ(original.CopyOnWrite(), node);

  IRModule copy = original;
  IRModuleNode* n = copy.CopyOnWrite();
  EXPECT_NE(static_cast<const Object*>(n), node);
  n->Add(GlobalVar("g"), TestFunc("G"));
  n->Update(f, TestFunc("F-changed"));
  EXPECT_EQ(original.get(), node);
  EXPECT_EQ(original->functions.size(), 1u);
  EXPECT_FALSE(original->ContainGlobalVar("g"));
  EXPECT_EQ(BodyOf(original->Lookup("f")), "F");
  EXPECT_EQ(copy->functions.size(), 2u);
  EXPECT_EQ(BodyOf(copy->Lookup("f")), "F-changed");
  // Removing from the copy does not touch the original either.
  copy.CopyOnWrite()->Remove(f);
  EXPECT_TRUE(original->ContainGlobalVar("f"));
}

TEST(IRModule, ModuleAttributes) {
  IRModule mod;
  EXPECT_FALSE(mod->attrs.GetAttr<String>("executor").has_value());
  IRModule shared = mod;
  IRModule with = WithAttr(mod, "executor", String("graph"));
  EXPECT_EQ(with->attrs.GetAttr<String>("executor").value(), "graph");
  // The original, still referenced elsewhere, is unchanged.
  EXPECT_FALSE(mod->attrs.GetAttr<String>("executor").has_value());
  EXPECT_FALSE(shared->attrs.GetAttr<String>("executor").has_value());
  IRModule with2 = WithAttr(with, "opt", Integer(3));
  EXPECT_EQ(with2->attrs.GetAttr<Integer>("opt").value()->value, 3);
  EXPECT_EQ(with2->attrs.GetAttr<String>("executor").value(), "graph");
  EXPECT_FALSE(with->attrs.GetAttr<Integer>("opt").has_value());
  // Default values for absent keys.
  EXPECT_EQ(with->attrs.GetAttr<String>("runtime", String("cpp")).value(), "cpp");
  EXPECT_TRUE(with2->attrs.HasNonzeroAttr("opt"));
  EXPECT_FALSE(with2->attrs.HasNonzeroAttr("absent"));
  // Replacing a key keeps one entry.
  IRModule with3 = WithAttr(with2, "opt", Integer(0));
  EXPECT_EQ(with3->attrs->dict.size(), 2u);
  EXPECT_FALSE(with3->attrs.HasNonzeroAttr("opt"));
}

TEST(IRModule, FunctionAttributes) {
  TestFunc f("body");
  EXPECT_FALSE(f->GetAttr<String>(attr::kGlobalSymbol).has_value());
  TestFunc keep = f;
  TestFunc g = WithAttr(f, attr::kGlobalSymbol, String("my_func"));
  EXPECT_EQ(g->GetAttr<String>(attr::kGlobalSymbol).value(), "my_func");
  EXPECT_FALSE(f->GetAttr<String>(attr::kGlobalSymbol).has_value());
  EXPECT_FALSE(g.same_as(f));
  EXPECT_EQ(g->body, "body");

  // A uniquely held function is updated in place.
  const Object* before = g.get();
  g = WithAttr(std::move(g), "inline", Bool(true));
  EXPECT_EQ(g.get(), before);
  EXPECT_TRUE(g->GetAttr<Bool>("inline").value());
  EXPECT_EQ(g->GetAttr<String>(attr::kGlobalSymbol).value(), "my_func");
  EXPECT_EQ(g->attrs->dict.size(), 2u);
}

TEST(IRModule, DictAttrs) {
  DictAttrs empty;
  EXPECT_EQ(empty->dict.size(), 0u);
  DictAttrs a({{"x", Integer(1)}, {"name", String("n")}});
  EXPECT_EQ(a.GetAttr<Integer>("x").value()->value, 1);
  EXPECT_EQ(a.GetAttr<String>("name").value(), "n");
  DictAttrs b = WithAttr(a, "x", Integer(2));
  EXPECT_EQ(a.GetAttr<Integer>("x").value()->value, 1);
  EXPECT_EQ(b.GetAttr<Integer>("x").value()->value, 2);
  // A null DictAttrs reads as empty.
  DictAttrs null_attrs{ObjectPtr<Object>(nullptr)};
  EXPECT_FALSE(null_attrs.GetAttr<Integer>("x").has_value());
  EXPECT_EQ(WithAttr(null_attrs, "k", Integer(1)).GetAttr<Integer>("k").value()->value, 1);
  // Asking for the wrong type is an error naming both types.
  try {
    a.GetAttr<Integer>("name");
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_TRUE(Contains(e.what(), "runtime.String")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "IntImm")) << e.what();
  }
}

TEST(IRModule, JsonRoundTrip) {
  IRModule mod;
  GlobalVar main("main");
  mod.CopyOnWrite()->Add(main, WithAttr(TestFunc("body"), attr::kGlobalSymbol, String("main")));
  mod = WithAttr(mod, "executor", String("graph"));
  IRModule back = Downcast<IRModule>(LoadJSON(SaveJSON(mod)));
  EXPECT_EQ(back->functions.size(), 1u);
  GlobalVar gv = back->GetGlobalVar("main");
  // The name table and the function map share the same GlobalVar after loading.
  EXPECT_TRUE(back->GetGlobalVars()[0].same_as(gv));
  EXPECT_EQ(BodyOf(back->Lookup(gv)), "body");
  EXPECT_EQ(back->Lookup("main")->GetAttr<String>(attr::kGlobalSymbol).value(), "main");
  EXPECT_EQ(back->attrs.GetAttr<String>("executor").value(), "graph");
  EXPECT_TRUE(StructuralEqual()(mod, back)) << StructuralDiff(mod, back);
}

TEST(IRModule, SeparatelyBuiltModulesAreStructurallyEqual) {
  // GlobalVars are the definitions of a module: two modules built apart, with
  // their own GlobalVar objects, are equal when their functions are.
  IRModule a({{GlobalVar("main"), TestFunc("x")}});
  IRModule b({{GlobalVar("main"), TestFunc("x")}});
  IRModule c({{GlobalVar("main"), TestFunc("y")}});
  IRModule d({{GlobalVar("other"), TestFunc("x")}});
  EXPECT_TRUE(StructuralEqual()(a, b)) << StructuralDiff(a, b);
  EXPECT_EQ(StructuralHash()(a), StructuralHash()(b));
  EXPECT_FALSE(StructuralEqual()(a, c));
  EXPECT_NE(StructuralHash()(a), StructuralHash()(c));
  EXPECT_FALSE(StructuralEqual()(a, d));
  EXPECT_NE(StructuralHash()(a), StructuralHash()(d));
  EXPECT_TRUE(StructuralEqual()(a, b, /*map_free_vars=*/true));
  EXPECT_FALSE(StructuralEqual()(a, c, /*map_free_vars=*/true));
  EXPECT_NO_THROW(AssertStructuralEqual(a, b));
  try {
    AssertStructuralEqual(a, c);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_TRUE(Contains(e.what(), "main")) << e.what();
  }
}

TEST(IRModule, StructuralEqualityFollowsCallsBetweenFunctions) {
  auto build = [](bool main_calls_itself, bool reverse_order) {
    GlobalVar main("main"), helper("helper");
    TestFunc main_fn("m", main_calls_itself ? main : helper);
    TestFunc helper_fn("h");
    IRModule mod;
    if (reverse_order) {
      mod.CopyOnWrite()->Add(helper, helper_fn);
      mod.CopyOnWrite()->Add(main, main_fn);
    } else {
      mod.CopyOnWrite()->Add(main, main_fn);
      mod.CopyOnWrite()->Add(helper, helper_fn);
    }
    return mod;
  };
  IRModule calls_helper = build(false, false);
  IRModule calls_helper_reordered = build(false, true);
  IRModule calls_itself = build(true, false);
  EXPECT_TRUE(StructuralEqual()(calls_helper, build(false, false)));
  EXPECT_EQ(StructuralHash()(calls_helper), StructuralHash()(build(false, false)));
  // The order in which functions were added does not matter.
  EXPECT_TRUE(StructuralEqual()(calls_helper, calls_helper_reordered))
      << StructuralDiff(calls_helper, calls_helper_reordered);
  EXPECT_EQ(StructuralHash()(calls_helper), StructuralHash()(calls_helper_reordered));
  // Calling a different function is a difference.
  EXPECT_FALSE(StructuralEqual()(calls_helper, calls_itself));
  EXPECT_NE(StructuralHash()(calls_helper), StructuralHash()(calls_itself));
}

TEST(IRModule, JsonRoundTripIsStructurallyEqual) {
  IRModule mod;
  GlobalVar main("main"), helper("helper");
  mod.CopyOnWrite()->Add(helper, TestFunc("h"));
  mod.CopyOnWrite()->Add(main, TestFunc("m", helper));
  IRModule back = Downcast<IRModule>(LoadJSON(SaveJSON(mod)));
  EXPECT_TRUE(StructuralEqual()(mod, back)) << StructuralDiff(mod, back);
  EXPECT_EQ(StructuralHash()(mod), StructuralHash()(back));
  // The call still refers to the loaded module's own GlobalVar.
  EXPECT_TRUE(Downcast<TestFunc>(back->Lookup("main"))->callee.same_as(back->GetGlobalVar("helper")));
}

}  // namespace
