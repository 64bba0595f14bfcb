/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/instrument.h
 * \brief Pass instruments: callbacks around every pass run in a PassContext
 *  (timing, printing IR, deciding whether a pass runs).
 */
#ifndef TVM_IR_INSTRUMENT_H_
#define TVM_IR_INSTRUMENT_H_

#include <tvm/ir/module.h>
#include <tvm/runtime/packed_func.h>

#include <string>

namespace tvm {
namespace transform {
class PassInfo;
}

namespace instrument {

/*!
 * \brief An instrument made of optional callbacks:
 *  enter_pass_ctx(), exit_pass_ctx(), should_run(mod, info) -> bool,
 *  run_before_pass(mod, info), run_after_pass(mod, info).
 */
class PassInstrumentNode : public Object {
 public:
  String name;
  PackedFunc enter_pass_ctx_callback;
  PackedFunc exit_pass_ctx_callback;
  PackedFunc should_run_callback;
  PackedFunc run_before_pass_callback;
  PackedFunc run_after_pass_callback;

  void VisitAttrs(AttrVisitor* v) { v->Visit("name", &name); }

  TVM_DLL void EnterPassContext() const;
  TVM_DLL void ExitPassContext() const;
  TVM_DLL bool ShouldRun(const IRModule& mod, const transform::PassInfo& info) const;
  TVM_DLL void RunBeforePass(const IRModule& mod, const transform::PassInfo& info) const;
  TVM_DLL void RunAfterPass(const IRModule& mod, const transform::PassInfo& info) const;

  static constexpr const char* _type_key = "instrument.PassInstrument";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class PassInstrument : public ObjectRef {
 public:
  using ContainerType = PassInstrumentNode;
  using ObjectRef::ObjectRef;
  PassInstrument() = default;
  TVM_DLL PassInstrument(String name, PackedFunc enter_pass_ctx, PackedFunc exit_pass_ctx, PackedFunc should_run,
                         PackedFunc run_before_pass, PackedFunc run_after_pass);
  const PassInstrumentNode* operator->() const { return static_cast<const PassInstrumentNode*>(get()); }
};

}  // namespace instrument
}  // namespace tvm
#endif  // TVM_IR_INSTRUMENT_H_
