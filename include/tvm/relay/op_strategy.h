/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/op_strategy.h
 * \brief Operator strategies: the implementations (compute + schedule) an
 *  operator has for a target, among which the compiler picks one.
 *
 * An operator with an FTVMStrategy is lowered through it: the strategy is
 * called with the call's attributes, input tensors, output type and the
 * target, and the implementation of the highest priority level (plevel; the
 * first added among equals) computes the call. A fused function takes the
 * schedule of its master operator's chosen implementation. Operators without
 * one keep FTVMCompute + FTVMSchedule. The tuner's records will choose among
 * implementations by name.
 */
#ifndef TVM_RELAY_OP_STRATEGY_H_
#define TVM_RELAY_OP_STRATEGY_H_

#include <tvm/relay/op.h>
#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

namespace tvm {
namespace relay {

/*! \brief One way to compute and schedule an operator. */
class OpImplementationNode : public Object {
 public:
  FTVMCompute fcompute;
  FTVMSchedule fschedule;
  String name;
  int plevel{10};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("plevel", &plevel);
  }
  static constexpr const char* _type_key = "relay.OpImplementation";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class OpImplementation : public ObjectRef {
 public:
  using ContainerType = OpImplementationNode;
  using ObjectRef::ObjectRef;
  const OpImplementationNode* operator->() const { return static_cast<const OpImplementationNode*>(get()); }
  /*! \brief The output tensors of a call. */
  TVM_DLL Array<te::Tensor> Compute(const Attrs& attrs, const Array<te::Tensor>& inputs, const Type& out_type) const;
  /*! \brief The schedule of a fused function's outputs. */
  TVM_DLL te::Schedule Schedule(const Attrs& attrs, const Array<te::Tensor>& outs, const Target& target) const;
};

/*! \brief The implementations of an operator for one target, in the order added. */
class OpStrategyNode : public Object {
 public:
  Array<OpImplementation> implementations;
  void VisitAttrs(AttrVisitor* v) { v->Visit("implementations", &implementations); }
  static constexpr const char* _type_key = "relay.OpStrategy";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class OpStrategy : public ObjectRef {
 public:
  using ContainerType = OpStrategyNode;
  using ObjectRef::ObjectRef;
  TVM_DLL OpStrategy();
  const OpStrategyNode* operator->() const { return static_cast<const OpStrategyNode*>(get()); }
  TVM_DLL void AddImplementation(FTVMCompute fcompute, FTVMSchedule fschedule, String name, int plevel);
  /*! \brief The implementation to use: the highest plevel, the first added among equals. */
  TVM_DLL OpImplementation Best() const;
};

/*! \brief The strategy of an operator for a target (called with the target in scope). */
using FTVMStrategy = runtime::TypedPackedFunc<OpStrategy(const Attrs& attrs, const Array<te::Tensor>& inputs,
                                                         const Type& out_type, const Target& target)>;

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_STRATEGY_H_
