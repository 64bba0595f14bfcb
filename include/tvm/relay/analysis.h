/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/analysis.h
 * \brief Questions asked of a Relay expression: which variables it uses and
 *  binds, whether it is well formed, which data types it touches. Every one
 *  walks the graph with an explicit stack (100,000-node chains are fine).
 *
 *  Variables lists come in post-DFS order (the order a post-order walk first
 *  meets them), which for a network means the earlier layers' weights first.
 */
#ifndef TVM_RELAY_ANALYSIS_H_
#define TVM_RELAY_ANALYSIS_H_

#include <tvm/ir/module.h>
#include <tvm/relay/adt.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>

#include <string>
#include <unordered_map>

namespace tvm {
namespace relay {

/*!
 * \brief Variables used but bound nowhere in `expr` (not a parameter of a
 *  function inside it, not let-bound inside it).
 */
TVM_DLL Array<Var> FreeVars(const Expr& expr);

/*! \brief Variables bound inside `expr`: function parameters and let-bound variables. */
TVM_DLL Array<Var> BoundVars(const Expr& expr);

/*! \brief Every variable of `expr`, bound or free. */
TVM_DLL Array<Var> AllVars(const Expr& expr);

/*! \brief Type variables used in `expr`'s annotations but bound by no function (or function type) inside it. */
TVM_DLL Array<TypeVar> FreeTypeVars(const Expr& expr, const IRModule& mod);
TVM_DLL Array<TypeVar> FreeTypeVars(const Type& type, const IRModule& mod);
/*! \brief Type parameters of the functions and function types inside. */
TVM_DLL Array<TypeVar> BoundTypeVars(const Expr& expr, const IRModule& mod);
TVM_DLL Array<TypeVar> BoundTypeVars(const Type& type, const IRModule& mod);
TVM_DLL Array<TypeVar> AllTypeVars(const Expr& expr, const IRModule& mod);
TVM_DLL Array<TypeVar> AllTypeVars(const Type& type, const IRModule& mod);

/*!
 * \brief Whether every variable is bound at most once (one let or one
 *  function's parameter list; the same function reached twice is one
 *  binding) and used only inside the scope of its binding. Variables bound
 *  nowhere are free, which is allowed.
 * \param reason when not null and the expression is ill formed, why.
 */
TVM_DLL bool WellFormed(const Expr& expr, std::string* reason = nullptr);

/*!
 * \brief Check basic block normal form: an expression (other than an
 *  operator) used from several scopes (function bodies, if branches, let
 *  bodies) must first be used, in evaluation order, in the scope enclosing
 *  all of its uses, where a let can bind it.
 * \return true; throws TVMError naming the expression to lift otherwise.
 */
TVM_DLL bool BasicBlockNormalFormCheck(const Expr& expr);

/*! \brief Whether `expr` is a constant: a Constant, or a Tuple of constants. */
TVM_DLL bool ConstantCheck(const Expr& expr);

/*! \brief The data types (e.g. "float32") of the tensor types in annotations and inferred types. */
TVM_DLL Array<String> AllDtypes(const Expr& expr);

/*!
 * \brief The values `match` handles in no clause, as disjoint patterns
 *  (empty: the match is exhaustive). The module gives the constructors of
 *  the types matched on; when it lacks one, *types_known is set to false or,
 *  if types_known is null, ValueError is raised.
 */
TVM_DLL Array<Pattern> UnmatchedCases(const Match& match, const IRModule& mod, bool* types_known = nullptr);

/*! \brief How many parents each node reachable from `body` has (the root counts one). */
TVM_DLL std::unordered_map<const Object*, size_t> GetExprRefCount(const Expr& body);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ANALYSIS_H_
