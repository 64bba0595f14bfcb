/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Global functions that build and read ADT values (tag + fields) from other languages.
#include <tvm/runtime/container/adt.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace runtime {

// Known before the first one is made: Python registers its class by key at import.
[[maybe_unused]] static const uint32_t kADTTypeIndex = TypeIndexOf<ADTObj>();

static const ADTObj* AsADT(const TVMArgValue& arg, const char* fn) {
  ObjectRef ref = arg.AsObjectRef();
  const auto* n = ref.as<ADTObj>();
  TVM_CHECK(n != nullptr, "TypeError") << fn << " expects an ADT, got " << (ref.defined() ? ref->GetTypeKey() : "None");
  return n;  // the caller's argument keeps it alive
}

/*! \brief runtime.ADT(tag, field...) */
TVM_REGISTER_GLOBAL("runtime.ADT").set_body([](TVMArgs args, TVMRetValue* rv) {
  TVM_CHECK(args.size() >= 1, "TypeError") << "runtime.ADT takes a tag and then the fields";
  int64_t tag = args[0];
  std::vector<ObjectRef> fields;
  fields.reserve(args.size() - 1);
  for (int i = 1; i < args.size(); ++i) fields.push_back(args[i].AsObjectRef());
  *rv = MakeADT(static_cast<int32_t>(tag), std::move(fields));
});

TVM_REGISTER_GLOBAL("runtime.GetADTTag").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = static_cast<int64_t>(AsADT(args[0], "runtime.GetADTTag")->tag);
});

TVM_REGISTER_GLOBAL("runtime.GetADTSize").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = static_cast<int64_t>(AsADT(args[0], "runtime.GetADTSize")->fields.size());
});

TVM_REGISTER_GLOBAL("runtime.GetADTFields").set_body([](TVMArgs args, TVMRetValue* rv) {
  const ADTObj* n = AsADT(args[0], "runtime.GetADTFields");
  int64_t i = args[1];
  TVM_CHECK(i >= 0 && i < static_cast<int64_t>(n->fields.size()), "IndexError")
      << "ADT field index " << i << " out of range for " << n->fields.size() << " fields";
  *rv = n->fields[i];
});

}  // namespace runtime
}  // namespace tvm
