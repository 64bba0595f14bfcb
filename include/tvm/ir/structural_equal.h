/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/structural_equal.h
 * \brief Structural equality of IR: same node types and equal fields
 *  recursively, with variables bound at corresponding definition sites
 *  treated as equal (alpha-equivalence).
 */
#ifndef TVM_IR_STRUCTURAL_EQUAL_H_
#define TVM_IR_STRUCTURAL_EQUAL_H_

#include <tvm/ir/reflection.h>

#include <string>

namespace tvm {

class StructuralEqual {
 public:
  /*!
   * \param map_free_vars Also map variables that are not bound inside the
   *  compared terms (e.g. the parameters of two functions compared as bodies).
   */
  TVM_DLL bool operator()(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars = false) const;
};

/*!
 * \brief Throw Error (ValueError) describing the first difference (its path
 *  from the roots and both sides) when lhs and rhs are not structurally equal.
 */
TVM_DLL void AssertStructuralEqual(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars = false);

/*! \brief The first difference as "path: lhs vs rhs", or empty when equal. */
TVM_DLL std::string StructuralDiff(const ObjectRef& lhs, const ObjectRef& rhs, bool map_free_vars = false);

}  // namespace tvm
#endif  // TVM_IR_STRUCTURAL_EQUAL_H_
