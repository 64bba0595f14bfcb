/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/target/virtual_device.h
 * \brief VirtualDevice: where a value lives at run time and what code computes it, as a record:
 *  a device type and index (-1: not constrained), a target and a memory scope ("": any). TVM's
 *  device planning reads these; here they are data that IR (text format metadata, annotations)
 *  can carry and compare.
 *
 *   VirtualDevice(kDLCPU, 0, Target("llvm"), "global")
 */
#ifndef TVM_TARGET_VIRTUAL_DEVICE_H_
#define TVM_TARGET_VIRTUAL_DEVICE_H_

#include <tvm/ir/reflection.h>
#include <tvm/target/target.h>

namespace tvm {

class VirtualDeviceNode : public Object {
 public:
  /*! \brief DLDeviceType, or -1 when not constrained. */
  int device_type_int{-1};
  /*! \brief The device index, or -1 when not constrained. */
  int virtual_device_id{-1};
  /*! \brief The target code is compiled for; null when not constrained. */
  Target target;
  /*! \brief The memory scope ("global", ...); empty when not constrained. */
  String memory_scope;

  bool IsFullyUnconstrained() const {
    return device_type_int == -1 && virtual_device_id == -1 && !target.defined() && memory_scope.empty();
  }

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("device_type_int", &device_type_int);
    v->Visit("virtual_device_id", &virtual_device_id);
    v->Visit("target", &target);
    v->Visit("memory_scope", &memory_scope);
  }
  static constexpr const char* _type_key = "VirtualDevice";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class VirtualDevice : public ObjectRef {
 public:
  using ContainerType = VirtualDeviceNode;
  using ObjectRef::ObjectRef;
  VirtualDevice() = default;
  /*!
   * \brief A device type of -1 with a target takes the target's device type; a device type that
   *  differs from the target's is a ValueError naming both.
   */
  TVM_DLL VirtualDevice(int device_type, int virtual_device_id, Target target, String memory_scope);
  const VirtualDeviceNode* operator->() const { return static_cast<const VirtualDeviceNode*>(get()); }
};

}  // namespace tvm
#endif  // TVM_TARGET_VIRTUAL_DEVICE_H_
