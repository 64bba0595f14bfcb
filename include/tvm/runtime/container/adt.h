/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/container/adt.h
 * \brief ADTObj: a value of an algebraic data type at run time, a constructor
 *  tag and its fields (a tuple is tag 0). Executors hand tuples and
 *  constructor values across the FFI in it; Python sees tvm.runtime.container.ADT.
 */
#ifndef TVM_RUNTIME_CONTAINER_ADT_H_
#define TVM_RUNTIME_CONTAINER_ADT_H_

#include <tvm/runtime/object.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {

class ADTObj : public Object {
 public:
  /*! \brief The constructor's tag (its index in its type's constructor list); 0 for a tuple. */
  int32_t tag = 0;
  std::vector<ObjectRef> fields;

  static constexpr const char* _type_key = "runtime.ADT";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

/*! \brief A value of constructor `tag` holding `fields`. */
inline ObjectRef MakeADT(int32_t tag, std::vector<ObjectRef> fields) {
  auto n = make_object<ADTObj>();
  n->tag = tag;
  n->fields = std::move(fields);
  return ObjectRef(ObjectPtr<Object>(std::move(n)));
}

/*! \brief A tuple value: tag 0. */
inline ObjectRef MakeTupleADT(std::vector<ObjectRef> fields) { return MakeADT(0, std::move(fields)); }

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_CONTAINER_ADT_H_
