/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/var.h
 * \brief Variables of the loop IR: Var, SizeVar (known non-negative) and
 *  IterVar (a variable with a domain and an iteration kind).
 */
#ifndef TVM_TIR_VAR_H_
#define TVM_TIR_VAR_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/type.h>

#include <string>

namespace tvm {
namespace tir {

class VarNode : public PrimExprNode {
 public:
  /*! \brief A name for printing; identity is the object, not the name. */
  String name_hint;
  /*! \brief A finer type than dtype (e.g. a pointer type for buffer data). */
  Type type_annotation;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("name_hint", &name_hint);
    v->Visit("type_annotation", &type_annotation);
  }
  static constexpr const char* _type_key = "tir.Var";
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = PrimExprNode;
};

class Var : public PrimExpr {
 public:
  using ContainerType = VarNode;
  Var() = default;
  explicit Var(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL explicit Var(String name_hint, DataType dtype = DataType::Int(32));
  TVM_DLL Var(String name_hint, Type type_annotation);
  /*! \brief A new variable with the same type and the name + suffix. */
  TVM_DLL Var copy_with_suffix(const String& suffix) const;
  TVM_DLL Var copy_with_dtype(DataType dtype) const;
  const VarNode* operator->() const { return static_cast<const VarNode*>(get()); }
  const VarNode* get() const { return static_cast<const VarNode*>(ObjectRef::get()); }
};

/*! \brief A variable known to be non-negative (a symbolic shape). */
class SizeVarNode : public VarNode {
 public:
  static constexpr const char* _type_key = "tir.SizeVar";
  static constexpr bool _type_final = true;
  using _type_parent = VarNode;
};

class SizeVar : public Var {
 public:
  using ContainerType = SizeVarNode;
  SizeVar() = default;
  explicit SizeVar(ObjectPtr<Object> n) : Var(std::move(n)) {}
  TVM_DLL explicit SizeVar(String name_hint, DataType dtype = DataType::Int(32));
  const SizeVarNode* operator->() const { return static_cast<const SizeVarNode*>(get()); }
};

/*! \brief How an IterVar iterates. */
enum IterVarType : int {
  /*! \brief A data-parallel axis. */
  kDataPar = 0,
  /*! \brief Bound to a thread index (threadIdx.x, blockIdx.y, vthread). */
  kThreadIndex = 1,
  /*! \brief A reduction axis. */
  kCommReduce = 2,
  /*! \brief An axis whose iterations depend on each other (scan). */
  kOrdered = 3,
  /*! \brief An axis that is not iterated (a placeholder). */
  kOpaque = 4,
  /*! \brief Unrolled. */
  kUnrolled = 5,
  /*! \brief Vectorized. */
  kVectorized = 6,
  /*! \brief Parallelized over CPU threads. */
  kParallelized = 7,
  /*! \brief Replaced by a tensor intrinsic. */
  kTensorized = 8,
};

class IterVarNode : public Object {
 public:
  /*! \brief The domain [min, min + extent); may be undefined until bound inference. */
  Range dom;
  Var var;
  IterVarType iter_type;
  /*! \brief For thread axes: "threadIdx.x", "blockIdx.y", "vthread", ... */
  String thread_tag;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dom", &dom);
    v->VisitDef("var", reinterpret_cast<ObjectRef*>(&var));
    v->Visit("iter_type", &iter_type);
    v->Visit("thread_tag", &thread_tag);
  }
  static constexpr const char* _type_key = "tir.IterVar";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IterVar : public ObjectRef {
 public:
  using ContainerType = IterVarNode;
  using ObjectRef::ObjectRef;
  IterVar() = default;
  TVM_DLL IterVar(Range dom, Var var, IterVarType iter_type, String thread_tag = "");
  const IterVarNode* operator->() const { return static_cast<const IterVarNode*>(get()); }
  /*! \brief The variable, so an IterVar can be used where an expression is expected. */
  operator PrimExpr() const { return (*this)->var; }  // NOLINT(*)
};

/*! \brief "DataPar", "ThreadIndex", "CommReduce", ... */
TVM_DLL const char* IterVarType2String(IterVarType t);

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_VAR_H_
