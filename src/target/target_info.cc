/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// MemoryInfo: descriptions of special memories, looked up by storage scope.
#include <tvm/runtime/registry.h>
#include <tvm/target/target_info.h>

namespace tvm {

TVM_REGISTER_NODE_TYPE(MemoryInfoNode);

MemoryInfo GetMemoryInfo(const std::string& scope) {
  const runtime::PackedFunc* f = runtime::Registry::Get("tvm.info.mem." + scope);
  if (f == nullptr) return MemoryInfo();
  ObjectRef info = (*f)();
  if (!info.defined()) return MemoryInfo();
  TVM_CHECK(info->IsInstance<MemoryInfoNode>(), "TypeError")
      << "tvm.info.mem." << scope << " must return a MemoryInfo, got " << info->GetTypeKey();
  return Downcast<MemoryInfo>(info);
}

}  // namespace tvm
