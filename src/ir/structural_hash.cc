/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Structural hashing, consistent with structural_equal.cc: bound variables
// hash by the order in which they are bound, everything else by type and
// fields. Used as the key of compile caches and tuning records.
#include <tvm/ir/module.h>
#include <tvm/ir/structural_hash.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "../support/deep_recursion.h"
#include "field_collector.h"

namespace tvm {
namespace {

using detail::FieldCollector;
using detail::FieldValue;

inline uint64_t Combine(uint64_t seed, uint64_t value) {
  // 64-bit mix (a variant of boost::hash_combine with a stronger constant).
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 12) + (seed >> 4));
}

inline uint64_t HashBytes(const void* data, size_t n) {
  // FNV-1a: stable across processes and platforms, unlike std::hash.
  uint64_t h = 1469598103934665603ULL;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

inline uint64_t HashString(const std::string& s) { return HashBytes(s.data(), s.size()); }

class SHashImpl {
 public:
  SHashImpl(bool map_free_vars, bool large_stack) : map_free_vars_(map_free_vars), large_stack_(large_stack) {}

  uint64_t Hash(const ObjectRef& obj, bool is_def) {
    if (!obj.defined()) return 0x5bd1e995ULL;
    support::DepthGuard guard(&depth_, large_stack_);
    auto memo = memo_.find(obj.get());
    if (memo != memo_.end()) return memo->second;
    uint64_t h = HashString(obj->GetTypeKey());
    if (const auto* s = obj.as<runtime::StringObj>()) {
      h = Combine(h, HashString(s->data));
    } else if (const auto* arr = obj.as<runtime::ArrayNode>()) {
      h = Combine(h, arr->size());
      for (const ObjectRef& x : arr->data) h = Combine(h, Hash(x, is_def));
    } else if (const auto* map = obj.as<runtime::MapNode>()) {
      // Map equality ignores order, so entries are combined commutatively.
      uint64_t sum = 0;
      for (const auto& kv : map->items) sum += Combine(Hash(kv.first, false), Hash(kv.second, is_def));
      h = Combine(Combine(h, map->size()), sum);
    } else if (const auto* ptr = obj.as<PointerTypeNode>()) {
      // "" and "global" are one scope (see structural_equal.cc).
      h = Combine(h, HashString(ptr->storage_scope.empty() ? std::string("global") : std::string(ptr->storage_scope)));
      h = Combine(h, Hash(ptr->element_type, is_def));
    } else if (obj->IsInstance<runtime::NDArray::Container>()) {
      h = Combine(h, HashNDArray(Downcast<NDArray>(obj)));
    } else if (const auto* mod = obj.as<IRModuleNode>()) {
      h = HashModule(h, mod);
    } else {
      switch (detail::KindOf(obj.get())) {
        case StructuralKind::kFreeVar: {
          auto it = var_index_.find(obj.get());
          if (it == var_index_.end() && !is_def && !map_free_vars_) {
            // A free variable is itself: hash its identity (not stable across runs).
            return Combine(h, reinterpret_cast<uintptr_t>(obj.get()));
          }
          if (it == var_index_.end()) {
            it = var_index_.emplace(obj.get(), next_index_++).first;
          } else if (direct_def_) {
            it->second = next_index_++;  // bound again: hashed like a new variable (see structural_equal.cc)
          }
          h = Combine(Combine(h, 0xfee1deadULL), it->second);
          h = HashFields(h, obj, /*skip_names=*/true);
          return h;  // not memoised: the index is the identity
        }
        case StructuralKind::kUniqueInstance:
        case StructuralKind::kTreeNode:
        case StructuralKind::kGraphNode:
          if (ReflectionVTable::Global()->Find(obj->type_index()) == nullptr) {
            h = Combine(h, reinterpret_cast<uintptr_t>(obj.get()));
          } else {
            h = HashFields(h, obj, /*skip_names=*/false, is_def);
          }
          // The order in which graph nodes are first met tells a shared node
          // (met once, then memoised) from equal copies (each met anew).
          if (detail::IsGraphNode(obj.get())) h = Combine(h, 0x67a9b5ULL + graph_nodes_++);
          break;
      }
    }
    memo_[obj.get()] = h;
    return h;
  }

 private:
  uint64_t HashFields(uint64_t h, const ObjectRef& obj, bool skip_names, bool in_def = false) {
    std::vector<FieldValue> fields = FieldCollector::Collect(obj.get());
    // As structural equality does: a type's definitions (FuncType's type parameters) first.
    if (obj->IsInstance<TypeNode>()) {
      std::stable_partition(fields.begin(), fields.end(), [](const FieldValue& f) { return f.is_def; });
    }
    for (const FieldValue& f : fields) {
      if (detail::IgnoredField(obj.get(), f, skip_names)) continue;
      switch (f.kind) {
        case FieldValue::kFloat: {
          double v = f.f == 0.0 ? 0.0 : f.f;  // -0.0 == 0.0
          h = Combine(h, HashBytes(&v, sizeof(v)));
          break;
        }
        case FieldValue::kInt:
        case FieldValue::kBool: h = Combine(h, static_cast<uint64_t>(f.i)); break;
        case FieldValue::kStr: h = Combine(h, HashString(f.s)); break;
        case FieldValue::kHandle: h = Combine(h, reinterpret_cast<uintptr_t>(f.p)); break;
        case FieldValue::kDType: {
          DLDataType t = f.t;
          h = Combine(h, (uint64_t{t.code} << 24) | (uint64_t{t.bits} << 16) | t.lanes);
          break;
        }
        case FieldValue::kNDArray:
        case FieldValue::kObject: {
          bool saved = direct_def_;
          direct_def_ = f.is_def;
          h = Combine(h, Hash(f.ref, f.is_def || in_def));
          direct_def_ = saved;
          break;
        }
      }
    }
    return h;
  }

  /*! \brief Consistent with ModuleEqual: functions by name, GlobalVars as definitions. */
  uint64_t HashModule(uint64_t h, const IRModuleNode* mod) {
    std::vector<GlobalVar> vars = mod->GetGlobalVars().as_vector();
    std::sort(vars.begin(), vars.end(),
              [](const GlobalVar& x, const GlobalVar& y) { return x->name_hint.str() < y->name_hint.str(); });
    std::vector<GlobalTypeVar> tvars = mod->GetGlobalTypeVars().as_vector();
    std::sort(tvars.begin(), tvars.end(), [](const GlobalTypeVar& x, const GlobalTypeVar& y) {
      return x->name_hint.str() < y->name_hint.str();
    });
    for (const GlobalTypeVar& tv : tvars) {
      h = Combine(h, HashString(tv->name_hint));
      h = Combine(h, Hash(tv, /*is_def=*/true));
    }
    for (const GlobalTypeVar& tv : tvars) h = Combine(h, Hash(mod->LookupTypeDef(tv), false));
    h = Combine(h, vars.size());
    for (const GlobalVar& gv : vars) {
      h = Combine(h, HashString(gv->name_hint));
      h = Combine(h, Hash(gv, /*is_def=*/true));
    }
    for (const GlobalVar& gv : vars) h = Combine(h, Hash(mod->Lookup(gv), false));
    return Combine(h, Hash(mod->attrs, false));
  }

  static uint64_t HashNDArray(const NDArray& arr) {
    uint64_t h = HashString(DLDataType2String(arr.DataType()));
    for (int64_t d : arr.Shape()) h = Combine(h, static_cast<uint64_t>(d));
    if (arr.Device().device_type == kDLCPU) {
      std::string bytes(arr.NBytes(), '\0');
      arr.CopyToBytes(bytes.data(), bytes.size());
      h = Combine(h, HashBytes(bytes.data(), bytes.size()));
    }
    return h;
  }

  bool map_free_vars_;
  bool large_stack_;
  int depth_{0};
  std::unordered_map<const Object*, uint64_t> var_index_;
  uint64_t next_index_{0};
  /*! \brief Whether the field being hashed is itself a definition site. */
  bool direct_def_{false};
  std::unordered_map<const Object*, uint64_t> memo_;
  uint64_t graph_nodes_{0};
};

}  // namespace

size_t StructuralHash::operator()(const ObjectRef& obj, bool map_free_vars) const {
  try {
    return SHashImpl(map_free_vars, false).Hash(obj, false);
  } catch (const support::TooDeep&) {
  }
  size_t h = 0;
  support::RunOnLargeStack([&]() { h = SHashImpl(map_free_vars, true).Hash(obj, false); });
  return h;
}

TVM_REGISTER_GLOBAL("node.StructuralHash").set_body_typed([](ObjectRef obj, bool map_free_vars) {
  return static_cast<int64_t>(StructuralHash()(obj, map_free_vars));
});

}  // namespace tvm
