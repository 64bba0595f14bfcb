/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Packing a module tree into a shared library, and unpacking it at load time
// (TVM's "__tvm_dev_mblob" scheme).
//
// export_library links the modules that compile to object code (llvm) into
// the .so itself; every other module in the import tree (a graph executor
// factory, ...) is serialised with SaveToBinary into one blob, and the blob
// becomes the library's `__tvm_dev_mblob` symbol. The loader finds the symbol
// after dlopen and rebuilds the tree, with the loaded library standing in for
// all the linked modules.
//
// Blob: uint64 byte count of what follows, then uint64 key count, then per key:
//   "_lib"          the loaded library itself (the linked modules)
//   "_import_tree"  uint64 vectors row_ptr and child_indices: the imports of
//                   entry i are child_indices[row_ptr[i] .. row_ptr[i+1])
//   <type_key>      a module's SaveToBinary bytes (length-prefixed), read back
//                   by "runtime.module.loadbinary_<type_key>"
// Entry 0 (in key order, not counting "_import_tree") is the root that
// load_module returns.
#include <tvm/runtime/module.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "byte_stream.h"

namespace tvm {
namespace runtime {

namespace {
constexpr const char* kLibKey = "_lib";
constexpr const char* kImportTreeKey = "_import_tree";

bool IsLinked(const ModuleNode* m) { return (m->GetPropertyMask() & ModulePropertyMask::kDSOExportable) != 0; }
}  // namespace

std::string PackModuleTree(const Module& root) {
  TVM_CHECK(root.defined(), "ValueError") << "cannot pack a null module";
  // Group the modules: all linked ones are one entry ("_lib"), each other module its own.
  std::vector<const ModuleNode*> entries;  // nullptr stands for "_lib"
  std::unordered_map<const ModuleNode*, size_t> entry_of;
  int64_t lib_entry = -1;
  std::vector<const ModuleNode*> order;  // depth first, pre-order
  {
    std::vector<const ModuleNode*> stack{root.operator->()};
    std::unordered_map<const ModuleNode*, bool> seen;
    while (!stack.empty()) {
      const ModuleNode* m = stack.back();
      stack.pop_back();
      if (seen[m]) continue;
      seen[m] = true;
      order.push_back(m);
      for (auto it = m->imports().rbegin(); it != m->imports().rend(); ++it) stack.push_back(it->operator->());
    }
  }
  for (const ModuleNode* m : order) {
    if (IsLinked(m)) {
      if (lib_entry < 0) {
        lib_entry = static_cast<int64_t>(entries.size());
        entries.push_back(nullptr);
      }
      entry_of[m] = lib_entry;
    } else {
      TVM_CHECK(m->GetPropertyMask() & ModulePropertyMask::kBinarySerializable, "ValueError")
          << "export_library: a module of type '" << m->type_key()
          << "' can neither be linked into a library nor serialised into one";
      entry_of[m] = entries.size();
      entries.push_back(m);
    }
  }
  std::vector<std::vector<uint64_t>> children(entries.size());
  for (const ModuleNode* m : order) {
    size_t from = entry_of[m];
    for (const Module& imp : m->imports()) {
      uint64_t to = entry_of[imp.operator->()];
      if (to == from) continue;  // linked modules importing each other: one library now
      auto& c = children[from];
      if (std::find(c.begin(), c.end(), to) == c.end()) c.push_back(to);
    }
  }
  std::string blob;
  ByteWriter w(&blob);
  w.Write<uint64_t>(entries.size() + 1);
  for (const ModuleNode* m : entries) {
    if (m == nullptr) {
      w.WriteString(kLibKey);
      continue;
    }
    w.WriteString(m->type_key());
    std::string bytes;
    const_cast<ModuleNode*>(m)->SaveToBinary(&bytes);
    w.WriteString(bytes);
  }
  std::vector<uint64_t> row_ptr{0}, child_indices;
  for (const auto& c : children) {
    child_indices.insert(child_indices.end(), c.begin(), c.end());
    row_ptr.push_back(child_indices.size());
  }
  w.WriteString(kImportTreeKey);
  w.WriteU64s(row_ptr);
  w.WriteU64s(child_indices);
  std::string out;
  ByteWriter(&out).Write<uint64_t>(blob.size());
  return out + blob;
}

Module UnpackModuleTree(const char* symbol_data, Module lib) {
  uint64_t size;
  std::memcpy(&size, symbol_data, sizeof(size));
  std::string blob(symbol_data + sizeof(size), size);
  ByteReader r(blob, "the module blob in the library");
  uint64_t num_keys = r.ReadCount("the key count", 8);
  std::vector<Module> modules;
  std::vector<uint64_t> row_ptr, child_indices;
  for (uint64_t i = 0; i < num_keys; ++i) {
    std::string key = r.ReadString("a module key");
    if (key == kLibKey) {
      modules.push_back(lib);
    } else if (key == kImportTreeKey) {
      row_ptr = r.ReadU64s("the import tree");
      child_indices = r.ReadU64s("the import tree");
    } else {
      std::string bytes = r.ReadString("a module's bytes");
      const PackedFunc* load = Registry::Get("runtime.module.loadbinary_" + key);
      TVM_CHECK(load != nullptr, "ValueError")
          << "the library holds a module of type '" << key << "', which this runtime cannot load (no "
          << "runtime.module.loadbinary_" << key << ")";
      modules.push_back((*load)(TVMByteArray{bytes.data(), bytes.size()}).operator Module());
    }
  }
  TVM_CHECK(!modules.empty(), "ValueError") << "the module blob in the library holds no module";
  TVM_CHECK(row_ptr.size() == modules.size() + 1, "ValueError")
      << "the module blob in the library has a broken import tree";
  for (size_t i = 0; i < modules.size(); ++i) {
    TVM_CHECK(row_ptr[i] <= row_ptr[i + 1] && row_ptr[i + 1] <= child_indices.size(), "ValueError")
        << "the module blob in the library has a broken import tree";
    for (uint64_t k = row_ptr[i]; k < row_ptr[i + 1]; ++k) {
      uint64_t c = child_indices[k];
      TVM_CHECK(c < modules.size(), "ValueError") << "the module blob in the library has a broken import tree";
      modules[i].Import(modules[c]);
    }
  }
  return modules[0];
}

TVM_REGISTER_GLOBAL("runtime.ModulePackImports").set_body([](TVMArgs args, TVMRetValue* rv) {
  std::string bytes = PackModuleTree(args[0].operator Module());
  *rv = TVMByteArray{bytes.data(), bytes.size()};
});

}  // namespace runtime
}  // namespace tvm
