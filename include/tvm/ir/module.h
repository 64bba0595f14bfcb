/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/module.h
 * \brief IRModule: the unit that passes transform, a set of named functions
 *  plus module attributes.
 */
#ifndef TVM_IR_MODULE_H_
#define TVM_IR_MODULE_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>
#include <tvm/ir/function.h>
#include <tvm/ir/type.h>

#include <string>

namespace tvm {

class IRModuleNode : public Object {
 public:
  /*! \brief The functions, by their global variable. */
  Map<GlobalVar, BaseFunc> functions;
  /*! \brief Module attributes (e.g. the executor, the runtime). */
  DictAttrs attrs;
  /*! \brief Algebraic data type declarations (relay.TypeData), by their global type variable. */
  Map<GlobalTypeVar, Type> type_definitions;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("functions", &functions);
    v->Visit("global_var_map_", &global_var_map_);
    v->Visit("attrs", &attrs);
    v->Visit("type_definitions", &type_definitions);
    v->Visit("global_type_var_map_", &global_type_var_map_);
  }

  /*!
   * \brief Add a function.
   * \param update Whether an existing function of the same name may be replaced.
   * \throws Error (ValueError) naming the function when it exists and update is false.
   */
  TVM_DLL void Add(const GlobalVar& var, const BaseFunc& func, bool update = false);
  TVM_DLL void Update(const GlobalVar& var, const BaseFunc& func) { Add(var, func, true); }
  /*! \brief Add every function of `other`, replacing those of the same name. */
  TVM_DLL void Update(const class IRModule& other);
  TVM_DLL void Remove(const GlobalVar& var);
  TVM_DLL bool ContainGlobalVar(const std::string& name) const;
  /*! \throws Error (ValueError) listing the functions when `name` is not one. */
  TVM_DLL GlobalVar GetGlobalVar(const std::string& name) const;
  /*! \brief Global variables in the order they were added. */
  TVM_DLL Array<GlobalVar> GetGlobalVars() const;
  TVM_DLL BaseFunc Lookup(const GlobalVar& var) const;
  TVM_DLL BaseFunc Lookup(const std::string& name) const;
  /*!
   * \brief Add a type definition (a relay.TypeData) under `var`.
   * \throws Error (ValueError) naming the type when it exists and update is false.
   */
  TVM_DLL void AddTypeDef(const GlobalTypeVar& var, const Type& type, bool update = false);
  TVM_DLL bool ContainGlobalTypeVar(const std::string& name) const;
  /*! \throws Error (ValueError) listing the types when `name` is not one. */
  TVM_DLL GlobalTypeVar GetGlobalTypeVar(const std::string& name) const;
  TVM_DLL Array<GlobalTypeVar> GetGlobalTypeVars() const;
  /*! \throws Error (ValueError) naming the type when the module has no definition of it. */
  TVM_DLL Type LookupTypeDef(const GlobalTypeVar& var) const;

  static constexpr const char* _type_key = "IRModule";
  static constexpr bool _type_final = true;
  using _type_parent = Object;

 private:
  Map<String, GlobalVar> global_var_map_;
  Map<String, GlobalTypeVar> global_type_var_map_;
  friend class IRModule;
};

class IRModule : public ObjectRef {
 public:
  using ContainerType = IRModuleNode;
  using ObjectRef::ObjectRef;
  TVM_DLL explicit IRModule(Map<GlobalVar, BaseFunc> functions = {}, DictAttrs attrs = DictAttrs());
  const IRModuleNode* operator->() const { return static_cast<const IRModuleNode*>(get()); }
  TVM_DLL IRModuleNode* CopyOnWrite();
};

/*! \brief A copy of `mod` with module attribute `key` set. */
TVM_DLL IRModule WithAttr(IRModule mod, const std::string& key, ObjectRef value);

}  // namespace tvm
#endif  // TVM_IR_MODULE_H_
