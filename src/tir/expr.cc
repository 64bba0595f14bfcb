/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Constructors of loop-IR expressions, with the checks that keep the IR
// well typed, and their registration for reflection and Python.
#include <tvm/runtime/registry.h>
#include <tvm/tir/expr.h>
#include <tvm/tir/op.h>

namespace tvm {
namespace tir {

using runtime::Error;

namespace {
std::string TypeStr(DataType t) { return runtime::DLDataType2String(t); }

void CheckDefined(const ObjectRef& x, const char* node, const char* field) {
  TVM_CHECK(x.defined(), "ValueError") << node << ": " << field << " is undefined";
}

void CheckSameType(const PrimExpr& a, const PrimExpr& b, const char* node) {
  CheckDefined(a, node, "a");
  CheckDefined(b, node, "b");
  TVM_CHECK(a.dtype() == b.dtype(), "TypeError")
      << node << ": operand types differ (" << TypeStr(a.dtype()) << " vs " << TypeStr(b.dtype()) << ")";
}

template <typename Node>
ObjectPtr<Object> MakeBinary(PrimExpr a, PrimExpr b, DataType result, const char* name) {
  auto n = make_object<Node>();
  n->dtype = result;
  n->a = std::move(a);
  n->b = std::move(b);
  (void)name;
  return n;
}

template <typename Node>
ObjectPtr<Object> MakeArith(PrimExpr a, PrimExpr b, const char* name) {
  CheckSameType(a, b, name);
  DataType t = a.dtype();
  return MakeBinary<Node>(std::move(a), std::move(b), t, name);
}

template <typename Node>
ObjectPtr<Object> MakeCompare(PrimExpr a, PrimExpr b, const char* name) {
  CheckSameType(a, b, name);
  DataType t = DataType::Bool(a.dtype().lanes());
  return MakeBinary<Node>(std::move(a), std::move(b), t, name);
}

template <typename Node>
ObjectPtr<Object> MakeLogic(PrimExpr a, PrimExpr b, const char* name) {
  CheckSameType(a, b, name);
  TVM_CHECK(a.dtype().is_bool(), "TypeError") << name << " needs bool operands, got " << TypeStr(a.dtype());
  DataType t = a.dtype();
  return MakeBinary<Node>(std::move(a), std::move(b), t, name);
}
}  // namespace

Var::Var(String name_hint, DataType dtype) {
  auto n = make_object<VarNode>();
  n->name_hint = std::move(name_hint);
  n->dtype = dtype;
  if (dtype.is_handle()) n->type_annotation = PointerType(PrimType(DataType::Void()));
  data_ = std::move(n);
}

Var::Var(String name_hint, Type type_annotation) {
  auto n = make_object<VarNode>();
  n->name_hint = std::move(name_hint);
  if (const auto* prim = type_annotation.as<PrimTypeNode>()) {
    n->dtype = prim->dtype;
  } else if (type_annotation.as<PointerTypeNode>()) {
    n->dtype = DataType::Handle();
  } else {
    n->dtype = DataType::Handle();
  }
  n->type_annotation = std::move(type_annotation);
  data_ = std::move(n);
}

Var Var::copy_with_suffix(const String& suffix) const {
  auto n = make_object<VarNode>(*get());
  n->name_hint = get()->name_hint + suffix;
  return Var(ObjectPtr<Object>(std::move(n)));
}

Var Var::copy_with_dtype(DataType dtype) const {
  auto n = make_object<VarNode>(*get());
  n->dtype = dtype;
  return Var(ObjectPtr<Object>(std::move(n)));
}

SizeVar::SizeVar(String name_hint, DataType dtype) {
  auto n = make_object<SizeVarNode>();
  n->name_hint = std::move(name_hint);
  n->dtype = dtype;
  data_ = std::move(n);
}

IterVar::IterVar(Range dom, Var var, IterVarType iter_type, String thread_tag) {
  auto n = make_object<IterVarNode>();
  if (dom.defined()) {
    TVM_CHECK(dom->extent.dtype().is_int() || dom->extent.dtype().is_uint(), "TypeError")
        << "IterVar " << var->name_hint << ": the extent must be an integer, got " << TypeStr(dom->extent.dtype());
  }
  n->dom = std::move(dom);
  n->var = std::move(var);
  n->iter_type = iter_type;
  n->thread_tag = std::move(thread_tag);
  data_ = std::move(n);
}

const char* IterVarType2String(IterVarType t) {
  switch (t) {
    case kDataPar: return "DataPar";
    case kThreadIndex: return "ThreadIndex";
    case kCommReduce: return "CommReduce";
    case kOrdered: return "Ordered";
    case kOpaque: return "Opaque";
    case kUnrolled: return "Unrolled";
    case kVectorized: return "Vectorized";
    case kParallelized: return "Parallelized";
    case kTensorized: return "Tensorized";
  }
  return "Unknown";
}

StringImm::StringImm(String value) {
  auto n = make_object<StringImmNode>();
  n->dtype = DataType::Handle();
  n->value = std::move(value);
  data_ = std::move(n);
}

Cast::Cast(DataType dtype, PrimExpr value) {
  CheckDefined(value, "Cast", "value");
  TVM_CHECK(dtype.lanes() == value.dtype().lanes(), "TypeError")
      << "Cast: cannot change the number of lanes (" << TypeStr(value.dtype()) << " to " << TypeStr(dtype) << ")";
  auto n = make_object<CastNode>();
  n->dtype = dtype;
  n->value = std::move(value);
  data_ = std::move(n);
}

Add::Add(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<AddNode>(a, b, "Add")) {}
Sub::Sub(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<SubNode>(a, b, "Sub")) {}
Mul::Mul(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<MulNode>(a, b, "Mul")) {}
Div::Div(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<DivNode>(a, b, "Div")) {}
Mod::Mod(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<ModNode>(a, b, "Mod")) {}
FloorDiv::FloorDiv(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<FloorDivNode>(a, b, "FloorDiv")) {}
FloorMod::FloorMod(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<FloorModNode>(a, b, "FloorMod")) {}
Min::Min(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<MinNode>(a, b, "Min")) {}
Max::Max(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeArith<MaxNode>(a, b, "Max")) {}
EQ::EQ(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeCompare<EQNode>(a, b, "EQ")) {}
NE::NE(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeCompare<NENode>(a, b, "NE")) {}
LT::LT(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeCompare<LTNode>(a, b, "LT")) {}
LE::LE(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeCompare<LENode>(a, b, "LE")) {}
GT::GT(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeCompare<GTNode>(a, b, "GT")) {}
GE::GE(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeCompare<GENode>(a, b, "GE")) {}
And::And(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeLogic<AndNode>(a, b, "And")) {}
Or::Or(PrimExpr a, PrimExpr b) : BinaryOpRef(MakeLogic<OrNode>(a, b, "Or")) {}

Not::Not(PrimExpr a) {
  CheckDefined(a, "Not", "a");
  TVM_CHECK(a.dtype().is_bool(), "TypeError") << "Not needs a bool operand, got " << TypeStr(a.dtype());
  auto n = make_object<NotNode>();
  n->dtype = a.dtype();
  n->a = std::move(a);
  data_ = std::move(n);
}

Select::Select(PrimExpr condition, PrimExpr true_value, PrimExpr false_value) {
  CheckDefined(condition, "Select", "condition");
  CheckSameType(true_value, false_value, "Select");
  TVM_CHECK(condition.dtype().is_bool(), "TypeError")
      << "Select: the condition must be bool, got " << TypeStr(condition.dtype());
  TVM_CHECK(condition.dtype().lanes() == 1 || condition.dtype().lanes() == true_value.dtype().lanes(), "TypeError")
      << "Select: condition lanes " << condition.dtype().lanes() << " do not match value lanes "
      << true_value.dtype().lanes();
  auto n = make_object<SelectNode>();
  n->dtype = true_value.dtype();
  n->condition = std::move(condition);
  n->true_value = std::move(true_value);
  n->false_value = std::move(false_value);
  data_ = std::move(n);
}

BufferLoad::BufferLoad(Buffer buffer, Array<PrimExpr> indices) {
  TVM_CHECK(buffer.defined(), "ValueError") << "BufferLoad of an undefined buffer";
  TVM_CHECK(indices.size() == buffer->shape.size(), "ValueError")
      << "BufferLoad of " << buffer->name << ": " << indices.size() << " indices for a buffer of rank "
      << buffer->shape.size();
  int lanes = 1;
  for (const PrimExpr& i : indices) {
    CheckDefined(i, "BufferLoad", "index");
    lanes *= i.dtype().lanes();
  }
  auto n = make_object<BufferLoadNode>();
  n->dtype = buffer->dtype.with_lanes(buffer->dtype.lanes() * lanes);
  n->buffer = std::move(buffer);
  n->indices = std::move(indices);
  data_ = std::move(n);
}

ProducerLoad::ProducerLoad(DataProducer producer, Array<PrimExpr> indices) {
  TVM_CHECK(producer.defined(), "ValueError") << "ProducerLoad of an undefined producer";
  auto n = make_object<ProducerLoadNode>();
  n->dtype = producer->GetDataType();
  n->producer = std::move(producer);
  n->indices = std::move(indices);
  data_ = std::move(n);
}

Ramp::Ramp(PrimExpr base, PrimExpr stride, int lanes) {
  CheckDefined(base, "Ramp", "base");
  CheckDefined(stride, "Ramp", "stride");
  TVM_CHECK(base.dtype().is_scalar() && stride.dtype().is_scalar(), "TypeError") << "Ramp: base and stride must be scalars";
  TVM_CHECK(lanes > 1, "ValueError") << "Ramp needs more than one lane, got " << lanes;
  if (stride.dtype() != base.dtype()) stride = cast(base.dtype(), stride);
  auto n = make_object<RampNode>();
  n->dtype = base.dtype().with_lanes(lanes);
  n->base = std::move(base);
  n->stride = std::move(stride);
  n->lanes = lanes;
  data_ = std::move(n);
}

Broadcast::Broadcast(PrimExpr value, int lanes) {
  CheckDefined(value, "Broadcast", "value");
  TVM_CHECK(value.dtype().is_scalar(), "TypeError") << "Broadcast of a vector " << TypeStr(value.dtype());
  TVM_CHECK(lanes > 1, "ValueError") << "Broadcast needs more than one lane, got " << lanes;
  auto n = make_object<BroadcastNode>();
  n->dtype = value.dtype().with_lanes(lanes);
  n->value = std::move(value);
  n->lanes = lanes;
  data_ = std::move(n);
}

Let::Let(Var var, PrimExpr value, PrimExpr body) {
  CheckDefined(value, "Let", "value");
  CheckDefined(body, "Let", "body");
  TVM_CHECK(value.dtype() == var.dtype(), "TypeError")
      << "Let " << var->name_hint << ": value type " << TypeStr(value.dtype()) << " differs from the variable's "
      << TypeStr(var.dtype());
  auto n = make_object<LetNode>();
  n->dtype = body.dtype();
  n->var = std::move(var);
  n->value = std::move(value);
  n->body = std::move(body);
  data_ = std::move(n);
}

Call::Call(DataType dtype, RelayExpr op, Array<PrimExpr> args) {
  TVM_CHECK(op.defined(), "ValueError") << "Call of an undefined operator";
  for (const PrimExpr& a : args) CheckDefined(a, "Call", "argument");
  auto n = make_object<CallNode>();
  n->dtype = dtype;
  n->op = std::move(op);
  n->args = std::move(args);
  data_ = std::move(n);
}

Shuffle::Shuffle(Array<PrimExpr> vectors, Array<PrimExpr> indices) {
  TVM_CHECK(!vectors.empty() && !indices.empty(), "ValueError") << "Shuffle needs vectors and indices";
  DataType elem = vectors[0].dtype().element_of();
  int total = 0;
  for (const PrimExpr& v : vectors) {
    TVM_CHECK(v.dtype().element_of() == elem, "TypeError") << "Shuffle of vectors with different element types";
    total += v.dtype().lanes();
  }
  for (const PrimExpr& i : indices) {
    auto v = as_const_int(i);
    TVM_CHECK(v.has_value() && *v >= 0 && *v < total, "ValueError") << "Shuffle index out of range";
  }
  auto n = make_object<ShuffleNode>();
  n->dtype = elem.with_lanes(static_cast<int>(indices.size()));
  n->vectors = std::move(vectors);
  n->indices = std::move(indices);
  data_ = std::move(n);
}

PrimExpr Shuffle::Concat(Array<PrimExpr> vectors) {
  if (vectors.size() == 1) return vectors[0];
  Array<PrimExpr> indices;
  int k = 0;
  for (const PrimExpr& v : vectors) {
    for (int i = 0; i < v.dtype().lanes(); ++i) indices.push_back(IntImm(DataType::Int(32), k++));
  }
  return Shuffle(vectors, indices);
}

PrimExpr Shuffle::ExtractElement(PrimExpr vector, int index) {
  return Shuffle({vector}, {IntImm(DataType::Int(32), index)});
}

CommReducer::CommReducer(Array<Var> lhs, Array<Var> rhs, Array<PrimExpr> result, Array<PrimExpr> identity_element) {
  TVM_CHECK(lhs.size() == rhs.size() && lhs.size() == result.size() && lhs.size() == identity_element.size(),
            "ValueError")
      << "CommReducer: lhs, rhs, result and identity_element must have the same length";
  auto n = make_object<CommReducerNode>();
  n->lhs = std::move(lhs);
  n->rhs = std::move(rhs);
  n->result = std::move(result);
  n->identity_element = std::move(identity_element);
  data_ = std::move(n);
}

Reduce::Reduce(CommReducer combiner, Array<PrimExpr> source, Array<IterVar> axis, PrimExpr condition,
               int value_index, Array<PrimExpr> init) {
  TVM_CHECK(combiner.defined(), "ValueError") << "Reduce without a combiner";
  TVM_CHECK(value_index >= 0 && value_index < static_cast<int>(source.size()), "ValueError")
      << "Reduce: value_index " << value_index << " out of range for " << source.size() << " sources";
  for (const IterVar& iv : axis) {
    TVM_CHECK(iv->iter_type == kCommReduce, "ValueError")
        << "Reduce: axis " << iv->var->name_hint << " is not a reduction axis (make it with te.reduce_axis)";
  }
  TVM_CHECK(init.empty() || init.size() == source.size(), "ValueError")
      << "Reduce: init must have one value per source";
  auto n = make_object<ReduceNode>();
  n->dtype = source[value_index].dtype();
  n->combiner = std::move(combiner);
  n->source = std::move(source);
  n->axis = std::move(axis);
  n->condition = condition.defined() ? condition : const_true();
  n->value_index = value_index;
  n->init = std::move(init);
  data_ = std::move(n);
}

Any::Any() {
  auto n = make_object<AnyNode>();
  n->dtype = DataType::Int(32);
  data_ = std::move(n);
}

TVM_REGISTER_NODE_TYPE(VarNode);
TVM_REGISTER_NODE_TYPE(SizeVarNode);
TVM_REGISTER_NODE_TYPE(IterVarNode);
TVM_REGISTER_NODE_TYPE(StringImmNode);
TVM_REGISTER_NODE_TYPE(CastNode);
TVM_REGISTER_NODE_TYPE(AddNode);
TVM_REGISTER_NODE_TYPE(SubNode);
TVM_REGISTER_NODE_TYPE(MulNode);
TVM_REGISTER_NODE_TYPE(DivNode);
TVM_REGISTER_NODE_TYPE(ModNode);
TVM_REGISTER_NODE_TYPE(FloorDivNode);
TVM_REGISTER_NODE_TYPE(FloorModNode);
TVM_REGISTER_NODE_TYPE(MinNode);
TVM_REGISTER_NODE_TYPE(MaxNode);
TVM_REGISTER_NODE_TYPE(EQNode);
TVM_REGISTER_NODE_TYPE(NENode);
TVM_REGISTER_NODE_TYPE(LTNode);
TVM_REGISTER_NODE_TYPE(LENode);
TVM_REGISTER_NODE_TYPE(GTNode);
TVM_REGISTER_NODE_TYPE(GENode);
TVM_REGISTER_NODE_TYPE(AndNode);
TVM_REGISTER_NODE_TYPE(OrNode);
TVM_REGISTER_NODE_TYPE(NotNode);
TVM_REGISTER_NODE_TYPE(SelectNode);
TVM_REGISTER_NODE_TYPE(BufferLoadNode);
TVM_REGISTER_NODE_TYPE(ProducerLoadNode);
TVM_REGISTER_NODE_TYPE(RampNode);
TVM_REGISTER_NODE_TYPE(BroadcastNode);
TVM_REGISTER_NODE_TYPE(LetNode);
TVM_REGISTER_NODE_TYPE(CallNode);
TVM_REGISTER_NODE_TYPE(ShuffleNode);
TVM_REGISTER_NODE_TYPE(CommReducerNode);
TVM_REGISTER_NODE_TYPE(ReduceNode);
TVM_REGISTER_NODE_TYPE(AnyNode);
[[maybe_unused]] static const uint32_t kBinaryOpIndex = runtime::TypeIndexOf<BinaryOpNodeBase>();
[[maybe_unused]] static const uint32_t kDataProducerIndex = runtime::TypeIndexOf<DataProducerNode>();

TVM_REGISTER_GLOBAL("tir.Var").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  std::string name = args[0];
  if (args[1].IsObjectRef<Type>() && !args[1].IsNull()) {
    *rv = Var(name, args[1].AsType<Type>());
  } else {
    *rv = Var(name, args[1].operator DataType());
  }
});
TVM_REGISTER_GLOBAL("tir.SizeVar").set_body_typed([](String name, DataType dtype) { return SizeVar(name, dtype); });
TVM_REGISTER_GLOBAL("tir.IterVar").set_body_typed([](Range dom, Var var, int iter_type, String thread_tag) {
  return IterVar(dom, var, static_cast<IterVarType>(iter_type), thread_tag);
});
TVM_REGISTER_GLOBAL("tir.StringImm").set_body_typed([](String value) { return StringImm(value); });
TVM_REGISTER_GLOBAL("tir.Cast").set_body_typed([](DataType dtype, PrimExpr value) { return Cast(dtype, value); });
TVM_REGISTER_GLOBAL("tir.Add").set_body_typed([](PrimExpr a, PrimExpr b) { return Add(a, b); });
TVM_REGISTER_GLOBAL("tir.Sub").set_body_typed([](PrimExpr a, PrimExpr b) { return Sub(a, b); });
TVM_REGISTER_GLOBAL("tir.Mul").set_body_typed([](PrimExpr a, PrimExpr b) { return Mul(a, b); });
TVM_REGISTER_GLOBAL("tir.Div").set_body_typed([](PrimExpr a, PrimExpr b) { return Div(a, b); });
TVM_REGISTER_GLOBAL("tir.Mod").set_body_typed([](PrimExpr a, PrimExpr b) { return Mod(a, b); });
TVM_REGISTER_GLOBAL("tir.FloorDiv").set_body_typed([](PrimExpr a, PrimExpr b) { return FloorDiv(a, b); });
TVM_REGISTER_GLOBAL("tir.FloorMod").set_body_typed([](PrimExpr a, PrimExpr b) { return FloorMod(a, b); });
TVM_REGISTER_GLOBAL("tir.Min").set_body_typed([](PrimExpr a, PrimExpr b) { return Min(a, b); });
TVM_REGISTER_GLOBAL("tir.Max").set_body_typed([](PrimExpr a, PrimExpr b) { return Max(a, b); });
TVM_REGISTER_GLOBAL("tir.EQ").set_body_typed([](PrimExpr a, PrimExpr b) { return EQ(a, b); });
TVM_REGISTER_GLOBAL("tir.NE").set_body_typed([](PrimExpr a, PrimExpr b) { return NE(a, b); });
TVM_REGISTER_GLOBAL("tir.LT").set_body_typed([](PrimExpr a, PrimExpr b) { return LT(a, b); });
TVM_REGISTER_GLOBAL("tir.LE").set_body_typed([](PrimExpr a, PrimExpr b) { return LE(a, b); });
TVM_REGISTER_GLOBAL("tir.GT").set_body_typed([](PrimExpr a, PrimExpr b) { return GT(a, b); });
TVM_REGISTER_GLOBAL("tir.GE").set_body_typed([](PrimExpr a, PrimExpr b) { return GE(a, b); });
TVM_REGISTER_GLOBAL("tir.And").set_body_typed([](PrimExpr a, PrimExpr b) { return And(a, b); });
TVM_REGISTER_GLOBAL("tir.Or").set_body_typed([](PrimExpr a, PrimExpr b) { return Or(a, b); });
TVM_REGISTER_GLOBAL("tir.Not").set_body_typed([](PrimExpr a) { return Not(a); });
TVM_REGISTER_GLOBAL("tir.Select").set_body_typed([](PrimExpr c, PrimExpr t, PrimExpr f) { return Select(c, t, f); });
TVM_REGISTER_GLOBAL("tir.BufferLoad").set_body_typed([](Buffer buffer, Array<PrimExpr> indices) {
  return BufferLoad(buffer, indices);
});
TVM_REGISTER_GLOBAL("tir.ProducerLoad").set_body_typed([](DataProducer producer, Array<PrimExpr> indices) {
  return ProducerLoad(producer, indices);
});
TVM_REGISTER_GLOBAL("tir.Ramp").set_body_typed([](PrimExpr base, PrimExpr stride, int lanes) {
  return Ramp(base, stride, lanes);
});
TVM_REGISTER_GLOBAL("tir.Broadcast").set_body_typed([](PrimExpr value, int lanes) { return Broadcast(value, lanes); });
TVM_REGISTER_GLOBAL("tir.Let").set_body_typed([](Var var, PrimExpr value, PrimExpr body) {
  return Let(var, value, body);
});
TVM_REGISTER_GLOBAL("tir.Call").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  DataType dtype = args[0];
  RelayExpr op;
  if (args[1].type_code() == kTVMStr) {
    op = Op::Get(args[1].operator std::string());
  } else {
    op = args[1].AsType<RelayExpr>();
  }
  Array<PrimExpr> call_args = args[2].AsType<Array<PrimExpr>>();
  *rv = Call(dtype, op, call_args);
});
TVM_REGISTER_GLOBAL("tir.Shuffle").set_body_typed([](Array<PrimExpr> vectors, Array<PrimExpr> indices) {
  return Shuffle(vectors, indices);
});
TVM_REGISTER_GLOBAL("tir.CommReducer")
    .set_body_typed([](Array<Var> lhs, Array<Var> rhs, Array<PrimExpr> result, Array<PrimExpr> identity) {
      return CommReducer(lhs, rhs, result, identity);
    });
TVM_REGISTER_GLOBAL("tir.CommReducerCombine")
    .set_body_typed([](CommReducer r, Array<PrimExpr> a, Array<PrimExpr> b) -> Array<PrimExpr> {
      return r->operator()(a, b);
    });
TVM_REGISTER_GLOBAL("tir.Reduce")
    .set_body_typed([](CommReducer combiner, Array<PrimExpr> source, Array<IterVar> axis, PrimExpr condition,
                       int value_index, Array<PrimExpr> init) {
      return Reduce(combiner, source, axis, condition, value_index, init);
    });
TVM_REGISTER_GLOBAL("tir.Any").set_body_typed([]() { return Any(); });

}  // namespace tir
}  // namespace tvm
