/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/te_compiler.h
 * \brief Primitive Relay functions to TE, then to lowered PrimFuncs (one
 *  kernel per fused group), shared by the graph codegen and its tests.
 *
 *   fn (%p0, %p1, Primitive=1) { nn.relu(add(%p0, %p1)) }
 *     -> placeholders p0, p1; add and relu through their FTVMCompute;
 *        the master op's FTVMSchedule on the outputs; LowerSchedule
 *     -> PrimFunc "tvmgen_default_fused_add_nn_relu"(p0, p1, out)
 *
 * Structurally equal functions (the same layer twice) lower once and share
 * one kernel; every kernel goes into one IRModule built once by driver.build.
 */
#ifndef TVM_RELAY_BACKEND_TE_COMPILER_H_
#define TVM_RELAY_BACKEND_TE_COMPILER_H_

#include <tvm/ir/module.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/target/target.h>
#include <tvm/te/schedule.h>
#include <tvm/te/tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace tvm {
namespace relay {
namespace backend {

/*! \brief What the codegen needs to know of a lowered primitive function. */
struct LoweredKernel {
  /*! \brief The kernel's symbol in the built library. */
  std::string name;
  /*!
   * \brief Non-scalar constants of the function body: the kernel takes them as
   *  extra inputs after the (flattened) parameters, in this order.
   */
  std::vector<Constant> constants;
  /*! \brief The TE form, for callers that lower again (relay.backend.te_compiler). */
  Array<te::Tensor> inputs;
  Array<te::Tensor> outputs;
  te::Schedule schedule;
};

/*!
 * \brief The shape function of a primitive function, lowered (TVM names these
 *  kernels ..._shape_func): from the shapes (and, where an operator's shape
 *  depends on values, the data) of the parameters, the shape of every output.
 *
 * Its arguments: per parameter of the function, in order, the parameter's
 * (flattened) data tensors when param_data[i], then its shape tensors (1-D
 * int64, one per flattened tensor, length = its rank) when param_shape[i];
 * then one 1-D int64 tensor per flattened output, of length output_ndims[j].
 */
struct LoweredShapeFunc {
  std::string name;
  std::vector<bool> param_data;
  std::vector<bool> param_shape;
  std::vector<int64_t> output_ndims;
  Array<te::Tensor> inputs;
  Array<te::Tensor> outputs;
};

/*! \brief Lowers primitive functions for one target, each structurally distinct one once. */
class TECompiler {
 public:
  /*! \param mod_name names the kernels tvmgen_<mod_name>_fused_... */
  TECompiler(Target target, std::string mod_name);
  ~TECompiler();
  /*!
   * \brief The kernel of `func` (a function with Primitive=1 whose body is
   *  type-inferred), lowering it on first sight. A dimension that is not a
   *  constant (relay.Any(), a shape variable) becomes an int64 variable of the
   *  kernel bound from the argument's DLTensor shape, so one kernel serves
   *  every size.
   */
  const LoweredKernel& Lower(const Function& func);
  /*!
   * \brief The shape function of `func` (a primitive function; its operators'
   *  "FShapeFunc" attributes composed over its body), lowered on first sight.
   *  An error names the operator when one has no shape function.
   */
  const LoweredShapeFunc& LowerShapeFunc(const Function& func);
  /*!
   * \brief Name the kernels <prefix>fused_... instead of tvmgen_<mod_name>_fused_...
   *  (the VM's kernels are vm_mod_fused_..., as TVM names them); call before Lower.
   */
  void SetKernelPrefix(std::string prefix);
  /*! \brief Every kernel lowered so far (PrimFuncs named by their symbols). */
  IRModule LoweredModule() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/*!
 * \brief A call of an operator as a call of a primitive function wrapping just
 *  that operator (what FuseOps at opt_level 0 gives): scalar constant
 *  arguments stay inside the function, the other arguments become its params.
 */
Call WrapOperatorCall(const Call& call);

/*!
 * \brief Whether `func` only reinterprets the shape of its one tensor parameter
 *  (a chain of reshape-like operators of the same dtype, or FuseOps'
 *  relay.reshape_only mark): no kernel runs, the result aliases the argument
 *  (the graph codegen's "__nop", a view in the VM).
 */
bool IsReshapeOnly(const FunctionNode* func);

}  // namespace backend
}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_BACKEND_TE_COMPILER_H_
