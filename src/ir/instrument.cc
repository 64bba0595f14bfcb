/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Pass instruments, and the built-in pass timer.
#include <tvm/ir/instrument.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/registry.h>

#include <chrono>
#include <iomanip>
#include <sstream>
#include <vector>

namespace tvm {
namespace instrument {

PassInstrument::PassInstrument(String name, PackedFunc enter_pass_ctx, PackedFunc exit_pass_ctx,
                               PackedFunc should_run, PackedFunc run_before_pass, PackedFunc run_after_pass) {
  auto n = make_object<PassInstrumentNode>();
  n->name = std::move(name);
  n->enter_pass_ctx_callback = std::move(enter_pass_ctx);
  n->exit_pass_ctx_callback = std::move(exit_pass_ctx);
  n->should_run_callback = std::move(should_run);
  n->run_before_pass_callback = std::move(run_before_pass);
  n->run_after_pass_callback = std::move(run_after_pass);
  data_ = std::move(n);
}

void PassInstrumentNode::EnterPassContext() const {
  if (enter_pass_ctx_callback.defined()) enter_pass_ctx_callback();
}
void PassInstrumentNode::ExitPassContext() const {
  if (exit_pass_ctx_callback.defined()) exit_pass_ctx_callback();
}
bool PassInstrumentNode::ShouldRun(const IRModule& mod, const transform::PassInfo& info) const {
  if (!should_run_callback.defined()) return true;
  return should_run_callback(mod, info).operator bool();
}
void PassInstrumentNode::RunBeforePass(const IRModule& mod, const transform::PassInfo& info) const {
  if (run_before_pass_callback.defined()) run_before_pass_callback(mod, info);
}
void PassInstrumentNode::RunAfterPass(const IRModule& mod, const transform::PassInfo& info) const {
  if (run_after_pass_callback.defined()) run_after_pass_callback(mod, info);
}

TVM_REGISTER_NODE_TYPE(PassInstrumentNode);

TVM_REGISTER_GLOBAL("instrument.PassInstrument")
    .set_body_typed([](String name, PackedFunc enter, PackedFunc exit, PackedFunc should_run, PackedFunc before,
                       PackedFunc after) { return PassInstrument(name, enter, exit, should_run, before, after); });

// ---------------------------------------------------------------------------
// Pass timing: a tree of (pass, duration) per thread, nested as passes nest.

namespace {

using Clock = std::chrono::steady_clock;

struct PassProfile {
  std::string name;
  Clock::time_point start;
  Clock::duration duration{};
  std::vector<PassProfile> children;
};

struct TimingState {
  PassProfile root{"root"};
  std::vector<PassProfile*> stack{&root};
};

TimingState* Timing() {
  thread_local TimingState state;
  return &state;
}

void Render(const PassProfile& p, int depth, double parent_us, std::ostringstream& os) {
  for (const PassProfile& c : p.children) {
    double us = std::chrono::duration<double, std::micro>(c.duration).count();
    double own = us;
    for (const PassProfile& g : c.children) own -= std::chrono::duration<double, std::micro>(g.duration).count();
    os << std::string(depth * 2, ' ') << c.name << ": " << std::fixed << std::setprecision(0) << us << "us [" << own
       << "us] (" << std::setprecision(2) << (parent_us > 0 ? 100.0 * us / parent_us : 100.0) << "%; "
       << (us > 0 ? 100.0 * own / us : 100.0) << "%)\n";
    Render(c, depth + 1, us, os);
  }
}

}  // namespace

TVM_REGISTER_GLOBAL("instrument.MakePassTimingInstrument").set_body_typed([]() {
  PackedFunc enter([](runtime::TVMArgs, runtime::TVMRetValue*) {
    // Reset in place: the stack points into this thread's own root.
    TimingState* t = Timing();
    t->root = PassProfile{"root"};
    t->stack.assign(1, &t->root);
  });
  PackedFunc before([](runtime::TVMArgs args, runtime::TVMRetValue*) {
    transform::PassInfo info = args[1];
    TimingState* t = Timing();
    t->stack.back()->children.push_back(PassProfile{info->name, Clock::now()});
    t->stack.push_back(&t->stack.back()->children.back());
  });
  PackedFunc after([](runtime::TVMArgs args, runtime::TVMRetValue*) {
    TimingState* t = Timing();
    if (t->stack.size() <= 1) return;
    PassProfile* p = t->stack.back();
    p->duration = Clock::now() - p->start;
    t->stack.pop_back();
  });
  return PassInstrument("PassTimingInstrument", enter, PackedFunc(), PackedFunc(), before, after);
});

TVM_REGISTER_GLOBAL("instrument.RenderTimePassProfiles").set_body_typed([]() {
  std::ostringstream os;
  double total = 0;
  for (const PassProfile& c : Timing()->root.children) {
    total += std::chrono::duration<double, std::micro>(c.duration).count();
  }
  Render(Timing()->root, 0, total, os);
  return os.str();
});

}  // namespace instrument
}  // namespace tvm
