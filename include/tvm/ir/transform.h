/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/transform.h
 * \brief Passes (IRModule -> IRModule) and the PassContext that configures
 *  them: optimisation level, required and disabled passes, typed config
 *  options, and instruments.
 *
 *   PassContext ctx = PassContext::Create();
 *   ctx->opt_level = 3;
 *   With<PassContext> scope(ctx);
 *   mod = Sequential({PassA(), PassB()})(mod);
 *
 * Setting TVM_PRINT_AFTER=<pass name>|all in the environment prints the
 * module after the named passes, and TVM_TIME_PASSES=1 prints a timing
 * table when the outermost PassContext exits.
 */
#ifndef TVM_IR_TRANSFORM_H_
#define TVM_IR_TRANSFORM_H_

#include <tvm/ir/instrument.h>
#include <tvm/ir/module.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/support/with.h>

#include <optional>
#include <string>

namespace tvm {
namespace transform {

class PassContextNode : public Object {
 public:
  int opt_level{2};
  Array<String> required_pass;
  Array<String> disabled_pass;
  Map<String, ObjectRef> config;
  Array<instrument::PassInstrument> instruments;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("opt_level", &opt_level);
    v->Visit("required_pass", &required_pass);
    v->Visit("disabled_pass", &disabled_pass);
    v->Visit("config", &config);
    v->Visit("instruments", &instruments);
  }

  /*! \brief The config option `key` as T, or `default_value` when unset. */
  template <typename T>
  std::optional<T> GetConfig(const std::string& key, std::optional<T> default_value = std::nullopt) const {
    auto v = config.Get(String(key));
    if (!v.has_value()) return default_value;
    return Downcast<T>(*v);
  }

  static constexpr const char* _type_key = "transform.PassContext";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class PassInfo;

class PassContext : public ObjectRef {
 public:
  using ContainerType = PassContextNode;
  using ObjectRef::ObjectRef;
  PassContext() = default;
  const PassContextNode* operator->() const { return static_cast<const PassContextNode*>(get()); }
  PassContextNode* operator->() { return static_cast<PassContextNode*>(get_mutable()); }

  /*! \brief A fresh context with default settings. */
  TVM_DLL static PassContext Create();
  /*! \brief The innermost context entered on this thread (a default one if none). */
  TVM_DLL static PassContext Current();
  /*!
   * \brief Declare a config option (and the type key its values must have).
   *  Unknown keys in a PassContext's config are rejected with the list of known ones.
   */
  TVM_DLL static void RegisterConfigOption(const std::string& key, const std::string& value_type_key);
  /*! \brief Known config options and their value type keys. */
  TVM_DLL static Map<String, String> ListConfigs();

  TVM_DLL void EnterWithScope();
  TVM_DLL void ExitWithScope();
  /*! \brief Whether a pass runs here: required, or not disabled and within opt_level. */
  TVM_DLL bool PassEnabled(const PassInfo& info) const;
  /*! \brief Instrument callbacks around one pass; false from should_run skips the pass. */
  TVM_DLL bool InstrumentBeforePass(const IRModule& mod, const PassInfo& info) const;
  TVM_DLL void InstrumentAfterPass(const IRModule& mod, const PassInfo& info) const;
  /*! \brief Check the config against the registered options (called when entering). */
  TVM_DLL void ValidateConfig() const;
};

/*! \brief RAII entry into a scope; defined in tvm/support/with.h. */
using ::tvm::With;

class PassInfoNode : public Object {
 public:
  int opt_level{0};
  String name;
  Array<String> required;
  bool traceable{false};

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("opt_level", &opt_level);
    v->Visit("name", &name);
    v->Visit("required", &required);
    v->Visit("traceable", &traceable);
  }
  static constexpr const char* _type_key = "transform.PassInfo";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class PassInfo : public ObjectRef {
 public:
  using ContainerType = PassInfoNode;
  using ObjectRef::ObjectRef;
  PassInfo() = default;
  TVM_DLL PassInfo(int opt_level, String name, Array<String> required, bool traceable = false);
  const PassInfoNode* operator->() const { return static_cast<const PassInfoNode*>(get()); }
};

class PassNode : public Object {
 public:
  virtual PassInfo Info() const = 0;
  /*! \brief Transform `mod` in `ctx` (no instrumentation; Pass::operator() adds it). */
  virtual IRModule Run(IRModule mod, const PassContext& ctx) const = 0;
  static constexpr const char* _type_key = "transform.Pass";
  using _type_parent = Object;
};

class Pass : public ObjectRef {
 public:
  using ContainerType = PassNode;
  using ObjectRef::ObjectRef;
  Pass() = default;
  const PassNode* operator->() const { return static_cast<const PassNode*>(get()); }
  /*! \brief Run in the current PassContext, with its instruments. */
  TVM_DLL IRModule operator()(IRModule mod) const;
  TVM_DLL IRModule operator()(IRModule mod, const PassContext& ctx) const;
};

/*! \brief A pass over a whole module, from a function. */
class ModulePassNode : public PassNode {
 public:
  PassInfo pass_info;
  TypedPackedFunc<IRModule(IRModule, PassContext)> pass_func;

  void VisitAttrs(AttrVisitor* v) { v->Visit("pass_info", &pass_info); }
  PassInfo Info() const final { return pass_info; }
  IRModule Run(IRModule mod, const PassContext& ctx) const final;

  static constexpr const char* _type_key = "transform.ModulePass";
  static constexpr bool _type_final = true;
  using _type_parent = PassNode;
};

/*! \brief Passes run in order, each subject to the context's enable rules. */
class SequentialNode : public PassNode {
 public:
  PassInfo pass_info;
  Array<Pass> passes;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("pass_info", &pass_info);
    v->Visit("passes", &passes);
  }
  PassInfo Info() const final { return pass_info; }
  IRModule Run(IRModule mod, const PassContext& ctx) const final;

  static constexpr const char* _type_key = "transform.Sequential";
  static constexpr bool _type_final = true;
  using _type_parent = PassNode;
};

TVM_DLL Pass CreateModulePass(TypedPackedFunc<IRModule(IRModule, PassContext)> pass_func, int opt_level,
                              String name, Array<String> required, bool traceable = false);
TVM_DLL Pass Sequential(Array<Pass> passes, int opt_level = 0, String name = "sequential",
                        Array<String> required = {});
/*! \brief A pass that prints the module (with a header) and returns it unchanged. */
TVM_DLL Pass PrintIR(String header = "");
/*! \brief The pass registered as global function "transform.<name>", "relay._transform.<name>" or "<name>". */
TVM_DLL Pass GetPass(const std::string& name);

}  // namespace transform
}  // namespace tvm
#endif  // TVM_IR_TRANSFORM_H_
