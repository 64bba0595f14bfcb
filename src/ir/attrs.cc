/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include <tvm/ir/attrs.h>
#include <tvm/runtime/registry.h>

namespace tvm {

DictAttrs::DictAttrs(Map<String, ObjectRef> dict) {
  auto n = make_object<DictAttrsNode>();
  n->dict = std::move(dict);
  data_ = std::move(n);
}

DictAttrs WithAttr(DictAttrs attrs, const std::string& key, ObjectRef value) {
  Map<String, ObjectRef> dict = attrs.defined() ? attrs->dict : Map<String, ObjectRef>();
  dict.Set(String(key), std::move(value));
  return DictAttrs(dict);
}

TVM_REGISTER_NODE_TYPE(DictAttrsNode);

TVM_REGISTER_GLOBAL("ir.DictAttrs").set_body_typed([](Map<String, ObjectRef> dict) { return DictAttrs(dict); });
TVM_REGISTER_GLOBAL("ir.DictAttrsGetDict").set_body_typed([](DictAttrs attrs) {
  return attrs.defined() ? attrs->dict : Map<String, ObjectRef>();
});

}  // namespace tvm
