/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file type_solver.h
 * \brief The constraint solver of Relay type inference: unification of types
 *  (union-find over the unknowns, IncompleteType) and operator type relations run
 *  to a fixed point.
 *
 * A relation is called once when added; if it cannot decide yet (returns false),
 * it waits on the unknowns of its arguments and is queued again when one of them
 * is bound. Errors do not stop the solver: each is recorded with the operator and
 * the span it belongs to, and all of them are reported together at the end.
 */
#ifndef TVM_RELAY_TRANSFORMS_TYPE_SOLVER_H_
#define TVM_RELAY_TRANSFORMS_TYPE_SOLVER_H_

#include <tvm/arith/analyzer.h>
#include <tvm/ir/span.h>
#include <tvm/ir/type_relation.h>

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace relay {

/*! \brief Compact text of a type for messages: Tensor[(10, 4), float32], (a, b), fn(..) -> .., ? */
std::string TypeText(const Type& type);

/*! \brief A type error found while unifying; what() names the two types that disagree. */
class UnifyError : public std::runtime_error {
 public:
  /*! \brief `lhs` and `rhs` (texts) are the innermost types that disagree, `why` says how. */
  UnifyError(std::string lhs, std::string rhs, std::string why)
      : std::runtime_error("unable to unify " + lhs + " and " + rhs + (why.empty() ? "" : ": " + why)),
        lhs(std::move(lhs)),
        rhs(std::move(rhs)),
        why(std::move(why)) {}
  std::string lhs, rhs, why;
};

class TypeSolver {
 public:
  TypeSolver();
  ~TypeSolver();
  TypeSolver(const TypeSolver&) = delete;
  TypeSolver& operator=(const TypeSolver&) = delete;

  /*! \brief A new unknown. */
  Type Fresh();
  /*!
   * \brief Make a and b the same type and return it; on a mismatch record the
   *  error "context: expected <a>, got <b>: <why>" at `span` (the two words are
   *  `first` and `second`) and return a.
   */
  Type Unify(const Type& a, const Type& b, const Span& span, const std::string& context,
             const char* first = "expected", const char* second = "got");
  /*! \brief Unify, throwing UnifyError on a mismatch (used by relations through the reporter). */
  Type UnifyOrThrow(const Type& a, const Type& b);
  /*! \brief Add a relation of a call of `op_name` at `span` and queue it. */
  void AddRelation(const TypeRelation& rel, const std::string& op_name, const Span& span);
  /*! \brief Run queued relations until none can make progress. */
  void Solve();
  /*! \brief `t` with every solved unknown replaced by its solution. */
  Type Resolve(const Type& t);
  /*! \brief Record an error at `span`. */
  void ReportError(const Span& span, const std::string& message);
  /*! \brief Record an error for every relation that could not be decided (unknown arguments). */
  void ReportUnsolved();
  /*! \brief Whether every relation added so far is decided. */
  bool AllSolved() const;
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct Unknown {
    int parent;
    Type canonical;   // the IncompleteType standing for the class while unbound
    Type value;       // the solution once bound (may itself contain unknowns)
    std::vector<int> waiters;  // relations to run again when bound
  };
  struct Relation {
    TypeRelation rel;
    std::string op_name;
    Span span;
    bool done{false};
    bool queued{false};
  };
  class Reporter;

  int UnknownOf(const Object* incomplete);
  int Find(int id);
  Type ShallowResolve(Type t);
  Type UnifyRec(const Type& a, const Type& b);
  PrimExpr UnifyDim(const PrimExpr& a, const PrimExpr& b, const Type& ta, const Type& tb);
  void Bind(int id, const Type& t);
  bool Occurs(int id, const Type& t);
  void CollectUnbound(const Type& t, std::vector<int>* out);
  void Enqueue(int rel);

  std::vector<Unknown> unknowns_;
  std::unordered_map<const Object*, int> unknown_index_;
  std::vector<Relation> relations_;
  std::deque<int> queue_;
  uint64_t binds_{0};  // unknowns bound or merged so far (a relation that binds made progress)
  std::vector<std::string> errors_;
  arith::Analyzer analyzer_;
  TypeReporter reporter_;
};

/*! \brief "name:line:column" when the span is set, else "". */
std::string SpanText(const Span& span);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_TRANSFORMS_TYPE_SOLVER_H_
