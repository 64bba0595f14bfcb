/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file skip_assert.cc
 * \brief SkipAssert: drop every AssertStmt, keeping its body. tvm.build runs
 *  it after MakePackedAPI when the PassContext sets "tir.disable_assert", for
 *  kernels whose callers guarantee the checks (argument types, shapes) hold.
 *
 *   before:  assert n == 4, "n should be 4"      after:  A[0] = 1
 *            A[0] = 1
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class AssertSkipper : public StmtMutator {
 protected:
  Stmt VisitStmt_(const AssertStmtNode* op) final { return VisitStmt(op->body); }
};

}  // namespace

namespace transform {

Pass SkipAssert() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = AssertSkipper()(f->body);
    if (!body.same_as(f->body)) f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.SkipAssert", {});
}

TVM_REGISTER_GLOBAL("tir.transform.SkipAssert").set_body_typed([]() { return SkipAssert(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
