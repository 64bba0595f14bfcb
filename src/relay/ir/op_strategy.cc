/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/ir/op_strategy.cc
 * \brief OpImplementation and OpStrategy (see tvm/relay/op_strategy.h) and
 *  their Python entry points.
 */
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace relay {

Array<te::Tensor> OpImplementation::Compute(const Attrs& attrs, const Array<te::Tensor>& inputs,
                                            const Type& out_type) const {
  return (*this)->fcompute(attrs, inputs, out_type);
}

te::Schedule OpImplementation::Schedule(const Attrs& attrs, const Array<te::Tensor>& outs,
                                        const Target& target) const {
  return (*this)->fschedule(attrs, outs, target);
}

OpStrategy::OpStrategy() { data_ = make_object<OpStrategyNode>(); }

void OpStrategy::AddImplementation(FTVMCompute fcompute, FTVMSchedule fschedule, String name, int plevel) {
  auto impl = make_object<OpImplementationNode>();
  impl->fcompute = std::move(fcompute);
  impl->fschedule = std::move(fschedule);
  impl->name = std::move(name);
  impl->plevel = plevel;
  auto* node = static_cast<OpStrategyNode*>(const_cast<Object*>(get()));
  node->implementations.push_back(OpImplementation(impl));
}

OpImplementation OpStrategy::Best() const {
  OpImplementation best;
  for (const OpImplementation& impl : (*this)->implementations) {
    if (!best.defined() || impl->plevel > best->plevel) best = impl;
  }
  return best;
}

TVM_REGISTER_NODE_TYPE(OpImplementationNode);
TVM_REGISTER_NODE_TYPE(OpStrategyNode);

TVM_REGISTER_GLOBAL("relay.op._make.OpStrategy").set_body_typed([]() { return OpStrategy(); });

TVM_REGISTER_GLOBAL("relay.op._OpStrategyAddImplementation")
    .set_body_typed([](OpStrategy strategy, FTVMCompute fcompute, FTVMSchedule fschedule, String name, int plevel) {
      strategy.AddImplementation(std::move(fcompute), std::move(fschedule), std::move(name), plevel);
    });

TVM_REGISTER_GLOBAL("relay.op._OpImplementationCompute")
    .set_body_typed([](OpImplementation impl, Attrs attrs, Array<te::Tensor> inputs, Type out_type) {
      return impl.Compute(attrs, inputs, out_type);
    });

TVM_REGISTER_GLOBAL("relay.op._OpImplementationSchedule")
    .set_body_typed([](OpImplementation impl, Attrs attrs, Array<te::Tensor> outs, Target target) {
      return impl.Schedule(attrs, outs, target);
    });

TVM_REGISTER_GLOBAL("relay.op._OpStrategyBest").set_body_typed([](OpStrategy strategy) { return strategy.Best(); });

}  // namespace relay
}  // namespace tvm
