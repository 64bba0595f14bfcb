/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/dynamic_to_static.cc
 * \brief DynamicToStatic: a dyn.* call whose shape arguments are constants
 *  becomes the static operator with those values as attributes.
 *
 *   fn (%x: (2, 3, 4), %y: (8, 3)) { dyn.reshape(%x, shape_of(%y)) }
 *     ->  fn (%x, %y) { reshape(%x, newshape=[8, 3]) }
 *
 * How: rounds of InferType, FoldConstant (which also folds shape_of of a
 * static tensor) and one post-order rewrite of the dyn calls whose shape
 * arguments are now Constant nodes. A rewritten call has a static type, so a
 * shape_of of it folds in the next round and a dyn call depending on that can
 * go static in turn; the rounds stop when one rewrites nothing (each round
 * that goes on removes at least one dyn call, so they end). FoldConstant
 * runs at least once, so the result is also constant-folded, as in TVM.
 * A function that does not type-check is folded untyped first (an `if` on a
 * constant picks its branch); if it still does not, each dyn call's shape
 * arguments are typed and folded alone, as functions of their free variables
 * (slower; TVM's pass always works that way).
 * Values must fit what the static operator accepts: a bad shape is the
 * static operator's type error, naming it.
 */
#include <tvm/relay/attrs/image.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr_functor.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "../op/dyn/dyn_attrs.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

/*! \brief The elements of a constant of any integer, bool or float dtype, as doubles (row-major). */
std::vector<double> Values(const ConstantNode* c) {
  const runtime::NDArray& a = c->data;
  int64_t n = 1;
  for (int i = 0; i < a->ndim; ++i) n *= a->shape[i];
  DataType t(a->dtype);
  const auto* base = static_cast<const uint8_t*>(a->data) + a->byte_offset;
  std::vector<double> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    const void* p = base + i * ((t.bits() + 7) / 8);
    double v = 0;
    if (t.is_float() && t.bits() == 32) {
      v = *static_cast<const float*>(p);
    } else if (t.is_float() && t.bits() == 64) {
      v = *static_cast<const double*>(p);
    } else if (t.is_int() || t.is_bool() || t.is_uint()) {
      bool u = t.is_uint() || t.is_bool();
      switch (t.bits()) {
        case 1:
        case 8: v = u ? double(*static_cast<const uint8_t*>(p)) : double(*static_cast<const int8_t*>(p)); break;
        case 16: v = u ? double(*static_cast<const uint16_t*>(p)) : double(*static_cast<const int16_t*>(p)); break;
        case 32: v = u ? double(*static_cast<const uint32_t*>(p)) : double(*static_cast<const int32_t*>(p)); break;
        case 64: v = u ? double(*static_cast<const uint64_t*>(p)) : double(*static_cast<const int64_t*>(p)); break;
        default: TVM_CHECK(false, "TypeError") << "DynamicToStatic: cannot read a constant of dtype " << t;
      }
    } else {
      TVM_CHECK(false, "TypeError") << "DynamicToStatic: cannot read a shape argument of dtype " << t;
    }
    out.push_back(v);
  }
  return out;
}

Array<Integer> Ints(const ConstantNode* c) {
  Array<Integer> out;
  for (double v : Values(c)) out.push_back(Integer(static_cast<int64_t>(v)));
  return out;
}

/*! \brief Calls `relay.op.<group>._make.<name>`, the constructor relay.<group>.<name> uses. */
template <typename... Args>
Expr MakeStatic(const std::string& key, Args&&... args) {
  const runtime::PackedFunc* f = runtime::Registry::Get(key);
  TVM_CHECK(f != nullptr, "InternalError") << "DynamicToStatic: " << key << " is not registered";
  return (*f)(std::forward<Args>(args)...).template AsType<Expr>();
}

using Args = Array<Expr>;
/*! \brief Builds the static call from the dyn call (its arguments already rewritten), or nothing. */
using ToStatic = std::function<Expr(const CallNode*)>;

const ConstantNode* Const(const Args& args, size_t i) { return args[i].as<ConstantNode>(); }

std::unordered_map<std::string, ToStatic> Rules() {
  std::unordered_map<std::string, ToStatic> r;
  r["dyn.reshape"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 1);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.reshape", c->args[0], Ints(s), c->attrs.as<ReshapeAttrs>()->allowzero);
  };
  r["dyn.squeeze"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 1);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.squeeze", c->args[0], Ints(s));
  };
  r["dyn.expand_dims"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 1);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.expand_dims", c->args[0], static_cast<int>(Values(s).at(0)),
                      c->attrs.as<DynExpandDimsAttrs>()->num_newaxis);
  };
  r["dyn.tile"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 1);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.tile", c->args[0], Ints(s));
  };
  r["dyn.broadcast_to"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 1);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.broadcast_to", c->args[0], Ints(s));
  };
  for (const char* name : {"zeros", "ones"}) {
    std::string key = std::string("relay.op._make.") + name;
    r[std::string("dyn.") + name] = [key](const CallNode* c) -> Expr {
      const auto* s = Const(c->args, 0);
      if (!s) return Expr();
      return MakeStatic(key, Ints(s), c->attrs.as<InitOpAttrs>()->dtype);
    };
  }
  r["dyn.full"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 1);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.full", c->args[0], Ints(s), c->attrs.as<InitOpAttrs>()->dtype);
  };
  r["dyn.one_hot"] = [](const CallNode* c) -> Expr {
    const auto* d = Const(c->args, 3);
    if (!d) return Expr();
    const auto* p = c->attrs.as<OneHotAttrs>();
    return MakeStatic("relay.op._make.one_hot", c->args[0], c->args[1], c->args[2],
                      static_cast<int>(Values(d).at(0)), p->axis, p->dtype);
  };
  r["dyn.strided_slice"] = [](const CallNode* c) -> Expr {
    const auto *b = Const(c->args, 1), *e = Const(c->args, 2), *s = Const(c->args, 3);
    if (!b || !e || !s) return Expr();
    return MakeStatic("relay.op._make.strided_slice", c->args[0], Ints(b), Ints(e), Ints(s),
                      std::string(c->attrs.as<StridedSliceAttrs>()->slice_mode), ObjectRef());
  };
  r["dyn.sparse_to_dense"] = [](const CallNode* c) -> Expr {
    const auto* s = Const(c->args, 3);
    if (!s) return Expr();
    return MakeStatic("relay.op._make.sparse_to_dense", c->args[0], Ints(s), c->args[1], c->args[2]);
  };
  r["dyn.topk"] = [](const CallNode* c) -> Expr {
    const auto* k = Const(c->args, 1);
    if (!k) return Expr();
    const auto* p = c->attrs.as<TopKAttrs>();
    return MakeStatic("relay.op._make.topk", c->args[0], Integer(static_cast<int64_t>(Values(k).at(0))), p->axis,
                      std::string(p->ret_type), p->is_ascend, p->dtype);
  };
  r["dyn.image.resize2d"] = [](const CallNode* c) -> Expr {
    const auto *size = Const(c->args, 1), *roi = Const(c->args, 2);
    if (!size || !roi) return Expr();
    const auto* p = c->attrs.as<Resize2DAttrs>();
    Array<PrimExpr> sizes;
    for (double v : Values(size)) sizes.push_back(Integer(static_cast<int64_t>(v)));
    Array<FloatImm> rois;
    for (double v : Values(roi)) rois.push_back(FloatImm(DataType::Float(32), v));
    return MakeStatic("relay.op.image._make.resize2d", c->args[0], sizes, rois, std::string(p->layout),
                      std::string(p->method), std::string(p->coordinate_transformation_mode),
                      std::string(p->rounding_method), p->cubic_alpha, p->cubic_exclude, p->extrapolation_value,
                      p->out_dtype);
  };
  r["dyn.nn.pad"] = [](const CallNode* c) -> Expr {
    const auto* w = Const(c->args, 1);
    if (!w) return Expr();
    TVM_CHECK(w->data->ndim == 2 && w->data->shape[1] == 2, "ValueError")
        << "DynamicToStatic: dyn.nn.pad's pad_width must be a (rank, 2) tensor";
    std::vector<double> v = Values(w);
    Array<Array<Integer>> widths;
    for (size_t i = 0; i + 1 < v.size(); i += 2) {
      widths.push_back({Integer(static_cast<int64_t>(v[i])), Integer(static_cast<int64_t>(v[i + 1]))});
    }
    return MakeStatic("relay.op.nn._make.pad", c->args[0], widths, c->args[2],
                      std::string(c->attrs.as<PadAttrs>()->pad_mode));
  };
  r["dyn.nn.upsampling"] = [](const CallNode* c) -> Expr {
    const auto *h = Const(c->args, 1), *w = Const(c->args, 2);
    if (!h || !w) return Expr();
    const auto* p = c->attrs.as<UpSamplingAttrs>();
    return MakeStatic("relay.op.nn._make.upsampling", c->args[0], Values(h).at(0), Values(w).at(0),
                      std::string(p->layout), std::string(p->method), p->align_corners);
  };
  r["dyn.nn.upsampling3d"] = [](const CallNode* c) -> Expr {
    const auto *d = Const(c->args, 1), *h = Const(c->args, 2), *w = Const(c->args, 3);
    if (!d || !h || !w) return Expr();
    const auto* p = c->attrs.as<UpSampling3DAttrs>();
    return MakeStatic("relay.op.nn._make.upsampling3d", c->args[0], Values(d).at(0), Values(h).at(0),
                      Values(w).at(0), std::string(p->layout), std::string(p->method),
                      std::string(p->coordinate_transformation_mode));
  };
  return r;
}

/*!
 * \brief `func` with its types inferred inside `mod` (it may call the module's
 *  globals). Functions of `mod` that were never typed are left out: the pass
 *  is still rewriting them (the input module holds this function's old body).
 */
Function Retype(const Function& func, IRModule mod) {
  auto* node = mod.CopyOnWrite();
  for (const GlobalVar& gv : mod->GetGlobalVars()) {
    const auto* f = mod->Lookup(gv).as<FunctionNode>();
    if (f != nullptr && !pass_util::SkipFunction(GetRef<Function>(f)) && !f->body->checked_type_.defined()) {
      node->Remove(gv);
    }
  }
  GlobalVar gv("__dynamic_to_static__");
  node->Add(gv, func, true);
  return Downcast<Function>(transform::InferType()(mod)->Lookup(gv));
}

/*!
 * \brief Types *func (see Retype); false, leaving it as it was, when it does not
 *  type-check yet (e.g. a dyn op whose shape argument has no static length until
 *  its own dyn producer goes static).
 */
bool TryRetype(Function* func, const IRModule& mod) {
  try {
    *func = Retype(*func, mod);
    return true;
  } catch (const runtime::Error&) {
    return false;
  }
}

/*!
 * \brief One post-order rewrite of the dyn calls whose shape arguments are
 *  constants. With `fold_arguments` (the fallback for a function that does
 *  not type-check as a whole) each shape argument that is not a constant yet
 *  is typed and folded on its own first, as a function of its free variables.
 */
class DynamicToStaticRewriter : public MixedModeMutator {
 public:
  DynamicToStaticRewriter(const std::unordered_map<const Object*, ToStatic>& rules, IRModule mod,
                          bool fold_arguments)
      : rules_(rules), mod_(std::move(mod)), fold_arguments_(fold_arguments) {}
  int rewritten = 0;

  using MixedModeMutator::VisitExpr_;
  Expr VisitExpr_(const FunctionNode* op) final {
    if (op->attrs.HasNonzeroAttr(attr::kPrimitive)) return GetRef<Expr>(op);
    return ExprMutator::VisitExpr_(op);
  }

 private:
  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    if (call == nullptr) return post;
    auto it = rules_.find(call->op.get());
    if (it == rules_.end()) return post;
    Call target = GetRef<Call>(call);
    if (fold_arguments_) target = FoldArguments(target);
    Expr out = it->second(target.as<CallNode>());
    if (!out.defined()) return target;
    ++rewritten;
    return out;
  }

  Call FoldArguments(const Call& call) {
    Array<Expr> args;
    bool changed = false;
    for (const Expr& arg : call->args) {
      Expr folded = arg;
      if (!arg.as<ConstantNode>()) {
        try {
          Function f(FreeVars(arg), arg, Type(), {});
          Function typed = Retype(f, mod_);
          Expr body = Downcast<Function>(FoldConstantExpr(typed, mod_))->body;
          if (body.as<ConstantNode>()) folded = body;
        } catch (const runtime::Error&) {
          // The argument does not type-check on its own either: it stays as it is.
        }
      }
      changed = changed || !folded.same_as(arg);
      args.push_back(folded);
    }
    if (!changed) return call;
    return Call(call->op, args, call->attrs, call->type_args, call->span);
  }

  const std::unordered_map<const Object*, ToStatic>& rules_;
  IRModule mod_;
  bool fold_arguments_;
};

Function DynamicToStaticFunction(Function func, IRModule mod) {
  static const std::unordered_map<std::string, ToStatic> by_name = Rules();
  std::unordered_map<const Object*, ToStatic> rules;
  for (const auto& kv : by_name) rules[Op::Get(kv.first).get()] = kv.second;
  IRModule m = mod.defined() ? mod : IRModule();
  while (true) {
    // The result type is inferred afresh: the one written before may have relay.Any() where it is now static.
    func = Function(func->params, func->body, Type(), func->type_params, func->attrs, func->span);
    bool typed = TryRetype(&func, m);
    if (!typed) {
      // Some programs type-check only once constants fold (an `if` on a constant whose
      // branches differ): fold without types first, then try again.
      try {
        func = Downcast<Function>(FoldConstantExpr(func, m));
      } catch (const runtime::Error&) {
        // Its later rounds infer types, which may fail the same way; the rewrite goes on without.
      }
      typed = TryRetype(&func, m);
    }
    if (typed) func = Downcast<Function>(FoldConstantExpr(func, m));
    DynamicToStaticRewriter rewriter(rules, m, /*fold_arguments=*/!typed);
    func = Downcast<Function>(rewriter.Mutate(func));
    if (rewriter.rewritten == 0) break;
  }
  // The pass infers the module's types after: the result type again from scratch, since
  // another function this one calls may have gone static too. A function that never
  // type-checked gives its type error there.
  return Function(func->params, func->body, Type(), func->type_params, func->attrs, func->span);
}

}  // namespace

namespace transform {

Pass DynamicToStatic() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule mod) { return DynamicToStaticFunction(f, mod); }, 2, "DynamicToStatic", {},
      /*needs_types=*/false);
}

TVM_REGISTER_GLOBAL("relay._transform.DynamicToStatic").set_body_typed([]() { return DynamicToStatic(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
