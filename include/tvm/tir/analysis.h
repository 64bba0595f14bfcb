/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/analysis.h
 * \brief Questions asked of loop IR without changing it (tvm.tir.analysis).
 */
#ifndef TVM_TIR_ANALYSIS_H_
#define TVM_TIR_ANALYSIS_H_

#include <tvm/tir/function.h>
#include <tvm/tir/stmt.h>

namespace tvm {
namespace tir {

/*!
 * \brief The variables `node` (a Stmt or PrimExpr) uses without defining them
 *  and that are not in `defs`, in order of first use. Definitions are loop
 *  variables, Let/LetStmt variables, Allocate pointers and the variables of
 *  thread_extent/virtual_thread scopes; a buffer's data pointer, shape,
 *  strides and offset count as uses where the buffer is accessed.
 */
TVM_DLL Array<Var> UndefinedVars(const ObjectRef& node, const Array<Var>& defs);

/*! \brief Whether every variable of `func` is defined once (parameters included). */
TVM_DLL bool VerifySSA(const PrimFunc& func);

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_ANALYSIS_H_
