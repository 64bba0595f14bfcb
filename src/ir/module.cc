/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// IRModule: functions by name, with copy-on-write updates.
#include <tvm/ir/module.h>
#include <tvm/runtime/registry.h>

#include <sstream>

namespace tvm {

IRModule::IRModule(Map<GlobalVar, BaseFunc> functions, DictAttrs attrs) {
  auto n = make_object<IRModuleNode>();
  n->attrs = attrs.defined() ? attrs : DictAttrs();
  data_ = std::move(n);
  for (const auto& kv : functions) CopyOnWrite()->Add(kv.first, kv.second);
}

IRModuleNode* IRModule::CopyOnWrite() {
  if (!data_.unique()) {
    auto n = make_object<IRModuleNode>(*operator->());
    data_ = std::move(n);
  }
  return static_cast<IRModuleNode*>(get_mutable());
}

void IRModuleNode::Add(const GlobalVar& var, const BaseFunc& func, bool update) {
  TVM_CHECK(var.defined(), "ValueError") << "IRModule.Add with a null GlobalVar";
  TVM_CHECK(func.defined(), "ValueError") << "IRModule.Add of a null function as '" << var->name_hint << "'";
  auto existing = global_var_map_.Get(var->name_hint);
  if (existing.has_value()) {
    TVM_CHECK(update, "ValueError") << "IRModule already has a function named '" << var->name_hint << "'";
    TVM_CHECK(existing->same_as(var), "ValueError")
        << "IRModule: a different GlobalVar named '" << var->name_hint << "' is already in the module";
  }
  global_var_map_.Set(var->name_hint, var);
  functions.Set(var, func);
}

void IRModuleNode::Update(const IRModule& other) {
  for (const auto& kv : other->functions) {
    auto existing = global_var_map_.Get(kv.first->name_hint);
    Add(existing.has_value() ? *existing : kv.first, kv.second, true);
  }
  for (const auto& kv : other->type_definitions) {
    auto existing = global_type_var_map_.Get(kv.first->name_hint);
    AddTypeDef(existing.has_value() ? *existing : kv.first, kv.second, true);
  }
}

void IRModuleNode::AddTypeDef(const GlobalTypeVar& var, const Type& type, bool update) {
  TVM_CHECK(var.defined(), "ValueError") << "IRModule.AddTypeDef with a null GlobalTypeVar";
  TVM_CHECK(type.defined(), "ValueError") << "IRModule.AddTypeDef of a null definition as '" << var->name_hint << "'";
  auto existing = global_type_var_map_.Get(var->name_hint);
  if (existing.has_value()) {
    TVM_CHECK(update, "ValueError") << "IRModule already has a type named '" << var->name_hint << "'";
    TVM_CHECK(existing->same_as(var), "ValueError")
        << "IRModule: a different GlobalTypeVar named '" << var->name_hint << "' is already in the module";
  }
  global_type_var_map_.Set(var->name_hint, var);
  type_definitions.Set(var, type);
}

bool IRModuleNode::ContainGlobalTypeVar(const std::string& name) const {
  return global_type_var_map_.count(name) != 0;
}

GlobalTypeVar IRModuleNode::GetGlobalTypeVar(const std::string& name) const {
  auto v = global_type_var_map_.Get(name);
  if (!v.has_value()) {
    std::ostringstream os;
    os << "IRModule has no type named '" << name << "'; it has: ";
    bool first = true;
    for (const auto& kv : global_type_var_map_) {
      os << (first ? "" : ", ") << kv.first;
      first = false;
    }
    if (first) os << "(none)";
    throw runtime::Error("ValueError", os.str());
  }
  return *v;
}

Array<GlobalTypeVar> IRModuleNode::GetGlobalTypeVars() const {
  Array<GlobalTypeVar> vars;
  for (const auto& kv : type_definitions) vars.push_back(kv.first);
  return vars;
}

Type IRModuleNode::LookupTypeDef(const GlobalTypeVar& var) const {
  auto t = type_definitions.Get(var);
  TVM_CHECK(t.has_value(), "ValueError") << "IRModule has no type definition of '" << var->name_hint << "'";
  return *t;
}

void IRModuleNode::Remove(const GlobalVar& var) {
  functions.erase(var);
  global_var_map_.erase(var->name_hint);
}

bool IRModuleNode::ContainGlobalVar(const std::string& name) const { return global_var_map_.count(name) != 0; }

GlobalVar IRModuleNode::GetGlobalVar(const std::string& name) const {
  auto v = global_var_map_.Get(name);
  if (!v.has_value()) {
    std::ostringstream os;
    os << "IRModule has no function named '" << name << "'; it has: ";
    bool first = true;
    for (const auto& kv : global_var_map_) {
      os << (first ? "" : ", ") << kv.first;
      first = false;
    }
    if (first) os << "(none)";
    throw runtime::Error("ValueError", os.str());
  }
  return *v;
}

Array<GlobalVar> IRModuleNode::GetGlobalVars() const {
  Array<GlobalVar> vars;
  for (const auto& kv : functions) vars.push_back(kv.first);
  return vars;
}

BaseFunc IRModuleNode::Lookup(const GlobalVar& var) const {
  auto f = functions.Get(var);
  TVM_CHECK(f.has_value(), "ValueError") << "IRModule has no function '" << var->name_hint << "'";
  return *f;
}

BaseFunc IRModuleNode::Lookup(const std::string& name) const { return Lookup(GetGlobalVar(name)); }

IRModule WithAttr(IRModule mod, const std::string& key, ObjectRef value) {
  IRModuleNode* n = mod.CopyOnWrite();
  n->attrs = WithAttr(n->attrs, key, std::move(value));
  return mod;
}

TVM_REGISTER_NODE_TYPE(IRModuleNode);

TVM_REGISTER_GLOBAL("ir.IRModule").set_body_typed([](Map<GlobalVar, BaseFunc> funcs, std::optional<DictAttrs> attrs) {
  return IRModule(funcs, attrs.value_or(DictAttrs()));
});
// The Python IRModule is mutable (mod["f"] = func), so these update the node in place.
static IRModuleNode* MutableNode(const IRModule& mod) { return const_cast<IRModuleNode*>(mod.operator->()); }

TVM_REGISTER_GLOBAL("ir.Module_Add").set_body_typed([](IRModule mod, GlobalVar var, BaseFunc func, bool update) {
  MutableNode(mod)->Add(var, func, update);
  return mod;
});
TVM_REGISTER_GLOBAL("ir.Module_Remove").set_body_typed([](IRModule mod, GlobalVar var) {
  MutableNode(mod)->Remove(var);
  return mod;
});
TVM_REGISTER_GLOBAL("ir.Module_Update").set_body_typed([](IRModule mod, IRModule other) {
  MutableNode(mod)->Update(other);
});
TVM_REGISTER_GLOBAL("ir.Module_GetGlobalVar").set_body_typed([](IRModule mod, std::string name) {
  return mod->GetGlobalVar(name);
});
TVM_REGISTER_GLOBAL("ir.Module_GetGlobalVars").set_body_typed([](IRModule mod) { return mod->GetGlobalVars(); });
TVM_REGISTER_GLOBAL("ir.Module_ContainGlobalVar").set_body_typed([](IRModule mod, std::string name) {
  return mod->ContainGlobalVar(name);
});
TVM_REGISTER_GLOBAL("ir.Module_Lookup").set_body_typed([](IRModule mod, GlobalVar var) { return mod->Lookup(var); });
TVM_REGISTER_GLOBAL("ir.Module_LookupStr").set_body_typed([](IRModule mod, std::string name) {
  return mod->Lookup(name);
});
TVM_REGISTER_GLOBAL("ir.Module_AddDef")
    .set_body_typed([](IRModule mod, GlobalTypeVar var, Type type, bool update) {
      MutableNode(mod)->AddTypeDef(var, type, update);
      return mod;
    });
TVM_REGISTER_GLOBAL("ir.Module_GetGlobalTypeVar").set_body_typed([](IRModule mod, std::string name) {
  return mod->GetGlobalTypeVar(name);
});
TVM_REGISTER_GLOBAL("ir.Module_GetGlobalTypeVars").set_body_typed([](IRModule mod) {
  return mod->GetGlobalTypeVars();
});
TVM_REGISTER_GLOBAL("ir.Module_ContainGlobalTypeVar").set_body_typed([](IRModule mod, std::string name) {
  return mod->ContainGlobalTypeVar(name);
});
TVM_REGISTER_GLOBAL("ir.Module_LookupDef").set_body_typed([](IRModule mod, GlobalTypeVar var) {
  return mod->LookupTypeDef(var);
});
TVM_REGISTER_GLOBAL("ir.Module_LookupDefStr").set_body_typed([](IRModule mod, std::string name) {
  return mod->LookupTypeDef(mod->GetGlobalTypeVar(name));
});
TVM_REGISTER_GLOBAL("ir.Module_WithAttr").set_body_typed([](IRModule mod, std::string key, ObjectRef value) {
  return WithAttr(mod, key, value);
});

}  // namespace tvm
