/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/structural_hash.h
 * \brief A hash consistent with StructuralEqual: structurally equal terms
 *  hash alike (bound variables hash by binding order, not identity).
 */
#ifndef TVM_IR_STRUCTURAL_HASH_H_
#define TVM_IR_STRUCTURAL_HASH_H_

#include <tvm/ir/reflection.h>

namespace tvm {

class StructuralHash {
 public:
  TVM_DLL size_t operator()(const ObjectRef& obj, bool map_free_vars = false) const;
};

}  // namespace tvm
#endif  // TVM_IR_STRUCTURAL_HASH_H_
