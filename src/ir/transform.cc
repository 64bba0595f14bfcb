/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Pass infrastructure: PassContext scoping, enable rules, instruments,
// module passes and Sequential.
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/registry.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace transform {

using runtime::TVMArgs;
using runtime::TVMRetValue;

namespace {

struct PassContextThreadLocal {
  PassContext default_context = PassContext::Create();
  std::vector<PassContext> stack;
};

PassContextThreadLocal* ThreadLocalContexts() {
  thread_local PassContextThreadLocal state;
  return &state;
}

struct ConfigRegistry {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> options;  // key, value type key
  static ConfigRegistry* Global() {
    static ConfigRegistry* inst = new ConfigRegistry();
    return inst;
  }
};

bool Contains(const Array<String>& names, const String& name) {
  for (const String& n : names) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

PassContext PassContext::Create() { return PassContext(make_object<PassContextNode>()); }

PassContext PassContext::Current() {
  PassContextThreadLocal* s = ThreadLocalContexts();
  return s->stack.empty() ? s->default_context : s->stack.back();
}

void PassContext::RegisterConfigOption(const std::string& key, const std::string& value_type_key) {
  ConfigRegistry* r = ConfigRegistry::Global();
  std::lock_guard<std::mutex> lock(r->mutex);
  for (auto& kv : r->options) {
    if (kv.first == key) {
      kv.second = value_type_key;
      return;
    }
  }
  r->options.emplace_back(key, value_type_key);
}

Map<String, String> PassContext::ListConfigs() {
  ConfigRegistry* r = ConfigRegistry::Global();
  std::lock_guard<std::mutex> lock(r->mutex);
  Map<String, String> out;
  for (const auto& kv : r->options) out.Set(kv.first, kv.second);
  return out;
}

void PassContext::ValidateConfig() const {
  Map<String, String> known = ListConfigs();
  for (const auto& kv : (*this)->config) {
    auto type_key = known.Get(kv.first);
    if (!type_key.has_value()) {
      std::ostringstream os;
      os << "invalid PassContext config option '" << kv.first << "'; known options are:";
      for (const auto& opt : known) os << " " << opt.first;
      throw runtime::Error("AttributeError", os.str());
    }
    const ObjectRef& value = kv.second;
    uint32_t want = Object::TypeKey2Index(type_key->str());
    TVM_CHECK(value.defined() && (value->type_index() == want || Object::TypeIsSubclass(value->type_index(), want)),
              "TypeError")
        << "PassContext config option '" << kv.first << "' expects a " << *type_key << " but got "
        << (value.defined() ? value->GetTypeKey() : "None");
  }
}

void PassContext::EnterWithScope() {
  ValidateConfig();
  for (const auto& inst : (*this)->instruments) inst->EnterPassContext();
  ThreadLocalContexts()->stack.push_back(*this);
}

void PassContext::ExitWithScope() {
  PassContextThreadLocal* s = ThreadLocalContexts();
  TVM_CHECK(!s->stack.empty() && s->stack.back().same_as(*this), "InternalError")
      << "PassContext scopes exited out of order";
  s->stack.pop_back();
  for (const auto& inst : (*this)->instruments) inst->ExitPassContext();
}

bool PassContext::PassEnabled(const PassInfo& info) const {
  if (Contains((*this)->disabled_pass, info->name)) return false;
  if (Contains((*this)->required_pass, info->name)) return true;
  return (*this)->opt_level >= info->opt_level;
}

bool PassContext::InstrumentBeforePass(const IRModule& mod, const PassInfo& info) const {
  for (const auto& inst : (*this)->instruments) {
    if (!inst->ShouldRun(mod, info)) return false;
  }
  for (const auto& inst : (*this)->instruments) inst->RunBeforePass(mod, info);
  return true;
}

void PassContext::InstrumentAfterPass(const IRModule& mod, const PassInfo& info) const {
  for (const auto& inst : (*this)->instruments) inst->RunAfterPass(mod, info);
}

PassInfo::PassInfo(int opt_level, String name, Array<String> required, bool traceable) {
  auto n = make_object<PassInfoNode>();
  n->opt_level = opt_level;
  n->name = std::move(name);
  n->required = std::move(required);
  n->traceable = traceable;
  data_ = std::move(n);
}

namespace {
/*! \brief TVM_PRINT_AFTER=all or a comma-separated list of pass names. */
bool PrintAfter(const std::string& pass_name) {
  static const std::string spec = [] {
    const char* v = std::getenv("TVM_PRINT_AFTER");
    return std::string(v != nullptr ? v : "");
  }();
  if (spec.empty()) return false;
  if (spec == "all") return true;
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == pass_name) return true;
  }
  return false;
}
}  // namespace

IRModule Pass::operator()(IRModule mod) const { return (*this)(std::move(mod), PassContext::Current()); }

IRModule Pass::operator()(IRModule mod, const PassContext& ctx) const {
  TVM_CHECK(defined(), "ValueError") << "calling a null Pass";
  PassInfo info = (*this)->Info();
  if (!ctx.InstrumentBeforePass(mod, info)) return mod;
  IRModule out = (*this)->Run(std::move(mod), ctx);
  TVM_CHECK(out.defined(), "ValueError") << "pass '" << info->name << "' returned None instead of an IRModule";
  ctx.InstrumentAfterPass(out, info);
  if (PrintAfter(info->name)) {
    std::cerr << "# IR after " << info->name << "\n" << AsRepr(out) << "\n";
  }
  return out;
}

IRModule ModulePassNode::Run(IRModule mod, const PassContext& ctx) const {
  return pass_func(std::move(mod), ctx);
}

Pass GetPass(const std::string& name) {
  const runtime::PackedFunc* f = runtime::Registry::Get("transform." + name);
  if (f == nullptr) f = runtime::Registry::Get("relay._transform." + name);  // Relay's passes, as TVM finds them
  if (f == nullptr) f = runtime::Registry::Get(name);
  TVM_CHECK(f != nullptr, "ValueError") << "cannot find a pass named '" << name << "'";
  return (*f)().AsType<Pass>();
}

IRModule SequentialNode::Run(IRModule mod, const PassContext& ctx) const {
  for (const Pass& pass : passes) {
    TVM_CHECK(pass.defined(), "ValueError") << "Sequential '" << pass_info->name << "' holds a null pass";
    PassInfo info = pass->Info();
    if (!ctx.PassEnabled(info)) continue;
    for (const String& required : info->required) {
      mod = GetPass(required)(std::move(mod), ctx);
    }
    mod = pass(std::move(mod), ctx);
  }
  return mod;
}

Pass CreateModulePass(TypedPackedFunc<IRModule(IRModule, PassContext)> pass_func, int opt_level, String name,
                      Array<String> required, bool traceable) {
  auto n = make_object<ModulePassNode>();
  n->pass_info = PassInfo(opt_level, std::move(name), std::move(required), traceable);
  n->pass_func = std::move(pass_func);
  return Pass(ObjectPtr<Object>(std::move(n)));
}

Pass Sequential(Array<Pass> passes, int opt_level, String name, Array<String> required) {
  auto n = make_object<SequentialNode>();
  n->pass_info = PassInfo(opt_level, std::move(name), std::move(required));
  n->passes = std::move(passes);
  return Pass(ObjectPtr<Object>(std::move(n)));
}

Pass PrintIR(String header) {
  return CreateModulePass(
      [header](IRModule mod, PassContext ctx) {
        std::cout << "PrintIR(" << header << "):\n" << AsRepr(mod) << std::endl;
        return mod;
      },
      0, "PrintIR", {});
}

TVM_REGISTER_NODE_TYPE(PassContextNode);
TVM_REGISTER_NODE_TYPE(PassInfoNode);
TVM_REGISTER_NODE_TYPE(ModulePassNode);
TVM_REGISTER_NODE_TYPE(SequentialNode);

TVM_REGISTER_GLOBAL("transform.PassContext")
    .set_body_typed([](int opt_level, Array<String> required, Array<String> disabled,
                       Array<instrument::PassInstrument> instruments, Map<String, ObjectRef> config) {
      PassContext ctx = PassContext::Create();
      ctx->opt_level = opt_level;
      ctx->required_pass = required;
      ctx->disabled_pass = disabled;
      ctx->instruments = instruments;
      ctx->config = config;
      ctx.ValidateConfig();
      return ctx;
    });
TVM_REGISTER_GLOBAL("transform.GetCurrentPassContext").set_body_typed([]() { return PassContext::Current(); });
TVM_REGISTER_GLOBAL("transform.EnterPassContext").set_body_typed([](PassContext ctx) { ctx.EnterWithScope(); });
TVM_REGISTER_GLOBAL("transform.ExitPassContext").set_body_typed([](PassContext ctx) { ctx.ExitWithScope(); });
TVM_REGISTER_GLOBAL("transform.OverrideInstruments")
    .set_body_typed([](PassContext ctx, Array<instrument::PassInstrument> instruments) {
      for (const auto& inst : ctx->instruments) inst->ExitPassContext();
      ctx->instruments = instruments;
      for (const auto& inst : ctx->instruments) inst->EnterPassContext();
    });
TVM_REGISTER_GLOBAL("transform.ListConfigs").set_body_typed([]() { return PassContext::ListConfigs(); });
TVM_REGISTER_GLOBAL("transform.RegisterConfigOption").set_body_typed([](std::string key, std::string type_key) {
  PassContext::RegisterConfigOption(key, type_key);
});
TVM_REGISTER_GLOBAL("transform.PassInfo")
    .set_body_typed([](int opt_level, String name, Array<String> required, bool traceable) {
      return PassInfo(opt_level, name, required, traceable);
    });
TVM_REGISTER_GLOBAL("transform.Info").set_body_typed([](Pass pass) { return pass->Info(); });
TVM_REGISTER_GLOBAL("transform.RunPass").set_body_typed([](Pass pass, IRModule mod) { return pass(mod); });
TVM_REGISTER_GLOBAL("transform.MakeModulePass")
    .set_body_typed([](runtime::PackedFunc pass_func, PassInfo info) {
      auto n = make_object<ModulePassNode>();
      n->pass_info = info;
      n->pass_func = TypedPackedFunc<IRModule(IRModule, PassContext)>(pass_func);
      return Pass(ObjectPtr<Object>(std::move(n)));
    });
TVM_REGISTER_GLOBAL("transform.Sequential").set_body_typed([](Array<Pass> passes, PassInfo info) {
  auto n = make_object<SequentialNode>();
  n->pass_info = info;
  n->passes = passes;
  return Pass(ObjectPtr<Object>(std::move(n)));
});
TVM_REGISTER_GLOBAL("transform.PrintIR").set_body_typed([](String header) { return PrintIR(header); });

}  // namespace transform
}  // namespace tvm
