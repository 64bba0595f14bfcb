/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/function.h
 * \brief PrimFunc: a function of the loop IR (parameters, buffers bound to
 *  them, and a body).
 */
#ifndef TVM_TIR_FUNCTION_H_
#define TVM_TIR_FUNCTION_H_

#include <tvm/ir/function.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/stmt.h>

#include <string>

namespace tvm {
namespace tir {

class PrimFuncNode : public BaseFuncNode {
 public:
  /*! \brief The parameters: handles of buffers and scalar variables. */
  Array<Var> params;
  /*! \brief The buffer each handle parameter points to. */
  Map<Var, Buffer> buffer_map;
  Stmt body;
  Type ret_type;

  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("params", &params);
    v->Visit("buffer_map", &buffer_map);
    v->Visit("body", &body);
    v->Visit("ret_type", &ret_type);
    v->Visit("attrs", &attrs);
  }
  static constexpr const char* _type_key = "tir.PrimFunc";
  static constexpr bool _type_final = true;
  using _type_parent = BaseFuncNode;
};

class PrimFunc : public BaseFunc {
 public:
  using ContainerType = PrimFuncNode;
  using BaseFunc::BaseFunc;
  PrimFunc() = default;
  TVM_DLL PrimFunc(Array<Var> params, Stmt body, Type ret_type = TupleType::Empty(),
                   Map<Var, Buffer> buffer_map = {}, DictAttrs attrs = DictAttrs());
  const PrimFuncNode* operator->() const { return static_cast<const PrimFuncNode*>(get()); }
  TVM_DLL PrimFuncNode* CopyOnWrite();
};

/*! \brief Function attributes used by lowering. */
namespace attr {
/*! \brief The function's arguments do not alias (set by te schedules). */
constexpr const char* kNoAlias = "tir.noalias";
/*! \brief The function is the entry of the module. */
constexpr const char* kIsEntryFunc = "tir.is_entry_func";
/*! \brief The function was made from a TE schedule. */
constexpr const char* kFromLegacyTESchedule = "from_legacy_te_schedule";
/*! \brief The function is called only from the host, with packed arguments. */
constexpr const char* kCallingConv = "calling_conv";
constexpr const char* kKernelLaunchParams = "tir.kernel_launch_params";
constexpr const char* kIsGlobalFunc = "tir.is_global_func";
constexpr const char* kIsHostFunc = "tir.is_host_func";
}  // namespace attr

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_FUNCTION_H_
