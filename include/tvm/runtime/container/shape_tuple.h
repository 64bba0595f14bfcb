/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/container/shape_tuple.h
 * \brief ShapeTupleObj: a tensor shape as a runtime object, so that shapes can
 *  travel inside Map/Array values (the graph executor's get_input_info).
 *
 *  Inside C++ a shape is the plain `ShapeTuple` (std::vector<int64_t>, see
 *  ndarray.h); this object only boxes one for the FFI. Python sees it as
 *  tvm.runtime.ShapeTuple.
 */
#ifndef TVM_RUNTIME_CONTAINER_SHAPE_TUPLE_H_
#define TVM_RUNTIME_CONTAINER_SHAPE_TUPLE_H_

#include <tvm/runtime/object.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {

class ShapeTupleObj : public Object {
 public:
  std::vector<int64_t> data;

  static constexpr const char* _type_key = "runtime.ShapeTuple";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

/*! \brief A boxed shape for the FFI. */
inline ObjectRef MakeShapeTupleObject(std::vector<int64_t> shape) {
  auto n = make_object<ShapeTupleObj>();
  n->data = std::move(shape);
  return ObjectRef(ObjectPtr<Object>(std::move(n)));
}

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_CONTAINER_SHAPE_TUPLE_H_
