/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/te/schedule.h
 * \brief Schedules: for each operation a Stage that records how its loops
 *  are split, fused, reordered, bound to threads, vectorized, ..., and where
 *  it is computed (root, inline, or at a loop of a consumer).
 *
 * A stage's loops are a tree of iteration-variable relations from its root
 * variables (the op's axes) to its leaf variables (the loops that will be
 * emitted, in leaf_iter_vars order):
 *   split:  parent -> outer, inner   (parent = outer * factor + inner)
 *   fuse:   outer, inner -> fused    (outer = fused / extent(inner), inner = fused % ...)
 *   rebase: parent -> rebased        (parent = rebased + min(parent))
 *   singleton: a new leaf of extent 1.
 */
#ifndef TVM_TE_SCHEDULE_H_
#define TVM_TE_SCHEDULE_H_

#include <tvm/te/operation.h>
#include <tvm/te/tensor.h>
#include <tvm/tir/function.h>
#include <tvm/tir/index_map.h>

#include <optional>
#include <string>
#include <unordered_map>

namespace tvm {
namespace te {

class Stage;
class StageNode;
class Schedule;
class ScheduleNode;
class TensorIntrin;

/*! \brief Where a stage is computed. */
enum AttachType : int {
  /*! \brief At the root of its group (the function body or the group's attach point). */
  kGroupRoot = 1,
  /*! \brief Inlined into its consumers (te: compute_inline), not yet done. */
  kInline = 2,
  /*! \brief Inlined and removed from the schedule's traversal. */
  kInlinedAlready = 3,
  /*! \brief Inside a loop of another stage (compute_at). */
  kScope = 4,
  /*! \brief In the body of a scan: run at each of its steps (te.scan's group). */
  kScanUpdate = 5,
};

class IterVarRelationNode : public Object {
 public:
  static constexpr const char* _type_key = "IterVarRelation";
  using _type_parent = Object;
};

class IterVarRelation : public ObjectRef {
 public:
  using ContainerType = IterVarRelationNode;
  using ObjectRef::ObjectRef;
  IterVarRelation() = default;
};

/*! \brief parent = outer * factor + inner; exactly one of factor and nparts is given by the user. */
class SplitNode : public IterVarRelationNode {
 public:
  IterVar parent;
  IterVar outer;
  IterVar inner;
  PrimExpr factor;
  PrimExpr nparts;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("parent", &parent);
    v->Visit("outer", &outer);
    v->Visit("inner", &inner);
    v->Visit("factor", &factor);
    v->Visit("nparts", &nparts);
  }
  static constexpr const char* _type_key = "Split";
  static constexpr bool _type_final = true;
  using _type_parent = IterVarRelationNode;
};

class Split : public IterVarRelation {
 public:
  using ContainerType = SplitNode;
  using IterVarRelation::IterVarRelation;
  TVM_DLL Split(IterVar parent, IterVar outer, IterVar inner, PrimExpr factor, PrimExpr nparts);
  const SplitNode* operator->() const { return static_cast<const SplitNode*>(get()); }
};

class FuseNode : public IterVarRelationNode {
 public:
  IterVar outer;
  IterVar inner;
  IterVar fused;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("outer", &outer);
    v->Visit("inner", &inner);
    v->Visit("fused", &fused);
  }
  static constexpr const char* _type_key = "Fuse";
  static constexpr bool _type_final = true;
  using _type_parent = IterVarRelationNode;
};

class Fuse : public IterVarRelation {
 public:
  using ContainerType = FuseNode;
  using IterVarRelation::IterVarRelation;
  TVM_DLL Fuse(IterVar outer, IterVar inner, IterVar fused);
  const FuseNode* operator->() const { return static_cast<const FuseNode*>(get()); }
};

class RebaseNode : public IterVarRelationNode {
 public:
  IterVar parent;
  IterVar rebased;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("parent", &parent);
    v->Visit("rebased", &rebased);
  }
  static constexpr const char* _type_key = "Rebase";
  static constexpr bool _type_final = true;
  using _type_parent = IterVarRelationNode;
};

class Rebase : public IterVarRelation {
 public:
  using ContainerType = RebaseNode;
  using IterVarRelation::IterVarRelation;
  TVM_DLL Rebase(IterVar parent, IterVar rebased);
  const RebaseNode* operator->() const { return static_cast<const RebaseNode*>(get()); }
};

class SingletonNode : public IterVarRelationNode {
 public:
  IterVar iter;
  void VisitAttrs(AttrVisitor* v) { v->Visit("iter", &iter); }
  static constexpr const char* _type_key = "Singleton";
  static constexpr bool _type_final = true;
  using _type_parent = IterVarRelationNode;
};

class Singleton : public IterVarRelation {
 public:
  using ContainerType = SingletonNode;
  using IterVarRelation::IterVarRelation;
  TVM_DLL explicit Singleton(IterVar iter);
  const SingletonNode* operator->() const { return static_cast<const SingletonNode*>(get()); }
};

/*! \brief Per-loop annotations: kind (unroll/vectorize/...), thread binding, pragmas, tensorize. */
/*!
 * \brief transform_layout of a compute stage: the original axes are computed
 *  from new ones, original = inverse(transformed), transformed = forward(original).
 */
class TransformNode : public IterVarRelationNode {
 public:
  Array<IterVar> original_variables;
  Array<IterVar> transformed_variables;
  /*! \brief Over the vars of original_variables. */
  tir::IndexMap forward_transformation;
  /*! \brief Over the vars of transformed_variables. */
  tir::IndexMap inverse_transformation;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("original_variables", &original_variables);
    v->Visit("transformed_variables", &transformed_variables);
    v->Visit("forward_transformation", &forward_transformation);
    v->Visit("inverse_transformation", &inverse_transformation);
  }
  static constexpr const char* _type_key = "Transform";
  static constexpr bool _type_final = true;
  using _type_parent = IterVarRelationNode;
};

class Transform : public IterVarRelation {
 public:
  using ContainerType = TransformNode;
  using IterVarRelation::IterVarRelation;
  TVM_DLL Transform(Array<IterVar> original_variables, Array<IterVar> transformed_variables,
                    tir::IndexMap forward_transformation, tir::IndexMap inverse_transformation);
  const TransformNode* operator->() const { return static_cast<const TransformNode*>(get()); }
};

class IterVarAttrNode : public Object {
 public:
  IterVarType iter_type{kDataPar};
  /*! \brief The thread axis this loop is bound to (bind). */
  IterVar bind_thread;
  Array<Tensor> prefetch_data;
  Array<PrimExpr> prefetch_offset;
  /*! \brief The intrinsic replacing the loop nest from here in (tensorize). */
  ObjectRef tensor_intrin;
  int dim_align_factor{0};
  int dim_align_offset{0};
  /*! \brief Pragma names, as StringImm (TVM's representation). */
  Array<PrimExpr> pragma_keys;
  Array<PrimExpr> pragma_values;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("iter_type", &iter_type);
    v->Visit("bind_thread", &bind_thread);
    v->Visit("prefetch_data", &prefetch_data);
    v->Visit("prefetch_offset", &prefetch_offset);
    v->Visit("tensor_intrin", &tensor_intrin);
    v->Visit("dim_align_factor", &dim_align_factor);
    v->Visit("dim_align_offset", &dim_align_offset);
    v->Visit("pragma_keys", &pragma_keys);
    v->Visit("pragma_values", &pragma_values);
  }
  static constexpr const char* _type_key = "IterVarAttr";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IterVarAttr : public ObjectRef {
 public:
  using ContainerType = IterVarAttrNode;
  using ObjectRef::ObjectRef;
  IterVarAttr() = default;
  const IterVarAttrNode* operator->() const { return static_cast<const IterVarAttrNode*>(get()); }
};

class StageNode : public Object {
 public:
  /*! \brief The operation computed (may be replaced by cache_read/cache_write/rfactor/tensorize). */
  Operation op;
  /*! \brief The operation the stage was created for. */
  Operation origin_op;
  /*! \brief Every iteration variable ever created for this stage (roots, splits, fusions). */
  Array<IterVar> all_iter_vars;
  /*! \brief The loops to emit, outermost first. */
  Array<IterVar> leaf_iter_vars;
  /*! \brief Thread axes launched at this stage without a loop (env_threads). */
  Array<IterVar> env_threads;
  /*! \brief Only store where this holds (set_store_predicate). */
  PrimExpr store_predicate;
  Array<IterVarRelation> relations;
  Map<IterVar, IterVarAttr> iter_var_attrs;
  AttachType attach_type{kGroupRoot};
  /*! \brief For kScope: the consumer loop this stage is computed under. */
  IterVar attach_ivar;
  /*! \brief For kScope: the consumer stage. */
  ObjectRef attach_stage;
  /*! \brief Storage scope of the stage's outputs ("global", "shared", "local"). */
  std::string scope;
  bool is_output{false};
  bool double_buffer{false};
  /*! \brief The group this stage belongs to (create_group), if any. */
  ObjectRef group;
  int num_child_stages{0};
  /*! \brief transform_layout maps of the output, applied in order to its buffer. */
  Array<tir::IndexMap> layout_transforms;
  /*! \brief Where the transformed axes of the output split into physical axes. */
  Array<IntImm> layout_axis_separators;
  /*! \brief The schedule this stage belongs to (not owned; for te.keep_schedule_record). */
  const ScheduleNode* attach_sch{nullptr};

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("op", &op);
    v->Visit("origin_op", &origin_op);
    v->Visit("all_iter_vars", &all_iter_vars);
    v->Visit("leaf_iter_vars", &leaf_iter_vars);
    v->Visit("env_threads", &env_threads);
    v->Visit("store_predicate", &store_predicate);
    v->Visit("relations", &relations);
    v->Visit("iter_var_attrs", &iter_var_attrs);
    v->Visit("attach_type", &attach_type);
    v->Visit("attach_ivar", &attach_ivar);
    v->Visit("attach_stage", &attach_stage);
    v->Visit("scope", &scope);
    v->Visit("is_output", &is_output);
    v->Visit("double_buffer", &double_buffer);
    v->Visit("group", &group);
    v->Visit("num_child_stages", &num_child_stages);
    v->Visit("layout_transforms", &layout_transforms);
    v->Visit("layout_axis_separators", &layout_axis_separators);
  }
  /*! \brief Whether the stage is emitted at all (not inlined, not a placeholder). */
  TVM_DLL bool is_scheduled() const;

  static constexpr const char* _type_key = "Stage";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

/*!
 * \brief A stage and its schedule primitives (TVM's s[C].split(...) etc.).
 *  Every primitive checks its arguments and throws Error naming the stage
 *  and the axis on misuse (an axis of another stage, a repeated axis in
 *  reorder, vectorize of a non-constant extent, ...).
 */
class Stage : public ObjectRef {
 public:
  using ContainerType = StageNode;
  using ObjectRef::ObjectRef;
  Stage() = default;
  TVM_DLL explicit Stage(Operation op);
  const StageNode* operator->() const { return static_cast<const StageNode*>(get()); }
  StageNode* operator->() { return static_cast<StageNode*>(get_mutable()); }

  TVM_DLL Stage& set_scope(std::string scope);
  /*! \brief Compute this stage inside loop `scope` of `parent`. */
  TVM_DLL Stage& compute_at(Stage parent, IterVar scope);
  TVM_DLL Stage& compute_inline();
  TVM_DLL Stage& compute_root();
  /*! \brief Bind loop ivar to thread axis thread_ivar. */
  TVM_DLL Stage& bind(IterVar ivar, IterVar thread_ivar);
  TVM_DLL Stage& set_store_predicate(PrimExpr predicate);
  TVM_DLL Stage& env_threads(Array<IterVar> threads);
  /*! \brief parent -> (outer, inner) with inner extent `factor`. */
  TVM_DLL Stage& split(IterVar parent, PrimExpr factor, IterVar* p_outer, IterVar* p_inner);
  /*! \brief parent -> (outer, inner) with outer extent `nparts`. */
  TVM_DLL Stage& split_by_nparts(IterVar parent, PrimExpr nparts, IterVar* p_outer, IterVar* p_inner);
  /*! \brief Fuse two adjacent loops (outer must be directly outside inner). */
  TVM_DLL Stage& fuse(IterVar outer, IterVar inner, IterVar* p_target);
  /*! \brief Fuse adjacent loops, outermost first; an empty list adds a singleton loop. */
  TVM_DLL Stage& fuse(const Array<IterVar>& axes, IterVar* p_target);
  TVM_DLL Stage& reorder(const Array<IterVar>& order);
  TVM_DLL Stage& tile(IterVar x_parent, IterVar y_parent, PrimExpr x_factor, PrimExpr y_factor, IterVar* p_x_outer,
                      IterVar* p_y_outer, IterVar* p_x_inner, IterVar* p_y_inner);
  TVM_DLL Stage& vectorize(IterVar var);
  TVM_DLL Stage& tensorize(IterVar var, TensorIntrin f);
  TVM_DLL Stage& unroll(IterVar var);
  TVM_DLL Stage& parallel(IterVar var);
  TVM_DLL Stage& pragma(IterVar var, const std::string& pragma_type, const PrimExpr& pragma_value = PrimExpr());
  TVM_DLL Stage& prefetch(const Tensor& domain, IterVar var, PrimExpr offset);
  TVM_DLL Stage& storage_align(IterVar axis, int factor, int offset);
  TVM_DLL Stage& double_buffer();
  /*!
   * \brief Store the output in the layout final_indices(initial_indices). For a
   *  compute stage the loops then run over the transformed axes, returned in
   *  *p_new_axes (the map must be a bijection of boxes); otherwise empty.
   */
  TVM_DLL Stage& transform_layout(const Array<tir::Var>& initial_indices, const Array<PrimExpr>& final_indices,
                                  Array<IterVar>* p_new_axes);
  /*! \brief Physical axes of the output start at these transformed axes. */
  TVM_DLL Stage& set_axis_separators(const Array<IntImm>& axis_separators);
  /*! \brief Rename (not a transformation): the stage's op as written. */
  bool is_scheduled() const { return (*this)->is_scheduled(); }
  /*! \brief The stage that holds the attachment of this one (its group or itself). */
  TVM_DLL Stage GetAttachSpec() const;
};

/*! \brief A schedule: the stages of all operations reachable from the outputs. */
class ScheduleNode : public Object {
 public:
  Array<Operation> outputs;
  /*! \brief Stages in topological order (producers first). */
  Array<Stage> stages;
  Array<Stage> groups;
  /*! \brief Stage of each operation (origin op or current op). */
  Map<Operation, Stage> stage_map;
  /*!
   * \brief With PassContext config "te.keep_schedule_record": a copy of the schedule
   *  after each primitive ("vanilla" first), and the primitives' names.
   */
  Array<ObjectRef> schedule_record;
  Array<String> primitive_record;
  bool keep_schedule_record{false};

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("outputs", &outputs);
    v->Visit("stages", &stages);
    v->Visit("groups", &groups);
    v->Visit("stage_map", &stage_map);
    v->Visit("schedule_record", &schedule_record);
    v->Visit("primitive_record", &primitive_record);
    v->Visit("keep_schedule_record", &keep_schedule_record);
  }
  /*! \brief Record the schedule as it is after `primitive` (when keep_schedule_record). */
  TVM_DLL void RecordPrimitive(const std::string& primitive) const;
  /*! \brief Replace stage ops after cache/rfactor changes: remap consumers' inputs. */
  TVM_DLL void InvalidateCache();
  TVM_DLL void InitCache();
  /*! \brief Whether the op has a stage. */
  TVM_DLL bool Contain(const Operation& op) const;
  /*! \brief Map from output tensors to the current op producing them (after replacements). */
  std::unordered_map<const Object*, Stage> op2stage_cache_;

  static constexpr const char* _type_key = "Schedule";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Schedule : public ObjectRef {
 public:
  using ContainerType = ScheduleNode;
  using ObjectRef::ObjectRef;
  Schedule() = default;
  /*! \brief The schedule of the ops reachable from `ops` (te.create_schedule). */
  TVM_DLL explicit Schedule(Array<Operation> ops);
  const ScheduleNode* operator->() const { return static_cast<const ScheduleNode*>(get()); }
  ScheduleNode* operator->() { return static_cast<ScheduleNode*>(get_mutable()); }

  /*! \brief The stage of op; throws naming the op when it is not in this schedule. */
  TVM_DLL Stage operator[](const Operation& op);
  Stage operator[](const Tensor& tensor) { return (*this)[tensor.op()]; }
  TVM_DLL Schedule copy() const;
  /*!
   * \brief Make every loop start at 0 (Rebase) and set stage attachments to
   *  canonical form; called by lowering before bound inference.
   */
  TVM_DLL Schedule normalize();
  /*! \brief Group the stages between inputs and outputs (create_group). */
  TVM_DLL Stage create_group(const Array<Tensor>& outputs, const Array<Tensor>& inputs, bool include_inputs = false);
  /*! \brief A stage that copies `tensor` into `scope` for `readers` (which then read the copy). */
  TVM_DLL Tensor cache_read(const Tensor& tensor, const std::string& scope, const Array<Operation>& readers);
  /*! \brief A stage computing `tensor` into `scope`; the original stage copies it out. */
  TVM_DLL Array<Tensor> cache_write(const Array<Tensor>& tensor, const std::string& scope);
  TVM_DLL Tensor cache_write(const Tensor& tensor, const std::string& scope);
  /*! \brief Factor a reduction over `axis` into a new stage (parallel partial reductions). */
  TVM_DLL Array<Tensor> rfactor(const Tensor& tensor, const IterVar& axis, int factor_axis = 0);
};

/*! \brief A tensor intrinsic for tensorize: a compute it implements and the statements that implement it. */
class TensorIntrinNode : public Object {
 public:
  std::string name;
  /*! \brief The computation the intrinsic performs (pattern matched against the stage). */
  Operation op;
  Array<Tensor> inputs;
  /*! \brief Buffers bound to inputs then outputs, as the body sees them. */
  Array<Buffer> buffers;
  Array<Var> scalar_params;
  /*! \brief Computes the whole region. */
  Stmt body;
  /*! \brief For reductions: set the output to the initial value. */
  Stmt reduce_init;
  /*! \brief For reductions: accumulate one reduction step. */
  Stmt reduce_update;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("op", &op);
    v->Visit("inputs", &inputs);
    v->Visit("buffers", &buffers);
    v->Visit("scalar_params", &scalar_params);
    v->Visit("body", &body);
    v->Visit("reduce_init", &reduce_init);
    v->Visit("reduce_update", &reduce_update);
  }
  static constexpr const char* _type_key = "TensorIntrin";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class TensorIntrin : public ObjectRef {
 public:
  using ContainerType = TensorIntrinNode;
  using ObjectRef::ObjectRef;
  TensorIntrin() = default;
  TVM_DLL TensorIntrin(std::string name, Operation op, Array<Tensor> inputs, Array<Buffer> buffers,
                       Array<Var> scalar_params, Stmt body, Stmt reduce_init, Stmt reduce_update);
  const TensorIntrinNode* operator->() const { return static_cast<const TensorIntrinNode*>(get()); }
};

/*! \brief te.create_schedule. */
inline Schedule create_schedule(Array<Operation> ops) { return Schedule(ops); }

// ---------------------------------------------------------------------------
// From schedule to loop IR (what tvm.lower runs for a te schedule).

using BoundMap = Map<IterVar, Range>;

/*! \brief The range of every iteration variable of every stage (needs a normalized schedule). */
TVM_DLL BoundMap InferBound(const Schedule& sch);
/*! \brief The loop nest of the whole schedule, with ProducerRealize/ProducerStore and attributes. */
TVM_DLL Stmt ScheduleOps(Schedule sch, BoundMap dom_map, bool debug_keep_trivial_loop = false);
/*!
 * \brief A PrimFunc over `arg_list` (tensors and scalar vars) from the
 *  ScheduleOps statement: ProducerStore/Realize become BufferStore/Realize
 *  over buffers (from `binds` or new ones).
 */
TVM_DLL PrimFunc SchedulePostProcToPrimFunc(Array<ObjectRef> arg_list, Stmt body,
                                            std::optional<Map<Tensor, Buffer>> binds);
/*! \brief Verify a schedule is well formed (throws naming the stage otherwise). */
TVM_DLL void VerifyCompactBuffer(const Stmt& stmt);

/*!
 * \brief Inline, in place, every stage the user left alone (no split, fuse,
 *  attach or other relation) that is not an output and whose operation is:
 *  element-wise (each tensor read at exactly the stage's axes, in order);
 *  a "broadcast"-tagged compute without reduction; or any compute without
 *  reduction (injective), respectively.
 */
TVM_DLL void AutoInlineElemWise(Schedule sch);
TVM_DLL void AutoInlineBroadcast(Schedule sch);
TVM_DLL void AutoInlineInjective(Schedule sch);

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_SCHEDULE_H_
