/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Targets: the kinds we generate code for, parsing of target strings, and
// the `with target:` scope.
#include <tvm/ir/expr.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target.h>

#include <algorithm>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace tvm {
namespace {

struct KindRegistry {
  std::mutex mutex;
  std::vector<TargetKind> kinds;
  static KindRegistry* Global() {
    static KindRegistry* inst = new KindRegistry();
    return inst;
  }
};

constexpr const char* kStr = "runtime.String";
constexpr const char* kInt = "IntImm";
constexpr const char* kBool = "Bool";
constexpr const char* kArray = "Array";

Map<String, String> CommonAttrs() {
  return {{"keys", kArray}, {"device", kStr}, {"model", kStr}, {"libs", kArray}, {"tag", kStr},
          {"mcpu", kStr}, {"mattr", kArray}, {"host", kStr}, {"from_device", kInt}};
}

Map<String, String> Merge(Map<String, String> a, const Map<String, String>& b) {
  for (const auto& kv : b) a.Set(kv.first, kv.second);
  return a;
}

// Register the built-in kinds at load time.
[[maybe_unused]] const int kBuiltinKinds = [] {
  TargetKind::Register("llvm", kDLCPU, {"cpu"},
                       Merge(CommonAttrs(), {{"mtriple", kStr},
                                             {"mabi", kStr},
                                             {"mfloat-abi", kStr},
                                             {"num-cores", kInt},
                                             {"opt-level", kInt},
                                             {"fast-math", kBool},
                                             {"fast-math-nnan", kBool},
                                             {"fast-math-ninf", kBool},
                                             {"fast-math-nsz", kBool},
                                             {"fast-math-arcp", kBool},
                                             {"fast-math-contract", kBool},
                                             {"fast-math-reassoc", kBool},
                                             {"link-params", kBool},
                                             {"system-lib", kBool},
                                             {"runtime", kStr},
                                             {"jit", kStr},
                                             {"cl-opt", kArray}}),
                       {});
  TargetKind::Register("c", kDLCPU, {"cpu"},
                       Merge(CommonAttrs(), {{"mtriple", kStr}, {"system-lib", kBool}, {"runtime", kStr}}), {});
  Map<String, ObjectRef> cuda_defaults{{"max_num_threads", Integer(1024)}, {"thread_warp_size", Integer(32)}};
  TargetKind::Register("cuda", kDLCUDA, {"cuda", "gpu"},
                       Merge(CommonAttrs(), {{"arch", kStr},
                                             {"max_num_threads", kInt},
                                             {"thread_warp_size", kInt},
                                             {"max_shared_memory_per_block", kInt},
                                             {"max_threads_per_block", kInt},
                                             {"registers_per_block", kInt}}),
                       cuda_defaults);
  TargetKind::Register("nvptx", kDLCUDA, {"cuda", "gpu"},
                       Merge(CommonAttrs(), {{"mtriple", kStr}, {"max_num_threads", kInt}, {"thread_warp_size", kInt}}),
                       cuda_defaults);
  TargetKind::Register("ext_dev", kDLExtDev, {"ext_dev"}, CommonAttrs(), {});
  TargetKind::Register("hybrid", kDLCPU, {"cpu"}, CommonAttrs(), {});
  return 0;
}();

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

ObjectRef ParseValue(const std::string& kind, const std::string& key, const std::string& type,
                     const std::string& value) {
  if (type == kStr) return String(value);
  if (type == kArray) {
    Array<String> items;
    for (const std::string& s : SplitList(value)) items.push_back(s);
    return items;
  }
  if (type == kBool) {
    if (value == "1" || value == "true" || value == "True") return Bool(true);
    if (value == "0" || value == "false" || value == "False") return Bool(false);
    throw runtime::Error("ValueError", "target '" + kind + "': -" + key + " expects a bool, got '" + value + "'");
  }
  char* end = nullptr;
  long long v = std::strtoll(value.c_str(), &end, 10);
  TVM_CHECK(!value.empty() && *end == '\0', "ValueError")
      << "target '" << kind << "': -" << key << " expects an integer, got '" << value << "'";
  return Integer(static_cast<int>(v));
}

std::string ValueToString(const ObjectRef& v) {
  if (const auto* s = v.as<runtime::StringObj>()) return s->data;
  if (const auto* i = v.as<IntImmNode>()) return std::to_string(i->value);
  if (const auto* arr = v.as<runtime::ArrayNode>()) {
    std::string out;
    for (size_t k = 0; k < arr->size(); ++k) {
      if (k) out += ",";
      out += ValueToString(arr->data[k]);
    }
    return out;
  }
  return "";
}

/*! \brief Fill in what "-mcpu=native" means on this machine (through the LLVM code generator). */
void ResolveNativeCPU(TargetNode* n) {
  auto mcpu = n->attrs.Get("mcpu");
  if (!mcpu.has_value() || Downcast<String>(*mcpu) != "native") return;
  const runtime::PackedFunc* cpu = runtime::Registry::Get("target.llvm_get_system_cpu");
  const runtime::PackedFunc* features = runtime::Registry::Get("target.llvm_get_system_features");
  TVM_CHECK(cpu != nullptr && features != nullptr, "ValueError")
      << "-mcpu=native needs the LLVM code generator (build with USE_LLVM=ON)";
  n->attrs.Set("mcpu", String((*cpu)().operator std::string()));
  Array<String> mattr;
  if (auto user = n->attrs.Get("mattr")) mattr = Downcast<Array<String>>(*user);
  for (const String& f : (*features)().AsType<Array<String>>()) {
    if (!f.empty() && f.at(0) == '+') mattr.push_back(f);
  }
  n->attrs.Set("mattr", mattr);
}

}  // namespace

TargetKind TargetKind::Register(const std::string& name, int device_type, Array<String> default_keys,
                                Map<String, String> attr_types, Map<String, ObjectRef> attr_defaults) {
  KindRegistry* r = KindRegistry::Global();
  std::lock_guard<std::mutex> lock(r->mutex);
  for (const TargetKind& k : r->kinds) {
    if (k->name == name) {
      auto* node = const_cast<TargetKindNode*>(k.operator->());
      for (const auto& kv : attr_types) node->attr_types.Set(kv.first, kv.second);
      for (const auto& kv : attr_defaults) node->attr_defaults.Set(kv.first, kv.second);
      return k;
    }
  }
  auto n = make_object<TargetKindNode>();
  n->name = name;
  n->default_device_type = device_type;
  n->default_keys = std::move(default_keys);
  n->attr_types = std::move(attr_types);
  n->attr_defaults = std::move(attr_defaults);
  TargetKind kind(ObjectPtr<Object>(std::move(n)));
  r->kinds.push_back(kind);
  return kind;
}

TargetKind TargetKind::Get(const std::string& name) {
  KindRegistry* r = KindRegistry::Global();
  std::lock_guard<std::mutex> lock(r->mutex);
  for (const TargetKind& k : r->kinds) {
    if (k->name == name) return k;
  }
  std::string known;
  for (const TargetKind& k : r->kinds) known += (known.empty() ? "" : ", ") + k->name.str();
  throw runtime::Error("ValueError", "unknown target kind '" + name + "' (known: " + known + ")");
}

std::vector<std::string> TargetKind::ListNames() {
  KindRegistry* r = KindRegistry::Global();
  std::lock_guard<std::mutex> lock(r->mutex);
  std::vector<std::string> names;
  for (const TargetKind& k : r->kinds) names.push_back(k->name);
  return names;
}

Target::Target(const std::string& target) {
  std::stringstream ss(target);
  std::vector<std::string> tokens;
  std::string tok;
  while (ss >> tok) tokens.push_back(tok);
  TVM_CHECK(!tokens.empty(), "ValueError") << "empty target string";
  auto n = make_object<TargetNode>();
  n->kind = TargetKind::Get(tokens[0]);
  const TargetKindNode* kind = n->kind.operator->();
  std::string kind_name = kind->name;
  Array<String> user_keys;
  for (size_t i = 1; i < tokens.size(); ++i) {
    std::string t = tokens[i];
    TVM_CHECK(t.size() > 1 && t[0] == '-', "ValueError")
        << "target '" << target << "': expected an option like -key=value, got '" << t << "'";
    size_t start = t[1] == '-' ? 2 : 1;
    size_t eq = t.find('=');
    std::string key = t.substr(start, eq == std::string::npos ? std::string::npos : eq - start);
    std::string value;
    if (eq != std::string::npos) {
      value = t.substr(eq + 1);
    } else {
      value = "true";
    }
    auto type = kind->attr_types.Get(key);
    if (!type.has_value()) {
      std::vector<std::string> known;
      for (const auto& kv : kind->attr_types) known.push_back(kv.first);
      std::sort(known.begin(), known.end());
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw runtime::Error("ValueError", "target '" + kind_name + "' has no option '-" + key + "' (known: " + list + ")");
    }
    if (eq == std::string::npos && *type != kBool) {
      TVM_CHECK(i + 1 < tokens.size(), "ValueError") << "target '" << target << "': -" << key << " needs a value";
      value = tokens[++i];
    }
    ObjectRef parsed = ParseValue(kind_name, key, *type, value);
    if (key == "keys") {
      user_keys = Downcast<Array<String>>(parsed);
      continue;
    }
    if (key == "tag") {
      n->tag = Downcast<String>(parsed);
      continue;
    }
    n->attrs.Set(key, parsed);
  }
  for (const auto& kv : kind->attr_defaults) {
    if (!n->attrs.count(kv.first)) n->attrs.Set(kv.first, kv.second);
  }
  // Keys: the user's, then the device's, then the kind's defaults (no duplicates).
  Array<String> keys;
  auto add_key = [&keys](const String& k) {
    for (const String& x : keys) {
      if (x == k) return;
    }
    keys.push_back(k);
  };
  for (const String& k : user_keys) add_key(k);
  if (auto device = n->attrs.Get("device")) add_key(Downcast<String>(*device));
  for (const String& k : kind->default_keys) add_key(k);
  n->keys = keys;
  ResolveNativeCPU(n.get());
  data_ = std::move(n);
}

Target::Target(Target target, Target host) {
  auto n = make_object<TargetNode>(*target.operator->());
  n->host = std::move(host);
  data_ = std::move(n);
}

std::string TargetNode::str() const {
  std::ostringstream os;
  os << kind->name;
  if (!keys.empty()) {
    os << " -keys=";
    for (size_t i = 0; i < keys.size(); ++i) os << (i ? "," : "") << keys[i];
  }
  std::vector<std::string> names;
  for (const auto& kv : attrs) names.push_back(kv.first);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    ObjectRef v = attrs.at(name);
    auto def = kind->attr_defaults.Get(name);
    if (def.has_value() && ValueToString(*def) == ValueToString(v)) continue;
    std::string text = ValueToString(v);
    if (text.empty()) continue;
    os << " -" << name << "=" << text;
  }
  return os.str();
}

Array<String> TargetNode::GetFeatures() const {
  auto v = GetAttr<Array<String>>("mattr");
  return v.has_value() ? *v : Array<String>();
}

bool TargetNode::HasKey(const std::string& key) const {
  for (const String& k : keys) {
    if (k == key) return true;
  }
  return false;
}

namespace {
std::vector<Target>& TargetStack() {
  thread_local std::vector<Target> stack;
  return stack;
}
}  // namespace

Target Target::Current(bool allow_not_defined) {
  auto& stack = TargetStack();
  if (!stack.empty()) return stack.back();
  TVM_CHECK(allow_not_defined, "ValueError") << "no target is in scope (use `with tvm.target.Target(...)`)";
  return Target();
}

void Target::EnterWithScope() { TargetStack().push_back(*this); }

void Target::ExitWithScope() {
  auto& stack = TargetStack();
  TVM_CHECK(!stack.empty() && stack.back().same_as(*this), "InternalError") << "target scopes exited out of order";
  stack.pop_back();
}

Target Target::GetHost() const {
  if (const auto* h = (*this)->host.as<TargetNode>()) return GetRef<Target>(h);
  if ((*this)->kind->default_device_type == kDLCPU) return *this;
  return Target("llvm");
}

TVM_REGISTER_NODE_TYPE(TargetKindNode);
TVM_REGISTER_NODE_TYPE(TargetNode);

TVM_REGISTER_GLOBAL("target.Target").set_body_typed([](std::string text, std::optional<Target> host) {
  Target t(text);
  if (host.has_value() && host->defined()) t = Target(t, *host);
  return t;
});
TVM_REGISTER_GLOBAL("target.WithHost").set_body_typed([](Target t, Target host) { return Target(t, host); });
TVM_REGISTER_GLOBAL("target.TargetStr").set_body_typed([](Target t) { return t->str(); });
TVM_REGISTER_GLOBAL("target.TargetEnterScope").set_body_typed([](Target t) { t.EnterWithScope(); });
TVM_REGISTER_GLOBAL("target.TargetExitScope").set_body_typed([](Target t) { t.ExitWithScope(); });
TVM_REGISTER_GLOBAL("target.TargetCurrent").set_body_typed([](bool allow_not_defined) {
  return Target::Current(allow_not_defined);
});
TVM_REGISTER_GLOBAL("target.TargetGetHost").set_body_typed([](Target t) { return t.GetHost(); });
TVM_REGISTER_GLOBAL("target.ListTargetKinds").set_body_typed([]() {
  Array<String> names;
  for (const auto& n : TargetKind::ListNames()) names.push_back(n);
  return names;
});
TVM_REGISTER_GLOBAL("target.TargetKindGetAttrTypes").set_body_typed([](std::string name) {
  return TargetKind::Get(name)->attr_types;
});

[[maybe_unused]] static const int kTargetPrinter = ReprPrinter::Register<TargetNode>(
    [](const ObjectRef& node, ReprPrinter* p) { p->stream << static_cast<const TargetNode*>(node.get())->str(); });
[[maybe_unused]] static const int kTargetKindPrinter = ReprPrinter::Register<TargetKindNode>(
    [](const ObjectRef& node, ReprPrinter* p) { p->stream << static_cast<const TargetKindNode*>(node.get())->name; });

}  // namespace tvm
