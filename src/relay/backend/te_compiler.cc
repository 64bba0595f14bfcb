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
        te::Tensor t = te::placeholder(StaticShape(types[i], "parameter " + name), types[i]->dtype, name);
        tensors.push_back(t);
        inputs.push_back(t);
      }
      memo_[param.get()] = tensors;
    }
    Walk(func->body);
    for (const te::Tensor& t : memo_.at(func->body.get())) outputs.push_back(OwnBuffer(t));
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
    Type out_type = call->checked_type();
    std::vector<TensorType> out_types;
    FlattenTensorTypes(out_type, "the result of " + std::string(op->name), &out_types);
    // The target's strategy picks the implementation; without one (or when it
    // offers none for this call) the operator's own compute runs.
    OpImplementation impl;
    if (fstrategy.count(op)) impl = fstrategy[op](call->attrs, args, out_type, target_).Best();
    TVM_CHECK(impl.defined() || fcompute.count(op), "NotImplementedError")
        << "operator " << op->name << " has no compute (FTVMCompute) and no implementation for target "
        << target_->str() << ": it cannot be compiled";
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
    std::string name = op->name;
    for (char& ch : name) {
      if (ch == '.') ch = '_';
    }
    readable_name += "_" + name;
    return outs;
  }

  /*!
   * \brief An output needs a buffer of its own: one that is an input (a
   *  parameter passed through) or repeats another output is copied.
   */
  te::Tensor OwnBuffer(const te::Tensor& t) {
    bool is_input = t->op.as<te::PlaceholderOpNode>() != nullptr;
    bool repeated = false;
    for (const te::Tensor& o : outputs) repeated = repeated || SameTensor(o, t);
    if (!is_input && !repeated) return t;
    te::Tensor src = t;
    return te::compute(
        t->shape,
        [src](const Array<tir::Var>& idx) {
          Array<PrimExpr> indices(idx.begin(), idx.end());
          return src(indices);
        },
        "copy", "elemwise");
  }

  Target target_;
  int master_pattern_ = -1;
  std::unordered_map<const Object*, Array<te::Tensor>> memo_;
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
  IRModule lowered = IRModule(Map<GlobalVar, BaseFunc>{});

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

}  // namespace backend
}  // namespace relay
}  // namespace tvm
