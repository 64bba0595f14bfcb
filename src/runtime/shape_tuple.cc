/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Global functions that build and read the boxed ShapeTuple from other languages.
#include <tvm/runtime/container/shape_tuple.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace runtime {

// Known before the first one is made: Python registers its class by key at import.
[[maybe_unused]] static const uint32_t kShapeTupleTypeIndex = TypeIndexOf<ShapeTupleObj>();

TVM_REGISTER_GLOBAL("runtime.ShapeTuple").set_body([](TVMArgs args, TVMRetValue* rv) {
  std::vector<int64_t> shape;
  shape.reserve(args.size());
  for (int i = 0; i < args.size(); ++i) shape.push_back(args[i].operator int64_t());
  *rv = MakeShapeTupleObject(std::move(shape));
});

TVM_REGISTER_GLOBAL("runtime.GetShapeTupleSize").set_body([](TVMArgs args, TVMRetValue* rv) {
  ObjectRef ref = args[0].AsObjectRef();
  const auto* n = ref.as<ShapeTupleObj>();
  TVM_CHECK(n != nullptr, "TypeError") << "runtime.GetShapeTupleSize expects a ShapeTuple";
  *rv = static_cast<int64_t>(n->data.size());
});

TVM_REGISTER_GLOBAL("runtime.GetShapeTupleElem").set_body([](TVMArgs args, TVMRetValue* rv) {
  ObjectRef ref = args[0].AsObjectRef();
  const auto* n = ref.as<ShapeTupleObj>();
  TVM_CHECK(n != nullptr, "TypeError") << "runtime.GetShapeTupleElem expects a ShapeTuple";
  int64_t i = args[1];
  TVM_CHECK(i >= 0 && i < static_cast<int64_t>(n->data.size()), "IndexError")
      << "ShapeTuple index " << i << " out of range for size " << n->data.size();
  *rv = n->data[i];
});

}  // namespace runtime
}  // namespace tvm
