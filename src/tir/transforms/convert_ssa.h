/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file convert_ssa.h
 * \brief ConvertSSA for one statement: passes that copy a body (loop
 *  partitioning, unrolling) use it to give each copy its own variables.
 */
#ifndef TVM_TIR_TRANSFORMS_CONVERT_SSA_H_
#define TVM_TIR_TRANSFORMS_CONVERT_SSA_H_

#include <tvm/tir/stmt.h>

namespace tvm {
namespace tir {

/*!
 * \brief Rename every variable that `stmt` defines more than once (loop,
 *  let and allocation variables): the first definition keeps its variable,
 *  later ones get a fresh variable of the same name and type, and the
 *  buffers over a renamed allocation are rebuilt over the new variable.
 */
Stmt ConvertSSA(Stmt stmt);

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_TRANSFORMS_CONVERT_SSA_H_
