/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/te_compiler.cc
 * \brief Primitive functions to TE and to lowered kernels (see te_compiler.h).
 *
 * Assumes: the function is type-inferred, its shapes are static, and every
 * operator in it has an FTVMStrategy implementation for the target or an
 * FTVMCompute (tvm/relay/op_strategy.h says which wins). Guarantees: one PrimFunc per structurally
 * distinct function, named tvmgen_<mod>_fused_<ops in post order>, unique in
 * the compiler; its arguments are the flattened params, then the function's
 * non-scalar constants, then the flattened outputs.
 *
 * The schedule is the "master" operator's (the highest TOpPattern, the last
 * of equals, as TVM picks it; its chosen implementation's when it has a strategy) applied to the outputs of the whole function:
 * the generic schedules inline the injective stages and keep the rest at root,
 * so ops fused after the master stay correct.
 */
#include "te_compiler.h"

#include <tvm/driver/driver_api.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/op.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace tvm {
namespace relay {
namespace backend {

namespace {

// Longer kernel names are cut and made unique with a hash (as TVM does, so symbols stay readable).
constexpr size_t kMaxKernelNameLength = 80;

/*! \brief The tensor types of a (possibly nested tuple) type, in order. */
void FlattenTensorTypes(const Type& type, const std::string& what, std::vector<TensorType>* out) {
  if (const auto* tt = type.as<TensorTypeNode>()) {
    out->push_back(GetRef<TensorType>(tt));
  } else if (const auto* tuple = type.as<TupleTypeNode>()) {
    for (const Type& f : tuple->fields) FlattenTensorTypes(f, what, out);
  } else {
    TVM_CHECK(false, "TypeError") << "the TE compiler handles tensors and tuples of tensors only; " << what
                                  << " has type " << (type.defined() ? type->GetTypeKey() : "(none: not inferred)");
  }
}

/*!
 * \brief A type's shape as kernel extents: constants stay, relay.Any() becomes
 *  a fresh int64 size variable (TVM's any_dim), a shape variable stays. The
 *  packed entry binds each variable from the argument's DLTensor shape.
 */
Array<PrimExpr> KernelShape(const TensorType& type) {
  Array<PrimExpr> out;
  for (const PrimExpr& d : type->shape) {
    out.push_back(d.as<tir::AnyNode>() ? PrimExpr(tir::SizeVar("any_dim", DataType::Int(64))) : d);
  }
  return out;
}

/*! \brief `type` with every relay.Any() dimension replaced as KernelShape does (computes read out_type). */
Type WithKernelShapes(const Type& type) {
  if (const auto* tt = type.as<TensorTypeNode>()) {
    bool any = false;
    for (const PrimExpr& d : tt->shape) any = any || d.as<tir::AnyNode>();
    return any ? Type(TensorType(KernelShape(GetRef<TensorType>(tt)), tt->dtype)) : type;
  }
  if (const auto* tuple = type.as<TupleTypeNode>()) {
    Array<Type> fields;
    for (const Type& f : tuple->fields) fields.push_back(WithKernelShapes(f));
    return TupleType(fields);
  }
  return type;
}

/*! \brief The shape of `type` as constants; an error naming `what` when a dimension is not static. */
Array<PrimExpr> StaticShape(const TensorType& type, const std::string& what) {
  for (const PrimExpr& d : type->shape) {
    TVM_CHECK(d.as<IntImmNode>() != nullptr, "ValueError")
        << "the graph executor needs static shapes, but " << what << " has shape " << type->shape
        << " (dimension " << d << " is not a constant)";
  }
  return type->shape;
}

/*! \brief FNV-1a: the same symbol names on every platform and library version. */
uint64_t StableHash(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

bool SameTensor(const te::Tensor& a, const te::Tensor& b) {
  return a.same_as(b) || (a->op.same_as(b->op) && a->value_index == b->value_index);
}

/*! \brief The value of a scalar constant as an expression of its dtype. */
PrimExpr ScalarValue(const ConstantNode* c) {
  runtime::NDArray cpu = c->data;
  if (cpu->device.device_type != kDLCPU) cpu = cpu.CopyTo(DLDevice{kDLCPU, 0});
  DataType t(cpu->dtype);
  const void* p = static_cast<const char*>(cpu->data) + cpu->byte_offset;
  if (t.is_bool()) return make_const(t, static_cast<int64_t>(*static_cast<const uint8_t*>(p) != 0));
  if (t.is_int() || t.is_uint()) {
    // Signed and unsigned apart: one conditional expression would convert both to unsigned.
    int64_t v = 0;
    if (t.is_int()) {
      switch (t.bits()) {
        case 8: v = *static_cast<const int8_t*>(p); break;
        case 16: v = *static_cast<const int16_t*>(p); break;
        case 32: v = *static_cast<const int32_t*>(p); break;
        case 64: v = *static_cast<const int64_t*>(p); break;
        default: TVM_CHECK(false, "TypeError") << "a scalar constant of dtype " << t << " cannot be compiled";
      }
    } else {
      switch (t.bits()) {
        case 8: v = *static_cast<const uint8_t*>(p); break;
        case 16: v = *static_cast<const uint16_t*>(p); break;
        case 32: v = *static_cast<const uint32_t*>(p); break;
        case 64: v = static_cast<int64_t>(*static_cast<const uint64_t*>(p)); break;
        default: TVM_CHECK(false, "TypeError") << "a scalar constant of dtype " << t << " cannot be compiled";
      }
    }
    return make_const(t, v);
  }
  if (t.is_float()) {
    if (t.bits() == 32) return make_const(t, static_cast<double>(*static_cast<const float*>(p)));
    if (t.bits() == 64) return make_const(t, *static_cast<const double*>(p));
  }
  // float16 and others: keep the exact bits through a reinterpret of an unsigned integer.
  TVM_CHECK(t.bits() == 16, "TypeError") << "a scalar constant of dtype " << t << " cannot be compiled";
  return tir::Call(t, Op::Get("tir.reinterpret"),
                   {make_const(DataType::UInt(16), static_cast<int64_t>(*static_cast<const uint16_t*>(p)))});
}

/*!
 * \brief `t` as an output of a fused function: one that is an input (a parameter passed
 *  through) or repeats one of `outputs` gets a buffer of its own through a copy.
 */
te::Tensor OwnBuffer(const te::Tensor& t, const Array<te::Tensor>& outputs) {
  bool is_input = t->op.as<te::PlaceholderOpNode>() != nullptr;
  bool repeated = false;
  for (const te::Tensor& o : outputs) repeated = repeated || SameTensor(o, t);
  if (!is_input && !repeated) return t;
  te::Tensor src = t;
  return te::compute(
      t->shape, [src](const Array<tir::Var>& idx) { return src(Array<PrimExpr>(idx.begin(), idx.end())); },
      "copy", "elemwise");
}

/*! \brief Append "_<op name with . -> _>" to a kernel's readable name (fused_nn_conv2d_add). */
void AppendOpName(std::string* readable_name, const std::string& op_name) {
  std::string name = op_name;
  for (char& ch : name) {
    if (ch == '.') ch = '_';
  }
  *readable_name += "_" + name;
}

/*! \brief One primitive function as TE: its inputs, outputs, master op and name. */
class FunctionToTE {
 public:
  explicit FunctionToTE(const Target& target) : target_(target) {}

  void Run(const Function& func) {
    for (const Var& param : func->params) {
      std::vector<TensorType> types;
      FlattenTensorTypes(param->checked_type(), "parameter " + std::string(param->name_hint), &types);
      Array<te::Tensor> tensors;
      for (size_t i = 0; i < types.size(); ++i) {
        std::string name = types.size() == 1 ? std::string(param->name_hint)
                                             : std::string(param->name_hint) + "_" + std::to_string(i);
        te::Tensor t = te::placeholder(KernelShape(types[i]), types[i]->dtype, name);
        tensors.push_back(t);
        inputs.push_back(t);
      }
      memo_[param.get()] = tensors;
    }
    Walk(func->body);
    for (const te::Tensor& t : memo_.at(func->body.get())) outputs.push_back(OwnBuffer(t, outputs));
  }

  Array<te::Tensor> inputs;
  Array<te::Tensor> constant_inputs;
  std::vector<Constant> constants;
  Array<te::Tensor> outputs;
  Op master;
  Attrs master_attrs;
  /*! \brief The master's implementation when its operator has a strategy. */
  OpImplementation master_impl;
  std::string readable_name = "fused";

 private:
  // Post order over the body with an explicit stack: a long fused chain never recurses.
  void Walk(const Expr& root) {
    std::vector<std::pair<Expr, bool>> stack{{root, false}};
    while (!stack.empty()) {
      auto [node, expanded] = stack.back();
      stack.pop_back();
      if (memo_.count(node.get())) continue;
      std::vector<Expr> children;
      if (const auto* call = node.as<CallNode>()) {
        for (const Expr& a : call->args) children.push_back(a);
      } else if (const auto* tuple = node.as<TupleNode>()) {
        for (const Expr& f : tuple->fields) children.push_back(f);
      } else if (const auto* get = node.as<TupleGetItemNode>()) {
        children.push_back(get->tuple);
      }
      if (!expanded && !children.empty()) {
        stack.push_back({node, true});
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
          if (!memo_.count(it->get())) stack.push_back({*it, false});
        }
        continue;
      }
      memo_[node.get()] = Visit(node);
    }
  }

  Array<te::Tensor> Visit(const Expr& node) {
    if (const auto* call = node.as<CallNode>()) return VisitCall(call);
    if (const auto* c = node.as<ConstantNode>()) return VisitConstant(c);
    if (const auto* tuple = node.as<TupleNode>()) {
      Array<te::Tensor> out;
      for (const Expr& f : tuple->fields) {
        for (const te::Tensor& t : memo_.at(f.get())) out.push_back(t);
      }
      return out;
    }
    if (const auto* get = node.as<TupleGetItemNode>()) {
      const auto* tuple_type = get->tuple->checked_type().as<TupleTypeNode>();
      TVM_CHECK(tuple_type != nullptr && get->index >= 0 && static_cast<size_t>(get->index) < tuple_type->fields.size(),
                "IndexError")
          << "TupleGetItem index " << get->index << " is out of range of its tuple";
      // The fields before `index` take this many flattened tensors.
      size_t offset = 0;
      std::vector<TensorType> types;
      for (int i = 0; i < get->index; ++i) FlattenTensorTypes(tuple_type->fields[i], "a tuple field", &types);
      offset = types.size();
      types.clear();
      FlattenTensorTypes(tuple_type->fields[get->index], "a tuple field", &types);
      const Array<te::Tensor>& all = memo_.at(get->tuple.get());
      Array<te::Tensor> out;
      for (size_t i = 0; i < types.size(); ++i) out.push_back(all[offset + i]);
      return out;
    }
    if (const auto* var = node.as<VarNode>()) {
      TVM_CHECK(false, "ValueError") << "the primitive function uses the variable " << var->name_hint
                                     << ", which is not one of its parameters";
    }
    TVM_CHECK(false, "TypeError") << "the TE compiler cannot lower a " << node->GetTypeKey()
                                  << " inside a primitive function (only operator calls, tuples, "
                                     "projections, constants and parameters)";
    return {};
  }

  Array<te::Tensor> VisitConstant(const ConstantNode* c) {
    if (c->is_scalar()) {
      PrimExpr value = ScalarValue(c);
      return {te::compute({}, [value](const Array<tir::Var>&) { return value; }, "compile_engine_const", "broadcast")};
    }
    // A tensor constant becomes an input the codegen feeds from the params.
    std::string name = "c" + std::to_string(constants.size());
    TensorType type = c->tensor_type();
    te::Tensor t = te::placeholder(StaticShape(type, "a constant"), type->dtype, name);
    constants.push_back(GetRef<Constant>(c));
    constant_inputs.push_back(t);
    return {t};
  }

  Array<te::Tensor> VisitCall(const CallNode* call) {
    const auto* op_node = call->op.as<OpNode>();
    TVM_CHECK(op_node != nullptr, "TypeError")
        << "a primitive function may call operators only; it calls a " << call->op->GetTypeKey();
    Op op = GetRef<Op>(op_node);
    static const auto fcompute = Op::GetAttrMap<FTVMCompute>("FTVMCompute");
    static const auto fstrategy = Op::GetAttrMap<FTVMStrategy>("FTVMStrategy");
    static const auto fpattern = Op::GetAttrMap<TOpPattern>("TOpPattern");
    Array<te::Tensor> args;
    for (const Expr& a : call->args) {
      for (const te::Tensor& t : memo_.at(a.get())) args.push_back(t);
    }
    Type out_type = WithKernelShapes(call->checked_type());
    std::vector<TensorType> out_types;
    FlattenTensorTypes(out_type, "the result of " + std::string(op->name), &out_types);
    // The target's strategy picks the implementation; without one (or when it
    // offers none for this call) the operator's own compute runs.
    OpImplementation impl;
    if (fstrategy.count(op)) impl = fstrategy[op](call->attrs, args, out_type, target_).Best();
    TVM_CHECK(impl.defined() || fcompute.count(op), "NotImplementedError")
        << "operator " << op->name << " has no compute (FTVMCompute) and no implementation for target "
        << target_->str() << ": it cannot be compiled (an operator whose compute or strategy is registered "
        << "from Python, in python/tvm/relay/op, has none in a process where tvm.relay is not imported)";
    Array<te::Tensor> outs = impl.defined() ? impl.Compute(call->attrs, args, out_type)
                                            : fcompute[op](call->attrs, args, out_type);
    TVM_CHECK(outs.size() == out_types.size(), "ValueError")
        << "the compute of " << op->name << " gave " << outs.size() << " tensors for a result of "
        << out_types.size();
    for (size_t i = 0; i < outs.size(); ++i) {
      bool same = outs[i]->shape.size() == out_types[i]->shape.size() && outs[i]->dtype == out_types[i]->dtype;
      for (size_t d = 0; same && d < outs[i]->shape.size(); ++d) {
        const auto* a = outs[i]->shape[d].as<IntImmNode>();
        const auto* b = out_types[i]->shape[d].as<IntImmNode>();
        same = a == nullptr || b == nullptr || a->value == b->value;
      }
      TVM_CHECK(same, "ValueError") << "the compute of " << op->name << " gave a tensor of shape " << outs[i]->shape
                                    << " and dtype " << outs[i]->dtype << " where type inference says "
                                    << out_types[i];
    }
    int pattern = fpattern.get(op, kOpaque);
    // Ties go to the last op, as TVM picks its master.
    if (pattern >= master_pattern_) {
      master_pattern_ = pattern;
      master = op;
      master_attrs = call->attrs;
      master_impl = impl;
    }
    AppendOpName(&readable_name, op->name);
    return outs;
  }

  Target target_;
  int master_pattern_ = -1;
  std::unordered_map<const Object*, Array<te::Tensor>> memo_;
};

/*!
 * \brief The shape function of one primitive function as TE: each operator's
 *  FShapeFunc composed over the body. A value is represented by its shape
 *  tensors (1-D int64, one per flattened tensor); where an operator reads an
 *  argument's data (TShapeDataDependent), the argument must be a parameter or
 *  a constant, and the parameter then enters the shape function as its data.
 *
 *   fn (%p0: (?, 4), %p1: (4)) { nn.relu(add(%p0, %p1)) }
 *     -> p0_shape[2], p1_shape[1] -> add's broadcast shape -> relu's identity
 */
class ShapeFuncToTE {
 public:
  void Run(const Function& func) {
    // Which parameters are read as data, which by shape: a first walk over the calls.
    std::unordered_map<const Object*, size_t> param_index;
    for (size_t i = 0; i < func->params.size(); ++i) param_index[func->params[i].get()] = i;
    param_data.assign(func->params.size(), false);
    param_shape.assign(func->params.size(), false);
    std::vector<Expr> order = PostOrder(func->body);
    for (const Expr& e : order) {
      const auto* call = e.as<CallNode>();
      if (call == nullptr) continue;
      std::vector<bool> deps = DataDependence(call);
      for (size_t i = 0; i < call->args.size(); ++i) {
        for (const Expr& leaf : Leaves(call->args[i])) {
          auto it = param_index.find(leaf.get());
          if (it == param_index.end()) continue;
          (deps[i] ? param_data : param_shape)[it->second] = true;
        }
      }
    }
    // A body that is a parameter (or a tuple of them) needs that parameter's shape.
    for (const Expr& leaf : Leaves(func->body)) {
      auto it = param_index.find(leaf.get());
      if (it != param_index.end()) param_shape[it->second] = true;
    }
    for (size_t i = 0; i < func->params.size(); ++i) {
      const Var& param = func->params[i];
      std::vector<TensorType> types;
      FlattenTensorTypes(param->checked_type(), "parameter " + std::string(param->name_hint), &types);
      Array<te::Tensor> data, shapes;
      for (size_t k = 0; k < types.size(); ++k) {
        std::string name = types.size() == 1 ? std::string(param->name_hint)
                                             : std::string(param->name_hint) + "_" + std::to_string(k);
        data.push_back(te::placeholder(KernelShape(types[k]), types[k]->dtype, name));
        int64_t ndim = static_cast<int64_t>(types[k]->shape.size());
        shapes.push_back(te::placeholder({Integer(ndim)}, DataType::Int(64), name + "_shape"));
      }
      if (param_data[i]) {
        for (const te::Tensor& t : data) inputs.push_back(t);
      }
      if (param_shape[i]) {
        for (const te::Tensor& t : shapes) inputs.push_back(t);
      }
      data_[param.get()] = data;
      shape_[param.get()] = shapes;
    }
    for (const Expr& e : order) {
      if (!shape_.count(e.get())) shape_[e.get()] = Visit(e);
    }
    std::vector<TensorType> out_types;
    FlattenTensorTypes(func->body->checked_type(), "the function's result", &out_types);
    for (const TensorType& t : out_types) output_ndims.push_back(static_cast<int64_t>(t->shape.size()));
    for (const te::Tensor& t : shape_.at(func->body.get())) outputs.push_back(OwnBuffer(t, outputs));
  }

  std::vector<bool> param_data;
  std::vector<bool> param_shape;
  std::vector<int64_t> output_ndims;
  Array<te::Tensor> inputs;
  Array<te::Tensor> outputs;
  std::string readable_name = "fused";

 private:
  /*! \brief The nodes of the body below calls, tuples and projections, children first; no recursion. */
  static std::vector<Expr> PostOrder(const Expr& root) {
    std::vector<Expr> order;
    std::unordered_set<const Object*> done;
    std::vector<std::pair<Expr, bool>> stack{{root, false}};
    while (!stack.empty()) {
      auto [node, expanded] = stack.back();
      stack.pop_back();
      if (done.count(node.get())) continue;
      if (!expanded) {
        stack.push_back({node, true});
        std::vector<Expr> children;
        if (const auto* call = node.as<CallNode>()) {
          for (const Expr& a : call->args) children.push_back(a);
        } else if (const auto* tuple = node.as<TupleNode>()) {
          for (const Expr& f : tuple->fields) children.push_back(f);
        } else if (const auto* get = node.as<TupleGetItemNode>()) {
          children.push_back(get->tuple);
        }
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
          if (!done.count(it->get())) stack.push_back({*it, false});
        }
        continue;
      }
      done.insert(node.get());
      order.push_back(node);
    }
    return order;
  }

  /*! \brief The expressions an argument's value comes from through tuples and projections. */
  static std::vector<Expr> Leaves(const Expr& arg) {
    std::vector<Expr> out;
    std::vector<Expr> stack{arg};
    while (!stack.empty()) {
      Expr e = stack.back();
      stack.pop_back();
      if (const auto* tuple = e.as<TupleNode>()) {
        for (const Expr& f : tuple->fields) stack.push_back(f);
      } else if (const auto* get = e.as<TupleGetItemNode>()) {
        stack.push_back(get->tuple);
      } else {
        out.push_back(e);
      }
    }
    return out;
  }

  /*! \brief Per argument of the call, whether its operator's shape function reads the data. */
  static std::vector<bool> DataDependence(const CallNode* call) {
    const auto* op = call->op.as<OpNode>();
    TVM_CHECK(op != nullptr, "TypeError")
        << "a primitive function may call operators only; it calls a " << call->op->GetTypeKey();
    static const auto fshape = Op::GetAttrMap<runtime::PackedFunc>("FShapeFunc");
    static const auto fdep = Op::GetAttrMap<Array<ObjectRef>>("TShapeDataDependent");
    Op ref = GetRef<Op>(op);
    TVM_CHECK(fshape.count(ref), "NotImplementedError")
        << "operator " << op->name << " has no shape function (FShapeFunc), so a call of it with dynamic "
        << "shapes (relay.Any()) cannot be compiled; its result type is " << call->checked_type();
    std::vector<bool> deps(call->args.size(), false);
    if (fdep.count(ref)) {
      Array<ObjectRef> spec = fdep[ref];
      for (size_t i = 0; i < deps.size() && !spec.empty(); ++i) {
        // One flag stands for every argument.
        const ObjectRef& flag = spec[spec.size() == 1 ? 0 : std::min(i, spec.size() - 1)];
        const auto* imm = flag.as<IntImmNode>();
        deps[i] = imm != nullptr && imm->value != 0;
      }
    }
    return deps;
  }

  Array<te::Tensor> Visit(const Expr& node) {
    if (const auto* call = node.as<CallNode>()) return VisitCall(call);
    if (const auto* c = node.as<ConstantNode>()) {
      int64_t ndim = c->data->ndim;
      std::vector<int64_t> dims(c->data->shape, c->data->shape + ndim);
      return {te::compute(
          {Integer(ndim)},
          [dims](const Array<tir::Var>& i) {
            PrimExpr v = make_const(DataType::Int(64), 0);
            for (size_t k = dims.size(); k-- > 0;) {
              v = tir::Select(i[0] == make_const(i[0].dtype(), static_cast<int64_t>(k)), make_const(DataType::Int(64), dims[k]), v);
            }
            return v;
          },
          "const_shape", "injective")};
    }
    if (const auto* tuple = node.as<TupleNode>()) {
      Array<te::Tensor> out;
      for (const Expr& f : tuple->fields) {
        for (const te::Tensor& t : shape_.at(f.get())) out.push_back(t);
      }
      return out;
    }
    if (const auto* get = node.as<TupleGetItemNode>()) return Project(get, shape_.at(get->tuple.get()));
    if (const auto* var = node.as<VarNode>()) {
      TVM_CHECK(false, "ValueError") << "the primitive function uses the variable " << var->name_hint
                                     << ", which is not one of its parameters";
    }
    TVM_CHECK(false, "TypeError") << "the shape function of a primitive function cannot contain a "
                                  << node->GetTypeKey();
    return {};
  }

  static Array<te::Tensor> Project(const TupleGetItemNode* get, const Array<te::Tensor>& all) {
    const auto* tuple_type = get->tuple->checked_type().as<TupleTypeNode>();
    TVM_CHECK(tuple_type != nullptr && get->index >= 0 && static_cast<size_t>(get->index) < tuple_type->fields.size(),
              "IndexError")
        << "TupleGetItem index " << get->index << " is out of range of its tuple";
    std::vector<TensorType> types;
    for (int i = 0; i < get->index; ++i) FlattenTensorTypes(tuple_type->fields[i], "a tuple field", &types);
    size_t offset = types.size();
    types.clear();
    FlattenTensorTypes(tuple_type->fields[get->index], "a tuple field", &types);
    Array<te::Tensor> out;
    for (size_t i = 0; i < types.size(); ++i) out.push_back(all[offset + i]);
    return out;
  }

  /*! \brief The data of an argument read by a data-dependent shape function. */
  Array<te::Tensor> Data(const Expr& arg, const std::string& op_name) {
    if (const auto* tuple = arg.as<TupleNode>()) {
      Array<te::Tensor> out;
      for (const Expr& f : tuple->fields) {
        for (const te::Tensor& t : Data(f, op_name)) out.push_back(t);
      }
      return out;
    }
    if (const auto* get = arg.as<TupleGetItemNode>()) return Project(get, Data(get->tuple, op_name));
    auto it = data_.find(arg.get());
    if (it != data_.end()) return it->second;
    if (const auto* c = arg.as<ConstantNode>()) {
      // A constant's values, folded into the shape function (shape arguments are small).
      constexpr int64_t kMaxElements = 1024;
      runtime::NDArray cpu = c->data;
      if (cpu->device.device_type != kDLCPU) cpu = cpu.CopyTo(DLDevice{kDLCPU, 0});
      int64_t n = 1;
      for (int k = 0; k < cpu->ndim; ++k) n *= cpu->shape[k];
      TVM_CHECK(n <= kMaxElements, "NotImplementedError")
          << "the shape function of " << op_name << " reads a constant of " << n << " elements; at most "
          << kMaxElements << " are folded into a shape function";
      DataType t(cpu->dtype);
      size_t bytes = (t.bits() * t.lanes() + 7) / 8;
      std::vector<PrimExpr> values;
      for (int64_t k = 0; k < n; ++k) {
        auto view = runtime::NDArray::Empty({}, t, DLDevice{kDLCPU, 0});
        std::memcpy(view->data, static_cast<const char*>(cpu->data) + cpu->byte_offset + k * bytes, bytes);
        Constant scalar(view);
        values.push_back(ScalarValue(scalar.operator->()));
      }
      Array<PrimExpr> shape;
      std::vector<int64_t> strides(cpu->ndim, 1);
      for (int k = cpu->ndim; k-- > 0;) {
        shape.insert(shape.begin(), Integer(cpu->shape[k]));
        if (k + 1 < cpu->ndim) strides[k] = strides[k + 1] * cpu->shape[k + 1];
      }
      te::Tensor out = te::compute(
          shape,
          [values, strides](const Array<tir::Var>& idx) {
            PrimExpr flat = make_const(DataType::Int(64), 0);
            for (size_t k = 0; k < idx.size(); ++k) flat = flat + cast(DataType::Int(64), idx[k]) * make_const(DataType::Int(64), strides[k]);
            PrimExpr v = values.back();
            for (size_t k = values.size() - 1; k-- > 0;) {
              v = tir::Select(flat == make_const(DataType::Int(64), static_cast<int64_t>(k)), values[k], v);
            }
            return v;
          },
          "data_const", "injective");
      data_[arg.get()] = {out};
      return {out};
    }
    TVM_CHECK(false, "NotImplementedError")
        << "the shape function of " << op_name << " reads the values of an argument computed inside the same "
        << "fused function; only parameters and constants can be read by a shape function";
    return {};
  }

  Array<te::Tensor> VisitCall(const CallNode* call) {
    const auto* op = call->op.as<OpNode>();
    std::vector<bool> deps = DataDependence(call);
    static const auto fshape = Op::GetAttrMap<runtime::PackedFunc>("FShapeFunc");
    Array<te::Tensor> args;
    for (size_t i = 0; i < call->args.size(); ++i) {
      Array<te::Tensor> in = deps[i] ? Data(call->args[i], op->name) : shape_.at(call->args[i].get());
      for (const te::Tensor& t : in) args.push_back(t);
    }
    std::vector<TensorType> out_types;
    FlattenTensorTypes(call->checked_type(), "the result of " + std::string(op->name), &out_types);
    Array<PrimExpr> out_ndims;
    for (const TensorType& t : out_types) out_ndims.push_back(Integer(static_cast<int>(t->shape.size())));
    Array<te::Tensor> outs = fshape[GetRef<Op>(op)](call->attrs, args, out_ndims);
    TVM_CHECK(outs.size() == out_types.size(), "ValueError")
        << "the shape function of " << op->name << " gave " << outs.size() << " tensors for a result of "
        << out_types.size() << " tensors";
    for (size_t j = 0; j < outs.size(); ++j) {
      const auto* len = outs[j]->shape.size() == 1 ? outs[j]->shape[0].as<IntImmNode>() : nullptr;
      TVM_CHECK(len != nullptr && len->value == static_cast<int64_t>(out_types[j]->shape.size()) &&
                    outs[j]->dtype == DataType::Int(64),
                "ValueError")
          << "the shape function of " << op->name << " must give a 1-D int64 tensor of length "
          << out_types[j]->shape.size() << " for output " << j << ", it gave shape " << outs[j]->shape
          << " and dtype " << outs[j]->dtype;
    }
    AppendOpName(&readable_name, op->name);
    return outs;
  }

  std::unordered_map<const Object*, Array<te::Tensor>> shape_;
  std::unordered_map<const Object*, Array<te::Tensor>> data_;
};

/*!
 * \brief A cheap fingerprint of a primitive function: its operators, attribute
 *  kinds and tensor types in post order. Functions that differ only in
 *  attribute values or constants share a fingerprint; StructuralEqual decides
 *  among those (the full StructuralHash costs several times more, which shows
 *  on graphs of 100,000 calls).
 */
size_t Fingerprint(const Function& func) {
  size_t h = func->params.size();
  auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  auto mix_type = [&mix](const Type& t) {
    if (const auto* tt = t.as<TensorTypeNode>()) {
      mix(std::hash<int>{}(tt->dtype.code()) ^ (static_cast<size_t>(tt->dtype.bits()) << 8));
      for (const PrimExpr& d : tt->shape) {
        const auto* imm = d.as<IntImmNode>();
        mix(imm ? std::hash<int64_t>{}(imm->value) : 0x5bd1e995);
      }
    } else if (const auto* tuple = t.as<TupleTypeNode>()) {
      mix(tuple->fields.size());
    }
  };
  for (const Var& p : func->params) mix_type(p->checked_type());
  std::vector<Expr> stack{func->body};
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Expr e = stack.back();
    stack.pop_back();
    if (!seen.insert(e.get()).second) continue;
    mix(std::hash<uint32_t>{}(e->type_index()));
    if (e->checked_type_.defined()) mix_type(e->checked_type_);
    if (const auto* call = e.as<CallNode>()) {
      if (const auto* op = call->op.as<OpNode>()) mix(std::hash<std::string>{}(op->name));
      if (call->attrs.defined()) mix(std::hash<uint32_t>{}(call->attrs->type_index()));
      for (const Expr& a : call->args) stack.push_back(a);
    } else if (const auto* tuple = e.as<TupleNode>()) {
      for (const Expr& f : tuple->fields) stack.push_back(f);
    } else if (const auto* get = e.as<TupleGetItemNode>()) {
      mix(get->index);
      stack.push_back(get->tuple);
    }
  }
  return h;
}

}  // namespace

struct TECompiler::Impl {
  Target target;
  std::string prefix;
  // fingerprint -> the functions lowered with it (structurally distinct) and their kernels
  std::unordered_map<size_t, std::deque<std::pair<Function, LoweredKernel>>> cache;  // stable references
  std::unordered_map<std::string, int> next_suffix;
  std::unordered_set<std::string> used;
  std::unordered_map<size_t, std::deque<std::pair<Function, LoweredShapeFunc>>> shape_cache;
  IRModule lowered = IRModule(Map<GlobalVar, BaseFunc>{});

  LoweredShapeFunc LowerShapeFuncNew(const Function& func) {
    TVM_CHECK(func->attrs.HasNonzeroAttr(attr::kPrimitive), "ValueError")
        << "the TE compiler lowers the shape functions of primitive functions (attribute Primitive=1) only";
    ShapeFuncToTE te_func;
    {
      With<Target> scope(target);
      te_func.Run(func);
    }
    LoweredShapeFunc out;
    out.name = UniqueName(te_func.readable_name + "_shape_func");
    out.param_data = te_func.param_data;
    out.param_shape = te_func.param_shape;
    out.output_ndims = te_func.output_ndims;
    out.inputs = te_func.inputs;
    out.outputs = te_func.outputs;
    Array<te::Operation> ops;
    for (const te::Tensor& t : te_func.outputs) ops.push_back(t.op());
    // Shape functions do a few scalar operations: the default schedule, no threads.
    te::Schedule sch = te::create_schedule(ops);
    Array<ObjectRef> args;
    for (const te::Tensor& t : te_func.inputs) args.push_back(t);
    for (const te::Tensor& t : te_func.outputs) args.push_back(t);
    lowered.CopyOnWrite()->Update(LowerSchedule(sch, args, out.name, {}));
    return out;
  }

  std::string UniqueName(std::string name) {
    if (name.size() > kMaxKernelNameLength) {
      std::ostringstream cut;
      cut << name.substr(0, kMaxKernelNameLength) << "_" << std::hex << StableHash(name);
      name = cut.str();
    }
    name = prefix + name;
    // The next suffix to try for this name; a suffixed name may itself be taken already.
    std::string unique = name;
    for (int& k = next_suffix[name]; used.count(unique);) unique = name + "_" + std::to_string(++k);
    used.insert(unique);
    return unique;
  }

  LoweredKernel LowerNew(const Function& func) {
    TVM_CHECK(func->attrs.HasNonzeroAttr(attr::kPrimitive), "ValueError")
        << "the TE compiler lowers primitive functions (attribute Primitive=1) only";
    FunctionToTE te_func(target);
    te::Schedule sch;
    {
      // Computes see the target too: a strategy or compute may specialise on it.
      With<Target> scope(target);
      te_func.Run(func);
      static const auto fschedule = Op::GetAttrMap<FTVMSchedule>("FTVMSchedule");
      if (te_func.master_impl.defined()) {
        sch = te_func.master_impl.Schedule(te_func.master_attrs, te_func.outputs, target);
      } else if (te_func.master.defined() && fschedule.count(te_func.master)) {
        sch = fschedule[te_func.master](te_func.master_attrs, te_func.outputs, target);
      } else {
        Array<te::Operation> ops;
        for (const te::Tensor& t : te_func.outputs) ops.push_back(t.op());
        sch = te::create_schedule(ops);
      }
    }
    LoweredKernel kernel;
    kernel.name = UniqueName(te_func.readable_name);
    kernel.constants = te_func.constants;
    kernel.outputs = te_func.outputs;
    kernel.schedule = sch;
    Array<ObjectRef> args;
    for (const te::Tensor& t : te_func.inputs) kernel.inputs.push_back(t);
    for (const te::Tensor& t : te_func.constant_inputs) kernel.inputs.push_back(t);
    for (const te::Tensor& t : kernel.inputs) args.push_back(t);
    for (const te::Tensor& t : te_func.outputs) args.push_back(t);
    IRModule mod = LowerSchedule(sch, args, kernel.name, {});
    lowered.CopyOnWrite()->Update(mod);
    return kernel;
  }
};

TECompiler::TECompiler(Target target, std::string mod_name) : impl_(std::make_unique<Impl>()) {
  impl_->target = std::move(target);
  impl_->prefix = "tvmgen_" + (mod_name.empty() ? std::string("default") : mod_name) + "_";
}

void TECompiler::SetKernelPrefix(std::string prefix) { impl_->prefix = std::move(prefix); }

TECompiler::~TECompiler() = default;

const LoweredKernel& TECompiler::Lower(const Function& func) {
  auto& bucket = impl_->cache[Fingerprint(func)];
  for (const auto& entry : bucket) {
    if (entry.first.same_as(func) || StructuralEqual()(entry.first, func)) return entry.second;
  }
  LoweredKernel kernel = impl_->LowerNew(func);
  bucket.emplace_back(func, std::move(kernel));
  return bucket.back().second;
}

const LoweredShapeFunc& TECompiler::LowerShapeFunc(const Function& func) {
  auto& bucket = impl_->shape_cache[Fingerprint(func)];
  for (const auto& entry : bucket) {
    if (entry.first.same_as(func) || StructuralEqual()(entry.first, func)) return entry.second;
  }
  LoweredShapeFunc lowered = impl_->LowerShapeFuncNew(func);
  bucket.emplace_back(func, std::move(lowered));
  return bucket.back().second;
}

IRModule TECompiler::LoweredModule() const { return impl_->lowered; }

bool IsReshapeOnly(const FunctionNode* func) {
  if (func->params.size() != 1 || func->params[0]->checked_type().as<TensorTypeNode>() == nullptr) return false;
  const auto* out = func->body->checked_type().as<TensorTypeNode>();
  const auto* in = func->params[0]->checked_type().as<TensorTypeNode>();
  if (out == nullptr || out->dtype != in->dtype) return false;
  if (func->attrs.HasNonzeroAttr("relay.reshape_only")) return true;
  static const std::unordered_set<std::string> kReshapeOps = {"reshape", "expand_dims", "squeeze",
                                                               "contrib_reverse_reshape", "nn.batch_flatten"};
  Expr e = func->body;
  while (const auto* call = e.as<CallNode>()) {
    const auto* op = call->op.as<OpNode>();
    if (op == nullptr || call->args.size() != 1 || !kReshapeOps.count(op->name)) return false;
    e = call->args[0];
  }
  return e.same_as(func->params[0]);
}

Call WrapOperatorCall(const Call& call) {
  Array<Var> params;
  Array<Expr> inner_args;
  Array<Expr> outer_args;
  for (const Expr& arg : call->args) {
    const auto* c = arg.as<ConstantNode>();
    if (c != nullptr && c->is_scalar()) {
      inner_args.push_back(arg);
      continue;
    }
    Var p("p" + std::to_string(params.size()), arg->checked_type());
    p->checked_type_ = arg->checked_type();
    params.push_back(p);
    inner_args.push_back(p);
    outer_args.push_back(arg);
  }
  Call inner(call->op, inner_args, call->attrs, call->type_args);
  inner->checked_type_ = call->checked_type();
  Function func(params, inner, call->checked_type());
  func = WithAttr(std::move(func), attr::kPrimitive, Integer(1));
  Call outer(func, outer_args);
  outer->checked_type_ = call->checked_type();
  return outer;
}

/*!
 * \brief relay.backend._TECompilerLower(func, target, mod_name): lower one
 *  primitive function and return [kernel name, IRModule of the kernel, the
 *  constants it takes, input tensors (params then constants), output tensors,
 *  schedule].
 */
TVM_REGISTER_GLOBAL("relay.backend._TECompilerLower")
    .set_body_typed([](Function func, Target target, String mod_name) {
      TECompiler compiler(target, mod_name);
      const LoweredKernel& kernel = compiler.Lower(func);
      Array<ObjectRef> constants(kernel.constants.begin(), kernel.constants.end());
      return Array<ObjectRef>{String(kernel.name), compiler.LoweredModule(), constants,
                              kernel.inputs, kernel.outputs, kernel.schedule};
    });

/*!
 * \brief relay.backend._TECompilerLowerShapeFunc(func, target, mod_name): lower
 *  the shape function of one primitive function and return [name, IRModule,
 *  per param whether its data is read, per param whether its shape is read,
 *  the rank of each output].
 */
TVM_REGISTER_GLOBAL("relay.backend._TECompilerLowerShapeFunc")
    .set_body_typed([](Function func, Target target, String mod_name) {
      TECompiler compiler(target, mod_name);
      const LoweredShapeFunc& f = compiler.LowerShapeFunc(func);
      Array<Integer> data, shape, ndims;
      for (bool b : f.param_data) data.push_back(Integer(b ? 1 : 0));
      for (bool b : f.param_shape) shape.push_back(Integer(b ? 1 : 0));
      for (int64_t n : f.output_ndims) ndims.push_back(Integer(static_cast<int>(n)));
      return Array<ObjectRef>{String(f.name), compiler.LoweredModule(), data, shape, ndims};
    });

}  // namespace backend
}  // namespace relay
}  // namespace tvm
