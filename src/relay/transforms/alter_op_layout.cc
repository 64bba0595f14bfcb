/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/alter_op_layout.cc
 * \brief AlterOpLayout: each call whose operator registers FTVMAlterOpLayout is offered to that
 *  hook (TVM's signature: hook(attrs, args, tinfos, out_type), tinfos one TE placeholder per
 *  argument, in the scope of the current target), which may return a replacement: on CPUs,
 *  nn.conv2d in blocked layouts,
 *
 *    nn.conv2d(%x, %w)  ->  nn.contrib_conv2d_NCHWc(%x, %w, data_layout="NCHW16c",
 *                                                   kernel_layout="OIHW16i16o", out_layout="NCHW16c")
 *
 *  When the replacement is a call of an operator with layout attributes (convolutions, pools),
 *  the arguments the hook passed through unchanged are transformed into the layouts the new call
 *  reads (layout_transform; FoldConstant then packs constant weights once), and its result stays
 *  in the new layout: the layout propagates through the operators that can compute in it
 *  (infer_layout.h: elementwise and broadcast operators, bias_add, pools, concatenate, and the
 *  operators naming axes, such as reductions, squeeze, strided_slice and batch_norm), and is
 *  transformed back only where an operator cannot take it, or at the function's result:
 *
 *    %1 = layout_transform(%x, "NCHW", "NCHW16c")
 *    %2 = nn.contrib_conv2d_NCHWc(%1, <packed weight>, ...)
 *    %3 = add(%2, <bias as (C/16, 1, 1, 16)>); %4 = nn.relu(%3)
 *    %5 = nn.max_pool2d(%4, layout="NCHW16c")
 *    layout_transform(%5, "NCHW16c", "NCHW")
 *
 *  Any other replacement (nn.dense -> nn.contrib_dense_pack of a packed weight) must keep the
 *  call's type. Types are checked on each replacement alone (typed stand-ins for the arguments),
 *  so the pass is linear in the graph. Functions with control flow, references or nested
 *  functions get their replacements transformed back at once (no propagation).
 */
#include <tvm/ir/op.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/transform.h>
#include <tvm/te/operation.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <unordered_map>
#include <vector>

#include "infer_layout.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using layout::LayoutArg;
using layout::LayoutResult;
using layout::TensorLayout;

/*! \brief Whether `func` is pure dataflow (calls of operators and globals, tuples): then
 *  layouts may stay changed between calls. */
bool IsDataflow(const Expr& func) {
  bool dataflow = true;
  int functions = 0;
  PostOrderVisit(func, [&](const Expr& e) {
    if (e.as<FunctionNode>()) ++functions;
    if (e.as<LetNode>() || e.as<IfNode>() || e.as<MatchNode>() || e.as<RefCreateNode>() || e.as<RefReadNode>() ||
        e.as<RefWriteNode>()) {
      dataflow = false;
    }
  });
  return dataflow && functions <= 1;
}

/*! \brief A per-operator replacement hook: (op, attrs, stand-in args, tinfos, out_type) -> an
 *  expression, or null to keep the call. AlterOpLayout asks FTVMAlterOpLayout; ConvertLayout asks
 *  FTVMConvertOpLayout with the layouts the user wants for that operator. */
using ReplaceHook = std::function<runtime::TVMRetValue(const Op&, const Attrs&, const Array<Expr>&,
                                                       const Array<te::Tensor>&, const Type&)>;

class LayoutAlterer : public ExprRewriter {
 public:
  LayoutAlterer(bool propagate, std::string pass, std::string hook_name, ReplaceHook hook)
      : propagate_(propagate), pass_(std::move(pass)), hook_name_(std::move(hook_name)), hook_(std::move(hook)) {}

  Expr Rewrite(const Expr& pre, const Expr& post) final {
    Expr result = ExprRewriter::Rewrite(pre, post);
    // Rebuilt nodes in their original layouts keep the original's type (later rules read it).
    if (!result->checked_type_.defined() && pre->checked_type_.defined() && !changed_.count(pre.get())) {
      result->checked_type_ = pre->checked_type_;
    }
    return result;
  }

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    std::vector<LayoutArg> args;
    bool changed = false;
    for (size_t i = 0; i < pre->args.size(); ++i) {
      args.push_back(ArgOf(pre->args[i], call->args[i]));
      changed = changed || args.back().layout.Changed();
    }
    if (const auto* op = pre->op.as<OpNode>()) {
      if (auto altered = Alter(GetRef<Op>(op), pre, call, args)) return Record(pre, *altered);
      if (propagate_) {
        const auto* tuple =
            op->name == "concatenate" && pre->args.size() == 1 ? pre->args[0].as<TupleNode>() : nullptr;
        auto fields = tuple != nullptr ? tuple_fields_.find(tuple) : tuple_fields_.end();
        std::optional<LayoutResult> result;
        if (fields != tuple_fields_.end()) {
          result = layout::PropagateLayout(pre, fields->second, &transforms_);
        } else if (changed) {
          result = layout::PropagateLayout(pre, args, &transforms_);
        }
        if (result) return Record(pre, *result);
      }
    }
    if (!changed) return post;
    Array<Expr> new_args;
    for (size_t i = 0; i < pre->args.size(); ++i) new_args.push_back(Materialize(pre->args[i], call->args[i]));
    return Call(call->op, new_args, call->attrs, call->type_args, call->span);
  }

  Expr Rewrite_(const TupleNode* pre, const Expr& post) final {
    const auto* tuple = post.as<TupleNode>();
    std::vector<LayoutArg> fields;
    bool changed = false;
    for (size_t i = 0; i < pre->fields.size(); ++i) {
      fields.push_back(ArgOf(pre->fields[i], tuple->fields[i]));
      changed = changed || fields.back().layout.Changed();
    }
    if (!changed) return post;
    Array<Expr> new_fields;
    for (size_t i = 0; i < pre->fields.size(); ++i) new_fields.push_back(Materialize(pre->fields[i], tuple->fields[i]));
    tuple_fields_[pre] = std::move(fields);  // concatenate may take the fields as they are
    return Tuple(new_fields, tuple->span);
  }

  Expr Rewrite_(const TupleGetItemNode* pre, const Expr& post) final {
    auto fields = tuple_fields_.find(pre->tuple.get());
    if (fields == tuple_fields_.end()) return post;
    const LayoutArg& field = fields->second.at(pre->index);
    return Record(pre, LayoutResult{field.expr, field.layout});
  }

  Expr Rewrite_(const FunctionNode* pre, const Expr& post) final {
    if (!changed_.count(pre->body.get())) return post;
    const auto* func = post.as<FunctionNode>();
    return Function(func->params, Materialize(pre->body, func->body), func->ret_type, func->type_params, func->attrs,
                    func->span);
  }

  /*! \brief The rewritten root in the original layout. */
  Expr Finish(const Expr& pre, const Expr& post) { return Materialize(pre, post); }

 private:
  LayoutArg ArgOf(const Expr& pre, const Expr& post) const {
    auto it = changed_.find(pre.get());
    return LayoutArg{post, it == changed_.end() ? TensorLayout{} : it->second, pre->checked_type_};
  }

  Expr Record(const Object* pre, const LayoutResult& result) {
    if (!result.fields.empty()) return RecordFields(static_cast<const ExprNode*>(pre), result);
    if (result.layout.Changed()) changed_[pre] = result.layout;
    return result.expr;
  }

  /*! \brief A call returning a tuple whose fields may be in changed layouts (nn.batch_norm,
   *  split): its TupleGetItems take the fields as they are; the call used whole becomes a tuple
   *  of its fields in their original layouts. */
  Expr RecordFields(const ExprNode* pre, const LayoutResult& result) {
    const auto* type = result.expr->checked_type().as<TupleTypeNode>();
    const auto* pre_type = pre->checked_type().as<TupleTypeNode>();
    TVM_CHECK(type != nullptr && pre_type != nullptr && type->fields.size() == result.fields.size() &&
                  pre_type->fields.size() == result.fields.size(),
              "InternalError")
        << pass_ << ": a rewritten call of a tuple result has " << result.fields.size() << " field layouts";
    std::vector<LayoutArg> fields;
    Array<Expr> original_fields;
    for (size_t i = 0; i < result.fields.size(); ++i) {
      TupleGetItem field(result.expr, static_cast<int>(i));
      field->checked_type_ = type->fields[i];
      const TensorLayout& layout = result.fields[i];
      fields.push_back(LayoutArg{field, layout, pre_type->fields[i]});
      original_fields.push_back(layout.Changed() ? transforms_.Transform(field, layout.current, layout.original)
                                                 : Expr(field));
    }
    tuple_fields_[pre] = std::move(fields);
    Tuple whole(original_fields);
    whole->checked_type_ = pre->checked_type();
    return whole;
  }

  /*! \brief `post` in the original program's layout (one transform per tensor, however many
   *  operators need it). */
  Expr Materialize(const Expr& pre, const Expr& post) {
    auto it = changed_.find(pre.get());
    if (it == changed_.end()) return post;
    return transforms_.Transform(post, it->second.current, it->second.original);
  }

  /*! \brief Argument `pre` (rewritten: `arg`, originally in `old_layout`) in layout `layout`. */
  Expr TransformArg(const Expr& pre, const LayoutArg& arg, const std::string& old_layout, const std::string& layout) {
    if (arg.layout.Changed() && arg.layout.original == old_layout) {
      return transforms_.Transform(arg.expr, arg.layout.current, layout);
    }
    return transforms_.Transform(Materialize(pre, arg.expr), old_layout, layout);
  }

  /*! \brief The hook's replacement of the call, if it gives one. */
  std::optional<LayoutResult> Alter(const Op& op, const CallNode* pre, const CallNode* call,
                                    const std::vector<LayoutArg>& args) {
    TVM_CHECK(pre->checked_type_.defined(), "ValueError")
        << pass_ << ": the call of " << op->name << " has no type; run relay.transform.InferType() first";

    // The hook sees the constants themselves and typed variables for everything else.
    Array<Expr> stand_ins;
    Array<te::Tensor> tinfos;
    Map<Var, Expr> binds;
    for (size_t i = 0; i < pre->args.size(); ++i) {
      const Expr& arg = call->args[i];
      const auto* ttype = pass_util::TensorTypeOf(pre->args[i]);
      if (ttype == nullptr) return std::nullopt;  // tuples and other non-tensor arguments: left alone
      tinfos.push_back(te::placeholder(ttype->shape, ttype->dtype, "arg" + std::to_string(i)));
      if (arg.as<ConstantNode>() && !args[i].layout.Changed()) {
        stand_ins.push_back(arg);
      } else {
        Var var("alter_arg" + std::to_string(i), pre->args[i]->checked_type());
        stand_ins.push_back(var);
        binds.Set(var, Materialize(pre->args[i], arg));
      }
    }
    runtime::TVMRetValue result = hook_(op, call->attrs, stand_ins, tinfos, pre->checked_type());
    if (result.type_code() == kTVMNullptr) return std::nullopt;
    Expr altered = result;

    const auto* new_call = altered.as<CallNode>();
    auto old_layouts = layout::LayoutsOf(pre);
    auto new_layouts = layout::LayoutsOf(new_call);
    if (old_layouts && new_layouts && new_call->args.size() == pre->args.size() &&
        new_layouts->inputs.size() == pre->args.size() && old_layouts->inputs.size() == pre->args.size()) {
      return AlterLayouts(op, pre, new_call, args, stand_ins, binds, *old_layouts, *new_layouts);
    }
    Type altered_type = InferTypeLocal(altered);
    TVM_CHECK(StructuralEqual()(altered_type, pre->checked_type()), "ValueError")
        << pass_ << ": the " << hook_name_ << " hook of " << op->name << " returned an expression of type "
        << altered_type << " for a call of type " << pre->checked_type()
        << "; a replacement that is not a call of an operator with layout attributes must keep the call's type";
    Expr bound = binds.empty() ? altered : Bind(altered, binds);
    bound->checked_type_ = pre->checked_type_;
    return LayoutResult{bound, {}};
  }

  /*! \brief A replacement with layout attributes: its pass-through arguments transformed into
   *  the layouts it reads, its result left in the layout it writes. */
  std::optional<LayoutResult> AlterLayouts(const Op& op, const CallNode* pre, const CallNode* new_call,
                                           const std::vector<LayoutArg>& args, const Array<Expr>& stand_ins,
                                           const Map<Var, Expr>& binds, const layout::OpLayouts& old_layouts,
                                           const layout::OpLayouts& new_layouts) {
    Array<Expr> real_args, shadow_args;
    for (size_t i = 0; i < pre->args.size(); ++i) {
      const Expr& arg = new_call->args[i];
      Expr real;
      if (arg.same_as(stand_ins[i])) {
        const std::string& old_layout = old_layouts.inputs[i];
        real = TransformArg(pre->args[i], args[i], old_layout, new_layouts.inputs[i]);
      } else {
        // The hook's own expression of the arguments: taken as the layout it wants.
        Type type = InferTypeLocal(arg);
        real = binds.empty() ? arg : Bind(arg, binds);
        real->checked_type_ = type;
      }
      real_args.push_back(real);
      shadow_args.push_back(Var("arg" + std::to_string(i), real->checked_type()));
    }
    Type new_type = InferTypeLocal(Call(new_call->op, shadow_args, new_call->attrs, new_call->type_args));
    Expr replacement = Call(new_call->op, real_args, new_call->attrs, new_call->type_args, pre->span);
    replacement->checked_type_ = new_type;
    TensorLayout out{old_layouts.output, new_layouts.output};
    Type back = new_type;
    if (out.Changed()) {
      back = InferTypeLocal(pass_util::MakeOp("layout_transform", Var("out", new_type), out.current, out.original));
    }
    TVM_CHECK(StructuralEqual()(back, pre->checked_type()), "ValueError")
        << pass_ << ": the " << hook_name_ << " hook of " << op->name << " returned a call of type " << new_type
        << " in layout " << out.current << ", which is not the call's type " << pre->checked_type() << " in layout "
        << out.original;
    if (!propagate_ && out.Changed()) {
      return LayoutResult{transforms_.Transform(replacement, out.current, out.original), {}};
    }
    return LayoutResult{replacement, out};
  }

  bool propagate_;
  std::string pass_;
  std::string hook_name_;
  ReplaceHook hook_;
  std::unordered_map<const Object*, TensorLayout> changed_;
  std::unordered_map<const Object*, std::vector<LayoutArg>> tuple_fields_;
  layout::LayoutTransforms transforms_;
};

}  // namespace

Expr AlterOpLayout(const Expr& expr) {
  if (!Op::HasAttrMap("FTVMAlterOpLayout")) return expr;
  auto falter = Op::GetAttrMap<runtime::PackedFunc>("FTVMAlterOpLayout");
  LayoutAlterer alterer(IsDataflow(expr), "AlterOpLayout", "FTVMAlterOpLayout",
                        [falter](const Op& op, const Attrs& attrs, const Array<Expr>& args,
                                 const Array<te::Tensor>& tinfos, const Type& out_type) {
                          runtime::TVMRetValue none;
                          if (!falter.count(op)) return none;
                          return falter[op](attrs, args, tinfos, out_type);
                        });
  return alterer.Finish(expr, PostOrderRewrite(expr, &alterer));
}

Expr ConvertLayout(const Expr& expr, const Map<String, Array<String>>& desired_layouts) {
  // As TVM: an operator without a layout conversion (FTVMConvertOpLayout) is left as it is,
  // whatever layout is asked of it; an unknown operator name is an error naming it.
  for (const auto& kv : desired_layouts) Op::Get(kv.first);
  if (desired_layouts.empty() || !Op::HasAttrMap("FTVMConvertOpLayout")) return expr;
  auto fconvert = Op::GetAttrMap<runtime::PackedFunc>("FTVMConvertOpLayout");
  LayoutAlterer alterer(IsDataflow(expr), "ConvertLayout", "FTVMConvertOpLayout",
                        [fconvert, desired_layouts](const Op& op, const Attrs& attrs, const Array<Expr>& args,
                                                    const Array<te::Tensor>& tinfos, const Type&) {
                          runtime::TVMRetValue none;
                          auto layouts = desired_layouts.Get(op->name);
                          if (!layouts || !fconvert.count(op)) return none;
                          return fconvert[op](attrs, args, tinfos, *layouts);
                        });
  return alterer.Finish(expr, PostOrderRewrite(expr, &alterer));
}

namespace transform {

Pass AlterOpLayout() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::AlterOpLayout(f)); }, 3, "AlterOpLayout",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.AlterOpLayout").set_body_typed([]() { return AlterOpLayout(); });

Pass ConvertLayout(const Map<String, Array<String>>& desired_layouts) {
  return pass_util::FunctionRewritePass(
      [desired_layouts](Function f, IRModule) { return Downcast<Function>(relay::ConvertLayout(f, desired_layouts)); },
      3, "ConvertLayout", {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.ConvertLayout").set_body_typed([](Map<String, Array<String>> desired) {
  return ConvertLayout(desired);
});

}  // namespace transform
}  // namespace relay
}  // namespace tvm
