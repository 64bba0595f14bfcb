/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Reflection: field listing and access, the generic repr printer, and JSON
// save/load of object graphs (sharing, every field kind, containers, arrays,
// and the errors for malformed input).
#include <gtest/gtest.h>
#include <tvm/ir/expr.h>
#include <tvm/ir/reflection.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/serialization.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace tvm;           // NOLINT(*)
using namespace tvm::runtime;  // NOLINT(*)

class ReflTestNode : public Object {
 public:
  int64_t count = 0;
  double ratio = 0;
  bool flag = false;
  std::string label;
  DataType dtype;
  ObjectRef payload;
  Array<ObjectRef> items;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("count", &count);
    v->Visit("ratio", &ratio);
    v->Visit("flag", &flag);
    v->Visit("label", &label);
    v->Visit("dtype", &dtype);
    v->Visit("payload", &payload);
    v->Visit("items", &items);
  }

  static constexpr const char* _type_key = "test.refl.Node";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};
TVM_REGISTER_NODE_TYPE(ReflTestNode);

class ReflTest : public ObjectRef {
 public:
  using ContainerType = ReflTestNode;
  using ObjectRef::ObjectRef;
  const ReflTestNode* operator->() const { return static_cast<const ReflTestNode*>(get()); }
};

ReflTest MakeNode(int64_t count, double ratio, bool flag, std::string label, DataType dtype, ObjectRef payload,
                  Array<ObjectRef> items) {
  auto n = make_object<ReflTestNode>();
  n->count = count;
  n->ratio = ratio;
  n->flag = flag;
  n->label = std::move(label);
  n->dtype = dtype;
  n->payload = std::move(payload);
  n->items = std::move(items);
  return ReflTest(ObjectPtr<Object>(std::move(n)));
}

/*! \brief A type with no reflection at all. */
class OpaqueTestNode : public Object {
 public:
  static constexpr const char* _type_key = "test.refl.Opaque";
  using _type_parent = Object;
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

ReflTest Sample() {
  return MakeNode(3, 2.5, true, "hi", DataType::Float(32), IntImm(DataType::Int(32), 5),
                  {IntImm(DataType::Int(32), 1), String("s")});
}

// ---------------------------------------------------------------------------
// Field access

TEST(Reflection, ListAttrNamesInDeclarationOrder) {
  ReflTest n = Sample();
  EXPECT_EQ(ReflectionVTable::Global()->ListAttrNames(n.get()),
            (std::vector<std::string>{"count", "ratio", "flag", "label", "dtype", "payload", "items"}));
  IntImm imm(DataType::Int(8), 3);
  EXPECT_EQ(ReflectionVTable::Global()->ListAttrNames(imm.get()), (std::vector<std::string>{"dtype", "value"}));
  // A type without reflection has no fields (and no error).
  ObjectRef opaque(make_object<OpaqueTestNode>());
  EXPECT_TRUE(ReflectionVTable::Global()->ListAttrNames(opaque.get()).empty());
}

TEST(Reflection, GetAttrReturnsEveryFieldKind) {
  ReflTest n = Sample();
  ReflectionVTable* vt = ReflectionVTable::Global();
  EXPECT_EQ(vt->GetAttr(n.get(), "count").operator int64_t(), 3);
  EXPECT_DOUBLE_EQ(vt->GetAttr(n.get(), "ratio").operator double(), 2.5);
  EXPECT_TRUE(vt->GetAttr(n.get(), "flag").operator bool());
  EXPECT_EQ(vt->GetAttr(n.get(), "label").operator std::string(), "hi");
  EXPECT_EQ(vt->GetAttr(n.get(), "dtype").operator DataType(), DataType::Float(32));
  ObjectRef payload = vt->GetAttr(n.get(), "payload").AsType<ObjectRef>();
  EXPECT_TRUE(payload.same_as(n->payload));
  Array<ObjectRef> items = vt->GetAttr(n.get(), "items").AsType<Array<ObjectRef>>();
  EXPECT_TRUE(items.same_as(n->items));
  EXPECT_EQ(items.size(), 2u);
}

TEST(Reflection, GetAttrOfUnknownFieldIsAttributeError) {
  ReflTest n = Sample();
  Error e = CatchError([&] { ReflectionVTable::Global()->GetAttr(n.get(), "no_such_field"); });
  EXPECT_EQ(e.kind(), "AttributeError");
  EXPECT_TRUE(Contains(e.what(), "test.refl.Node")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "no_such_field")) << e.what();
}

TEST(Reflection, GlobalFunctionsForFieldAccess) {
  ReflTest n = Sample();
  PackedFunc get_attr = GetGlobalFunc("node.NodeGetAttr");
  EXPECT_EQ(get_attr(n, "label").operator std::string(), "hi");
  PackedFunc list = GetGlobalFunc("node.NodeListAttrNames");
  Array<String> names = list(n).AsType<Array<String>>();
  ASSERT_EQ(names.size(), 7u);
  EXPECT_EQ(names[0], "count");
  EXPECT_EQ(names[6], "items");
}

TEST(Reflection, MakeNodeSetsFieldsByName) {
  PackedFunc make = GetGlobalFunc("node.MakeNode");
  ReflTest n = make("test.refl.Node", "count", 9, "label", "made", "dtype", "int16", "flag", 1)
                   .AsType<ReflTest>();
  EXPECT_EQ(n->count, 9);
  EXPECT_EQ(n->label, "made");
  EXPECT_EQ(n->dtype, DataType::Int(16));
  EXPECT_TRUE(n->flag);
  Error e = CatchError([&] { make("test.refl.Node", "bogus", 1); });
  EXPECT_EQ(e.kind(), "AttributeError");
  EXPECT_TRUE(Contains(e.what(), "bogus")) << e.what();
}

// ---------------------------------------------------------------------------
// Printing

TEST(Reflection, AsReprPrintsFieldsGenerically) {
  EXPECT_EQ(AsRepr(Sample()),
            "test.refl.Node(count=3, ratio=2.5, flag=True, label=\"hi\", dtype=float32, payload=5, "
            "items=[1, \"s\"])");
  ReflTest empty = MakeNode(0, 0, false, "a\"b", DataType::Int(8, 4), ObjectRef(), {});
  EXPECT_EQ(AsRepr(empty),
            "test.refl.Node(count=0, ratio=0, flag=False, label=\"a\\\"b\", dtype=int8x4, payload=None, "
            "items=[])");
}

TEST(Reflection, AsReprOfContainersAndImmediates) {
  EXPECT_EQ(AsRepr(ObjectRef()), "None");
  EXPECT_EQ(AsRepr(String("x")), "\"x\"");
  Map<String, ObjectRef> m{{"b", IntImm(DataType::Int(64), 2)}, {"a", String("v")}};
  EXPECT_EQ(AsRepr(m), "{\"b\": T.int64(2), \"a\": \"v\"}");
  EXPECT_EQ(AsRepr(IntImm(DataType::Int(32), -7)), "-7");
  EXPECT_EQ(AsRepr(IntImm(DataType::Bool(), 1)), "T.bool(True)");
  EXPECT_EQ(AsRepr(FloatImm(DataType::Float(32), 1.0)), "T.float32(1.0)");
  EXPECT_EQ(AsRepr(GlobalVar("main")), "I.GlobalVar(\"main\")");
  ObjectRef opaque(make_object<OpaqueTestNode>());
  EXPECT_EQ(AsRepr(opaque).rfind("test.refl.Opaque(", 0), 0u) << AsRepr(opaque);
}

// ---------------------------------------------------------------------------
// JSON

TEST(Json, RoundTripKeepsEveryField) {
  ReflTest n = MakeNode(std::numeric_limits<int64_t>::min(), 0.1, true, "quote\" backslash\\ newline\n tab\t \xc3\xa9",
                        DataType::Int(32, 4), IntImm(DataType::Int(64), int64_t{1} << 40),
                        {FloatImm(DataType::Float(64), 1.0 / 3.0), String("")});
  std::string json = SaveJSON(n);
  ObjectRef loaded = LoadJSON(json);
  ASSERT_TRUE(loaded.defined());
  EXPECT_FALSE(loaded.same_as(n));
  const auto* m = loaded.as<ReflTestNode>();
  ASSERT_NE(m, nullptr) << loaded->GetTypeKey();
  EXPECT_EQ(m->count, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(m->ratio, 0.1);  // exactly, not approximately
  EXPECT_TRUE(m->flag);
  EXPECT_EQ(m->label, n->label);
  EXPECT_EQ(m->dtype, DataType::Int(32, 4));
  ASSERT_NE(m->payload.as<IntImmNode>(), nullptr);
  EXPECT_EQ(m->payload.as<IntImmNode>()->value, int64_t{1} << 40);
  EXPECT_EQ(m->payload.as<IntImmNode>()->dtype, DataType::Int(64));
  ASSERT_EQ(m->items.size(), 2u);
  EXPECT_EQ(m->items[0].as<FloatImmNode>()->value, 1.0 / 3.0);
  EXPECT_EQ(Downcast<String>(m->items[1]), "");
  EXPECT_TRUE(StructuralEqual()(n, loaded));
  // Saving the loaded graph gives the same text.
  EXPECT_EQ(SaveJSON(loaded), json);
}

TEST(Json, SpecialFloatingPointValues) {
  for (double v : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), -0.0,
                   std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max()}) {
    ReflTest n = MakeNode(0, v, false, "", DataType::Float(32), ObjectRef(), {});
    ReflTest loaded = Downcast<ReflTest>(LoadJSON(SaveJSON(n)));
    EXPECT_EQ(loaded->ratio, v);
    EXPECT_EQ(std::signbit(loaded->ratio), std::signbit(v));
  }
  ReflTest nan = MakeNode(0, std::nan(""), false, "", DataType::Float(32), ObjectRef(), {});
  ReflTest loaded = Downcast<ReflTest>(LoadJSON(SaveJSON(nan)));
  EXPECT_TRUE(std::isnan(loaded->ratio));
}

TEST(Json, SharedSubtermsStayShared) {
  IntImm shared(DataType::Int(32), 7);
  IntImm twin(DataType::Int(32), 7);  // equal but a different object
  ReflTest n = MakeNode(1, 0, false, "", DataType::Int(32), shared, {shared, twin, shared});
  ReflTest loaded = Downcast<ReflTest>(LoadJSON(SaveJSON(n)));
  ASSERT_EQ(loaded->items.size(), 3u);
  EXPECT_TRUE(loaded->payload.same_as(loaded->items[0]));
  EXPECT_TRUE(loaded->items[0].same_as(loaded->items[2]));
  EXPECT_FALSE(loaded->items[0].same_as(loaded->items[1]));
  EXPECT_FALSE(loaded->payload.same_as(shared));

  // A node referenced from two parents is saved once and loads as one object.
  ReflTest child = MakeNode(2, 0, false, "child", DataType::Int(32), ObjectRef(), {});
  Array<ObjectRef> parents{MakeNode(0, 0, false, "p0", DataType::Int(32), child, {}),
                           MakeNode(0, 0, false, "p1", DataType::Int(32), child, {child})};
  std::string json = SaveJSON(parents);
  size_t first = json.find("\"child\"");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(json.find("\"child\"", first + 1), std::string::npos) << "child written twice:\n" << json;
  Array<ObjectRef> back = Downcast<Array<ObjectRef>>(LoadJSON(json));
  const auto* p0 = back[0].as<ReflTestNode>();
  const auto* p1 = back[1].as<ReflTestNode>();
  ASSERT_TRUE(p0 != nullptr && p1 != nullptr);
  EXPECT_TRUE(p0->payload.same_as(p1->payload));
  EXPECT_TRUE(p1->items[0].same_as(p1->payload));
  EXPECT_EQ(p0->payload.as<ReflTestNode>()->label, "child");
}

TEST(Json, NullRootAndNullFields) {
  EXPECT_FALSE(LoadJSON(SaveJSON(ObjectRef())).defined());
  ReflTest n = MakeNode(1, 0, false, "", DataType::Int(32), ObjectRef(), {ObjectRef(), String("x")});
  ReflTest loaded = Downcast<ReflTest>(LoadJSON(SaveJSON(n)));
  EXPECT_FALSE(loaded->payload.defined());
  EXPECT_FALSE(loaded->items[0].defined());
  EXPECT_EQ(Downcast<String>(loaded->items[1]), "x");
}

TEST(Json, ImmediatesStringsArraysAndMaps) {
  Map<String, ObjectRef> m{{"int", IntImm(DataType::Int(64), -(int64_t{1} << 50))},
                           {"uint8", IntImm(DataType::UInt(8), 255)},
                           {"bool", IntImm(DataType::Bool(), 1)},
                           {"float", FloatImm(DataType::Float(16), 0.5)},
                           {"str", String("with \"quotes\"")},
                           {"nested", Array<ObjectRef>{Array<ObjectRef>{}, Array<ObjectRef>{String("deep")}}},
                           {"range", Range::FromMinExtent(IntImm(DataType::Int(32), 2), IntImm(DataType::Int(32), 8))},
                           {"gv", GlobalVar("main")}};
  ObjectRef loaded = LoadJSON(SaveJSON(m));
  auto back = Downcast<Map<String, ObjectRef>>(loaded);
  ASSERT_EQ(back.size(), m.size());
  EXPECT_EQ(back["int"].as<IntImmNode>()->value, -(int64_t{1} << 50));
  EXPECT_EQ(back["uint8"].as<IntImmNode>()->dtype, DataType::UInt(8));
  EXPECT_EQ(back["uint8"].as<IntImmNode>()->value, 255);
  EXPECT_EQ(back["bool"].as<IntImmNode>()->dtype, DataType::Bool());
  EXPECT_EQ(back["float"].as<FloatImmNode>()->dtype, DataType::Float(16));
  EXPECT_EQ(Downcast<String>(back["str"]), "with \"quotes\"");
  EXPECT_EQ(Downcast<Array<ObjectRef>>(back["nested"]).size(), 2u);
  EXPECT_EQ(back["range"].as<RangeNode>()->extent.as<IntImmNode>()->value, 8);
  EXPECT_EQ(back["gv"].as<GlobalVarNode>()->name_hint, "main");
  // Insertion order survives.
  std::vector<std::string> keys;
  for (const auto& kv : back) keys.push_back(kv.first);
  EXPECT_EQ(keys, (std::vector<std::string>{"int", "uint8", "bool", "float", "str", "nested", "range", "gv"}));
  // The GlobalVar is a free variable: equal only with map_free_vars.
  EXPECT_TRUE(StructuralEqual()(m, loaded, /*map_free_vars=*/true));
  m.erase("gv");
  back.erase("gv");
  EXPECT_TRUE(StructuralEqual()(m, back));
}

TEST(Json, MapWithObjectKeys) {
  IntImm k1(DataType::Int(32), 1), k2(DataType::Int(32), 2);
  Map<ObjectRef, ObjectRef> m{{k1, String("one")}, {k2, String("two")}};
  auto back = Downcast<Map<ObjectRef, ObjectRef>>(LoadJSON(SaveJSON(m)));
  ASSERT_EQ(back.size(), 2u);
  std::vector<std::pair<int64_t, std::string>> entries;
  for (const auto& kv : back) entries.emplace_back(kv.first.as<IntImmNode>()->value, Downcast<String>(kv.second));
  EXPECT_EQ(entries, (std::vector<std::pair<int64_t, std::string>>{{1, "one"}, {2, "two"}}));
}

TEST(Json, NDArrayRoundTrip) {
  NDArray arr = NDArray::Empty({2, 3}, DataType::Float(32), DLDevice{kDLCPU, 0});
  std::vector<float> data = {0.f, -1.5f, 3.25f, 1e20f, -0.f, 7.f};
  arr.CopyFromBytes(data.data(), 24);
  NDArray empty = NDArray::Empty({0}, DataType::Int(8), DLDevice{kDLCPU, 0});
  Array<ObjectRef> holder{arr, arr, empty};
  auto back = Downcast<Array<ObjectRef>>(LoadJSON(SaveJSON(holder)));
  NDArray a2 = Downcast<NDArray>(back[0]);
  EXPECT_TRUE(back[1].same_as(back[0]));
  EXPECT_FALSE(a2.same_as(arr));
  EXPECT_EQ(a2.Shape(), arr.Shape());
  EXPECT_EQ(a2.DataType(), DataType::Float(32));
  std::vector<float> out(6);
  a2.CopyToBytes(out.data(), 24);
  EXPECT_EQ(out, data);
  EXPECT_EQ(Downcast<NDArray>(back[2]).NumElements(), 0);
  EXPECT_TRUE(StructuralEqual()(holder, back));
}

TEST(Json, DocumentCarriesVersion) {
  std::string json = SaveJSON(IntImm(DataType::Int(32), 1));
  EXPECT_TRUE(Contains(json, "\"tvm_version\"")) << json;
  EXPECT_TRUE(Contains(json, TVM_VERSION)) << json;
  EXPECT_TRUE(Contains(json, "\"IntImm\"")) << json;
}

TEST(Json, MalformedTextIsValueError) {
  for (const char* bad : {"", "not json", "{\"root\": 1, \"nodes\": [", "[1, 2, 3]", "{}", "{\"root\": 1}",
                          "{\"root\": 5, \"nodes\": [{\"type_key\": \"\"}]}", "{\"root\": 0, \"nodes\": 3}"}) {
    Error e = CatchError([&] { LoadJSON(bad); });
    EXPECT_EQ(e.kind(), "ValueError") << "for input: " << bad << "\nmessage: " << e.what();
    EXPECT_GT(std::string(e.what()).size(), 10u) << "unhelpful message for: " << bad;
  }
  Error e = CatchError([] { LoadJSON("{\"root\": 1, \"nodes\": [{\"type_key\": \"\"}, {\"type_key\": \"IntImm\", "
                                     "\"attrs\": {\"dtype\": \"int32\", \"value\": \"abc\"}}]}"); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "value")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "abc")) << e.what();
  e = CatchError([] { LoadJSON("{\"root\": 1, \"nodes\": [{\"type_key\": \"\"}, {\"type_key\": \"IntImm\", "
                               "\"attrs\": {\"dtype\": \"int37\", \"value\": \"1\"}}]}"); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "int37")) << e.what();
  e = CatchError([] {
    LoadJSON("{\"root\": 1, \"nodes\": [{\"type_key\": \"\"}, {\"type_key\": \"Array\", \"data\": [9]}]}");
  });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "9")) << e.what();
}

TEST(Json, UnknownTypeKeyIsValueErrorNamingIt) {
  Error e = CatchError([] {
    LoadJSON("{\"root\": 1, \"nodes\": [{\"type_key\": \"\"}, {\"type_key\": \"test.refl.NeverDefined\", "
             "\"attrs\": {}}]}");
  });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "test.refl.NeverDefined")) << e.what();
  // A known type without reflection cannot be created either.
  (void)runtime::TypeIndexOf<OpaqueTestNode>();
  e = CatchError([] {
    LoadJSON("{\"root\": 1, \"nodes\": [{\"type_key\": \"\"}, {\"type_key\": \"test.refl.Opaque\"}]}");
  });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "test.refl.Opaque")) << e.what();
}

TEST(Json, SavingAnObjectWithoutReflectionIsAnError) {
  ObjectRef opaque(make_object<OpaqueTestNode>());
  Error e = CatchError([&] { SaveJSON(Array<ObjectRef>{opaque}); });
  EXPECT_TRUE(Contains(e.what(), "test.refl.Opaque")) << e.what();
}

TEST(Json, GlobalFunctions) {
  PackedFunc save = GetGlobalFunc("node.SaveJSON");
  PackedFunc load = GetGlobalFunc("node.LoadJSON");
  ReflTest n = Sample();
  std::string json = save(n).operator std::string();
  ObjectRef back = load(json).AsType<ObjectRef>();
  EXPECT_TRUE(StructuralEqual()(n, back));
}

}  // namespace
