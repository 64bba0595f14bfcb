/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/constant_evaluator.h
 * \brief The values FoldConstant folds, computed in C++ (constant_evaluator.cc).
 */
#ifndef TVM_SRC_RELAY_BACKEND_CONSTANT_EVALUATOR_H_
#define TVM_SRC_RELAY_BACKEND_CONSTANT_EVALUATOR_H_

#include <tvm/relay/function.h>
#include <tvm/runtime/container/array.h>

namespace tvm {
namespace relay {
namespace backend {

/*!
 * \brief The values of `batch`, a function without parameters whose body is a
 *  tuple of closed expressions (operator calls on constants, tuples,
 *  projections): one entry per field, an NDArray or (for a tuple) an Array.
 */
Array<ObjectRef> EvaluateConstants(const Function& batch);

}  // namespace backend
}  // namespace relay
}  // namespace tvm
#endif  // TVM_SRC_RELAY_BACKEND_CONSTANT_EVALUATOR_H_
