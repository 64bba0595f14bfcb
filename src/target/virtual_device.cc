/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// VirtualDevice: a record of device, target and memory scope (see the header).
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/virtual_device.h>

#include <optional>

namespace tvm {

VirtualDevice::VirtualDevice(int device_type, int virtual_device_id, Target target, String memory_scope) {
  if (target.defined()) {
    int target_type = target->kind->default_device_type;
    if (device_type == -1) {
      device_type = target_type;
    } else {
      TVM_CHECK(device_type == target_type, "ValueError")
          << "VirtualDevice: device type " << device_type << " does not match target " << target->str()
          << ", whose device type is " << target_type;
    }
  }
  TVM_CHECK(device_type >= -1 && virtual_device_id >= -1, "ValueError")
      << "VirtualDevice: device type and index must be -1 (not constrained) or valid, got " << device_type << " and "
      << virtual_device_id;
  auto n = make_object<VirtualDeviceNode>();
  n->device_type_int = device_type;
  n->virtual_device_id = virtual_device_id;
  n->target = std::move(target);
  n->memory_scope = std::move(memory_scope);
  data_ = std::move(n);
}

TVM_REGISTER_NODE_TYPE(VirtualDeviceNode);

TVM_REGISTER_GLOBAL("target.VirtualDevice")
    .set_body_typed([](int device_type, int virtual_device_id, std::optional<Target> target, String memory_scope) {
      return VirtualDevice(device_type, virtual_device_id, target ? *target : Target(), memory_scope);
    });

[[maybe_unused]] static const int kVirtualDevicePrinter =
    ReprPrinter::Register<VirtualDeviceNode>([](const ObjectRef& node, ReprPrinter* p) {
      const auto* n = static_cast<const VirtualDeviceNode*>(node.get());
      p->stream << "VirtualDevice(device_type=" << n->device_type_int << ", virtual_device_id=" << n->virtual_device_id
                << ", target=" << (n->target.defined() ? n->target->str() : std::string("None"))
                << ", memory_scope=\"" << n->memory_scope << "\")";
    });

}  // namespace tvm
