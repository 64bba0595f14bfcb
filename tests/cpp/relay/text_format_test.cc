/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Relay text format with an operator whose calls carry a reflected attrs
// node (a test-only one): fields at their defaults are not printed, the others
// are, and the parser builds the attrs node back through reflection; an
// attribute the node does not have is an error naming the operator and the key.
#include <gtest/gtest.h>
#include <tvm/ir/attrs.h>
#include <tvm/ir/module.h>
#include <tvm/ir/op.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>

#include <string>

namespace {

using namespace tvm;           // NOLINT(*)
using namespace tvm::relay;    // NOLINT(*)
using namespace tvm::runtime;  // NOLINT(*)

class TextTestConvAttrsNode : public BaseAttrsNode {
 public:
  Array<PrimExpr> padding{IntImm(DataType::Int(32), 0), IntImm(DataType::Int(32), 0)};
  int groups{1};
  double alpha{0.5};
  bool use_bias{false};
  std::string layout{"NCHW"};
  DataType out_dtype;
  String kernel_layout{"OIHW"};
  ObjectRef extra;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("padding", &padding);
    v->Visit("groups", &groups);
    v->Visit("alpha", &alpha);
    v->Visit("use_bias", &use_bias);
    v->Visit("layout", &layout);
    v->Visit("out_dtype", &out_dtype);
    v->Visit("kernel_layout", &kernel_layout);
    v->Visit("extra", &extra);
  }
  static constexpr const char* _type_key = "test.text.ConvAttrs";
  static constexpr bool _type_final = true;
  using _type_parent = BaseAttrsNode;
};
TVM_REGISTER_NODE_TYPE(TextTestConvAttrsNode);
// out = the type of the first input: enough for the parser's type check.
bool TextTestConvRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  if (types[0].as<IncompleteTypeNode>()) return false;
  reporter->Assign(types[2], types[0]);
  return true;
}
TVM_REGISTER_OP("test.text.conv")
    .set_num_inputs(2)
    .set_attrs_type<TextTestConvAttrsNode>()
    .add_type_rel("TextTestConv", TextTestConvRel);

std::string AsText(const ObjectRef& node) {
  return (*Registry::Get("relay.ir.AsText"))(node, true).operator std::string();
}
IRModule Parse(const std::string& text) {
  return (*Registry::Get("parser.ParseModuleInContext"))("test", text, ObjectRef(), ObjectRef()).operator IRModule();
}

IRModule ConvModule(ObjectPtr<TextTestConvAttrsNode> attrs) {
  Var x("x", TensorType({IntImm(DataType::Int(32), 1), IntImm(DataType::Int(32), 3)}, DataType::Float(32)));
  Var w("w", TensorType({IntImm(DataType::Int(32), 3), IntImm(DataType::Int(32), 3)}, DataType::Float(32)));
  Call call(Op::Get("test.text.conv"), {x, w}, Attrs(attrs));
  IRModule mod;
  mod.CopyOnWrite()->Add(GlobalVar("main"), Function({x, w}, call));
  // Typed, as what the parser gives back is (it runs InferType).
  return relay::transform::InferType()(mod);
}

TEST(RelayTextFormat, DefaultAttrsPrintNothingAndParseBack) {
  IRModule mod = ConvModule(make_object<TextTestConvAttrsNode>());
  std::string text = AsText(mod);
  EXPECT_NE(text.find("  test.text.conv(%x, %w) /* ty=Tensor[(1, 3), float32] */\n"), std::string::npos) << text;
  IRModule back = Parse(text);
  EXPECT_TRUE(StructuralEqual()(back, mod));
  const auto* call = back->Lookup("main").as<FunctionNode>()->body.as<CallNode>();
  ASSERT_NE(call, nullptr);
  EXPECT_NE(call->attrs.as<TextTestConvAttrsNode>(), nullptr) << "a default attrs node is created";
}

TEST(RelayTextFormat, NonDefaultAttrsRoundTrip) {
  auto attrs = make_object<TextTestConvAttrsNode>();
  attrs->padding = {IntImm(DataType::Int(32), 1), IntImm(DataType::Int(64), 2)};
  attrs->groups = 4;
  attrs->alpha = 0.1;
  attrs->use_bias = true;
  attrs->layout = "NHWC";
  attrs->out_dtype = DataType::Float(16);
  attrs->kernel_layout = "HWIO";
  attrs->extra = Array<ObjectRef>{String("a"), FloatImm(DataType::Float(32), 2.5)};
  IRModule mod = ConvModule(attrs);
  std::string text = AsText(mod);
  EXPECT_NE(text.find("test.text.conv(%x, %w, padding=[1, 2i64], groups=4, alpha=0.1f, use_bias=True, "
                      "layout=\"NHWC\", out_dtype=\"float16\", kernel_layout=\"HWIO\", extra=[\"a\", 2.5f])"),
            std::string::npos)
      << text;
  IRModule back = Parse(text);
  EXPECT_TRUE(StructuralEqual()(back, mod));
  // The parsed call prints alike (its comment adds the span the parser gave it).
  std::string call_text = text.substr(text.find("test.text.conv("));
  call_text = call_text.substr(0, call_text.find(")") + 1);
  EXPECT_NE(AsText(back).find(call_text), std::string::npos) << AsText(back);
  const auto* parsed = back->Lookup("main").as<FunctionNode>()->body.as<CallNode>()->attrs.as<TextTestConvAttrsNode>();
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(parsed->alpha, 0.1);
  EXPECT_EQ(parsed->out_dtype, DataType::Float(16));
}

TEST(RelayTextFormat, UnknownAttributeNamesOperatorAndKey) {
  std::string text =
      "#[version = \"0.0.5\"]\n"
      "def @main(%x, %w) {\n"
      "  test.text.conv(%x, %w, groups=2, strides=[1, 1])\n"
      "}\n";
  try {
    Parse(text);
    FAIL() << "expected a DiagnosticError";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("test:3:36: error: operator 'test.text.conv' has no attribute 'strides'"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("groups"), std::string::npos) << "the message lists the fields it has: " << msg;
  }
}

TEST(RelayTextFormat, AttributeOfTheWrongKind) {
  std::string text =
      "#[version = \"0.0.5\"]\n"
      "def @main(%x, %w) {\n"
      "  test.text.conv(%x, %w, groups=\"two\")\n"
      "}\n";
  try {
    Parse(text);
    FAIL() << "expected a DiagnosticError";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("operator 'test.text.conv': attribute 'groups' expects an integer"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
