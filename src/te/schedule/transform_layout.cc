/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/transform_layout.cc
 * \brief s[T].transform_layout(f): store T's output in the layout f(indices).
 *
 * The stage records the IndexMap; SchedulePostProcToPrimFunc hands the maps to
 * the PrimFunc (attribute "layout_transform_map") and ApplyLayoutTransforms
 * rewrites the buffer's shape and every access. A compute stage also iterates
 * over the transformed axes, so that its stores walk the new layout in order:
 *
 *   B[i] = A[i], transform_layout(lambda i: [i // 4, i % 4]) on [16]
 *   => loops over (axis0 in 4, axis1 in 4), i = axis0 * 4 + axis1 (a Transform relation)
 *
 * That needs the inverse map, so the map must be a bijection of boxes
 * (no padding); IndexMap::Inverse says why when it is not.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>

#include "transform_layout.h"

#include "../operation/op_utils.h"

namespace tvm {
namespace te {

Transform::Transform(Array<IterVar> original_variables, Array<IterVar> transformed_variables,
                     tir::IndexMap forward_transformation, tir::IndexMap inverse_transformation) {
  auto n = make_object<TransformNode>();
  n->original_variables = std::move(original_variables);
  n->transformed_variables = std::move(transformed_variables);
  n->forward_transformation = std::move(forward_transformation);
  n->inverse_transformation = std::move(inverse_transformation);
  data_ = std::move(n);
}

namespace {

// The index map with its initial indices replaced by the given variables.
tir::IndexMap Rebind(const tir::IndexMap& map, const Array<tir::Var>& vars) {
  Array<PrimExpr> as_exprs(vars.begin(), vars.end());
  return tir::IndexMap(vars, map->MapIndices(as_exprs));
}

}  // namespace

Stage& Stage::transform_layout(const Array<tir::Var>& initial_indices, const Array<PrimExpr>& final_indices,
                               Array<IterVar>* p_new_axes) {
  StageNode* self = operator->();
  const Operation& op = self->op;
  TVM_CHECK(op->num_outputs() >= 1, "ValueError")
      << "transform_layout: stage " << StageName(*this) << " has no output to transform";
  Array<PrimExpr> shape = op.output(0)->shape;
  TVM_CHECK(initial_indices.size() == shape.size(), "ValueError")
      << "transform_layout: the mapping of stage " << StageName(*this) << " takes " << initial_indices.size()
      << " indices, but its output has " << shape.size() << " dimensions "
      << shape;
  TVM_CHECK(!final_indices.empty(), "ValueError")
      << "transform_layout: the mapping of stage " << StageName(*this) << " returns no indices";
  tir::IndexMap map(initial_indices, final_indices);
  p_new_axes->clear();

  const auto* compute = op.as<BaseComputeOpNode>();
  if (compute != nullptr) {
    // The loops follow the new layout: replace the data-parallel axes by transformed ones.
    std::string why;
    TVM_CHECK(map.IsBijective(shape, &why), "ValueError")
        << "transform_layout: the mapping " << map->ToString() << " of stage " << StageName(*this)
        << " is not a bijection over the shape " << shape << " (" << why
        << "); a compute stage iterates over the new layout, which needs one";
    Array<tir::Var> axis_vars;
    for (const IterVar& iv : compute->axis) axis_vars.push_back(iv->var);
    tir::IndexMap forward = Rebind(map, axis_vars);
    Array<PrimExpr> new_shape = forward->MapShape(shape);
    Array<IterVar> transformed;
    for (size_t j = 0; j < new_shape.size(); ++j) {
      DataType t = compute->axis.empty() ? DataType::Int(32) : compute->axis[0]->var.dtype();
      std::string name = "ax" + std::to_string(j);
      if (const auto* v = forward->final_indices[j].as<tir::VarNode>()) name = v->name_hint;
      PrimExpr extent = new_shape[j].dtype() == t ? new_shape[j] : cast(t, new_shape[j]);
      transformed.push_back(
          IterVar(Range::FromMinExtent(make_zero(t), extent), tir::Var(name, t), kDataPar));
    }
    Array<tir::Var> transformed_vars;
    for (const IterVar& iv : transformed) transformed_vars.push_back(iv->var);
    tir::IndexMap inverse = Rebind(forward.Inverse(shape), transformed_vars);

    // Every data-parallel axis must still be a loop of its own: the map is over them.
    size_t first = self->leaf_iter_vars.size();
    for (const IterVar& iv : compute->axis) {
      size_t pos = 0;
      while (pos < self->leaf_iter_vars.size() && !self->leaf_iter_vars[pos].same_as(iv)) ++pos;
      TVM_CHECK(pos < self->leaf_iter_vars.size(), "ValueError")
          << "transform_layout: axis " << AxisName(iv) << " of stage " << StageName(*this)
          << " has already been split, fused or transformed; transform the layout first";
      first = std::min(first, pos);
    }
    Array<IterVar> leaves;
    for (size_t i = 0; i < self->leaf_iter_vars.size(); ++i) {
      if (i == first) {
        for (const IterVar& iv : transformed) leaves.push_back(iv);
      }
      const IterVar& iv = self->leaf_iter_vars[i];
      bool is_axis = false;
      for (const IterVar& a : compute->axis) is_axis = is_axis || a.same_as(iv);
      if (!is_axis) leaves.push_back(iv);
    }
    self->leaf_iter_vars = leaves;
    for (const IterVar& iv : transformed) self->all_iter_vars.push_back(iv);
    self->relations.push_back(Transform(compute->axis, transformed, forward, inverse));
    *p_new_axes = transformed;
  }
  self->layout_transforms.push_back(map);
  if (self->attach_sch != nullptr) self->attach_sch->RecordPrimitive("transform_layout");
  return *this;
}

Stage& Stage::set_axis_separators(const Array<IntImm>& axis_separators) {
  StageNode* self = operator->();
  int64_t ndim = static_cast<int64_t>(self->op.output(0)->shape.size());
  if (!self->layout_transforms.empty()) {
    ndim = static_cast<int64_t>(self->layout_transforms.back()->final_indices.size());
  }
  int64_t previous = 0;
  for (const IntImm& sep : axis_separators) {
    TVM_CHECK(sep->value > previous && sep->value < ndim, "ValueError")
        << "set_axis_separators: separator " << sep->value << " of stage " << StageName(*this)
        << " must lie strictly between the axes, in increasing order, inside 1.." << ndim - 1;
    previous = sep->value;
  }
  self->layout_axis_separators = axis_separators;
  return *this;
}

Stmt AttachLayoutTransforms(const Schedule& sch, Stmt body) {
  for (const Stage& stage : sch->stages) {
    if (stage->op->num_outputs() == 0) continue;
    // The tensor the function's arguments name: the original one when cache_read/
    // cache_write replaced the stage's operation (ScheduleOps' output names it too).
    Operation named = stage->origin_op.defined() ? stage->origin_op : stage->op;
    Tensor output = named.output(0);
    if (!stage->layout_transforms.empty()) {
      Array<ObjectRef> node{output};
      for (const tir::IndexMap& map : stage->layout_transforms) node.push_back(map);
      body = AttrStmt(node, kLayoutTransformsAttr, make_const(DataType::Int(32), 1), body);
    }
    if (!stage->layout_axis_separators.empty()) {
      Array<ObjectRef> node{output};
      for (const IntImm& sep : stage->layout_axis_separators) node.push_back(sep);
      body = AttrStmt(node, kAxisSeparatorsAttr, make_const(DataType::Int(32), 1), body);
    }
  }
  return body;
}

TVM_REGISTER_NODE_TYPE(TransformNode);

TVM_REGISTER_GLOBAL("te.StageTransformLayout")
    .set_body_typed([](Stage stage, Array<tir::Var> initial_indices, Array<PrimExpr> final_indices) {
      Array<IterVar> new_axes;
      stage.transform_layout(initial_indices, final_indices, &new_axes);
      return new_axes;
    });
TVM_REGISTER_GLOBAL("te.StageSetAxisSeparators").set_body_typed([](Stage stage, Array<IntImm> separators) {
  stage.set_axis_separators(separators);
});

}  // namespace te
}  // namespace tvm
