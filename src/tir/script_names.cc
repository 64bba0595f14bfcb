/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Naming support for the TVMScript parser (python/tvm/script).
//
// In `n = T.int32()` or `A = T.Buffer((16,), "float32")` the right-hand side
// creates the variable or buffer before the parser knows the name on the
// left. The parser names the fresh object in place, as TVM's does; this is
// only sound for objects nobody else holds yet, which is all the parser
// names (it never renames a value already bound in its variable table).
#include <tvm/runtime/registry.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/expr.h>

namespace tvm {
namespace tir {
namespace {

void NameVar(const VarNode* var, const String& name) { const_cast<VarNode*>(var)->name_hint = name; }

void NameObject(const ObjectRef& obj, const String& name) {
  if (const auto* var = obj.as<VarNode>()) {
    NameVar(var, name);
  } else if (const auto* iv = obj.as<IterVarNode>()) {
    NameVar(iv->var.get(), name);
  } else if (const auto* buffer = obj.as<BufferNode>()) {
    const_cast<BufferNode*>(buffer)->name = name;
    // Only a data pointer made for this buffer (still unnamed) takes its name:
    // a view declared over another buffer's data must not rename that buffer.
    if (buffer->data->name_hint.empty()) NameVar(buffer->data.get(), name);
    for (size_t i = 0; i < buffer->strides.size(); ++i) {
      if (const auto* stride = buffer->strides[i].as<VarNode>(); stride && stride->name_hint.empty()) {
        NameVar(stride, name + "_s" + std::to_string(i));
      }
    }
    if (const auto* offset = buffer->elem_offset.as<VarNode>(); offset && offset->name_hint.empty()) {
      NameVar(offset, name + "_elem_offset");
    }
  } else {
    TVM_CHECK(false, "TypeError") << "script naming: cannot name a " << obj->GetTypeKey();
  }
}

}  // namespace

TVM_REGISTER_GLOBAL("tir.ScriptNameObject").set_body_typed([](ObjectRef obj, String name) {
  NameObject(obj, name);
});

}  // namespace tir
}  // namespace tvm
