/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Defining an operator's structure and type relation from Python (TVM's
// Op.set_num_inputs / add_argument / set_support_level / set_attrs_type_key /
// add_type_rel), as C++ does with RELAY_REGISTER_OP.
#include <tvm/relay/op.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace relay {

namespace {

OpRegEntry& EntryOf(const Op& op) { return OpRegEntry::RegisterOrGet(op->name); }

/*!
 * \brief A relation from a Python function rel(input_types, attrs) -> output type;
 *  it is called once all input types are known, and None means "not yet".
 */
TypeRelationFn PythonRelation(runtime::PackedFunc fn) {
  return TypeRelationFn([fn](const Array<Type>& args, int num_inputs, const Attrs& attrs,
                             const TypeReporter& reporter) {
    Array<Type> inputs;
    for (int i = 0; i < num_inputs; ++i) {
      if (args[i].as<IncompleteTypeNode>()) return false;
      inputs.push_back(args[i]);
    }
    runtime::TVMRetValue ret = fn(inputs, attrs);
    if (ret.type_code() == kTVMNullptr) return false;
    reporter->Assign(args.back(), ret.AsType<Type>());
    return true;
  });
}

}  // namespace

TVM_REGISTER_GLOBAL("relay.op._OpSetNumInputs").set_body_typed([](Op op, int n) { EntryOf(op).set_num_inputs(n); });
TVM_REGISTER_GLOBAL("relay.op._OpSetSupportLevel").set_body_typed([](Op op, int level) {
  EntryOf(op).set_support_level(level);
});
TVM_REGISTER_GLOBAL("relay.op._OpSetAttrsTypeKey").set_body_typed([](Op op, std::string key) {
  EntryOf(op).set_attrs_type_key(key);
});
TVM_REGISTER_GLOBAL("relay.op._OpAddArgument")
    .set_body_typed([](Op op, std::string name, std::string type, std::string description) {
      EntryOf(op).add_argument(name, type, description);
    });
TVM_REGISTER_GLOBAL("relay.op._OpAddTypeRel").set_body([](runtime::TVMArgs args, runtime::TVMRetValue*) {
  Op op = args[0].AsType<Op>();
  std::string name = args[1].AsType<std::string>();
  if (args.size() > 2 && args[2].type_code() != kTVMNullptr) {
    EntryOf(op).add_type_rel(name, PythonRelation(args[2].AsType<runtime::PackedFunc>()));
    return;
  }
  // A relation registered in C++ by name (Identity, Broadcast, ...).
  const runtime::PackedFunc* rel = runtime::Registry::Get("tvm.relation." + name);
  TVM_CHECK(rel != nullptr, "ValueError") << "add_type_rel: no type relation named '" << name
                                          << "' (tvm.relation." << name << ") is registered";
  EntryOf(op).add_type_rel(name, TypeRelationFn(*rel));
});

}  // namespace relay
}  // namespace tvm
