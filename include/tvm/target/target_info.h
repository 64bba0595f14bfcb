/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file target_info.h
 * \brief What a target says about its special memories (tagged storage
 *  scopes such as "local.L0A"): the unit of addressing, the widest vector
 *  access and the capacity. A target (or a test) describes a scope by
 *  registering a global function "tvm.info.mem.<scope>" that returns a
 *  MemoryInfo; passes that pack buffers into such a memory (StorageRewrite)
 *  align to max_simd_bits and refuse plans larger than max_num_bits.
 */
#ifndef TVM_TARGET_TARGET_INFO_H_
#define TVM_TARGET_TARGET_INFO_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/reflection.h>

#include <string>

namespace tvm {

class MemoryInfoNode : public Object {
 public:
  /*! \brief Bits of the smallest addressable unit. */
  int unit_bits{8};
  /*! \brief Bits of the widest vector access; packed buffers start at multiples of it. */
  int max_simd_bits{32};
  /*! \brief Capacity in bits. */
  int64_t max_num_bits{0};
  /*! \brief Address of the memory's first byte, when the target fixes it (else undefined). */
  PrimExpr head_address;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("unit_bits", &unit_bits);
    v->Visit("max_num_bits", &max_num_bits);
    v->Visit("max_simd_bits", &max_simd_bits);
    v->Visit("head_address", &head_address);
  }
  static constexpr const char* _type_key = "MemoryInfo";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class MemoryInfo : public ObjectRef {
 public:
  using ContainerType = MemoryInfoNode;
  using ObjectRef::ObjectRef;
  MemoryInfo() = default;
  const MemoryInfoNode* operator->() const { return static_cast<const MemoryInfoNode*>(get()); }
};

/*!
 * \brief The MemoryInfo registered for a storage scope ("tvm.info.mem.<scope>"),
 *  or an undefined MemoryInfo when none is registered.
 */
TVM_DLL MemoryInfo GetMemoryInfo(const std::string& scope);

}  // namespace tvm
#endif  // TVM_TARGET_TARGET_INFO_H_
