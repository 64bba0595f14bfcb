/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Structural equality, generic over reflection. Variables (StructuralKind
// kFreeVar) are equal when they are bound at corresponding definition sites
// (fields visited with VisitDef) or, with map_free_vars, at first use; the
// mapping is kept both ways so that x+y never equals x+x.
#include <tvm/ir/module.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <sstream>
#include <unordered_map>

#include "../support/deep_recursion.h"
#include "field_collector.h"

namespace tvm {
namespace {

using detail::FieldCollector;
using detail::FieldValue;

class SEqualImpl {
 public:
  SEqualImpl(bool map_free_vars, bool large_stack) : map_free_vars_(map_free_vars), large_stack_(large_stack) {}

  bool Equal(const ObjectRef& a, const ObjectRef& b, bool is_def) {
    if (!a.defined() || !b.defined()) return (!a.defined() && !b.defined()) || Fail(a, b);
    support::DepthGuard guard(&depth_, large_stack_);
    if (a->type_index() != b->type_index()) return Fail(a, b);
    // Graph nodes pair up one-to-one: a node met again must meet its partner again.
    const bool graph = detail::IsGraphNode(a.get());
    if (graph) {
      auto it = graph_lhs2rhs_.find(a.get());
      if (it != graph_lhs2rhs_.end()) {
        return it->second == b.get() || Fail(a, b, "a node shared on the left is not shared alike on the right");
      }
      if (graph_rhs2lhs_.count(b.get())) return Fail(a, b, "a node shared on the right is not shared alike on the left");
    }
    // An object equals itself, except while variables are being renamed: a
    // shared subterm may use a variable that is bound differently on the two
    // sides, and with map_free_vars every variable inside it must pair up
    // consistently with the rest of the mapping (x+y never equals x+x).
    bool ok = (a.same_as(b) && !map_free_vars_ && !renamed_) || equal_pairs_.count({a.get(), b.get()}) != 0;
    if (!ok) {
      ok = EqualSameType(a, b, is_def);
      if (ok) equal_pairs_.insert({a.get(), b.get()});
    }
    if (ok && graph) {
      graph_lhs2rhs_[a.get()] = b.get();
      graph_rhs2lhs_[b.get()] = a.get();
    }
    return ok;
  }

  std::string diff() const { return diff_; }

 private:
  bool EqualSameType(const ObjectRef& a, const ObjectRef& b, bool is_def) {
    if (const auto* mod_a = a.as<IRModuleNode>()) {
      return ModuleEqual(a, b, mod_a, static_cast<const IRModuleNode*>(b.get()));
    }
    if (const auto* sa = a.as<runtime::StringObj>()) {
      return sa->data == static_cast<const runtime::StringObj*>(b.get())->data || Fail(a, b);
    }
    if (const auto* arr_a = a.as<runtime::ArrayNode>()) {
      const auto* arr_b = static_cast<const runtime::ArrayNode*>(b.get());
      if (arr_a->size() != arr_b->size()) return Fail(a, b, "array lengths differ");
      for (size_t i = 0; i < arr_a->size(); ++i) {
        path_.push_back("[" + std::to_string(i) + "]");
        bool ok = Equal(arr_a->data[i], arr_b->data[i], is_def);
        path_.pop_back();
        if (!ok) return false;
      }
      return true;
    }
    if (const auto* map_a = a.as<runtime::MapNode>()) {
      const auto* map_b = static_cast<const runtime::MapNode*>(b.get());
      if (map_a->size() != map_b->size()) return Fail(a, b, "map sizes differ");
      for (const auto& kv : map_a->items) {
        ObjectRef key_b = kv.first;
        // A key that is a variable (or a Relay Var, a graph node) bound above is looked up as its partner.
        auto it = lhs2rhs_.find(kv.first.get());
        if (it != lhs2rhs_.end()) key_b = runtime::GetRef<ObjectRef>(it->second);
        auto git = graph_lhs2rhs_.find(kv.first.get());
        if (git != graph_lhs2rhs_.end()) key_b = runtime::GetRef<ObjectRef>(git->second);
        const ObjectRef* vb = map_b->Find(key_b);
        path_.push_back("[" + KeyName(kv.first) + "]");
        bool ok = vb != nullptr ? Equal(kv.second, *vb, is_def) : Fail(a, b, "key missing on the right");
        path_.pop_back();
        if (!ok) return false;
      }
      return true;
    }
    if (const auto* pa = a.as<PointerTypeNode>()) {
      // An empty storage scope means "global" (as in TVM), so T.handle("float32")
      // equals the pointer of a buffer declared without a scope.
      const auto* pb = static_cast<const PointerTypeNode*>(b.get());
      if (NormalScope(pa->storage_scope) != NormalScope(pb->storage_scope)) return Fail(a, b, "storage scopes differ");
      path_.push_back(".element_type");
      bool ok = Equal(pa->element_type, pb->element_type, is_def);
      path_.pop_back();
      return ok;
    }
    if (a->IsInstance<runtime::NDArray::Container>()) {
      return a.same_as(b) || NDArrayEqual(Downcast<NDArray>(a), Downcast<NDArray>(b)) || Fail(a, b, "array contents differ");
    }
    switch (detail::KindOf(a.get())) {
      case StructuralKind::kUniqueInstance:
        return a.same_as(b) || Fail(a, b);
      case StructuralKind::kFreeVar: {
        auto it = lhs2rhs_.find(a.get());
        auto back = rhs2lhs_.find(b.get());
        if (it != lhs2rhs_.end() && it->second == b.get()) return true;
        if (it != lhs2rhs_.end() || back != rhs2lhs_.end()) {
          // One side binds a variable again where the other binds a new one
          // (a pass that copies a loop keeps its loop variable; text read back
          // makes a fresh one): from this definition on, the two pair up.
          bool rebind = direct_def_ && (it == lhs2rhs_.end() || back == rhs2lhs_.end());
          if (!rebind) return Fail(a, b, "variables bound differently");
          if (!FieldsEqual(a, b, /*skip_names=*/true)) return false;
          if (it != lhs2rhs_.end()) rhs2lhs_.erase(it->second);
          if (back != rhs2lhs_.end()) lhs2rhs_.erase(back->second);
          lhs2rhs_[a.get()] = b.get();
          rhs2lhs_[b.get()] = a.get();
          renamed_ = true;
          return true;
        }
        if (!a.same_as(b) && !is_def && !map_free_vars_) return Fail(a, b, "different free variables");
        // A definition's own fields (a Relay parameter's type with a symbolic dimension or an
        // incomplete type) define what they hold too, as in TVM.
        if (!FieldsEqual(a, b, /*skip_names=*/true, /*in_def=*/is_def)) return false;
        lhs2rhs_[a.get()] = b.get();
        rhs2lhs_[b.get()] = a.get();
        if (!a.same_as(b)) renamed_ = true;
        return true;
      }
      case StructuralKind::kTreeNode:
      case StructuralKind::kGraphNode:
        if (ReflectionVTable::Global()->Find(a->type_index()) == nullptr) return a.same_as(b) || Fail(a, b);
        // Inside a definition (a buffer's shape, say) every variable is defined there.
        return FieldsEqual(a, b, /*skip_names=*/false, is_def);
    }
    return false;
  }

  /*!
   * \brief Modules are equal when their attributes are and functions of the same
   *  names are. The GlobalVars of the two modules are paired by name, as the
   *  definitions they are, so calls between functions compare correctly.
   */
  bool ModuleEqual(const ObjectRef& a, const ObjectRef& b, const IRModuleNode* ma, const IRModuleNode* mb) {
    path_.push_back(".attrs");
    bool ok = Equal(ma->attrs, mb->attrs, false);
    path_.pop_back();
    if (!ok) return false;
    // Type definitions: their GlobalTypeVars pair up by name (as definitions), before any use.
    if (ma->type_definitions.size() != mb->type_definitions.size()) {
      return Fail(a, b, "numbers of type definitions differ");
    }
    Array<GlobalTypeVar> tvars = ma->GetGlobalTypeVars();
    for (const GlobalTypeVar& tv : tvars) {
      path_.push_back(".type_definitions[\"" + tv->name_hint + "\"]");
      ok = mb->ContainGlobalTypeVar(tv->name_hint)
               ? Equal(tv, mb->GetGlobalTypeVar(tv->name_hint), /*is_def=*/true)
               : Fail(a, b, "type definition missing on the right");
      path_.pop_back();
      if (!ok) return false;
    }
    for (const GlobalTypeVar& tv : tvars) {
      path_.push_back(".type_definitions[\"" + tv->name_hint + "\"]");
      ok = Equal(ma->LookupTypeDef(tv), mb->LookupTypeDef(mb->GetGlobalTypeVar(tv->name_hint)), false);
      path_.pop_back();
      if (!ok) return false;
    }
    if (ma->functions.size() != mb->functions.size()) return Fail(a, b, "numbers of functions differ");
    Array<GlobalVar> vars = ma->GetGlobalVars();
    for (const GlobalVar& gv : vars) {
      if (!mb->ContainGlobalVar(gv->name_hint)) {
        path_.push_back(".functions[\"" + gv->name_hint + "\"]");
        Fail(a, b, "function missing on the right");
        path_.pop_back();
        return false;
      }
      path_.push_back(".functions[\"" + gv->name_hint + "\"]");
      ok = Equal(gv, mb->GetGlobalVar(gv->name_hint), /*is_def=*/true);
      path_.pop_back();
      if (!ok) return false;
    }
    for (const GlobalVar& gv : vars) {
      path_.push_back(".functions[\"" + gv->name_hint + "\"]");
      ok = Equal(ma->Lookup(gv), mb->Lookup(gv->name_hint), false);
      path_.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  bool FieldsEqual(const ObjectRef& a, const ObjectRef& b, bool skip_names, bool in_def = false) {
    std::vector<FieldValue> fa = FieldCollector::Collect(a.get());
    std::vector<FieldValue> fb = FieldCollector::Collect(b.get());
    ICHECK_EQ(fa.size(), fb.size()) << "objects of one type with different field counts";
    // A function type lists its type parameters after the types that use them:
    // pair the parameters up first (as definitions), then compare the uses.
    std::vector<size_t> order(fa.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (a->IsInstance<TypeNode>()) {
      std::stable_partition(order.begin(), order.end(), [&fa](size_t i) { return fa[i].is_def; });
    }
    for (size_t i : order) {
      const FieldValue& x = fa[i];
      const FieldValue& y = fb[i];
      if (detail::IgnoredField(a.get(), x, skip_names)) continue;
      path_.push_back(std::string(".") + x.key);
      bool ok = true;
      switch (x.kind) {
        case FieldValue::kFloat: ok = x.f == y.f || (x.f != x.f && y.f != y.f); break;
        case FieldValue::kInt:
        case FieldValue::kBool: ok = x.i == y.i; break;
        case FieldValue::kStr: ok = x.s == y.s; break;
        case FieldValue::kHandle: ok = x.p == y.p; break;
        case FieldValue::kDType: ok = x.t == y.t; break;
        case FieldValue::kNDArray:
        case FieldValue::kObject: {
          bool saved = direct_def_;
          direct_def_ = x.is_def;
          ok = Equal(x.ref, y.ref, x.is_def || in_def);
          direct_def_ = saved;
          break;
        }
      }
      if (!ok && diff_.empty()) Fail(a, b, "field differs");
      path_.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  static bool NDArrayEqual(const NDArray& a, const NDArray& b) {
    if (a.Shape() != b.Shape() || a.DataType() != b.DataType()) return false;
    if (a.Device().device_type != kDLCPU || b.Device().device_type != kDLCPU) return false;
    std::string ba(a.NBytes(), '\0'), bb(b.NBytes(), '\0');
    a.CopyToBytes(ba.data(), ba.size());
    b.CopyToBytes(bb.data(), bb.size());
    return ba == bb;
  }

  static std::string NormalScope(const String& scope) { return scope.empty() ? "global" : std::string(scope); }

  static std::string KeyName(const ObjectRef& key) {
    if (const auto* s = key.as<runtime::StringObj>()) return "\"" + s->data + "\"";
    return Truncate(AsRepr(key));
  }

  static std::string Truncate(std::string s) {
    if (s.size() > 160) s = s.substr(0, 157) + "...";
    return s;
  }

  bool Fail(const ObjectRef& a, const ObjectRef& b, const char* why = nullptr) {
    if (diff_.empty()) {
      std::ostringstream os;
      os << "at root";
      for (const auto& p : path_) os << p;
      if (why != nullptr) os << " (" << why << ")";
      os << ":\n  lhs: " << Truncate(a.defined() ? AsRepr(a) : "None")
         << "\n  rhs: " << Truncate(b.defined() ? AsRepr(b) : "None");
      diff_ = os.str();
    }
    return false;
  }

  bool map_free_vars_;
  bool large_stack_;
  int depth_{0};
  /*! \brief Whether some variable has been mapped to a different one. */
  bool renamed_{false};
  /*! \brief Whether the field being compared is itself a definition site (a loop variable, say). */
  bool direct_def_{false};
  std::unordered_map<const Object*, const Object*> lhs2rhs_, rhs2lhs_;
  std::set<std::pair<const Object*, const Object*>> equal_pairs_;
  /*! \brief The one-to-one pairing of graph nodes found equal so far. */
  std::unordered_map<const Object*, const Object*> graph_lhs2rhs_, graph_rhs2lhs_;
  std::vector<std::string> path_;
  std::string diff_;
};

}  // namespace

namespace {
/*! \brief "" when equal, else the first difference; deep IR is compared on a large stack. */
std::string Compare(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars) {
  auto run = [&](bool large_stack) {
    SEqualImpl impl(map_free_vars, large_stack);
    if (impl.Equal(lhs, rhs, false)) return std::string();
    std::string diff = impl.diff();
    return diff.empty() ? std::string("(differs)") : diff;
  };
  try {
    return run(false);
  } catch (const support::TooDeep&) {
  }
  std::string result;
  support::RunOnLargeStack([&]() { result = run(true); });
  return result;
}
}  // namespace

bool StructuralEqual::operator()(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars) const {
  return Compare(lhs, rhs, map_free_vars).empty();
}

std::string StructuralDiff(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars) {
  return Compare(lhs, rhs, map_free_vars);
}

void AssertStructuralEqual(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars) {
  std::string diff = StructuralDiff(lhs, rhs, map_free_vars);
  TVM_CHECK(diff.empty(), "ValueError") << "structural equality check failed " << diff;
}

TVM_REGISTER_GLOBAL("node.StructuralEqual")
    .set_body_typed([](ObjectRef lhs, ObjectRef rhs, bool assert_mode, bool map_free_vars) {
      if (assert_mode) {
        AssertStructuralEqual(lhs, rhs, map_free_vars);
        return true;
      }
      return StructuralEqual()(lhs, rhs, map_free_vars);
    });

TVM_REGISTER_GLOBAL("node.StructuralDiff").set_body_typed([](ObjectRef lhs, ObjectRef rhs, bool map_free_vars) {
  return StructuralDiff(lhs, rhs, map_free_vars);
});

}  // namespace tvm
