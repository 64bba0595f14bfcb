/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Passes and PassContext: module passes, Sequential, opt_level gating,
// required and disabled passes, context nesting, instruments, and config
// options.
#include <gtest/gtest.h>
#include <tvm/ir/instrument.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace tvm;             // NOLINT(*)
using namespace tvm::runtime;    // NOLINT(*)
using namespace tvm::transform;  // NOLINT(*)
using tvm::instrument::PassInstrument;

using Log = std::shared_ptr<std::vector<std::string>>;

/*! \brief A module pass that appends its name to `log` and returns the module. */
Pass Recorder(const std::string& name, int opt_level, Log log, Array<String> required = {}) {
  return CreateModulePass(
      [name, log](IRModule mod, PassContext ctx) {
        log->push_back(name);
        return mod;
      },
      opt_level, name, required);
}

Log NewLog() { return std::make_shared<std::vector<std::string>>(); }

template <typename F>
Error CatchError(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an Error";
  return Error("none", "none");
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

PassContext MakeContext(int opt_level) {
  PassContext ctx = PassContext::Create();
  ctx->opt_level = opt_level;
  return ctx;
}

TEST(Pass, ModulePassRunsAndReportsInfo) {
  Log log = NewLog();
  Pass p = Recorder("RecordA", 1, log);
  EXPECT_EQ(p->Info()->name, "RecordA");
  EXPECT_EQ(p->Info()->opt_level, 1);
  IRModule mod;
  IRModule out = p(mod);
  EXPECT_TRUE(out.same_as(mod));
  EXPECT_EQ(*log, (std::vector<std::string>{"RecordA"}));
}

TEST(Pass, ModulePassReceivesTheContext) {
  PassContext seen;
  Pass p = CreateModulePass(
      [&seen](IRModule mod, PassContext ctx) {
        seen = ctx;
        return mod;
      },
      0, "Capture", {});
  PassContext ctx = MakeContext(3);
  {
    With<PassContext> scope(ctx);
    p(IRModule());
  }
  EXPECT_TRUE(seen.same_as(ctx));
  p(IRModule(), MakeContext(1));
  EXPECT_EQ(seen->opt_level, 1);
}

TEST(Pass, ModulePassCanTransform) {
  Pass add_attr = CreateModulePass(
      [](IRModule mod, PassContext ctx) { return WithAttr(mod, "visited", Integer(1)); }, 0, "AddAttr", {});
  IRModule mod;
  IRModule out = add_attr(mod);
  EXPECT_TRUE(out->attrs.HasNonzeroAttr("visited"));
  EXPECT_FALSE(mod->attrs.HasNonzeroAttr("visited"));
}

TEST(Sequential, RunsPassesInOrder) {
  Log log = NewLog();
  Pass seq = Sequential({Recorder("First", 0, log), Recorder("Second", 0, log), Recorder("Third", 0, log)});
  seq(IRModule());
  EXPECT_EQ(*log, (std::vector<std::string>{"First", "Second", "Third"}));
  EXPECT_EQ(seq->Info()->name, "sequential");
  // Nested sequences run depth first.
  log->clear();
  Pass nested = Sequential({Recorder("A", 0, log), Sequential({Recorder("B1", 0, log), Recorder("B2", 0, log)}, 0, "B"),
                            Recorder("C", 0, log)});
  nested(IRModule());
  EXPECT_EQ(*log, (std::vector<std::string>{"A", "B1", "B2", "C"}));
}

TEST(Sequential, OutputOfOnePassIsInputOfTheNext) {
  auto bump = [](const std::string& name) {
    return CreateModulePass(
        [](IRModule mod, PassContext ctx) {
          int64_t n = mod->attrs.GetAttr<Integer>("count", Integer(0)).value().IntValue();
          return WithAttr(mod, "count", Integer(static_cast<int>(n + 1)));
        },
        0, name, {});
  };
  IRModule out = Sequential({bump("b1"), bump("b2"), bump("b3")})(IRModule());
  EXPECT_EQ(out->attrs.GetAttr<Integer>("count").value().IntValue(), 3);
}

TEST(Sequential, OptLevelGating) {
  Log log = NewLog();
  Pass seq = Sequential({Recorder("O0", 0, log), Recorder("O2", 2, log), Recorder("O3", 3, log)});
  {
    With<PassContext> scope(MakeContext(2));
    seq(IRModule());
  }
  EXPECT_EQ(*log, (std::vector<std::string>{"O0", "O2"}));
  log->clear();
  {
    With<PassContext> scope(MakeContext(3));
    seq(IRModule());
  }
  EXPECT_EQ(*log, (std::vector<std::string>{"O0", "O2", "O3"}));
  log->clear();
  {
    With<PassContext> scope(MakeContext(0));
    seq(IRModule());
  }
  EXPECT_EQ(*log, (std::vector<std::string>{"O0"}));
  // The default context has opt_level 2.
  log->clear();
  EXPECT_EQ(PassContext::Current()->opt_level, 2);
  seq(IRModule());
  EXPECT_EQ(*log, (std::vector<std::string>{"O0", "O2"}));
}

TEST(Sequential, DisabledAndRequiredPasses) {
  Log log = NewLog();
  Pass seq = Sequential({Recorder("Cheap", 0, log), Recorder("Fancy", 4, log), Recorder("Risky", 1, log)});
  PassContext ctx = MakeContext(2);
  ctx->required_pass = {"Fancy"};
  ctx->disabled_pass = {"Risky"};
  {
    With<PassContext> scope(ctx);
    seq(IRModule());
  }
  EXPECT_EQ(*log, (std::vector<std::string>{"Cheap", "Fancy"}));
  // Disabling wins over requiring.
  log->clear();
  PassContext both = MakeContext(3);
  both->required_pass = {"Fancy"};
  both->disabled_pass = {"Fancy", "Cheap"};
  {
    With<PassContext> scope(both);
    seq(IRModule());
  }
  EXPECT_EQ(*log, (std::vector<std::string>{"Risky"}));
  EXPECT_FALSE(both.PassEnabled(PassInfo(0, "Cheap", {})));
  EXPECT_TRUE(both.PassEnabled(PassInfo(3, "Other", {})));
  EXPECT_FALSE(both.PassEnabled(PassInfo(4, "Other", {})));
}

TEST(Sequential, RequiredPassesOfAPassRunFirst) {
  Log log = NewLog();
  Registry::Register("transform.TestPrerequisite", true).set_body_typed([log]() {
    return Recorder("TestPrerequisite", 0, log);
  });
  Pass seq = Sequential({Recorder("NeedsPrereq", 0, log, {"TestPrerequisite"})});
  seq(IRModule());
  EXPECT_EQ(*log, (std::vector<std::string>{"TestPrerequisite", "NeedsPrereq"}));
  Registry::Remove("transform.TestPrerequisite");

  Pass broken = Sequential({Recorder("NeedsMissing", 0, log, {"TestNoSuchPass"})});
  Error e = CatchError([&] { broken(IRModule()); });
  EXPECT_TRUE(Contains(e.what(), "TestNoSuchPass")) << e.what();
}

TEST(PassContext, NestingAndCurrent) {
  PassContext outer = MakeContext(1);
  PassContext inner = MakeContext(3);
  PassContext before = PassContext::Current();
  EXPECT_FALSE(before.same_as(outer));
  {
    With<PassContext> a(outer);
    EXPECT_TRUE(PassContext::Current().same_as(outer));
    {
      With<PassContext> b(inner);
      EXPECT_TRUE(PassContext::Current().same_as(inner));
      EXPECT_EQ(PassContext::Current()->opt_level, 3);
    }
    EXPECT_TRUE(PassContext::Current().same_as(outer));
    // The same context may be entered again while active.
    {
      With<PassContext> again(outer);
      EXPECT_TRUE(PassContext::Current().same_as(outer));
    }
    EXPECT_TRUE(PassContext::Current().same_as(outer));
  }
  EXPECT_TRUE(PassContext::Current().same_as(before));
  // Without any scope the default context is stable.
  EXPECT_TRUE(PassContext::Current().same_as(PassContext::Current()));
}

TEST(PassContext, ExitOutOfOrderIsAnError) {
  PassContext a = MakeContext(1), b = MakeContext(2);
  a.EnterWithScope();
  b.EnterWithScope();
  EXPECT_THROW(a.ExitWithScope(), Error);
  b.ExitWithScope();
  a.ExitWithScope();
  EXPECT_FALSE(PassContext::Current().same_as(a));
}

TEST(PassContext, ContextsAreThreadLocal) {
  PassContext mine = MakeContext(3);
  With<PassContext> scope(mine);
  PassContext seen_elsewhere;
  std::thread t([&] { seen_elsewhere = PassContext::Current(); });
  t.join();
  EXPECT_TRUE(seen_elsewhere.defined());
  EXPECT_FALSE(seen_elsewhere.same_as(mine));
}

// ---------------------------------------------------------------------------
// Instruments

struct InstrumentLog {
  std::vector<std::string> events;
  std::vector<std::string> skip;
};

PassInstrument MakeInstrument(const std::string& tag, std::shared_ptr<InstrumentLog> log) {
  PackedFunc enter([tag, log](TVMArgs, TVMRetValue*) { log->events.push_back(tag + ":enter"); });
  PackedFunc exit([tag, log](TVMArgs, TVMRetValue*) { log->events.push_back(tag + ":exit"); });
  PackedFunc should_run([tag, log](TVMArgs args, TVMRetValue* rv) {
    PassInfo info = args[1];
    log->events.push_back(tag + ":should_run:" + info->name);
    bool skip = false;
    for (const auto& s : log->skip) skip = skip || s == info->name;
    *rv = !skip;
  });
  PackedFunc before([tag, log](TVMArgs args, TVMRetValue*) {
    IRModule mod = args[0];
    PassInfo info = args[1];
    EXPECT_TRUE(mod.defined());
    log->events.push_back(tag + ":before:" + info->name);
  });
  PackedFunc after([tag, log](TVMArgs args, TVMRetValue*) {
    IRModule mod = args[0];
    PassInfo info = args[1];
    EXPECT_TRUE(mod.defined());
    log->events.push_back(tag + ":after:" + info->name);
  });
  return PassInstrument(tag, enter, exit, should_run, before, after);
}

TEST(Instrument, EnterAndExitAreCalled) {
  auto log = std::make_shared<InstrumentLog>();
  PassContext ctx = MakeContext(2);
  ctx->instruments = {MakeInstrument("I", log)};
  {
    With<PassContext> scope(ctx);
    EXPECT_EQ(log->events, (std::vector<std::string>{"I:enter"}));
  }
  EXPECT_EQ(log->events, (std::vector<std::string>{"I:enter", "I:exit"}));
}

TEST(Instrument, BeforeAndAfterInOrderWithPassInfo) {
  auto log = std::make_shared<InstrumentLog>();
  Log passes = NewLog();
  PassContext ctx = MakeContext(2);
  ctx->instruments = {MakeInstrument("I", log)};
  Pass seq = Sequential({Recorder("A", 0, passes), Recorder("B", 0, passes)}, 0, "Seq");
  {
    With<PassContext> scope(ctx);
    seq(IRModule());
  }
  EXPECT_EQ(log->events, (std::vector<std::string>{"I:enter", "I:should_run:Seq", "I:before:Seq",
                                                   "I:should_run:A", "I:before:A", "I:after:A",
                                                   "I:should_run:B", "I:before:B", "I:after:B", "I:after:Seq",
                                                   "I:exit"}));
  EXPECT_EQ(*passes, (std::vector<std::string>{"A", "B"}));
}

TEST(Instrument, ShouldRunFalseSkipsPass) {
  auto log = std::make_shared<InstrumentLog>();
  log->skip = {"B"};
  Log passes = NewLog();
  PassContext ctx = MakeContext(2);
  ctx->instruments = {MakeInstrument("I", log)};
  {
    With<PassContext> scope(ctx);
    Sequential({Recorder("A", 0, passes), Recorder("B", 0, passes), Recorder("C", 0, passes)}, 0, "S")(IRModule());
  }
  EXPECT_EQ(*passes, (std::vector<std::string>{"A", "C"}));
  // No before/after for the skipped pass.
  for (const std::string& e : log->events) {
    EXPECT_NE(e, "I:before:B");
    EXPECT_NE(e, "I:after:B");
  }
}

TEST(Instrument, SeveralInstrumentsAllConsulted) {
  auto log1 = std::make_shared<InstrumentLog>();
  auto log2 = std::make_shared<InstrumentLog>();
  log2->skip = {"B"};
  Log passes = NewLog();
  PassContext ctx = MakeContext(2);
  ctx->instruments = {MakeInstrument("one", log1), MakeInstrument("two", log2)};
  {
    With<PassContext> scope(ctx);
    Sequential({Recorder("A", 0, passes), Recorder("B", 0, passes)}, 0, "S")(IRModule());
  }
  EXPECT_EQ(*passes, (std::vector<std::string>{"A"}));
  // Both saw A before and after, in instrument order.
  std::vector<std::string> merged;
  for (const auto& e : log1->events) merged.push_back(e);
  EXPECT_NE(std::find(log1->events.begin(), log1->events.end(), "one:after:A"), log1->events.end());
  EXPECT_NE(std::find(log2->events.begin(), log2->events.end(), "two:after:A"), log2->events.end());
  EXPECT_EQ(std::find(log1->events.begin(), log1->events.end(), "one:before:B"), log1->events.end());
}

TEST(Instrument, InstrumentsWithoutCallbacksAreFine) {
  PassContext ctx = MakeContext(2);
  ctx->instruments = {PassInstrument("Empty", PackedFunc(), PackedFunc(), PackedFunc(), PackedFunc(), PackedFunc())};
  Log passes = NewLog();
  {
    With<PassContext> scope(ctx);
    Recorder("A", 0, passes)(IRModule());
  }
  EXPECT_EQ(*passes, (std::vector<std::string>{"A"}));
}

TEST(Instrument, PassTimingInstrumentRecordsPassNames) {
  PassInstrument timing = GetGlobalFunc("instrument.MakePassTimingInstrument")().AsType<PassInstrument>();
  PassContext ctx = MakeContext(2);
  ctx->instruments = {timing};
  Log passes = NewLog();
  std::string table;
  {
    With<PassContext> scope(ctx);
    Sequential({Recorder("TimedA", 0, passes), Recorder("TimedB", 0, passes)}, 0, "TimedSeq")(IRModule());
    table = GetGlobalFunc("instrument.RenderTimePassProfiles")().operator std::string();
  }
  EXPECT_TRUE(Contains(table, "TimedSeq")) << table;
  EXPECT_TRUE(Contains(table, "TimedA")) << table;
  EXPECT_TRUE(Contains(table, "TimedB")) << table;
  // Nested passes are indented under their sequence.
  EXPECT_TRUE(Contains(table, "\n  TimedA")) << table;
}

// ---------------------------------------------------------------------------
// Config options

TEST(PassConfig, RegisteredOptionIsAccepted) {
  PassContext::RegisterConfigOption("testing.transform.int_option", "IntImm");
  PassContext::RegisterConfigOption("testing.transform.str_option", "runtime.String");
  Map<String, String> known = PassContext::ListConfigs();
  EXPECT_EQ(known.at("testing.transform.int_option"), "IntImm");
  PassContext ctx = MakeContext(2);
  ctx->config.Set("testing.transform.int_option", Integer(4));
  ctx->config.Set("testing.transform.str_option", String("hello"));
  EXPECT_NO_THROW(ctx.ValidateConfig());
  With<PassContext> scope(ctx);
  EXPECT_EQ(PassContext::Current()->GetConfig<Integer>("testing.transform.int_option").value().IntValue(), 4);
  EXPECT_EQ(PassContext::Current()->GetConfig<String>("testing.transform.str_option").value(), "hello");
  EXPECT_EQ(PassContext::Current()->GetConfig<Integer>("testing.transform.unset", Integer(9)).value().IntValue(), 9);
}

TEST(PassConfig, UnknownKeyIsRejectedListingKnownKeys) {
  PassContext::RegisterConfigOption("testing.transform.known_key", "IntImm");
  PassContext ctx = MakeContext(2);
  ctx->config.Set("testing.transform.misspelled_key", Integer(1));
  Error e = CatchError([&] { ctx.ValidateConfig(); });
  EXPECT_EQ(e.kind(), "AttributeError");
  EXPECT_TRUE(Contains(e.what(), "testing.transform.misspelled_key")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "testing.transform.known_key")) << e.what();
  // Entering such a context fails and leaves the current context alone.
  PassContext before = PassContext::Current();
  EXPECT_THROW({ With<PassContext> scope(ctx); }, Error);
  EXPECT_TRUE(PassContext::Current().same_as(before));
}

TEST(PassConfig, WrongValueTypeIsRejected) {
  PassContext::RegisterConfigOption("testing.transform.typed_key", "IntImm");
  PassContext ctx = MakeContext(2);
  ctx->config.Set("testing.transform.typed_key", String("four"));
  Error e = CatchError([&] { ctx.ValidateConfig(); });
  EXPECT_EQ(e.kind(), "TypeError");
  EXPECT_TRUE(Contains(e.what(), "testing.transform.typed_key")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "IntImm")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "runtime.String")) << e.what();
  // A null value is not an IntImm either.
  ctx->config.Set("testing.transform.typed_key", ObjectRef());
  EXPECT_THROW(ctx.ValidateConfig(), Error);
}

TEST(PassConfig, GlobalConstructorValidates) {
  PassContext::RegisterConfigOption("testing.transform.ctor_key", "IntImm");
  PackedFunc make = GetGlobalFunc("transform.PassContext");
  Map<String, ObjectRef> good{{"testing.transform.ctor_key", Integer(1)}};
  PassContext ctx = make(3, Array<String>{}, Array<String>{"X"}, Array<PassInstrument>{}, good).AsType<PassContext>();
  EXPECT_EQ(ctx->opt_level, 3);
  EXPECT_EQ(ctx->disabled_pass.size(), 1u);
  Map<String, ObjectRef> bad{{"testing.transform.nope", Integer(1)}};
  Error e = CatchError([&] { make(3, Array<String>{}, Array<String>{}, Array<PassInstrument>{}, bad); });
  EXPECT_TRUE(Contains(e.what(), "testing.transform.nope")) << e.what();
}

// ---------------------------------------------------------------------------
// Errors

TEST(Pass, ReturningNullModuleThrowsNamingThePass) {
  Pass bad = CreateModulePass([](IRModule mod, PassContext ctx) { return IRModule(ObjectPtr<Object>(nullptr)); },
                              0, "LosesTheModule", {});
  Error e = CatchError([&] { bad(IRModule()); });
  EXPECT_EQ(e.kind(), "ValueError");
  EXPECT_TRUE(Contains(e.what(), "LosesTheModule")) << e.what();
  // Inside a sequence too.
  e = CatchError([&] { Sequential({bad})(IRModule()); });
  EXPECT_TRUE(Contains(e.what(), "LosesTheModule")) << e.what();
}

TEST(Pass, ErrorInsidePassPropagates) {
  Pass boom = CreateModulePass(
      [](IRModule mod, PassContext ctx) -> IRModule { throw Error("TypeError", "pass exploded"); }, 0, "Boom", {});
  Error e = CatchError([&] { Sequential({boom})(IRModule()); });
  EXPECT_EQ(e.kind(), "TypeError");
  EXPECT_TRUE(Contains(e.what(), "pass exploded")) << e.what();
}

TEST(Pass, PrintIRReturnsModuleUnchanged) {
  IRModule mod = WithAttr(IRModule(), "marker", String("visible"));
  testing::internal::CaptureStdout();
  IRModule out = PrintIR("my header")(mod);
  std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_TRUE(out.same_as(mod));
  EXPECT_TRUE(Contains(printed, "my header")) << printed;
  EXPECT_TRUE(Contains(printed, "visible")) << printed;
  EXPECT_EQ(PrintIR()->Info()->name, "PrintIR");
}

}  // namespace
