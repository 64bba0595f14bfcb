/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/reflection.h
 * \brief Reflection: each node lists its fields once, in VisitAttrs, and that
 *  one list drives printing, structural equality and hashing, JSON and
 *  Python attribute access.
 *
 *   class RangeNode : public Object {
 *    public:
 *     PrimExpr min, extent;
 *     void VisitAttrs(AttrVisitor* v) {
 *       v->Visit("min", &min);
 *       v->Visit("extent", &extent);
 *     }
 *     ...
 *   };
 *   TVM_REGISTER_NODE_TYPE(RangeNode);
 *
 * A field that binds a variable (a loop variable, a function parameter) is
 * visited with VisitDef so that structural equality maps the two bound
 * variables onto each other instead of comparing their identities.
 */
#ifndef TVM_IR_REFLECTION_H_
#define TVM_IR_REFLECTION_H_

#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/data_type.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/object.h>
#include <tvm/runtime/packed_func.h>

#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace tvm {

using runtime::NDArray;

/*! \brief Visits the fields of a node; one overload per field kind. */
class TVM_DLL AttrVisitor {
 public:
  virtual ~AttrVisitor() = default;
  virtual void Visit(const char* key, double* value) = 0;
  virtual void Visit(const char* key, int64_t* value) = 0;
  virtual void Visit(const char* key, uint64_t* value) = 0;
  virtual void Visit(const char* key, int* value) = 0;
  virtual void Visit(const char* key, bool* value) = 0;
  virtual void Visit(const char* key, std::string* value) = 0;
  virtual void Visit(const char* key, void** value) = 0;
  virtual void Visit(const char* key, DataType* value) = 0;
  virtual void Visit(const char* key, NDArray* value) = 0;
  virtual void Visit(const char* key, ObjectRef* value) = 0;
  /*! \brief A field that binds a variable; by default visited like any other. */
  virtual void VisitDef(const char* key, ObjectRef* value) { Visit(key, value); }
  /*! \brief Enum fields are visited as int. */
  template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>>
  void Visit(const char* key, E* value) {
    int v = static_cast<int>(*value);
    Visit(key, &v);
    *value = static_cast<E>(v);
  }
};

/*! \brief How structural equality treats nodes of a type. */
enum class StructuralKind : int {
  /*! \brief Equal when the type and every field are equal (most IR). */
  kTreeNode = 0,
  /*! \brief A variable: equal when bound at corresponding sites, or the same object. */
  kFreeVar = 1,
  /*! \brief Equal only to itself (global singletons such as operators). */
  kUniqueInstance = 2,
  /*!
   * \brief A dataflow node (a Relay expression): compared like a tree node,
   *  and the pairing of such nodes between the two sides must be one-to-one,
   *  so a subexpression used twice never equals two equal copies (sharing is
   *  part of a dataflow program: it says what is computed once).
   */
  kGraphNode = 3,
};

namespace detail {
template <typename T, typename = void>
struct StructuralKindOf {
  static constexpr StructuralKind value = StructuralKind::kTreeNode;
};
template <typename T>
struct StructuralKindOf<T, std::void_t<decltype(T::_structural_kind)>> {
  static constexpr StructuralKind value = T::_structural_kind;
};
}  // namespace detail

/*! \brief Per-type reflection functions, indexed by runtime type index. */
class TVM_DLL ReflectionVTable {
 public:
  using FVisitAttrs = void (*)(Object* self, AttrVisitor* v);
  using FCreate = ObjectPtr<Object> (*)();

  struct Entry {
    FVisitAttrs visit_attrs{nullptr};
    FCreate create{nullptr};
    StructuralKind kind{StructuralKind::kTreeNode};
  };

  static ReflectionVTable* Global();

  /*! \brief Register T (called by TVM_REGISTER_NODE_TYPE). */
  template <typename T>
  static int Register() {
    Entry e;
    e.visit_attrs = [](Object* self, AttrVisitor* v) { static_cast<T*>(self)->VisitAttrs(v); };
    if constexpr (std::is_default_constructible_v<T>) {
      e.create = []() -> ObjectPtr<Object> { return make_object<T>(); };
    }
    e.kind = detail::StructuralKindOf<T>::value;
    Global()->Set(runtime::TypeIndexOf<T>(), e);
    return 0;
  }

  void Set(uint32_t type_index, Entry entry);
  /*! \brief The entry of a type, or nullptr if it was not registered. */
  const Entry* Find(uint32_t type_index) const;

  /*! \brief Visit the fields of `self`; a no-op for types without reflection. */
  void VisitAttrs(Object* self, AttrVisitor* v) const;
  /*! \brief A default-constructed object of `type_key`, for deserialisation. */
  ObjectPtr<Object> CreateInitObject(const std::string& type_key) const;
  /*! \brief Field names of an object, in declaration order. */
  std::vector<std::string> ListAttrNames(const Object* self) const;
  /*!
   * \brief Read one field as a packed value.
   * \throws Error (AttributeError) naming the type and field if there is none.
   */
  runtime::TVMRetValue GetAttr(const Object* self, const std::string& name) const;

 private:
  std::vector<Entry> table_;
};

}  // namespace tvm

/*! \brief Register a node type's reflection at static-initialisation time. */
#define TVM_REGISTER_NODE_TYPE(TypeName)                                                        \
  [[maybe_unused]] static int TVM_REFLECTION_CONCAT(__tvm_node_reg_, __COUNTER__) =             \
      ::tvm::ReflectionVTable::Register<TypeName>()
#define TVM_REFLECTION_CONCAT_(a, b) a##b
#define TVM_REFLECTION_CONCAT(a, b) TVM_REFLECTION_CONCAT_(a, b)

#endif  // TVM_IR_REFLECTION_H_
