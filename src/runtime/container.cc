/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Global functions that let other languages build and read String, Array and Map.
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace runtime {

TVM_REGISTER_GLOBAL("runtime.String").set_body_typed([](std::string s) { return String(std::move(s)); });
TVM_REGISTER_GLOBAL("runtime.GetFFIString").set_body_typed([](String s) { return s.str(); });

TVM_REGISTER_GLOBAL("runtime.Array").set_body([](TVMArgs args, TVMRetValue* rv) {
  Array<ObjectRef> arr;
  arr.reserve(args.size());
  for (int i = 0; i < args.size(); ++i) arr.push_back(args[i].AsObjectRef());
  *rv = arr;
});

TVM_REGISTER_GLOBAL("runtime.ArrayGetItem").set_body_typed([](Array<ObjectRef> arr, int64_t i) {
  return arr->at(i);
});

TVM_REGISTER_GLOBAL("runtime.ArraySize").set_body_typed([](Array<ObjectRef> arr) {
  return static_cast<int64_t>(arr.size());
});

TVM_REGISTER_GLOBAL("runtime.Map").set_body([](TVMArgs args, TVMRetValue* rv) {
  TVM_CHECK(args.size() % 2 == 0, "ValueError") << "runtime.Map takes key, value pairs";
  Map<ObjectRef, ObjectRef> map;
  for (int i = 0; i < args.size(); i += 2) map.Set(args[i].AsObjectRef(), args[i + 1].AsObjectRef());
  *rv = map;
});

TVM_REGISTER_GLOBAL("runtime.MapSize").set_body_typed([](Map<ObjectRef, ObjectRef> map) {
  return static_cast<int64_t>(map.size());
});

TVM_REGISTER_GLOBAL("runtime.MapGetItem").set_body([](TVMArgs args, TVMRetValue* rv) {
  Map<ObjectRef, ObjectRef> map = args[0];
  ObjectRef key = args[1].AsObjectRef();
  const ObjectRef* v = map->Find(key);
  if (v == nullptr) {
    if (const auto* s = key.as<StringObj>()) throw Error("KeyError", "'" + s->data + "'");
    throw Error("KeyError", "key not found in Map");
  }
  *rv = *v;
});

TVM_REGISTER_GLOBAL("runtime.MapCount").set_body([](TVMArgs args, TVMRetValue* rv) {
  Map<ObjectRef, ObjectRef> map = args[0];
  *rv = static_cast<int64_t>(map->count(args[1].AsObjectRef()));
});

/*! \brief Keys and values interleaved, in insertion order. */
TVM_REGISTER_GLOBAL("runtime.MapItems").set_body_typed([](Map<ObjectRef, ObjectRef> map) {
  Array<ObjectRef> items;
  for (const auto& kv : map->items) {
    items.push_back(kv.first);
    items.push_back(kv.second);
  }
  return items;
});

}  // namespace runtime
}  // namespace tvm

namespace tvm {
namespace runtime {
// Allocate the runtime's type indices at load time, so that every type key
// is known before the first object of its type is made (Python registers
// classes by key at import).
[[maybe_unused]] static const uint32_t kRuntimeTypeIndices[] = {
    TypeIndexOf<StringObj>(), TypeIndexOf<ArrayNode>(), TypeIndexOf<MapNode>(),
};
}  // namespace runtime
}  // namespace tvm
