/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file known_buffer_values.h
 * \brief What is known about buffer contents at a point of a statement walk:
 *  Simplify's propagate_knowns_to_prove_conditional and
 *  propagate_knowns_to_simplify_expressions.
 *
 * A fact says, for the elements of one buffer whose indices p satisfy a
 * predicate, a property of their value v (or, with no buffer, a property of
 * scalars alone):
 *
 *   A[i] = i  in for i in range(16)     ->  0 <= p0 < 16:  v == p0
 *   T.assume(i < 14 or A[i] == 0)        ->  p0 == i:       i < 14 or v == 0
 *   T.assume(n == 0)                      ->  n == 0
 *
 * The walker (Simplify) reports what happens in program order: a store first
 * narrows every fact of its buffer to the other elements, then records the
 * stored value (with known values of what it reads substituted); an if merges
 * the facts of its branches (a fact of one branch only holds under its
 * condition); a loop keeps at its entry only facts its iterations cannot
 * invalidate (buffers it does not write, or writes only at the element of the
 * current iteration), and at its exit turns facts about that element into
 * facts over the loop's range. Anything not understood (a pointer handed to
 * a call, a while loop, a vector store) forgets the facts it may touch.
 */
#ifndef TVM_TIR_TRANSFORMS_KNOWN_BUFFER_VALUES_H_
#define TVM_TIR_TRANSFORMS_KNOWN_BUFFER_VALUES_H_

#include <tvm/arith/analyzer.h>
#include <tvm/tir/stmt.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace tir {

class KnownBufferValues {
 public:
  struct Fact {
    Buffer buffer;       // undefined: a fact about scalars only
    PrimExpr predicate;  // over the buffer's index parameters and scalars
    PrimExpr property;   // over the parameters, scalars and the element value
  };
  using State = std::vector<Fact>;

  /*! \brief `body` is the whole function: buffers whose pointer escapes are never tracked. */
  KnownBufferValues(const Stmt& body, arith::Analyzer* analyzer);

  /*! \brief cond holds here (T.assume, an if's branch). */
  void Assume(const PrimExpr& cond);
  /*! \brief A store happens (already simplified). */
  void Store(const BufferStoreNode* store);
  /*! \brief A statement that may write the buffers it names: forget what it may change. */
  void Forget(const Stmt& stmt);

  /*! \brief The facts now (to save before a branch). */
  const State& state() const { return facts_; }
  void set_state(State state) { facts_ = std::move(state); }
  /*! \brief After an if: facts of both branches (one branch's only under its condition). */
  void Merge(const State& then_state, const State& else_state, const PrimExpr& cond);

  /*! \brief Before a loop body; returns what the exit needs (the facts before the loop). */
  State EnterLoop(const Var& loop_var, const Stmt& body);
  /*! \brief After the loop body. */
  void ExitLoop(const Var& loop_var, const Range& range, const Stmt& body, const State& before);
  /*! \brief var leaves scope: forget facts that mention it. */
  void ForgetVar(const Var& var);

  /*! \brief e with loads of known value replaced by the value. */
  PrimExpr SubstituteKnownValues(const PrimExpr& e) const;
  /*! \brief Simplify cond with the known facts (loads replaced, properties assumed). */
  PrimExpr SimplifyCondition(const PrimExpr& cond) const;

 private:
  /*! \brief The index parameters of a buffer (one variable per dimension, shared by its facts). */
  const Array<Var>& Params(const Buffer& buffer);
  /*! \brief For every load in e whose buffer has facts: the facts instantiated at its indices. */
  void Instantiate(const PrimExpr& e, std::vector<std::pair<PrimExpr, PrimExpr>>* values,
                   std::vector<PrimExpr>* properties) const;
  bool Tracked(const Buffer& buffer) const;
  /*! \brief How a loop writes a buffer: -1 not at all, k >= 0 only where index k is the loop var, -2 otherwise. */
  static std::unordered_map<const VarNode*, int> WritePattern(const Var& loop_var, const Stmt& body);

  /*! \brief The variable standing for an element's value in properties (one per dtype). */
  Var ValueOf(const Buffer& buffer);

  arith::Analyzer* analyzer_;
  State facts_;
  std::unordered_map<std::string, Var> value_by_dtype_;
  std::unordered_map<const Object*, Array<Var>> params_;
  std::vector<Buffer> kept_buffers_;
  std::unordered_set<const VarNode*> escaped_;
};

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_TRANSFORMS_KNOWN_BUFFER_VALUES_H_
