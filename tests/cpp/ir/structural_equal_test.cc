/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Structural equality and hashing: alpha-equivalence of bound variables, free
// variables, constants, maps, the difference report, and operator singletons.
#include <gtest/gtest.h>
#include <tvm/ir/expr.h>
#include <tvm/ir/op.h>
#include <tvm/ir/reflection.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/ir/structural_hash.h>
#include <tvm/runtime/registry.h>

#include <string>

namespace {

using namespace tvm;           // NOLINT(*)
using namespace tvm::runtime;  // NOLINT(*)

// A variable: identified by where it is bound, not by its name.
class SVarNode : public Object {
 public:
  String name_hint;
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name_hint", &name_hint);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "test.seq.Var";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = Object;
};
TVM_REGISTER_NODE_TYPE(SVarNode);

// let var = value in body
class SLetNode : public Object {
 public:
  ObjectRef var;
  ObjectRef value;
  ObjectRef body;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("var", &var);
    v->Visit("value", &value);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "test.seq.Let";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};
TVM_REGISTER_NODE_TYPE(SLetNode);

class SAddNode : public Object {
 public:
  ObjectRef a;
  ObjectRef b;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("a", &a);
    v->Visit("b", &b);
  }
  static constexpr const char* _type_key = "test.seq.Add";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};
TVM_REGISTER_NODE_TYPE(SAddNode);

ObjectRef Var(const std::string& name, DataType dtype = DataType::Int(32)) {
  auto n = make_object<SVarNode>();
  n->name_hint = name;
  n->dtype = dtype;
  return ObjectRef(n);
}
ObjectRef Let(ObjectRef var, ObjectRef value, ObjectRef body) {
  auto n = make_object<SLetNode>();
  n->var = std::move(var);
  n->value = std::move(value);
  n->body = std::move(body);
  return ObjectRef(n);
}
ObjectRef Add(ObjectRef a, ObjectRef b) {
  auto n = make_object<SAddNode>();
  n->a = std::move(a);
  n->b = std::move(b);
  return ObjectRef(n);
}
ObjectRef Int(int64_t v) { return IntImm(DataType::Int(32), v); }

bool Equal(const ObjectRef& a, const ObjectRef& b, bool map_free_vars = false) {
  return StructuralEqual()(a, b, map_free_vars);
}
size_t Hash(const ObjectRef& a, bool map_free_vars = false) { return StructuralHash()(a, map_free_vars); }

/*! \brief Equality in both directions, and hashes that agree with it when equal. */
void ExpectEqual(const ObjectRef& a, const ObjectRef& b, bool map_free_vars = false) {
  EXPECT_TRUE(Equal(a, b, map_free_vars)) << StructuralDiff(a, b, map_free_vars);
  EXPECT_TRUE(Equal(b, a, map_free_vars)) << StructuralDiff(b, a, map_free_vars);
  EXPECT_EQ(Hash(a, map_free_vars), Hash(b, map_free_vars));
  EXPECT_TRUE(StructuralDiff(a, b, map_free_vars).empty());
  EXPECT_NO_THROW(AssertStructuralEqual(a, b, map_free_vars));
}
void ExpectNotEqual(const ObjectRef& a, const ObjectRef& b, bool map_free_vars = false) {
  EXPECT_FALSE(Equal(a, b, map_free_vars));
  EXPECT_FALSE(Equal(b, a, map_free_vars));
  EXPECT_FALSE(StructuralDiff(a, b, map_free_vars).empty());
  EXPECT_THROW(AssertStructuralEqual(a, b, map_free_vars), Error);
}

TEST(StructuralEqual, TreesOfConstants) {
  ExpectEqual(Add(Int(1), Int(2)), Add(Int(1), Int(2)));
  ExpectNotEqual(Add(Int(1), Int(2)), Add(Int(2), Int(1)));
  ExpectNotEqual(Int(1), IntImm(DataType::Int(64), 1));  // dtype matters
  ExpectNotEqual(Int(1), FloatImm(DataType::Float(32), 1.0));
  ExpectEqual(ObjectRef(), ObjectRef());
  ExpectNotEqual(ObjectRef(), Int(0));
  ExpectEqual(String("abc"), String("abc"));
  ExpectNotEqual(String("abc"), String("abd"));
}

TEST(StructuralHash, DiffersForDifferentConstants) {
  EXPECT_NE(Hash(Int(1)), Hash(Int(2)));
  EXPECT_NE(Hash(Int(1)), Hash(IntImm(DataType::Int(64), 1)));
  EXPECT_NE(Hash(Add(Int(1), Int(2))), Hash(Add(Int(2), Int(1))));
  EXPECT_NE(Hash(FloatImm(DataType::Float(32), 0.5)), Hash(FloatImm(DataType::Float(32), 0.25)));
  EXPECT_NE(Hash(String("a")), Hash(String("b")));
  ObjectRef x = Var("x"), y = Var("y");
  EXPECT_NE(Hash(Let(x, Int(1), Add(x, x))), Hash(Let(y, Int(2), Add(y, y))));
  // Deterministic: the same term hashes the same every time.
  ObjectRef t = Let(x, Int(1), Add(x, Int(3)));
  EXPECT_EQ(Hash(t), Hash(t));
}

TEST(StructuralEqual, AlphaEquivalentLets) {
  ObjectRef x = Var("x"), y = Var("y");
  // let x = 1 in x + x   ==   let y = 1 in y + y
  ExpectEqual(Let(x, Int(1), Add(x, x)), Let(y, Int(1), Add(y, y)));
  // Nested lets map each binder to its counterpart.
  ObjectRef x2 = Var("x2"), y2 = Var("y2");
  ExpectEqual(Let(x, Int(1), Let(x2, Add(x, Int(2)), Add(x, x2))),
              Let(y, Int(1), Let(y2, Add(y, Int(2)), Add(y, y2))));
  // The binder's dtype is compared, its name is not.
  ObjectRef f = Var("x", DataType::Float(32));
  ExpectNotEqual(Let(x, Int(1), x), Let(f, Int(1), f));
}

TEST(StructuralEqual, BindingStructureMatters) {
  ObjectRef x = Var("x"), y = Var("y"), a = Var("a"), b = Var("b");
  // let x = 1 in let y = 2 in x + y   vs   let a = 1 in let b = 2 in a + a
  ObjectRef lhs = Let(x, Int(1), Let(y, Int(2), Add(x, y)));
  ObjectRef rhs = Let(a, Int(1), Let(b, Int(2), Add(a, a)));
  ExpectNotEqual(lhs, rhs);
  EXPECT_NE(Hash(lhs), Hash(rhs));
  // Swapped uses are different terms too.
  ObjectRef rhs2 = Let(a, Int(1), Let(b, Int(2), Add(b, a)));
  ExpectNotEqual(lhs, rhs2);
  EXPECT_NE(Hash(lhs), Hash(rhs2));
  // And the same with the correct order is equal.
  ExpectEqual(lhs, Let(a, Int(1), Let(b, Int(2), Add(a, b))));
}

TEST(StructuralEqual, FreeVariablesNeedMapFreeVars) {
  ObjectRef x = Var("x"), y = Var("y");
  // A variable always equals itself.
  ExpectEqual(Add(x, Int(1)), Add(x, Int(1)));
  // Two different free variables are different...
  ExpectNotEqual(Add(x, Int(1)), Add(y, Int(1)));
  EXPECT_NE(Hash(Add(x, Int(1))), Hash(Add(y, Int(1))));
  // ...unless free variables may be mapped.
  ExpectEqual(Add(x, Int(1)), Add(y, Int(1)), /*map_free_vars=*/true);
}

TEST(StructuralEqual, MappedFreeVariablesMustBeConsistent) {
  ObjectRef x = Var("x"), y = Var("y");
  // x + y vs x + x: with mapping, x->x then y->x clashes.
  ExpectNotEqual(Add(x, y), Add(x, x), /*map_free_vars=*/true);
  EXPECT_NE(Hash(Add(x, y), true), Hash(Add(x, x), true));
  ExpectNotEqual(Add(x, x), Add(x, y), /*map_free_vars=*/true);
  // x + y vs y + x is a consistent renaming.
  ExpectEqual(Add(x, y), Add(y, x), /*map_free_vars=*/true);
  // Without mapping it is not.
  ExpectNotEqual(Add(x, y), Add(y, x));
}

TEST(StructuralEqual, BoundVariableDoesNotEqualAFreeOne) {
  ObjectRef x = Var("x"), y = Var("y"), z = Var("z");
  // let x = 1 in x + z   vs   let y = 1 in y + y : z is free on the left.
  ExpectNotEqual(Let(x, Int(1), Add(x, z)), Let(y, Int(1), Add(y, y)));
  // The same free variable on both sides is fine.
  ExpectEqual(Let(x, Int(1), Add(x, z)), Let(y, Int(1), Add(y, z)));
}

TEST(StructuralEqual, SharedSubtermSeesDifferentBindings) {
  // The same object T = x + 2 appears on both sides, but on the left x is
  // bound by the let while on the right x is free:
  //   let x = 1 in (x + 2) + x    vs    let y = 1 in (x + 2) + y
  ObjectRef x = Var("x"), y = Var("y");
  ObjectRef shared = Add(x, Int(2));
  ObjectRef lhs = Let(x, Int(1), Add(shared, x));
  ObjectRef rhs = Let(y, Int(1), Add(shared, y));
  ExpectNotEqual(lhs, rhs);
  // With distinct but equal copies the verdict is the same.
  ExpectNotEqual(lhs, Let(y, Int(1), Add(Add(x, Int(2)), y)));
  // And when T is only used where x means the same on both sides, sharing is fine.
  ExpectEqual(Let(x, Int(1), Add(shared, x)), Let(x, Int(1), Add(shared, x)));
}

TEST(StructuralEqual, MappedFreeVariablesInsideSharedSubterm) {
  // (x + 1) + y  vs  (x + 1) + x with the same object for (x + 1): mapping y to x
  // would clash with x already standing for itself.
  ObjectRef x = Var("x"), y = Var("y");
  ObjectRef shared = Add(x, Int(1));
  ExpectNotEqual(Add(shared, y), Add(shared, x), /*map_free_vars=*/true);
  ExpectEqual(Add(shared, y), Add(shared, y), /*map_free_vars=*/true);
}

TEST(StructuralEqual, MapKeyOrderDoesNotMatter) {
  Map<String, ObjectRef> a{{"alpha", Int(1)}, {"beta", Int(2)}, {"gamma", String("g")}};
  Map<String, ObjectRef> b{{"gamma", String("g")}, {"beta", Int(2)}, {"alpha", Int(1)}};
  ExpectEqual(a, b);
  Map<String, ObjectRef> c{{"alpha", Int(1)}, {"beta", Int(3)}, {"gamma", String("g")}};
  ExpectNotEqual(a, c);
  EXPECT_NE(Hash(a), Hash(c));
  Map<String, ObjectRef> d{{"alpha", Int(1)}, {"beta", Int(2)}};
  ExpectNotEqual(a, d);
  Map<String, ObjectRef> e{{"alpha", Int(1)}, {"beta", Int(2)}, {"delta", String("g")}};
  ExpectNotEqual(a, e);
}

TEST(StructuralEqual, ArraysCompareElementwise) {
  ExpectEqual(Array<ObjectRef>{Int(1), String("a")}, Array<ObjectRef>{Int(1), String("a")});
  ExpectNotEqual(Array<ObjectRef>{Int(1), String("a")}, Array<ObjectRef>{String("a"), Int(1)});
  ExpectNotEqual(Array<ObjectRef>{Int(1)}, Array<ObjectRef>{Int(1), Int(1)});
  EXPECT_NE(Hash(Array<ObjectRef>{Int(1)}), Hash(Array<ObjectRef>{Int(1), Int(1)}));
}

TEST(StructuralEqual, NDArraysCompareByContent) {
  auto make = [](float v) {
    NDArray a = NDArray::Empty({2}, DataType::Float(32), DLDevice{kDLCPU, 0});
    float data[2] = {1.f, v};
    a.CopyFromBytes(data, sizeof(data));
    return a;
  };
  ExpectEqual(make(2.f), make(2.f));
  ExpectNotEqual(make(2.f), make(3.f));
  EXPECT_NE(Hash(make(2.f)), Hash(make(3.f)));
}

TEST(StructuralEqual, AssertReportsPathOfDifference) {
  ObjectRef x = Var("x"), y = Var("y");
  ObjectRef lhs = Let(x, Int(1), Add(x, Int(2)));
  ObjectRef rhs = Let(y, Int(1), Add(y, Int(3)));
  try {
    AssertStructuralEqual(lhs, rhs);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(e.kind(), "ValueError");
    EXPECT_NE(msg.find("body.b"), std::string::npos) << msg;
    EXPECT_NE(msg.find("2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("3"), std::string::npos) << msg;
  }
  std::string diff = StructuralDiff(Map<String, ObjectRef>{{"k", Array<ObjectRef>{Int(1), Int(5)}}},
                                    Map<String, ObjectRef>{{"k", Array<ObjectRef>{Int(1), Int(6)}}});
  EXPECT_NE(diff.find("[\"k\"][1]"), std::string::npos) << diff;
}

TEST(StructuralEqual, OpsAreEqualOnlyToThemselves) {
  OpRegEntry::RegisterOrGet("test.seq.op_one");
  OpRegEntry::RegisterOrGet("test.seq.op_two");
  const Op& one = Op::Get("test.seq.op_one");
  const Op& two = Op::Get("test.seq.op_two");
  ExpectEqual(one, one);
  ExpectEqual(one, Op::Get("test.seq.op_one"));
  ExpectNotEqual(one, two);
  EXPECT_NE(Hash(one), Hash(two));
  ExpectEqual(Add(one, Int(1)), Add(one, Int(1)));
  ExpectNotEqual(Add(one, Int(1)), Add(two, Int(1)));
  // A copy of an operator node with the same fields is still not the operator.
  ObjectRef copy(make_object<OpNode>(*one.operator->()));
  ExpectNotEqual(one, copy);
}

TEST(StructuralEqual, GlobalFunctions) {
  PackedFunc eq = GetGlobalFunc("node.StructuralEqual");
  PackedFunc hash = GetGlobalFunc("node.StructuralHash");
  ObjectRef x = Var("x"), y = Var("y");
  EXPECT_TRUE(eq(Let(x, Int(1), x), Let(y, Int(1), y), false, false).operator bool());
  EXPECT_FALSE(eq(x, y, false, false).operator bool());
  EXPECT_TRUE(eq(x, y, false, true).operator bool());
  EXPECT_THROW(eq(x, y, true, false), Error);
  EXPECT_EQ(hash(Let(x, Int(1), x), false).operator int64_t(), hash(Let(y, Int(1), y), false).operator int64_t());
}

}  // namespace
