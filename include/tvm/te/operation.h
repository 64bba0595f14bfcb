/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/te/operation.h
 * \brief Operations of tensor expressions: placeholder (an input), compute
 *  (an element-wise or reduction formula), extern (an opaque statement),
 *  and the builders te.placeholder / te.compute / te.extern / te.reduce_axis.
 */
#ifndef TVM_TE_OPERATION_H_
#define TVM_TE_OPERATION_H_

#include <tvm/arith/int_set.h>
#include <tvm/te/tensor.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/stmt.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace te {

class Schedule;
class Stage;

/*! \brief Bounds of tensors as seen by one consumer: per dimension, the sets of indices read. */
struct TensorDom {
  std::vector<std::vector<arith::IntSet>> data;
  explicit TensorDom(int ndim) : data(ndim) {}
};

class OperationNode : public Object {
 public:
  std::string name;
  std::string tag;
  Map<String, ObjectRef> attrs;

  virtual ~OperationNode() = default;
  virtual int num_outputs() const = 0;
  /*! \brief The iteration variables before any schedule transformation. */
  virtual Array<IterVar> root_iter_vars() const = 0;
  virtual DataType output_dtype(size_t i) const = 0;
  virtual Array<PrimExpr> output_shape(size_t i) const = 0;
  /*! \brief The tensors this operation reads. */
  virtual Array<Tensor> InputTensors() const = 0;
  /*! \brief A copy reading `rmap[t]` wherever it read t (or this op if none changes). */
  virtual Operation ReplaceInputs(const Operation& self,
                                  const std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual>& rmap) const = 0;
  /*!
   * \brief Bound inference, consumer side: given the domain of this op's
   *  iteration variables (dom_map), add to out_dom_map[t] the indices of each
   *  input tensor t that are read.
   */
  virtual void PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                 const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                 std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>* out_dom_map) const = 0;
  /*!
   * \brief Bound inference, producer side: from the regions of this op's
   *  outputs that consumers need (tensor_dom), set the ranges of the root
   *  iteration variables in out_dom_map.
   */
  virtual void GatherBound(const Operation& self,
                           const std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>& tensor_dom,
                           std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>* out_dom_map) const = 0;
  /*! \brief Wrap body in the realization (allocation) of this op's outputs over `realize_map`. */
  virtual Stmt BuildRealize(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& realize_map,
                            const Stmt& body, String storage_scope = "") const = 0;
  /*! \brief The loop nest that computes this op under its stage's schedule. */
  virtual Stmt BuildProvide(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& dom_map,
                            bool debug_keep_trivial_loop) const = 0;

  static constexpr const char* _type_key = "Operation";
  using _type_parent = Object;
};

class Operation : public ObjectRef {
 public:
  using ContainerType = OperationNode;
  using ObjectRef::ObjectRef;
  Operation() = default;
  const OperationNode* operator->() const { return static_cast<const OperationNode*>(get()); }
  /*! \brief Output i as a Tensor. */
  TVM_DLL Tensor output(size_t i) const;
};

/*! \brief An input tensor. */
class PlaceholderOpNode : public OperationNode {
 public:
  Array<PrimExpr> shape;
  DataType dtype;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("tag", &tag);
    v->Visit("attrs", &attrs);
    v->Visit("shape", &shape);
    v->Visit("dtype", &dtype);
  }
  int num_outputs() const final { return 1; }
  Array<IterVar> root_iter_vars() const final { return {}; }
  DataType output_dtype(size_t i) const final { return dtype; }
  Array<PrimExpr> output_shape(size_t i) const final { return shape; }
  Array<Tensor> InputTensors() const final { return {}; }
  TVM_DLL Operation ReplaceInputs(const Operation& self,
                                  const std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual>& rmap) const final;
  TVM_DLL void PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                 const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                 std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>* out_dom_map) const final;
  TVM_DLL void GatherBound(const Operation& self,
                           const std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>& tensor_dom,
                           std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>* out_dom_map) const final;
  TVM_DLL Stmt BuildRealize(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& realize_map,
                            const Stmt& body, String storage_scope = "") const final;
  TVM_DLL Stmt BuildProvide(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& dom_map,
                            bool debug_keep_trivial_loop) const final;

  static constexpr const char* _type_key = "PlaceholderOp";
  static constexpr bool _type_final = true;
  using _type_parent = OperationNode;
};

/*! \brief What compute-like operations share: the data-parallel axes. */
class BaseComputeOpNode : public OperationNode {
 public:
  Array<IterVar> axis;
  Array<IterVar> reduce_axis;

  Array<IterVar> root_iter_vars() const override;
  Array<PrimExpr> output_shape(size_t i) const override;
  TVM_DLL void GatherBound(const Operation& self,
                           const std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>& tensor_dom,
                           std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>* out_dom_map) const override;
  TVM_DLL Stmt BuildRealize(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& realize_map,
                            const Stmt& body, String storage_scope = "") const override;
  virtual size_t num_schedulable_dims() const = 0;

  static constexpr const char* _type_key = "BaseComputeOp";
  using _type_parent = OperationNode;
};

/*! \brief out[axis] = body(axis), optionally a reduction over reduce_axis. */
class ComputeOpNode : public BaseComputeOpNode {
 public:
  /*! \brief One expression per output (several only for tuple reductions). */
  Array<PrimExpr> body;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("tag", &tag);
    v->Visit("attrs", &attrs);
    v->VisitDef("axis", &axis);
    v->VisitDef("reduce_axis", &reduce_axis);
    v->Visit("body", &body);
  }
  int num_outputs() const final { return static_cast<int>(body.size()); }
  DataType output_dtype(size_t i) const final { return body[i].dtype(); }
  TVM_DLL Array<Tensor> InputTensors() const final;
  TVM_DLL Operation ReplaceInputs(const Operation& self,
                                  const std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual>& rmap) const final;
  TVM_DLL void PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                 const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                 std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>* out_dom_map) const final;
  TVM_DLL Stmt BuildProvide(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& dom_map,
                            bool debug_keep_trivial_loop) const final;
  size_t num_schedulable_dims() const final { return axis.size(); }

  static constexpr const char* _type_key = "ComputeOp";
  static constexpr bool _type_final = true;
  using _type_parent = BaseComputeOpNode;
};

/*! \brief A compute op whose innermost region is replaced by a tensor intrinsic (after tensorize). */
class TensorComputeOpNode : public BaseComputeOpNode {
 public:
  size_t schedulable_ndim{0};
  ObjectRef intrin;  // TensorIntrin
  Array<Tensor> inputs;
  Array<Region> input_regions;
  Array<PrimExpr> scalar_inputs;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("tag", &tag);
    v->VisitDef("axis", &axis);
    v->VisitDef("reduce_axis", &reduce_axis);
    v->Visit("intrin", &intrin);
    v->Visit("inputs", &inputs);
    v->Visit("input_regions", &input_regions);
    v->Visit("scalar_inputs", &scalar_inputs);
  }
  int num_outputs() const final;
  DataType output_dtype(size_t i) const final;
  TVM_DLL Array<Tensor> InputTensors() const final;
  TVM_DLL Operation ReplaceInputs(const Operation& self,
                                  const std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual>& rmap) const final;
  TVM_DLL void PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                 const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                 std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>* out_dom_map) const final;
  TVM_DLL Stmt BuildProvide(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& dom_map,
                            bool debug_keep_trivial_loop) const final;
  size_t num_schedulable_dims() const final { return schedulable_ndim; }

  static constexpr const char* _type_key = "TensorComputeOp";
  static constexpr bool _type_final = true;
  using _type_parent = BaseComputeOpNode;
};

/*! \brief Outputs produced by an opaque statement over buffers (e.g. a packed call). */
class ExternOpNode : public OperationNode {
 public:
  Array<Tensor> inputs;
  Array<Buffer> input_placeholders;
  Array<Buffer> output_placeholders;
  Stmt body;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("tag", &tag);
    v->Visit("attrs", &attrs);
    v->Visit("inputs", &inputs);
    v->Visit("input_placeholders", &input_placeholders);
    v->Visit("output_placeholders", &output_placeholders);
    v->Visit("body", &body);
  }
  int num_outputs() const final { return static_cast<int>(output_placeholders.size()); }
  Array<IterVar> root_iter_vars() const final { return {}; }
  DataType output_dtype(size_t i) const final { return output_placeholders[i]->dtype; }
  Array<PrimExpr> output_shape(size_t i) const final { return output_placeholders[i]->shape; }
  Array<Tensor> InputTensors() const final { return inputs; }
  TVM_DLL Operation ReplaceInputs(const Operation& self,
                                  const std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual>& rmap) const final;
  TVM_DLL void PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                 const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                 std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>* out_dom_map) const final;
  TVM_DLL void GatherBound(const Operation& self,
                           const std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>& tensor_dom,
                           std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>* out_dom_map) const final;
  TVM_DLL Stmt BuildRealize(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& realize_map,
                            const Stmt& body, String storage_scope = "") const final;
  TVM_DLL Stmt BuildProvide(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& dom_map,
                            bool debug_keep_trivial_loop) const final;

  static constexpr const char* _type_key = "ExternOp";
  static constexpr bool _type_final = true;
  using _type_parent = OperationNode;
};

/*!
 * \brief A recurrence over the first dimension (te.scan): out[0:k] = init, then for
 *  t in [k, T): out[t] = update[t], where update reads out[t - 1, ...] (or earlier)
 *  through state_placeholder. The ops between update and the state (the scan's
 *  body) run once per step, inside the loop over scan_axis.
 */
class ScanOpNode : public OperationNode {
 public:
  /*! rief The time axis: [init.shape[0], update.shape[0]). */
  IterVar scan_axis;
  /*! rief One opaque axis per non-time dimension of each output (bound inference only). */
  Array<IterVar> spatial_axis_;
  Array<Tensor> init;
  Array<Tensor> update;
  Array<Tensor> state_placeholder;
  /*! rief Inputs of the body besides the state (optional: narrows the body). */
  Array<Tensor> inputs;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("tag", &tag);
    v->Visit("attrs", &attrs);
    v->Visit("scan_axis", &scan_axis);
    v->Visit("spatial_axis_", &spatial_axis_);
    v->Visit("init", &init);
    v->Visit("update", &update);
    v->Visit("state_placeholder", &state_placeholder);
    v->Visit("inputs", &inputs);
  }
  int num_outputs() const final { return static_cast<int>(update.size()); }
  /*! rief scan_axis, then the spatial axes (opaque: they are not loops of the stage). */
  TVM_DLL Array<IterVar> root_iter_vars() const final;
  DataType output_dtype(size_t i) const final { return update[i]->dtype; }
  Array<PrimExpr> output_shape(size_t i) const final { return state_placeholder[i]->shape; }
  /*! rief init and update: the state is this op's own output. */
  TVM_DLL Array<Tensor> InputTensors() const final;
  TVM_DLL Operation ReplaceInputs(const Operation& self,
                                  const std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual>& rmap) const final;
  TVM_DLL void PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                 const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                 std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>* out_dom_map) const final;
  TVM_DLL void GatherBound(const Operation& self,
                           const std::unordered_map<Tensor, TensorDom, TensorHash, TensorEqual>& tensor_dom,
                           std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>* out_dom_map) const final;
  TVM_DLL Stmt BuildRealize(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& realize_map,
                            const Stmt& body, String storage_scope = "") const final;
  /*!
   * \brief The loop over scan_axis holding AttrStmt "scan_update_scope" (value: the time
   *  step), with AttrStmt "scan_init_scope" before it: ScheduleOps puts the init and the
   *  body's stages there.
   */
  TVM_DLL Stmt BuildProvide(const Stage& stage,
                            const std::unordered_map<IterVar, Range, ObjectPtrHash, ObjectPtrEqual>& dom_map,
                            bool debug_keep_trivial_loop) const final;

  static constexpr const char* _type_key = "ScanOp";
  static constexpr bool _type_final = true;
  using _type_parent = OperationNode;
};

// ---------------------------------------------------------------------------
// Builders (te.placeholder, te.compute, ...)

using FCompute = std::function<PrimExpr(const Array<Var>& indices)>;
using FBatchCompute = std::function<Array<PrimExpr>(const Array<Var>& indices)>;

TVM_DLL Tensor placeholder(Array<PrimExpr> shape, DataType dtype = DataType::Float(32),
                           std::string name = "placeholder");
/*!
 * \brief out[i...] = fcompute(i...), with the shape's dimensions as axes.
 * \throws Error naming the op when the body mixes reductions wrongly (a
 *  reduction not at the top of the body, or different reductions per output).
 */
TVM_DLL Tensor compute(Array<PrimExpr> shape, FCompute fcompute, std::string name = "tensor",
                       std::string tag = "", Map<String, ObjectRef> attrs = {});
TVM_DLL Array<Tensor> compute(Array<PrimExpr> shape, FBatchCompute fcompute, std::string name = "tensor",
                              std::string tag = "", Map<String, ObjectRef> attrs = {});
/*! \brief A ComputeOp from explicit axes and body (what Python's te.compute builds). */
TVM_DLL Operation ComputeOp(std::string name, std::string tag, Map<String, ObjectRef> attrs, Array<IterVar> axis,
                            Array<PrimExpr> body);
TVM_DLL Operation ExternOp(std::string name, std::string tag, Map<String, ObjectRef> attrs, Array<Tensor> inputs,
                           Array<Buffer> input_placeholders, Array<Buffer> output_placeholders, Stmt body);
/*!
 * \brief A ScanOp over `axis`.
 * \throws Error naming the scan when init, update and state_placeholder do not
 *  agree in number, dtype, rank or shape.
 */
TVM_DLL Operation ScanOp(std::string name, std::string tag, Map<String, ObjectRef> attrs, IterVar axis,
                         Array<Tensor> init, Array<Tensor> update, Array<Tensor> state_placeholder,
                         Array<Tensor> inputs);
/*! \brief te.scan: the outputs of a ScanOp whose axis runs from init's to update's first extent. */
TVM_DLL Array<Tensor> scan(Array<Tensor> init, Array<Tensor> update, Array<Tensor> state_placeholder,
                           Array<Tensor> inputs = {}, std::string name = "scan", std::string tag = "",
                           Map<String, ObjectRef> attrs = {});
/*! \brief A reduction axis over `dom`. */
TVM_DLL IterVar reduce_axis(Range dom, std::string name = "rv");
/*! \brief A thread axis ("threadIdx.x", "blockIdx.y", "vthread", "cthread"). */
TVM_DLL IterVar thread_axis(Range dom, std::string tag);
/*! \brief sum/max/min/prod of `source` over `axis` (te.sum ...). */
TVM_DLL PrimExpr sum(PrimExpr source, Array<IterVar> axis, PrimExpr where = PrimExpr(), Array<PrimExpr> init = {});
TVM_DLL PrimExpr max(PrimExpr source, Array<IterVar> axis, PrimExpr where = PrimExpr(), Array<PrimExpr> init = {});
TVM_DLL PrimExpr min(PrimExpr source, Array<IterVar> axis, PrimExpr where = PrimExpr(), Array<PrimExpr> init = {});
TVM_DLL PrimExpr prod(PrimExpr source, Array<IterVar> axis, PrimExpr where = PrimExpr(), Array<PrimExpr> init = {});

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_OPERATION_H_
