/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// tvm.lower, read top to bottom.
//
//   te.Schedule ---- normalize -> InferBound -> ScheduleOps -> SchedulePostProcToPrimFunc
//                                                                       |
//   PrimFunc / IRModule ------------------------------------------------+
//                                                                       v
//   ApplyLayoutTransforms -> StorageFlatten -> [InstrumentBoundCheckers] -> Simplify -> LoopPartition -> VectorizeLoop
//   -> InjectVirtualThread -> InjectDoubleBuffer -> StorageRewrite -> UnrollLoop -> Simplify -> RemoveNoOp
//
// Each step is one pass of src/tir/transforms/ (one file each). PassContext
// options switch steps (see tvm/driver/driver_api.h); TVM_PRINT_AFTER=<pass>
// prints the module after a step and TVM_TIME_PASSES=1 times them.
#include <tvm/driver/driver_api.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

namespace tvm {

using transform::Pass;
using transform::PassContext;

namespace {

bool Flag(const PassContext& ctx, const char* key, bool fallback = false) {
  auto v = ctx->GetConfig<IntImm>(key);
  if (!v.has_value() || !v->defined()) return fallback;
  return (*v)->value != 0;
}

/*! \brief The user passes of "tir.add_lower_pass" for one phase, in the order given. */
Array<Pass> UserPasses(const PassContext& ctx, int phase) {
  Array<Pass> out;
  auto entries = ctx->GetConfig<Array<ObjectRef>>("tir.add_lower_pass");
  if (!entries.has_value()) return out;
  for (const ObjectRef& entry : *entries) {
    const auto* pair = entry.as<runtime::ArrayNode>();
    TVM_CHECK(pair != nullptr && pair->size() == 2, "ValueError")
        << "tir.add_lower_pass expects a list of (phase, pass) pairs";
    const auto* p = pair->at(0).as<IntImmNode>();
    TVM_CHECK(p != nullptr && p->value >= 0 && p->value <= 3, "ValueError")
        << "tir.add_lower_pass: the phase must be an integer 0..3";
    TVM_CHECK(pair->at(1).as<transform::PassNode>() != nullptr, "TypeError")
        << "tir.add_lower_pass: the second element of each pair must be a Pass, got "
        << pair->at(1)->GetTypeKey();
    if (p->value == phase) out.push_back(Downcast<Pass>(pair->at(1)));
  }
  return out;
}

void Append(Array<Pass>* list, const Array<Pass>& more) {
  for (const Pass& p : more) list->push_back(p);
}

/*! \brief Name the function and mark its arguments as not aliasing (unless "tir.noalias" is false). */
tir::PrimFunc Prepare(tir::PrimFunc func, const std::string& name) {
  PassContext ctx = PassContext::Current();
  if (!func->attrs.GetAttr<String>("global_symbol").has_value()) {
    func = WithAttr(std::move(func), "global_symbol", String(name));
  }
  if (Flag(ctx, "tir.noalias", true) && !func->attrs.GetAttr<ObjectRef>(tir::attr::kNoAlias).has_value()) {
    func = WithAttr(std::move(func), tir::attr::kNoAlias, Bool(true));
  }
  return func;
}

IRModule RunPasses(IRModule mod, bool simple_mode) {
  return transform::Sequential(CreatePassList(simple_mode), 0, "tvm.lower")(std::move(mod));
}

}  // namespace

Array<Pass> CreatePassList(bool simple_mode) {
  namespace tt = tir::transform;
  PassContext ctx = PassContext::Current();
  bool bound_checkers = Flag(ctx, "tir.instrument_bound_checkers");
  bool disable_vectorize = Flag(ctx, "tir.disable_vectorize");
  bool disable_storage_rewrite = Flag(ctx, "tir.disable_storage_rewrite");

  Array<Pass> passes;
  Append(&passes, UserPasses(ctx, 0));
  // Phase 1: flat memory, simplified indices.
  passes.push_back(tt::ApplyLayoutTransforms());
  passes.push_back(tt::StorageFlatten(64, bound_checkers));
  if (bound_checkers) passes.push_back(tt::InstrumentBoundCheckers());
  passes.push_back(tt::Simplify());
  Append(&passes, UserPasses(ctx, 1));
  // Phase 2: loop transformations and memory planning.
  if (!simple_mode) passes.push_back(tt::LoopPartition());
  passes.push_back(tt::VectorizeLoop(!disable_vectorize));
  passes.push_back(tt::InjectVirtualThread());
  passes.push_back(tt::InjectDoubleBuffer());
  if (!disable_storage_rewrite) passes.push_back(tt::StorageRewrite());
  passes.push_back(tt::UnrollLoop());
  Append(&passes, UserPasses(ctx, 2));
  // Phase 3: clean up.
  passes.push_back(tt::Simplify());
  passes.push_back(tt::RemoveNoOp());
  Append(&passes, UserPasses(ctx, 3));
  return passes;
}

IRModule ScheduleToModule(te::Schedule sch, const Array<ObjectRef>& args, const std::string& name,
                          const Map<te::Tensor, tir::Buffer>& binds) {
  PassContext ctx = PassContext::Current();
  bool keep_trivial_loop = Flag(ctx, "tir.debug_keep_trivial_loop");
  te::Schedule normalized = sch.normalize();
  te::BoundMap bounds = te::InferBound(normalized);
  tir::Stmt body = te::ScheduleOps(normalized, bounds, keep_trivial_loop);
  tir::PrimFunc func = te::SchedulePostProcToPrimFunc(args, body, binds);
  func = WithAttr(std::move(func), tir::attr::kFromLegacyTESchedule, Bool(true));
  func = Prepare(std::move(func), name);
  return IRModule({{GlobalVar(name), func}});
}

IRModule LowerSchedule(te::Schedule sch, const Array<ObjectRef>& args, const std::string& name,
                       const Map<te::Tensor, tir::Buffer>& binds, bool simple_mode) {
  return RunPasses(ScheduleToModule(std::move(sch), args, name, binds), simple_mode);
}

IRModule LowerPrimFunc(tir::PrimFunc func, const std::string& name, bool simple_mode) {
  func = Prepare(std::move(func), name);
  IRModule mod = IRModule({{GlobalVar(name), func}});
  return RunPasses(mod, simple_mode);
}

IRModule LowerModule(IRModule mod, bool simple_mode) { return RunPasses(std::move(mod), simple_mode); }

// The options tvm.lower reads.
static const bool kDriverConfigRegistered = [] {
  PassContext::RegisterConfigOption("tir.instrument_bound_checkers", "IntImm");
  PassContext::RegisterConfigOption("tir.disable_vectorize", "IntImm");
  PassContext::RegisterConfigOption("tir.disable_storage_rewrite", "IntImm");
  PassContext::RegisterConfigOption("tir.disable_assert", "IntImm");
  PassContext::RegisterConfigOption("tir.noalias", "IntImm");
  PassContext::RegisterConfigOption("tir.debug_keep_trivial_loop", "IntImm");
  PassContext::RegisterConfigOption("tir.add_lower_pass", "Array");
  return true;
}();

TVM_REGISTER_GLOBAL("driver.lower_schedule")
    .set_body_typed([](te::Schedule sch, Array<ObjectRef> args, String name,
                       std::optional<Map<te::Tensor, tir::Buffer>> binds, bool simple_mode) {
      return LowerSchedule(sch, args, name, binds.value_or(Map<te::Tensor, tir::Buffer>()), simple_mode);
    });
TVM_REGISTER_GLOBAL("driver.schedule_to_module")
    .set_body_typed([](te::Schedule sch, Array<ObjectRef> args, String name,
                       std::optional<Map<te::Tensor, tir::Buffer>> binds) {
      return ScheduleToModule(sch, args, name, binds.value_or(Map<te::Tensor, tir::Buffer>()));
    });
TVM_REGISTER_GLOBAL("driver.lower_primfunc").set_body_typed([](tir::PrimFunc func, String name, bool simple_mode) {
  return LowerPrimFunc(func, name, simple_mode);
});
TVM_REGISTER_GLOBAL("driver.lower_module").set_body_typed([](IRModule mod, bool simple_mode) {
  return LowerModule(mod, simple_mode);
});
TVM_REGISTER_GLOBAL("driver.lower_pass_list").set_body_typed([](bool simple_mode) {
  return CreatePassList(simple_mode);
});

}  // namespace tvm
