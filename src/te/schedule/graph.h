/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/graph.h
 * \brief The dataflow graph of a schedule's operations: who reads whom,
 *  in what order to visit them, and the loops each stage is nested in.
 */
#ifndef TVM_TE_SCHEDULE_GRAPH_H_
#define TVM_TE_SCHEDULE_GRAPH_H_

#include <tvm/te/schedule.h>

#include <unordered_map>
#include <vector>

#include "../operation/op_utils.h"

namespace tvm {
namespace te {

/*! \brief For each operation, the tensors it reads. */
using ReadGraph = Map<Operation, Array<Tensor>>;
/*! \brief For each tensor, the operations that read it. */
using FeedGraph = TensorMap<std::vector<Operation>>;
/*!
 * \brief For each operation, the loops (of other stages) it is nested in,
 *  innermost first: the consumer's leaves from its attach point outwards,
 *  then the consumer's own attach path.
 */
using AttachPath = Map<Operation, Array<IterVar>>;

/*! \brief The read graph of everything reachable from roots. */
ReadGraph CreateReadGraph(const Array<Operation>& roots);
/*! \brief The operations of g reachable from roots, producers before consumers. */
Array<Operation> PostDFSOrder(const Array<Operation>& roots, const ReadGraph& g);
FeedGraph CreateFeedGraph(const ReadGraph& g);
AttachPath CreateAttachPath(const Schedule& sch);
/*! \brief Whether `target` is reachable from `from` through the read graph (from itself excluded). */
bool Reads(const Operation& from, const Operation& target);
/*!
 * \brief Check every compute_at of the schedule: the target stage must consume the
 *  stage (so not be the stage itself), and an output is computed at the root.
 */
void ValidateComputeAt(const Schedule& sch);
/*!
 * \brief The operations between inputs and outputs (excluding the inputs'
 *  operations unless include_inputs).
 * \throws Error when an output does not depend on the inputs only.
 */
Array<Operation> GetSubGraph(const Array<Tensor>& outputs, const Array<Tensor>& inputs, bool include_inputs);

/*!
 * \brief The body of a scan: the operations between its updates and its state
 *  placeholders (and declared inputs), producers first. They run once per step.
 */
Array<Operation> ScanGetBody(const Operation& scan_op);

/*!
 * \brief For each spatial axis of a scan, 1 when the output may be computed over
 *  part of that dimension: step t at index i reads the state along that dimension
 *  at index i only (through every op of the body), so slices are independent.
 *  0 otherwise (a transposed, shifted, constant or reduced index, or two state
 *  dimensions meeting in one).
 */
Map<IterVar, PrimExpr> ScanFixPointAnalysis(const Operation& scan_op);

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_SCHEDULE_GRAPH_H_
