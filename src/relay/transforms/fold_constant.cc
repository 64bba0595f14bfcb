/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/fold_constant.cc
 * \brief FoldConstant: every operator call whose inputs are all constants is
 *  replaced by its value.
 *
 *   fn (%x) { add(%x, multiply(add(c, c), 2f)) }  ->  fn (%x) { add(%x, c') }
 *
 * Also: shape_of / ndarray_size of a tensor with a static shape become
 * constants; a let bound to a constant is inlined and dropped; an `if` on a
 * constant condition becomes the branch taken; (a, b).0 becomes a.
 *
 * How: one walk marks the constant-valued nodes (post order, explicit stack);
 * the largest constant-valued subexpressions that a non-constant node uses
 * (the "frontier") are evaluated together, as the fields of one tuple, by one
 * call of the evaluator (EvaluateConstants below); a second walk puts the
 * values in place. So a pass run evaluates once, however many subexpressions
 * fold. Not folded, as TVM: calls without arguments (ones(shape) stays small),
 * stateful and non-computational operators, calls of functions, anything
 * inside a primitive (fused) function, and qnn.* operators unless fold_qnn.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include <unordered_set>

#include "../ir/walk.h"
#include "../backend/constant_evaluator.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using ExprSet = std::unordered_set<Expr, ObjectPtrHash, ObjectPtrEqual>;
template <typename V>
using ExprMap = std::unordered_map<Expr, V, ObjectPtrHash, ObjectPtrEqual>;

bool IsPrimitive(const Expr& e) {
  const auto* fn = e.as<FunctionNode>();
  return fn != nullptr && fn->attrs.HasNonzeroAttr(attr::kPrimitive);
}

/*! \brief Whether a 0-d or n-d constant's first element is nonzero (an `if` condition). */
bool ConstantIsTrue(const ConstantNode* c) {
  const runtime::NDArray& a = c->data;
  size_t bytes = (a->dtype.bits * a->dtype.lanes + 7) / 8;
  const auto* p = static_cast<const uint8_t*>(a->data) + a->byte_offset;
  for (size_t i = 0; i < bytes; ++i) {
    if (p[i] != 0) return true;
  }
  return false;
}

/*! \brief Whether a (tensor or tuple) type has a relay.Any() dimension; an unknown type has none. */
bool HasAnyDim(const Type& type) {
  if (!type.defined()) return false;
  if (const auto* t = type.as<TensorTypeNode>()) {
    for (const PrimExpr& d : t->shape) {
      if (d.as<tir::AnyNode>()) return true;
    }
    return false;
  }
  if (const auto* t = type.as<TupleTypeNode>()) {
    for (const Type& f : t->fields) {
      if (HasAnyDim(f)) return true;
    }
  }
  return false;
}

/*!
 * \brief The children the folder walks, in evaluation order: a let's value
 *  before its variable (so the variable's constness is known when it is
 *  reached); primitive functions are not entered.
 */
void FolderChildren(const Expr& e, std::vector<Expr>* out) {
  if (const auto* let = e.as<LetNode>()) {
    out->push_back(let->value);
    out->push_back(let->var);
    out->push_back(let->body);
  } else if (IsPrimitive(e)) {
    return;
  } else {
    detail::AllChildren(e, out, /*enter_functions=*/true);
  }
}

/*! \brief Marks which nodes have a value known at compile time. */
class ConstnessAnalysis {
 public:
  explicit ConstnessAnalysis(bool fold_qnn) : fold_qnn_(fold_qnn) {}

  /*! \brief Nodes with a compile-time value. */
  ExprSet constant_;
  /*! \brief shape_of / ndarray_size calls already known: their constant. */
  ExprMap<Expr> known_;
  /*! \brief Let-bound variables with a constant tensor value, in binding order, with their values. */
  std::vector<std::pair<Var, Expr>> constant_lets_;
  /*! \brief Every node reached that is not constant-valued (the users of the frontier). */
  std::vector<Expr> others_;

  void Run(const Expr& root) {
    struct Frame {
      Expr node;
      bool expanded;
    };
    std::vector<Frame> stack{{root, false}};
    std::vector<Expr> children;
    while (!stack.empty()) {
      if (seen_.count(stack.back().node)) {
        stack.pop_back();
        continue;
      }
      if (stack.back().expanded) {
        Expr node = std::move(stack.back().node);
        stack.pop_back();
        seen_.insert(node);
        if (Visit(node)) {
          constant_.insert(node);
        } else {
          others_.push_back(node);
        }
        continue;
      }
      stack.back().expanded = true;
      if (const auto* let = stack.back().node.as<LetNode>()) let_values_[let->var] = let->value;
      children.clear();
      FolderChildren(stack.back().node, &children);
      for (auto it = children.rbegin(); it != children.rend(); ++it) {
        if (!seen_.count(*it)) stack.push_back({*it, false});
      }
    }
  }

  bool IsConstant(const Expr& e) const { return constant_.count(e) != 0; }

 private:
  bool Visit(const Expr& e) {
    if (e.as<ConstantNode>()) return true;
    if (const auto* var = e.as<VarNode>()) {
      auto it = let_values_.find(e);
      if (it == let_values_.end() || !IsConstant(it->second)) return false;
      // Only a tensor value is inlined (as TVM: a folded tuple stays let-bound).
      const Expr& value = it->second;
      bool tensor = value.as<ConstantNode>() || pass_util::TensorTypeOf(value) != nullptr;
      if (tensor) constant_lets_.emplace_back(GetRef<Var>(var), value);
      return tensor;
    }
    if (const auto* tuple = e.as<TupleNode>()) {
      for (const Expr& f : tuple->fields) {
        if (!IsConstant(f)) return false;
      }
      return true;
    }
    if (const auto* get = e.as<TupleGetItemNode>()) {
      if (const auto* tuple = get->tuple.as<TupleNode>()) {
        return get->index >= 0 && get->index < static_cast<int>(tuple->fields.size()) &&
               IsConstant(tuple->fields[get->index]);
      }
      return IsConstant(get->tuple);
    }
    if (const auto* node = e.as<IfNode>()) {
      const auto* cond = node->cond.as<ConstantNode>();
      return cond != nullptr && IsConstant(ConstantIsTrue(cond) ? node->true_branch : node->false_branch);
    }
    if (const auto* call = e.as<CallNode>()) return VisitCall(e, call);
    return false;
  }

  bool VisitCall(const Expr& e, const CallNode* call) {
    const auto* op_node = call->op.as<OpNode>();
    if (op_node == nullptr || call->args.empty()) return false;
    Op op = GetRef<Op>(op_node);
    if (op.same_as(shape_of_) || op.same_as(ndarray_size_) || op->name == "vm.shape_of") return FoldShape(e, call);
    if (op->name == "device_copy") return false;
    if (stateful_.get(op, false)) return false;
    if (noncomputational_.get(op, false)) return false;
    if (!fold_qnn_ && std::string(op->name).rfind("qnn.", 0) == 0) return false;
    if (!compute_.count(op)) return false;  // nothing to evaluate it with
    // The evaluator compiles kernels for static shapes: a dyn.* call, or any call whose
    // result has a relay.Any() dimension, is left to DynamicToStatic or the VM.
    if (std::string(op->name).rfind("dyn.", 0) == 0 || HasAnyDim(call->checked_type_)) return false;
    for (const Expr& a : call->args) {
      if (!IsConstant(a)) return false;
    }
    return true;
  }

  /*! \brief shape_of(x) / ndarray_size(x) for x of static shape: the value needs no evaluation. */
  bool FoldShape(const Expr& e, const CallNode* call) {
    if (call->args.size() != 1) return false;
    const TensorTypeNode* type = pass_util::TensorTypeOf(call->args[0]);
    if (type == nullptr) return false;
    std::vector<int64_t> dims;
    for (const PrimExpr& d : type->shape) {
      const auto* imm = d.as<IntImmNode>();
      if (imm == nullptr) return false;
      dims.push_back(imm->value);
    }
    DataType dtype = DataType::Int(32);
    if (const auto* a = call->attrs.as<ShapeOfAttrs>()) dtype = a->dtype;
    if (const auto* a = call->attrs.as<NdarraySizeAttrs>()) dtype = a->dtype;
    runtime::NDArray value;
    if (call->op.same_as(ndarray_size_)) {
      int64_t size = 1;
      for (int64_t d : dims) size *= d;
      known_[e] = pass_util::ScalarConstant(dtype, static_cast<double>(size));
      return true;
    }
    value = runtime::NDArray::Empty({static_cast<int64_t>(dims.size())}, dtype, DLDevice{kDLCPU, 0});
    for (size_t i = 0; i < dims.size(); ++i) {
      Constant one = Downcast<Constant>(pass_util::ScalarConstant(dtype, static_cast<double>(dims[i])));
      size_t bytes = (dtype.bits() * dtype.lanes() + 7) / 8;
      std::memcpy(static_cast<uint8_t*>(value->data) + i * bytes, one->data->data, bytes);
    }
    known_[e] = Constant(value);
    return true;
  }

  bool fold_qnn_;
  ExprSet seen_;
  ExprMap<Expr> let_values_;
  Op shape_of_ = Op::Get("shape_of");
  Op ndarray_size_ = Op::Get("ndarray_size");
  OpAttrMap<TOpIsStateful> stateful_ = Op::GetAttrMap<TOpIsStateful>("TOpIsStateful");
  OpAttrMap<TNonComputational> noncomputational_ = Op::GetAttrMap<TNonComputational>("TNonComputational");
  OpAttrMap<runtime::PackedFunc> compute_ = Op::GetAttrMap<runtime::PackedFunc>("FTVMCompute");
};

/*!
 * \brief Builds the closed expression evaluated for the frontier: constant
 *  let-bound variables replaced by their values, known shapes by constants,
 *  an `if` on a constant by its branch.
 */
class BatchBuilder : public MixedModeMutator {
 public:
  explicit BatchBuilder(const ConstnessAnalysis& analysis) {
    for (const auto& kv : analysis.known_) memo_[kv.first] = kv.second;
    for (const auto& kv : analysis.constant_lets_) memo_[kv.first] = VisitExpr(kv.second);
  }
  using MixedModeMutator::VisitExpr_;
  Expr VisitExpr_(const IfNode* op) final {
    const auto* cond = op->cond.as<ConstantNode>();
    ICHECK(cond != nullptr);
    return VisitExpr(ConstantIsTrue(cond) ? op->true_branch : op->false_branch);
  }
};

/*! \brief Puts the folded values in place, inlines constant lets, takes constant branches. */
class FoldRewriter : public MixedModeMutator {
 public:
  FoldRewriter(const ExprMap<Expr>& folded, const ConstnessAnalysis& analysis) {
    for (const auto& kv : analysis.known_) memo_[kv.first] = kv.second;
    for (const auto& kv : folded) memo_[kv.first] = kv.second;
  }
  /*! \brief Whether a rewrite made something constant that the analysis could not see (another round helps). */
  bool more_ = false;

  using MixedModeMutator::VisitExpr_;

  Expr VisitExpr_(const FunctionNode* op) final {
    if (op->attrs.HasNonzeroAttr(attr::kPrimitive)) return GetRef<Expr>(op);
    return ExprMutator::VisitExpr_(op);
  }

  Expr VisitExpr_(const IfNode* op) final {
    Expr cond = VisitExpr(op->cond);
    if (const auto* c = cond.as<ConstantNode>()) {
      if (!op->cond.as<ConstantNode>()) more_ = true;
      return VisitExpr(ConstantIsTrue(c) ? op->true_branch : op->false_branch);
    }
    return ExprMutator::VisitExpr_(op);
  }

  Expr VisitExpr_(const LetNode* op) final {
    struct Binding {
      const LetNode* let;
      Var var;
      Expr value;  // undefined: the binding is dropped
    };
    std::vector<Binding> chain;
    for (const LetNode* l = op;;) {
      Expr value = VisitExpr(l->value);
      if (value.as<ConstantNode>()) {
        if (!memo_.count(l->var)) more_ = true;  // the analysis did not see this one coming
        memo_[l->var] = value;
        chain.push_back({l, l->var, Expr()});
      } else {
        chain.push_back({l, Downcast<Var>(VisitExpr(l->var)), value});
      }
      const LetNode* next = l->body.as<LetNode>();
      if (next == nullptr || memo_.count(l->body)) break;
      l = next;
    }
    Expr body = VisitExpr(chain.back().let->body);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const LetNode* let = it->let;
      Expr result;
      if (!it->value.defined()) {
        result = body;
      } else if (it->var.same_as(let->var) && it->value.same_as(let->value) && body.same_as(let->body)) {
        result = GetRef<Expr>(let);
      } else {
        result = Let(it->var, it->value, body, let->span);
      }
      if (let != op) memo_[GetRef<Expr>(let)] = result;
      body = result;
    }
    return body;
  }

  Expr Rewrite_(const TupleGetItemNode* pre, const Expr& post) final {
    const auto* get = post.as<TupleGetItemNode>();
    if (get == nullptr) return post;
    if (const auto* tuple = get->tuple.as<TupleNode>()) {
      if (get->index >= 0 && get->index < static_cast<int>(tuple->fields.size())) return tuple->fields[get->index];
    }
    return post;
  }
};

/*! \brief A value the evaluator returned (a tensor, or nested tuples of them) as an expression. */
Expr ValueToExpr(const ObjectRef& value) {
  if (const auto* nd = value.as<runtime::NDArray::Container>()) {
    return Constant(GetRef<runtime::NDArray>(nd));
  }
  if (const auto* arr = value.as<runtime::ArrayNode>()) {
    Array<Expr> fields;
    for (const ObjectRef& v : arr->data) fields.push_back(ValueToExpr(v));
    return Tuple(fields);
  }
  TVM_CHECK(false, "InternalError") << "FoldConstant: the evaluator returned a " << value->GetTypeKey()
                                    << ", not a tensor or a tuple";
  return Expr();
}

/*!
 * \brief The values of the closed expressions `exprs`, all in one evaluation,
 *  by the C++ evaluator (relay/backend/constant_evaluator.cc), or by a function
 *  registered as relay.transform._evaluate_constants (a test's hook) if any.
 */
Array<Expr> EvaluateConstants(const Array<Expr>& exprs, const IRModule& mod) {
  Function batch({}, Tuple(exprs), Type(), {});
  const runtime::PackedFunc* hook = runtime::Registry::Get("relay.transform._evaluate_constants");
  Array<ObjectRef> values = hook != nullptr ? (*hook)(batch, mod).AsType<Array<ObjectRef>>()
                                            : backend::EvaluateConstants(batch);
  ICHECK_EQ(values.size(), exprs.size());
  Array<Expr> out;
  for (const ObjectRef& v : values) out.push_back(ValueToExpr(v));
  return out;
}

/*! \brief One round: analyse, evaluate the frontier at once, rewrite. */
Expr FoldOnce(const Expr& expr, const IRModule& mod, bool fold_qnn, bool* more) {
  ConstnessAnalysis analysis(fold_qnn);
  analysis.Run(expr);

  // The frontier: constant-valued calls (and projections of them, constant ifs)
  // that a node of unknown value uses. Tuples of constants stay tuples, their
  // fields folded one by one; (tuple).i is looked through.
  std::vector<Expr> frontier;
  ExprSet in_frontier;
  std::vector<Expr> pending;
  auto consider = [&](const Expr& child) {
    pending.push_back(child);
    while (!pending.empty()) {
      Expr e = std::move(pending.back());
      pending.pop_back();
      if (!analysis.IsConstant(e) || e.as<ConstantNode>() || e.as<VarNode>() || analysis.known_.count(e)) continue;
      if (const auto* tuple = e.as<TupleNode>()) {
        for (const Expr& f : tuple->fields) pending.push_back(f);
        continue;
      }
      if (const auto* get = e.as<TupleGetItemNode>()) {
        if (const auto* tuple = get->tuple.as<TupleNode>()) {
          pending.push_back(tuple->fields[get->index]);
          continue;
        }
      }
      if (in_frontier.insert(e).second) frontier.push_back(e);
    }
  };
  std::vector<Expr> children;
  for (const Expr& node : analysis.others_) {
    children.clear();
    FolderChildren(node, &children);
    for (const Expr& c : children) consider(c);
  }
  consider(expr);

  ExprMap<Expr> folded;
  if (!frontier.empty()) {
    BatchBuilder builder(analysis);
    Array<Expr> closed;
    for (const Expr& e : frontier) closed.push_back(builder.Mutate(e));
    Array<Expr> values = EvaluateConstants(closed, mod);
    for (size_t i = 0; i < frontier.size(); ++i) folded[frontier[i]] = values[i];
  }
  FoldRewriter rewriter(folded, analysis);
  Expr result = rewriter.Mutate(expr);
  *more = rewriter.more_;
  return result;
}

/*! \brief `expr` with its types inferred again (inside `mod` when it is a function, which may call globals). */
Expr Retype(const Expr& expr, IRModule mod) {
  if (!expr.as<FunctionNode>()) {
    InferTypeLocal(expr);
    return expr;
  }
  GlobalVar gv("__fold_constant_retype__");
  mod.CopyOnWrite()->Add(gv, Downcast<BaseFunc>(expr), true);
  return transform::InferType()(mod)->Lookup(gv);
}

}  // namespace

Expr FoldConstantExpr(const Expr& expr, const IRModule& mod, bool fold_qnn) {
  IRModule m = mod.defined() ? mod : IRModule();
  Expr result = expr;
  // Rounds only repeat when a branch or let became constant in a way the
  // analysis could not foresee (an `if` on a computed condition): rare.
  for (int round = 0; round < 16; ++round) {
    bool more = false;
    if (round > 0) result = Retype(result, m);
    result = FoldOnce(result, m, fold_qnn, &more);
    if (!more) break;
  }
  return result;
}

namespace transform {

Pass FoldConstant(bool fold_qnn) {
  return pass_util::FunctionRewritePass(
      [fold_qnn](Function f, IRModule mod) { return Downcast<Function>(FoldConstantExpr(f, mod, fold_qnn)); }, 2,
      "FoldConstant", {}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.FoldConstant").set_body_typed([](bool fold_qnn) {
  return FoldConstant(fold_qnn);
});
TVM_REGISTER_GLOBAL("relay._transform.FoldConstantExpr")
    .set_body_typed([](Expr expr, ObjectRef mod, bool fold_qnn) {
      return FoldConstantExpr(expr, mod.defined() ? Downcast<IRModule>(mod) : IRModule(), fold_qnn);
    });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
