/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/serialization.h
 * \brief Save any reflected object graph as JSON and load it back; shared
 *  subterms stay shared, arrays are embedded as base64.
 */
#ifndef TVM_IR_SERIALIZATION_H_
#define TVM_IR_SERIALIZATION_H_

#include <tvm/ir/reflection.h>

#include <string>

namespace tvm {

TVM_DLL std::string SaveJSON(const ObjectRef& node);
/*! \throws Error (ValueError) naming the problem when the text is not a saved object graph. */
TVM_DLL ObjectRef LoadJSON(const std::string& json);

}  // namespace tvm
#endif  // TVM_IR_SERIALIZATION_H_
