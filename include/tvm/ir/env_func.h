/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/env_func.h
 * \brief EnvFunc: a global function held by name inside the IR (a type
 *  relation built from Python names its relation this way).
 *
 *   EnvFunc f = EnvFunc::Get("tvm.relay.type_relation.Broadcast");
 */
#ifndef TVM_IR_ENV_FUNC_H_
#define TVM_IR_ENV_FUNC_H_

#include <tvm/ir/reflection.h>
#include <tvm/runtime/packed_func.h>

namespace tvm {

class EnvFuncNode : public Object {
 public:
  /*! \brief The name it is registered under (the global function registry). */
  String name;
  runtime::PackedFunc func;
  void VisitAttrs(AttrVisitor* v) { v->Visit("name", &name); }
  static constexpr const char* _type_key = "EnvFunc";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class EnvFunc : public ObjectRef {
 public:
  using ContainerType = EnvFuncNode;
  using ObjectRef::ObjectRef;
  const EnvFuncNode* operator->() const { return static_cast<const EnvFuncNode*>(get()); }
  /*! \throws Error (ValueError) naming `name` when no global function has it. */
  TVM_DLL static EnvFunc Get(const String& name);
};

}  // namespace tvm
#endif  // TVM_IR_ENV_FUNC_H_
