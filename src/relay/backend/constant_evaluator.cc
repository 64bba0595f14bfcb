/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/constant_evaluator.cc
 * \brief FoldConstant's evaluator: each operator call of the closed expressions
 *  runs as a kernel of its own, compiled from the operator's FTVMCompute and
 *  FTVMSchedule for "llvm -opt-level=0" (the kernels run once, on weights:
 *  compiling fast matters more than their speed; -O0 does not change float
 *  results) and run on the CPU.
 *
 * The same kernels whichever process compiles: a C++ program and Python fold
 * a model's constants to the same bits, so relay.build writes the same library.
 * Kernels are kept for the process's life, keyed by operator, attributes and
 * input types, so a model's repeated layers (and repeated builds) compile once.
 * Walks with an explicit stack: a chain of 100,000 calls does not recurse.
 */
#include "constant_evaluator.h"

#include <tvm/driver/driver_api.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/ir/structural_hash.h>
#include <tvm/relay/op.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/topi/elemwise.h>

#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace relay {
namespace backend {

namespace {

struct Kernel {
  runtime::Module module;  // keeps the code alive
  runtime::PackedFunc func;
  std::vector<TensorType> out_types;
  bool returns_tuple = false;
};

/*! \brief The tensors of a value: itself, or the fields of a tuple of tensors. */
std::vector<runtime::NDArray> Flatten(const ObjectRef& value, const Op& op) {
  if (const auto* nd = value.as<runtime::NDArray::Container>()) return {GetRef<runtime::NDArray>(nd)};
  const auto* arr = value.as<runtime::ArrayNode>();
  TVM_CHECK(arr != nullptr, "TypeError") << "FoldConstant: an argument of " << op->name << " is a "
                                         << value->GetTypeKey() << ", not a tensor or a tuple of tensors";
  std::vector<runtime::NDArray> out;
  for (const ObjectRef& f : arr->data) {
    const auto* nd = f.as<runtime::NDArray::Container>();
    TVM_CHECK(nd != nullptr, "NotImplementedError")
        << "FoldConstant: " << op->name << " takes a nested tuple, which the constant evaluator does not run";
    out.push_back(GetRef<runtime::NDArray>(nd));
  }
  return out;
}

/*! \brief A dimension as te.placeholder's Python callers write it (int32 when it fits). */
PrimExpr Dim(int64_t d) {
  bool fits = d >= INT32_MIN && d <= INT32_MAX;
  return IntImm(fits ? DataType::Int(32) : DataType::Int(64), d);
}

class KernelCache {
 public:
  static KernelCache* Global() {
    static KernelCache* cache = new KernelCache();  // lives as long as the kernels' callers
    return cache;
  }

  /*! \brief The kernel of `call` for inputs of these shapes and dtypes, compiled on first sight. */
  Kernel Get(const CallNode* call, const std::vector<std::vector<runtime::NDArray>>& args) {
    Op op = Downcast<Op>(call->op);
    std::ostringstream key;
    key << op->name << '|' << (call->attrs.defined() ? StructuralHash()(call->attrs) : 0);
    for (const auto& fields : args) {
      key << '|' << fields.size();
      for (const runtime::NDArray& a : fields) {
        key << ':' << runtime::DLDataType2String(a.DataType());
        for (int64_t d : a.Shape()) key << ',' << d;
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::pair<Attrs, Kernel>>& bucket = kernels_[key.str()];
    for (const auto& entry : bucket) {
      if (entry.first.same_as(call->attrs) || StructuralEqual()(entry.first, call->attrs)) return entry.second;
    }
    bucket.emplace_back(call->attrs, Compile(op, call, args));
    return bucket.back().second;
  }

 private:
  Kernel Compile(const Op& op, const CallNode* call, const std::vector<std::vector<runtime::NDArray>>& args) {
    static const auto fcompute = Op::GetAttrMap<FTVMCompute>("FTVMCompute");
    static const auto fschedule = Op::GetAttrMap<FTVMSchedule>("FTVMSchedule");
    TVM_CHECK(fcompute.count(op), "NotImplementedError")
        << "operator " << op->name << " has no compute (FTVMCompute): FoldConstant cannot evaluate it";
    Array<te::Tensor> placeholders;
    for (size_t i = 0; i < args.size(); ++i) {
      for (size_t j = 0; j < args[i].size(); ++j) {
        Array<PrimExpr> shape;
        for (int64_t d : args[i][j].Shape()) shape.push_back(Dim(d));
        placeholders.push_back(te::placeholder(shape, args[i][j].DataType(),
                                               "in" + std::to_string(i) + "_" + std::to_string(j)));
      }
    }
    Type out_type = call->checked_type();
    Array<te::Tensor> outs = fcompute[op](call->attrs, placeholders, out_type);
    // An output that is an input (batch_norm's moving statistics) still needs a buffer of its own.
    for (size_t i = 0; i < outs.size(); ++i) {
      for (const te::Tensor& p : placeholders) {
        if (outs[i].same_as(p)) {
          outs.Set(i, topi::identity(outs[i]));
          break;
        }
      }
    }
    te::Schedule sch;
    if (fschedule.count(op)) {
      sch = fschedule[op](call->attrs, outs, target_);
    } else {
      Array<te::Operation> ops;
      for (const te::Tensor& t : outs) ops.push_back(t.op());
      sch = te::create_schedule(ops);
    }
    Array<ObjectRef> kernel_args;
    for (const te::Tensor& t : placeholders) kernel_args.push_back(t);
    for (const te::Tensor& t : outs) kernel_args.push_back(t);
    // A prefix keeps kernel symbols apart from the C functions they call (relay.tan's
    // float64 kernel would otherwise be the symbol "tan" and call itself).
    std::string name = "relay_op_" + std::string(op->name);
    for (char& ch : name) {
      if (ch == '.') ch = '_';
    }
    Kernel kernel;
    kernel.module = driver::Build(LowerSchedule(sch, kernel_args, name, {}), target_);
    kernel.func = kernel.module.GetFunction(name);
    TVM_CHECK(kernel.func.defined(), "InternalError") << "FoldConstant: the kernel " << name << " was not built";
    if (const auto* tuple = out_type.as<TupleTypeNode>()) {
      kernel.returns_tuple = true;
      for (const Type& f : tuple->fields) kernel.out_types.push_back(Downcast<TensorType>(f));
    } else {
      kernel.out_types.push_back(Downcast<TensorType>(out_type));
    }
    TVM_CHECK(kernel.out_types.size() == outs.size(), "ValueError")
        << "the compute of " << op->name << " gave " << outs.size() << " tensors for a result of "
        << kernel.out_types.size();
    return kernel;
  }

  Target target_{"llvm -opt-level=0"};
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::pair<Attrs, Kernel>>> kernels_;
};

ObjectRef RunCall(const CallNode* call, const std::vector<ObjectRef>& arg_values) {
  Op op = Downcast<Op>(call->op);
  std::vector<std::vector<runtime::NDArray>> args;
  for (const ObjectRef& v : arg_values) args.push_back(Flatten(v, op));
  Kernel kernel = KernelCache::Global()->Get(call, args);
  std::vector<runtime::NDArray> outputs;
  for (const TensorType& t : kernel.out_types) {
    std::vector<int64_t> shape;
    for (const PrimExpr& d : t->shape) {
      const auto* imm = d.as<IntImmNode>();
      TVM_CHECK(imm != nullptr, "ValueError")
          << "FoldConstant: the result of " << op->name << " has the non-constant shape " << t->shape;
      shape.push_back(imm->value);
    }
    outputs.push_back(runtime::NDArray::Empty(shape, t->dtype, DLDevice{kDLCPU, 0}));
  }
  std::vector<runtime::NDArray> all;
  for (const auto& fields : args) all.insert(all.end(), fields.begin(), fields.end());
  all.insert(all.end(), outputs.begin(), outputs.end());
  std::vector<TVMValue> values(all.size());
  std::vector<int> codes(all.size());
  runtime::TVMArgsSetter setter(values.data(), codes.data());
  for (size_t i = 0; i < all.size(); ++i) setter(i, all[i]);
  runtime::TVMRetValue rv;
  kernel.func.CallPacked(runtime::TVMArgs(values.data(), codes.data(), static_cast<int>(all.size())), &rv);
  if (!kernel.returns_tuple) return outputs[0];
  Array<ObjectRef> fields(outputs.begin(), outputs.end());
  return fields;
}

}  // namespace

Array<ObjectRef> EvaluateConstants(const Function& batch) {
  InferTypeLocal(batch);
  const auto* body = batch->body.as<TupleNode>();
  TVM_CHECK(body != nullptr, "ValueError") << "EvaluateConstants: the function's body must be a tuple";
  std::unordered_map<const Object*, ObjectRef> memo;
  // Post-order over the DAG with an explicit stack.
  std::vector<std::pair<Expr, bool>> stack;
  for (size_t i = body->fields.size(); i-- > 0;) stack.emplace_back(body->fields[i], false);
  std::vector<Expr> children;
  while (!stack.empty()) {
    auto [expr, expanded] = stack.back();
    if (memo.count(expr.get())) {
      stack.pop_back();
      continue;
    }
    children.clear();
    if (const auto* call = expr.as<CallNode>()) {
      TVM_CHECK(call->op.as<OpNode>() != nullptr, "NotImplementedError")
          << "FoldConstant's evaluator runs operator calls only, not a call of a " << call->op->GetTypeKey();
      for (const Expr& a : call->args) children.push_back(a);
    } else if (const auto* tuple = expr.as<TupleNode>()) {
      for (const Expr& f : tuple->fields) children.push_back(f);
    } else if (const auto* get = expr.as<TupleGetItemNode>()) {
      children.push_back(get->tuple);
    } else {
      TVM_CHECK(expr.as<ConstantNode>() != nullptr, "NotImplementedError")
          << "FoldConstant's evaluator cannot evaluate a " << expr->GetTypeKey();
    }
    if (!expanded) {
      stack.back().second = true;
      for (auto it = children.rbegin(); it != children.rend(); ++it) {
        if (!memo.count(it->get())) stack.emplace_back(*it, false);
      }
      continue;
    }
    stack.pop_back();
    std::vector<ObjectRef> child_values;
    for (const Expr& c : children) child_values.push_back(memo.at(c.get()));
    ObjectRef value;
    if (const auto* c = expr.as<ConstantNode>()) {
      value = c->data;
    } else if (const auto* call = expr.as<CallNode>()) {
      value = RunCall(call, child_values);
    } else if (expr.as<TupleNode>()) {
      value = Array<ObjectRef>(child_values.begin(), child_values.end());
    } else {
      const auto* get = expr.as<TupleGetItemNode>();
      const auto* fields = child_values[0].as<runtime::ArrayNode>();
      TVM_CHECK(fields != nullptr && get->index >= 0 && static_cast<size_t>(get->index) < fields->size(),
                "IndexError")
          << "FoldConstant: projection ." << get->index << " of a value that is not a tuple that long";
      value = fields->at(get->index);
    }
    memo[expr.get()] = value;
  }
  Array<ObjectRef> out;
  for (const Expr& f : body->fields) out.push_back(memo.at(f.get()));
  return out;
}

TVM_REGISTER_GLOBAL("relay.backend.EvaluateConstants").set_body_typed([](Function batch) {
  return EvaluateConstants(batch);
});

}  // namespace backend
}  // namespace relay
}  // namespace tvm
