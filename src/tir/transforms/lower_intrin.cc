/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file lower_intrin.cc
 * \brief LowerIntrin: math intrinsics become what the target's code
 *  generator emits directly, and integer floor division becomes truncating
 *  division.
 *
 * Assumes: a lowered PrimFunc. The target is the function's "target"
 *  attribute (a Target or a string; its kind name is used), "llvm" when
 *  there is none.
 *
 * Guarantees: every call of a math op "tir.<name>" (exp, tanh, sigmoid, ...)
 *  is replaced by the rule the op registers for the target kind under the op
 *  attribute "<kind>.FLowerIntrinsic", else "default.FLowerIntrinsic"; a
 *  rule returning None keeps the call. This file registers:
 *    llvm:    exp, exp2, exp10, log, log2, log10, sqrt, sin, cos, floor,
 *             ceil, round, nearbyint, trunc, fabs, pow, copysign, fma ->
 *             call_llvm_pure_intrin("llvm.<name>", 1, x...);
 *             sigmoid(x) -> 1 / (1 + exp(-x));
 *             tanh(x) -> sign(x) * (1 - exp(-2|x|)) / (1 + exp(-2|x|));
 *             rsqrt(x) -> 1 / sqrt(x); the rest -> libm via call_pure_extern
 *    default: sigmoid and rsqrt as above, q_multiply_shift in 64-bit
 *             integer arithmetic, the rest -> call_pure_extern of the
 *             libm function ("expf" for float32, "exp" for float64).
 *  Code generators for other kinds (cuda, ...) register their own
 *  "<kind>.FLowerIntrinsic" rules. Integer FloorDiv/FloorMod become
 *  Div/Mod (C semantics) when the dividend is provably non-negative and the
 *  divisor a positive constant, else the exact sign-correcting form.
 *
 *   before:  B[i] = T.sigmoid(A[i])
 *   after:   B[i] = T.float32(1) / (T.float32(1) + T.call_llvm_pure_intrin("float32", "llvm.exp", T.uint32(1), T.float32(0) - A[i]))
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/op.h>
#include <tvm/ir/reflection.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

std::string TargetKindOf(const PrimFunc& f) {
  auto target = f->attrs.GetAttr<ObjectRef>("target");
  if (!target.has_value() || !target->defined()) return "llvm";
  if (const auto* s = target->as<runtime::StringObj>()) {
    std::string t = s->data;
    return t.substr(0, t.find(' '));
  }
  // A Target object: read kind->name through reflection (targets are a layer above tir).
  runtime::TVMRetValue kind = ReflectionVTable::Global()->GetAttr(target->get(), "kind");
  ObjectRef kind_obj = kind.AsType<ObjectRef>();
  runtime::TVMRetValue name = ReflectionVTable::Global()->GetAttr(kind_obj.get(), "name");
  return name.AsType<String>();
}

class IntrinLowerer : public StmtExprMutator {
 public:
  explicit IntrinLowerer(const std::string& kind)
      : target_rules_(kind + ".FLowerIntrinsic"), default_rules_("default.FLowerIntrinsic") {}

 protected:
  PrimExpr VisitExpr_(const CallNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<CallNode>();
    const auto* opn = op->op.as<OpNode>();
    if (opn == nullptr) return e;
    Op the_op = GetRef<Op>(opn);
    for (const std::string& key : {target_rules_, default_rules_}) {
      const runtime::TVMRetValue* rule = Op::GetAttrMapContainer(key).Find(the_op);
      if (rule == nullptr) continue;
      runtime::PackedFunc f = rule->AsType<runtime::PackedFunc>();
      runtime::TVMRetValue r = f(e);
      if (r.IsNull()) return e;
      PrimExpr lowered = r.AsType<PrimExpr>();
      // Rules may build other intrinsics (sigmoid uses exp): lower those too.
      return lowered.same_as(e) ? e : VisitExpr(lowered);
    }
    return e;
  }

  Stmt VisitStmt_(const ForNode* op) final {
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    return StmtExprMutator::VisitStmt_(op);
  }

  PrimExpr VisitExpr_(const FloorDivNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<FloorDivNode>();
    if (op == nullptr || !op->dtype.is_int()) return e;
    PrimExpr a = op->a, b = op->b;
    auto c = as_const_int(b);
    if (c && *c > 0) {
      if (ProvablyNonNegative(a)) return Div(a, b);
      // a < 0: floor(a / b) = trunc((a + 1) / b) - 1. Unlike (a + 1 - b) / b,
      // nothing here leaves the dtype's range (int8: -128 // 4 must not wrap).
      PrimExpr negative = sub(Div(add(a, make_const(a.dtype(), 1)), b), make_const(a.dtype(), 1));
      return Select(GE(a, make_zero(a.dtype())), Div(a, b), negative);
    }
    // General divisor: truncate, then step down when the signs differ and there is a remainder.
    PrimExpr q = Div(a, b), r = Mod(a, b);
    PrimExpr fix = logical_and(NE(r, make_zero(r.dtype())), NE(LT(r, make_zero(r.dtype())), LT(b, make_zero(b.dtype()))));
    return Select(fix, sub(q, make_const(q.dtype(), 1)), q);
  }

  PrimExpr VisitExpr_(const FloorModNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<FloorModNode>();
    if (op == nullptr || !op->dtype.is_int()) return e;
    PrimExpr a = op->a, b = op->b;
    auto c = as_const_int(b);
    if (c && *c > 0 && ProvablyNonNegative(a)) return Mod(a, b);
    PrimExpr r = Mod(a, b);
    PrimExpr fix = logical_and(NE(r, make_zero(r.dtype())), NE(LT(r, make_zero(r.dtype())), LT(b, make_zero(b.dtype()))));
    return Select(fix, add(r, b), r);
  }

 private:
  /*!
   * \brief Whether a >= 0 is proved, which lets floordiv/floormod lower to
   *  plain division. Simplifying a to prove it costs about its size per
   *  operator, and deep index expressions hold one operator per level:
   *  past a size only the bounds are asked, and past a larger one nothing
   *  (not proving is always safe: the signed lowering is exact).
   */
  bool ProvablyNonNegative(const PrimExpr& a) {
    int64_t size = TreeSize(a, kMaxBoundedSize + 1);
    if (size > kMaxBoundedSize) return false;
    if (size > kMaxSimplifiedSize) return analyzer_.const_int_bound(a)->min_value >= 0;
    return analyzer_.CanProveGreaterEqual(a, 0);
  }
  static constexpr int64_t kMaxSimplifiedSize = 256;
  static constexpr int64_t kMaxBoundedSize = 4096;

  std::string target_rules_;
  std::string default_rules_;
  arith::Analyzer analyzer_;
};

// ---------------------------------------------------------------------------
// Rules

PrimExpr ArgOf(const PrimExpr& call, size_t i = 0) { return call.as<CallNode>()->args[i]; }

std::string NameOf(const PrimExpr& call) {
  std::string name = Downcast<Op>(call.as<CallNode>()->op)->name;
  return name.substr(4);  // strip "tir."
}

runtime::TVMRetValue ToRet(PrimExpr e) {
  runtime::TVMRetValue r;
  r = e;
  return r;
}

/*! \brief The libm function: "expf" for float32, "exp" for float64; None for other types. */
runtime::TVMRetValue Libm(const PrimExpr& call) {
  const auto* c = call.as<CallNode>();
  DataType t = c->dtype.element_of();
  std::string name = NameOf(call);
  if (t == DataType::Float(32)) {
    name += "f";
  } else if (t != DataType::Float(64)) {
    return runtime::TVMRetValue();
  }
  Array<PrimExpr> args{StringImm(name)};
  for (const PrimExpr& a : c->args) args.push_back(a);
  return ToRet(Call(c->dtype, builtin::call_pure_extern(), args));
}

runtime::TVMRetValue LLVMIntrinsic(const PrimExpr& call) {
  const auto* c = call.as<CallNode>();
  if (!c->dtype.is_float()) return runtime::TVMRetValue();
  Array<PrimExpr> args{StringImm("llvm." + NameOf(call)), make_const(DataType::UInt(32), 1)};
  for (const PrimExpr& a : c->args) args.push_back(a);
  return ToRet(Call(c->dtype, builtin::call_llvm_pure_intrin(), args));
}

runtime::TVMRetValue Sigmoid(const PrimExpr& call) {
  PrimExpr x = ArgOf(call);
  PrimExpr one = make_const(x.dtype(), 1.0);
  return ToRet(div(one, add(one, exp(neg(x)))));
}

runtime::TVMRetValue Rsqrt(const PrimExpr& call) {
  PrimExpr x = ArgOf(call);
  return ToRet(div(make_const(x.dtype(), 1.0), sqrt(x)));
}

/*! \brief tanh through exp of a non-positive argument, so it never overflows. */
PrimExpr TanhOf(const PrimExpr& x) {
  PrimExpr one = make_const(x.dtype(), 1.0);
  PrimExpr t = exp(mul(make_const(x.dtype(), -2.0), abs(x)));
  PrimExpr mag = div(sub(one, t), add(one, t));
  return Select(GE(x, make_zero(x.dtype())), mag, neg(mag));
}

runtime::TVMRetValue Tanh(const PrimExpr& call) {
  PrimExpr arg = ArgOf(call);
  if (arg.as<VarNode>() || arg.as<FloatImmNode>()) return ToRet(TanhOf(arg));
  // The argument is read three times: bound once, so nested expansions stay linear in size.
  Var x("x", arg.dtype());
  return ToRet(Let(x, arg, TanhOf(x)));
}

/*! \brief q_multiply_shift(x, y, q, s): round(x * y * 2^(s - q)) in 64-bit arithmetic, rounding half up. */
runtime::TVMRetValue QMultiplyShift(const PrimExpr& call) {
  const auto* c = call.as<CallNode>();
  DataType wide = DataType::Int(64, c->args[0].dtype().lanes());
  PrimExpr x = cast(wide, c->args[0]);
  PrimExpr y = cast(wide, c->args[1]);
  PrimExpr q = cast(wide, c->args[2]);
  PrimExpr s = cast(wide, c->args[3]);
  PrimExpr zero = make_zero(wide);
  PrimExpr left = Select(GT(s, zero), s, zero);
  PrimExpr right = add(Select(GT(s, zero), zero, neg(s)), q);
  PrimExpr product = mul(left_shift(x, left), y);
  PrimExpr rounded = add(product, left_shift(make_const(wide, 1), sub(right, make_const(wide, 1))));
  return ToRet(cast(c->dtype, right_shift(rounded, right)));
}

void SetRule(const char* op_name, const char* attr, runtime::TVMRetValue (*rule)(const PrimExpr&)) {
  runtime::PackedFunc f([rule](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
    *rv = rule(args[0].operator PrimExpr());
  });
  OpRegEntry::RegisterOrGet(std::string("tir.") + op_name).set_attr<runtime::PackedFunc>(attr, f);
}

bool RegisterRules() {
  const char* llvm = "llvm.FLowerIntrinsic";
  const char* fallback = "default.FLowerIntrinsic";
  for (const char* name : {"exp", "exp2", "exp10", "log", "log2", "log10", "sqrt", "sin", "cos", "floor", "ceil",
                           "round", "nearbyint", "trunc", "fabs", "pow", "copysign"}) {
    SetRule(name, llvm, LLVMIntrinsic);
  }
  for (const char* name : {"exp", "exp2", "exp10", "log", "log2", "log10", "log1p", "sqrt", "sin", "cos", "tan",
                           "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh", "floor",
                           "ceil", "round", "nearbyint", "trunc", "fabs", "pow", "fmod", "erf", "copysign", "hypot",
                           "ldexp", "nextafter", "tanh"}) {
    SetRule(name, fallback, Libm);
  }
  SetRule("sigmoid", fallback, Sigmoid);
  SetRule("rsqrt", fallback, Rsqrt);
  SetRule("q_multiply_shift", fallback, QMultiplyShift);
  SetRule("tanh", llvm, Tanh);
  return true;
}

const bool kRulesRegistered = RegisterRules();

}  // namespace

namespace transform {

Pass LowerIntrin() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    (void)kRulesRegistered;
    Stmt body = IntrinLowerer(TargetKindOf(f))(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.LowerIntrin", {});
}

TVM_REGISTER_GLOBAL("tir.transform.LowerIntrin").set_body_typed([]() { return LowerIntrin(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
