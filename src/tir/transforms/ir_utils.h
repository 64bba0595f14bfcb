/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file ir_utils.h
 * \brief Small helpers shared by the lowering passes of this folder (not a
 *  public interface): reading PassContext options, finding variables,
 *  building nests of statements.
 */
#ifndef TVM_TIR_TRANSFORMS_IR_UTILS_H_
#define TVM_TIR_TRANSFORMS_IR_UTILS_H_

#include <tvm/ir/repr_printer.h>
#include <tvm/ir/transform.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace tir {

/*!
 * \brief Nodes of a statement or expression counted as a tree (a shared
 *  subexpression once per use); counting stops past `cap`, so the cost is
 *  bounded by the cap, not by the size.
 */
inline int64_t TreeSize(const ObjectRef& node, int64_t cap) {
  struct Counter : public StmtExprVisitor {
    int64_t n{0}, cap{0};
    void VisitExpr(const PrimExpr& e) final {
      if (++n > cap) return;
      StmtExprVisitor::VisitExpr(e);
    }
    void VisitStmt(const Stmt& st) final {
      if (++n > cap) return;
      StmtExprVisitor::VisitStmt(st);
    }
  } counter;
  counter.cap = cap;
  if (const auto* e = node.as<PrimExprNode>()) {
    counter(GetRef<PrimExpr>(e));
  } else if (const auto* st = node.as<StmtNode>()) {
    counter(GetRef<Stmt>(st));
  }
  return std::min(counter.n, cap);
}

/*! \brief The integer value of `key` in an options map (a PassContext config entry), or `fallback`. */
inline int64_t OptionInt(const std::optional<Map<String, ObjectRef>>& options, const char* key, int64_t fallback) {
  if (!options.has_value()) return fallback;
  auto v = options->Get(String(key));
  if (!v.has_value() || !v->defined()) return fallback;
  if (const auto* imm = v->as<IntImmNode>()) return imm->value;
  if (const auto* f = v->as<FloatImmNode>()) return static_cast<int64_t>(f->value);
  TVM_CHECK(false, "TypeError") << "PassContext option '" << key << "' must be an integer, got "
                                << (*v)->GetTypeKey();
  return fallback;
}

/*!
 * \brief Check a pass's config map: every key must be one of `known`, and the
 *  keys in `unsupported` (TVM features this project's pass lacks) must be off.
 */
inline void CheckPassOptions(const std::optional<Map<String, ObjectRef>>& options, const char* pass,
                             std::initializer_list<const char*> known, std::initializer_list<const char*> unsupported) {
  if (!options.has_value()) return;
  for (const auto& kv : *options) {
    bool ok = false;
    for (const char* k : known) ok = ok || kv.first == k;
    TVM_CHECK(ok, "AttributeError") << "PassContext option " << pass << ": unknown key '" << kv.first << "'";
  }
  for (const char* k : unsupported) {
    TVM_CHECK(OptionInt(options, k, 0) == 0, "NotImplementedError")
        << pass << " option " << k << " is not supported by this project";
  }
}

/*! \brief Whether a boolean config option of the current PassContext is set. */
inline bool ConfigFlag(const transform::PassContext& ctx, const char* key) {
  auto v = ctx->GetConfig<IntImm>(key);
  return v.has_value() && v->defined() && (*v)->value != 0;
}

/*! \brief Whether `node` (statement or expression) mentions a variable for which pred holds. */
inline bool UsesVar(const ObjectRef& node, const std::function<bool(const VarNode*)>& pred) {
  bool found = false;
  PreOrderVisit(node, [&](const ObjectRef& n) {
    if (found) return false;
    if (const auto* v = n.as<VarNode>()) {
      if (pred(v)) found = true;
    }
    return !found;
  });
  return found;
}

inline bool UsesVar(const ObjectRef& node, const VarNode* var) {
  return UsesVar(node, [var](const VarNode* v) { return v == var; });
}

/*! \brief Wrap `body` in the statements of `nest` (outermost first), each having an empty body slot. */
inline Stmt WrapNest(const std::vector<Stmt>& nest, Stmt body) {
  for (size_t i = nest.size(); i > 0; --i) {
    const Stmt& s = nest[i - 1];
    if (const auto* let = s.as<LetStmtNode>()) {
      body = LetStmt(let->var, let->value, body);
    } else if (const auto* a = s.as<AssertStmtNode>()) {
      body = AssertStmt(a->condition, a->message, body);
    } else if (const auto* attr = s.as<AttrStmtNode>()) {
      body = AttrStmt(attr->node, attr->attr_key, attr->value, body);
    } else {
      body = SeqStmt::Flatten(s, body);
    }
  }
  return body;
}

/*! \brief The storage scope written in a pointer variable's type ("global" when none). */
inline std::string ScopeOfVar(const Var& v) {
  if (const auto* ptr = v->type_annotation.as<PointerTypeNode>()) {
    if (!ptr->storage_scope.empty()) return ptr->storage_scope;
  }
  return "global";
}

/*! \brief A 1-D buffer of `extent` elements over the pointer `data` (how flat allocations are addressed). */
inline Buffer FlatBufferOver(const Var& data, DataType dtype, PrimExpr extent, const String& name) {
  return Buffer(data, dtype, {extent}, {}, PrimExpr(), name, 0, 0, kDefault);
}

/*! \brief An int32 constant. */
inline PrimExpr I32(int64_t v) { return make_const(DataType::Int(32), v); }

/*! \brief Whether a call (or anything inside e) may have a side effect. */
inline bool HasSideEffect(const PrimExpr& e) {
  bool effect = false;
  PostOrderVisit(e, [&](const ObjectRef& n) {
    if (const auto* call = n.as<CallNode>()) {
      if (const auto* op = call->op.as<OpNode>()) {
        CallEffectKind k = GetCallEffectKind(GetRef<Op>(op));
        if (k != CallEffectKind::kPure && k != CallEffectKind::kExprAnnotation && k != CallEffectKind::kReadState) {
          effect = true;
        }
      } else {
        effect = true;
      }
    }
  });
  return effect;
}

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_TRANSFORMS_IR_UTILS_H_
