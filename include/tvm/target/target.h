/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/target/target.h
 * \brief Target: what code is generated for ("llvm -mcpu=znver4",
 *  "cuda -arch=sm_80", ...): a kind, typed attributes, keys that select
 *  schedules, and an optional host target.
 *
 *   Target t("llvm -mtriple=x86_64-linux-gnu -mcpu=skylake-avx512 -mattr=+avx512f -num-cores=2");
 *   t->kind->name == "llvm"; t->keys == ["cpu"]; t->GetAttr<String>("mcpu") == "skylake-avx512"
 *
 * "-mcpu=native" is resolved to the host's CPU name and features as LLVM sees them.
 */
#ifndef TVM_TARGET_TARGET_H_
#define TVM_TARGET_TARGET_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/reflection.h>

#include <optional>
#include <string>
#include <vector>

namespace tvm {

/*! \brief A kind of target and the attributes it accepts. */
class TargetKindNode : public Object {
 public:
  String name;
  /*! \brief Device type code (kDLCPU, kDLCUDA, ...). */
  int default_device_type{kDLCPU};
  Array<String> default_keys;
  /*! \brief Accepted attribute name -> value type ("runtime.String", "IntImm", "Array"). */
  Map<String, String> attr_types;
  /*! \brief Attribute defaults. */
  Map<String, ObjectRef> attr_defaults;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("default_device_type", &default_device_type);
    v->Visit("default_keys", &default_keys);
  }
  static constexpr const char* _type_key = "TargetKind";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kUniqueInstance;
  using _type_parent = Object;
};

class TargetKind : public ObjectRef {
 public:
  using ContainerType = TargetKindNode;
  using ObjectRef::ObjectRef;
  TargetKind() = default;
  const TargetKindNode* operator->() const { return static_cast<const TargetKindNode*>(get()); }
  /*! \throws Error (ValueError) listing the known kinds when `name` is not one. */
  TVM_DLL static TargetKind Get(const std::string& name);
  TVM_DLL static std::vector<std::string> ListNames();
  /*! \brief Register (or extend) a kind. */
  TVM_DLL static TargetKind Register(const std::string& name, int device_type, Array<String> default_keys,
                                     Map<String, String> attr_types, Map<String, ObjectRef> attr_defaults);
};

class TargetNode : public Object {
 public:
  TargetKind kind;
  /*! \brief The target that runs host code (launching device kernels), if any. */
  ObjectRef host;
  String tag;
  Array<String> keys;
  Map<String, ObjectRef> attrs;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("kind", &kind);
    v->Visit("tag", &tag);
    v->Visit("keys", &keys);
    v->Visit("attrs", &attrs);
    v->Visit("host", &host);
  }
  template <typename T>
  std::optional<T> GetAttr(const std::string& key, std::optional<T> default_value = std::nullopt) const {
    auto v = attrs.Get(String(key));
    if (!v.has_value() || !v->defined()) return default_value;
    return Downcast<T>(*v);
  }
  /*! \brief The canonical text form, e.g. "llvm -keys=cpu -mcpu=znver4". */
  TVM_DLL std::string str() const;
  /*! \brief -mattr features as a list (["+avx512f", ...]). */
  TVM_DLL Array<String> GetFeatures() const;
  TVM_DLL bool HasKey(const std::string& key) const;

  static constexpr const char* _type_key = "Target";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Target : public ObjectRef {
 public:
  using ContainerType = TargetNode;
  using ObjectRef::ObjectRef;
  Target() = default;
  /*!
   * \brief Parse a target string ("llvm -mcpu=x -mattr=+a,+b") or a tag.
   * \throws Error (ValueError) naming the unknown kind or attribute, or a bad value.
   */
  TVM_DLL explicit Target(const std::string& target);
  TVM_DLL Target(Target target, Target host);
  const TargetNode* operator->() const { return static_cast<const TargetNode*>(get()); }

  /*! \brief The innermost target of a `with target:` scope, or undefined. */
  TVM_DLL static Target Current(bool allow_not_defined = true);
  TVM_DLL void EnterWithScope();
  TVM_DLL void ExitWithScope();
  /*! \brief The host target ("llvm" by default for device targets; itself for CPU targets). */
  TVM_DLL Target GetHost() const;
};

}  // namespace tvm
#endif  // TVM_TARGET_TARGET_H_
