/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/repr_printer.h
 * \brief The text a user sees for an object (Python repr/str, operator<<).
 *  Layers register printers for their nodes; everything else prints as
 *  TypeKey(field=value, ...) from reflection.
 */
#ifndef TVM_IR_REPR_PRINTER_H_
#define TVM_IR_REPR_PRINTER_H_

#include <tvm/ir/reflection.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace tvm {

class TVM_DLL ReprPrinter {
 public:
  using FPrint = std::function<void(const ObjectRef& node, ReprPrinter* p)>;

  explicit ReprPrinter(std::ostream& stream) : stream(stream) {}
  /*! \brief Print a node (dispatching on its type). */
  void Print(const ObjectRef& node);
  /*! \brief Start a new line at the current indentation. */
  void PrintIndent();

  std::ostream& stream;
  int indent{0};

  /*! \brief Register the printer of T's nodes. */
  template <typename T>
  static int Register(FPrint f) {
    SetDispatch(runtime::TypeIndexOf<T>(), std::move(f));
    return 0;
  }
  static void SetDispatch(uint32_t type_index, FPrint f);
};

/*! \brief The repr text of an object. */
TVM_DLL std::string AsRepr(const ObjectRef& node);

}  // namespace tvm

namespace tvm {
namespace runtime {
TVM_DLL std::ostream& operator<<(std::ostream& os, const ObjectRef& node);
}  // namespace runtime
}  // namespace tvm

#endif  // TVM_IR_REPR_PRINTER_H_
