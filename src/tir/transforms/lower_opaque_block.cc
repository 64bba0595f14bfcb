/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file lower_opaque_block.cc
 * \brief LowerOpaqueBlock: loop annotations and bindings to the attribute
 *  statements the lowering passes read.
 *
 * Assumes: a PrimFunc written with TVMScript or the tir API. This project's
 *  IR has no schedulable blocks, so what is left to lower is the loops.
 *
 * Guarantees:
 *  - a loop annotation whose key starts with "pragma_" becomes
 *    AttrStmt(loop_var, key, value) around the loop (sorted by key, the
 *    first outermost); other annotations stay on the loop;
 *  - a thread-binding loop becomes a launch: AttrStmt(IterVar, "thread_extent"
 *    or, for vthread tags, "virtual_thread", extent);
 *  - a loop of extent 1 without annotations becomes its body, the loop
 *    variable replaced by the loop's start.
 *
 *   before:  for i in T.serial(8, annotations={"pragma_x": 1, "key": "v"}):   after:
 *                for j in range(1):                       with T.attr(i, "pragma_x", 1):
 *                    A[i] = j                                 for i in T.serial(8, annotations={"key": "v"}):
 *                                                                 A[i] = 0
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class OpaqueBlockLowerer : public StmtExprMutator {
 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    PrimExpr min = VisitExpr(op->min);
    PrimExpr extent = VisitExpr(op->extent);
    bool unit = is_one(extent) && op->annotations.empty() && op->kind != ForKind::kThreadBinding;
    if (unit) unit_loops_[op->loop_var.get()] = min;
    Stmt body = VisitStmt(op->body);
    if (unit) {
      unit_loops_.erase(op->loop_var.get());
      return body;
    }
    std::vector<std::pair<std::string, PrimExpr>> pragmas;
    Map<String, ObjectRef> kept;
    for (const auto& kv : op->annotations) {
      if (attr::IsPragmaKey(kv.first)) {
        pragmas.emplace_back(kv.first, AttrValue(kv.first, kv.second));
      } else {
        kept.Set(kv.first, kv.second);
      }
    }
    std::sort(pragmas.begin(), pragmas.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    if (op->kind == ForKind::kThreadBinding) {
      TVM_CHECK(op->thread_binding.defined(), "ValueError")
          << "LowerOpaqueBlock: thread-binding loop over " << op->loop_var->name_hint << " has no thread";
      std::string tag = op->thread_binding->thread_tag;
      IterVar iv(Range::FromMinExtent(min, extent), op->loop_var, IterVarType::kThreadIndex, tag);
      bool virtual_thread = tag == "vthread" || tag.rfind("vthread.", 0) == 0;
      body = AttrStmt(iv, virtual_thread ? attr::virtual_thread : attr::thread_extent, extent, body);
    } else {
      body = For(op->loop_var, min, extent, op->kind, body, IterVar(), kept);
    }
    for (auto it = pragmas.rbegin(); it != pragmas.rend(); ++it) {
      body = AttrStmt(op->loop_var, it->first, it->second, body);
    }
    return body;
  }

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = unit_loops_.find(op);
    if (it == unit_loops_.end()) return GetRef<PrimExpr>(op);
    return it->second.dtype() == op->dtype ? it->second : cast(op->dtype, it->second);
  }

 private:
  static PrimExpr AttrValue(const String& key, const ObjectRef& value) {
    if (!value.defined()) return PrimExpr();
    if (const auto* e = value.as<PrimExprNode>()) return GetRef<PrimExpr>(e);
    if (const auto* s = value.as<runtime::StringObj>()) return StringImm(GetRef<String>(s));
    TVM_CHECK(false, "TypeError") << "LowerOpaqueBlock: loop annotation '" << key
                                  << "' must be an expression or a string, got " << value->GetTypeKey();
    return PrimExpr();
  }

  std::unordered_map<const VarNode*, PrimExpr> unit_loops_;
};

}  // namespace

namespace transform {

Pass LowerOpaqueBlock() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = OpaqueBlockLowerer()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.LowerOpaqueBlock", {});
}

TVM_REGISTER_GLOBAL("tir.transform.LowerOpaqueBlock").set_body_typed([]() { return LowerOpaqueBlock(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
