/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/index_map.h
 * \brief IndexMap: a function from one index tuple to another, written as
 *  variables (the initial indices) and expressions of them (the final ones).
 *
 *   (i) -> [i // 4, i % 4]        on shape [16]:  map_shape = [4, 4]
 *   inverse on [16]:  (a0, a1) -> [a0 * 4 + a1]
 *
 *  Used by te's Stage::transform_layout to store a tensor in another layout.
 */
#ifndef TVM_TIR_INDEX_MAP_H_
#define TVM_TIR_INDEX_MAP_H_

#include <tvm/ir/expr.h>
#include <tvm/runtime/container/array.h>
#include <tvm/tir/var.h>

#include <string>

namespace tvm {
namespace tir {

class IndexMap;

class IndexMapNode : public Object {
 public:
  /*! \brief The variables of the indices before the mapping. */
  Array<Var> initial_indices;
  /*! \brief The indices after the mapping, expressions of initial_indices. */
  Array<PrimExpr> final_indices;
  /*! \brief A user-given inverse (nullptr: computed when asked for). */
  ObjectRef inverse_index_map;

  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("initial_indices", &initial_indices);
    v->Visit("final_indices", &final_indices);
    v->Visit("inverse_index_map", &inverse_index_map);
  }

  /*! \brief final_indices with initial_indices replaced by `indices` (simplified). */
  TVM_DLL Array<PrimExpr> MapIndices(const Array<PrimExpr>& indices) const;
  /*! \brief The extent of each final index when the initial ones range over [0, shape). */
  TVM_DLL Array<PrimExpr> MapShape(const Array<PrimExpr>& shape) const;
  /*! \brief "(i, j) -> [j, i]", for messages. */
  TVM_DLL std::string ToString() const;

  static constexpr const char* _type_key = "tir.IndexMap";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class IndexMap : public ObjectRef {
 public:
  using ContainerType = IndexMapNode;
  using ObjectRef::ObjectRef;
  IndexMap() = default;
  /*! \throws ValueError when a final index uses a variable that is not an initial index. */
  TVM_DLL IndexMap(Array<Var> initial_indices, Array<PrimExpr> final_indices,
                   ObjectRef inverse_index_map = ObjectRef());
  const IndexMapNode* operator->() const { return static_cast<const IndexMapNode*>(get()); }

  /*!
   * \brief The inverse over the initial indices ranging over [0, shape): its
   *  initial indices are the final indices of this map. Exists when the map
   *  is a bijection of boxes made of splits, fuses and reorders of axes with
   *  constant extents (mixed-radix digits that tile every axis exactly).
   * \throws ValueError saying why otherwise (padding, overlap, a symbolic extent).
   */
  TVM_DLL IndexMap Inverse(const Array<PrimExpr>& shape) const;
  /*! \brief Whether Inverse(shape) exists; `why` gets the reason when not. */
  TVM_DLL bool IsBijective(const Array<PrimExpr>& shape, std::string* why = nullptr) const;
  /*! \brief Same number of indices and the same final indices for the same inputs. */
  TVM_DLL bool IsEquivalentTo(const IndexMap& other) const;
};

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_INDEX_MAP_H_
