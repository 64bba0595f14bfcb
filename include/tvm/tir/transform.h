/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/transform.h
 * \brief Passes over PrimFuncs: the steps of tvm.lower, one per file in
 *  src/tir/transforms/, each wrapped as a named Pass (see ir/transform.h).
 */
#ifndef TVM_TIR_TRANSFORM_H_
#define TVM_TIR_TRANSFORM_H_

#include <tvm/ir/transform.h>
#include <tvm/tir/function.h>

#include <string>

namespace tvm {
namespace tir {
namespace transform {

using tvm::transform::Pass;
using tvm::transform::PassContext;
using tvm::transform::PassInfo;

/*! \brief A pass over each PrimFunc of a module (other functions are left alone). */
class PrimFuncPassNode : public tvm::transform::PassNode {
 public:
  PassInfo pass_info;
  TypedPackedFunc<PrimFunc(PrimFunc, IRModule, PassContext)> pass_func;

  void VisitAttrs(AttrVisitor* v) { v->Visit("pass_info", &pass_info); }
  PassInfo Info() const final { return pass_info; }
  TVM_DLL IRModule Run(IRModule mod, const PassContext& ctx) const final;

  static constexpr const char* _type_key = "tir.PrimFuncPass";
  static constexpr bool _type_final = true;
  using _type_parent = tvm::transform::PassNode;
};

TVM_DLL Pass CreatePrimFuncPass(TypedPackedFunc<PrimFunc(PrimFunc, IRModule, PassContext)> pass_func,
                                int opt_level, String name, Array<String> required = {});

// The lowering passes, in pipeline order (see src/driver/driver_api.cc).

/*! \brief Buffers in the layouts of te's transform_layout (PrimFunc attribute "layout_transform_map"). */
TVM_DLL Pass ApplyLayoutTransforms();
/*! \brief Multi-dimensional realize/load/store -> flat Allocate and 1-D accesses; applies storage_align. */
TVM_DLL Pass StorageFlatten(int cache_line_size = 64, bool create_bound_attribute = false);
/*! \brief Insert checks of every buffer access against the buffer's bounds (debugging). */
TVM_DLL Pass InstrumentBoundCheckers();
/*! \brief Split loops so that conditions on the loop variable are proven in each part. */
TVM_DLL Pass LoopPartition();
/*! \brief Turn vectorized loops into vector (Ramp/Broadcast) expressions. */
TVM_DLL Pass VectorizeLoop(bool enable_vectorize = true);
/*! \brief Replace virtual threads with loops or interleaved copies. */
TVM_DLL Pass InjectVirtualThread();
/*! \brief Double-buffer stages marked double_buffer. */
TVM_DLL Pass InjectDoubleBuffer();
/*! \brief Reuse allocations whose lifetimes do not overlap; merge small ones. */
TVM_DLL Pass StorageRewrite();
/*! \brief Give pointers (parameters included) whose every access is an aligned whole vector a vector type. */
TVM_DLL Pass PointerValueTypeRewrite();
/*! \brief Remove every AssertStmt (keeping its body); used under "tir.disable_assert". */
TVM_DLL Pass SkipAssert();
/*! \brief Unroll loops marked unroll (and small constant loops when asked). */
TVM_DLL Pass UnrollLoop();
/*! \brief Simplify expressions and statements with the arith Analyzer. */
TVM_DLL Pass Simplify();
/*! \brief Remove statements with no effect. */
TVM_DLL Pass RemoveNoOp();
/*! \brief The packed calling convention: unpack and check (args, type codes, n). */
TVM_DLL Pass MakePackedAPI();
/*! \brief Lower intrinsics (math functions, ...) to target-specific calls. */
TVM_DLL Pass LowerIntrin();
/*! \brief Lower tvm_call_packed and friends to runtime calls over stack arrays. */
TVM_DLL Pass LowerTVMBuiltin();
/*! \brief Give every variable defined more than once a fresh variable per extra definition. */
TVM_DLL Pass ConvertSSA();
/*! \brief Loop annotations: pragma_* to AttrStmts, thread-binding loops to launches, unit loops inlined. */
TVM_DLL Pass LowerOpaqueBlock();
/*! \brief Multi-dimensional accesses of non-TE functions to flat ones. */
TVM_DLL Pass FlattenBuffer();

}  // namespace transform
}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_TRANSFORM_H_
