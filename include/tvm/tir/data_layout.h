/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/data_layout.h
 * \brief Layout: how a tensor's axes are ordered and split, written as a string.
 *  An upper-case letter is a whole (primal) axis; a lower-case letter after a factor is a
 *  sub-axis of that many elements of its primal axis, which then counts its blocks:
 *
 *   "NCHW"      axes N, C, H, W
 *   "NCHW16c"   axes N, C (channels / 16), H, W, c (16 channels of a block)
 *
 *  Every sub-axis needs its primal axis, and an axis appears once. The empty string is the
 *  undefined layout (a null Layout).
 */
#ifndef TVM_TIR_DATA_LAYOUT_H_
#define TVM_TIR_DATA_LAYOUT_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/reflection.h>

#include <optional>
#include <string>

namespace tvm {
namespace tir {

class Layout;

class LayoutNode : public Object {
 public:
  /*! \brief The layout as written: "NCHW16c". */
  String name;
  /*! \brief Its axes, one letter each: "NCHWc". */
  String axes;
  /*! \brief Per axis: the sub-axis's factor, 0 for a primal axis. */
  Array<Integer> factors;

  /*! \brief The position of axis `letter`, -1 when absent. */
  int IndexOf(char letter) const;
  /*! \brief The factor of primal axis `axis`'s sub-axis (either case), -1 when it is not split. */
  int64_t FactorOf(char axis) const;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("axes", &axes);
    v->Visit("factors", &factors);
  }
  static constexpr const char* _type_key = "tir.Layout";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Layout : public ObjectRef {
 public:
  using ContainerType = LayoutNode;
  using ObjectRef::ObjectRef;
  Layout() = default;
  /*! \brief The layout `name`; the empty string gives the undefined (null) layout; a malformed
   *  one is a ValueError quoting it. */
  TVM_DLL explicit Layout(const std::string& name);
  /*! \brief The layout `name`, nullopt when it is malformed or empty. */
  TVM_DLL static std::optional<Layout> Parse(const std::string& name);
  const LayoutNode* operator->() const { return static_cast<const LayoutNode*>(get()); }
};

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_DATA_LAYOUT_H_
