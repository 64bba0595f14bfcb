/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/annotation/checkpoint.cc
 * \brief annotation.checkpoint: marks an expression whose value a gradient pass
 *  should recompute rather than keep. As a computation it is the identity.
 */
#include <tvm/runtime/registry.h>

#include "../type_check.h"

namespace tvm {
namespace relay {
namespace {

/*! \brief The output has the input's type, a tensor or a tuple of them. */
bool CheckpointRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  if (!types[0].defined() || types[0].as<IncompleteTypeNode>()) return false;
  reporter->Assign(types[1], types[0]);
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op.annotation._make.checkpoint").set_body_typed([](Expr data) {
    return MakeOpCall("annotation.checkpoint", {data});
  });
  OpRegEntry::RegisterOrGet("annotation.checkpoint")
      .describe("a checkpoint for recomputation in gradients; the identity otherwise")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the expression to checkpoint")
      .set_support_level(10)
      .add_type_rel("Checkpoint", CheckpointRel)
      .set_attr<TOpPattern>("TOpPattern", kElemWise);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
