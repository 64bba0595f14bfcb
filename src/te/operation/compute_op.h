/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/compute_op.h
 * \brief The loop nest of a compute stage, shared by the normal, the
 *  cross-thread-reduction and the tensorized ways of emitting it.
 */
#ifndef TVM_TE_OPERATION_COMPUTE_OP_H_
#define TVM_TE_OPERATION_COMPUTE_OP_H_

#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>

#include <vector>

#include "op_utils.h"

namespace tvm {
namespace te {

/*!
 * \brief The loops of a compute stage. For a reduction, the loops split in
 *  two: the common loops (leaves before the first one that iterates over a
 *  reduction axis) hold both the initialisation and the update; the
 *  initialisation has its own loops (fresh ".init" variables) over the
 *  remaining data-parallel leaves.
 */
struct ComputeLoopNest {
  /*! \brief Number of leaves (from the outermost) shared by init and update. */
  size_t num_common_loop{0};
  /*! \brief Guards of the update (likely(...)), plus the store predicate. */
  std::vector<PrimExpr> main_predicates;
  std::vector<PrimExpr> init_predicates;
  std::vector<std::vector<Stmt>> main_nest;
  std::vector<std::vector<Stmt>> init_nest;
  IterVarExprMap main_vmap;
  IterVarExprMap init_vmap;

  static ComputeLoopNest Create(const BaseComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                                bool debug_keep_trivial_loop);
};

/*! \brief Initialisation and update stores of a reduction writing `tensors`. */
void MakeReduction(const ComputeOpNode* op, const Array<Tensor>& tensors, Stmt* init, Stmt* provide);

/*! \brief A reduction whose reduction loops are bound to threads: tvm_thread_allreduce. */
Stmt MakeCrossThreadReduction(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                              bool debug_keep_trivial_loop);

/*! \brief The stage with the region below its tensorized leaf replaced by a tensor intrinsic. */
Stmt MakeTensorize(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                   bool debug_keep_trivial_loop);

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_OPERATION_COMPUTE_OP_H_
