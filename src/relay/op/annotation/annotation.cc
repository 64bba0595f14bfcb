/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Annotations: operators that carry a hint for the passes and compute the
// identity. annotation.stop_fusion(x) keeps x out of the groups of its users
// (FuseOps puts it in no group and drops the call).
#include "../op_common.h"
#include "../type_relations.h"

namespace tvm {
namespace relay {

namespace {
[[maybe_unused]] const bool registered = [] {
  runtime::Registry::Register("relay.op.annotation._make.stop_fusion").set_body_typed([](Expr data) {
    return Call(Op::Get("annotation.stop_fusion"), {data});
  });
  OpRegEntry::RegisterOrGet("annotation.stop_fusion")
      .describe("the identity; FuseOps does not fuse its input with the ops that use it")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_support_level(10)
      .add_type_rel("Identity", IdentityRel)
      .set_attr<TOpPattern>("TOpPattern", kOpaque)
      .set_attr<TOpIsStateful>("TOpIsStateful", false);
  return true;
}();
}  // namespace

}  // namespace relay
}  // namespace tvm
