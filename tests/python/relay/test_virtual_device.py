"""tvm.target.VirtualDevice: its fields, defaults from the target, equality and errors."""
import pytest

import tvm


def test_fields_and_defaults():
    v = tvm.target.VirtualDevice(tvm.cpu(0), tvm.target.Target("llvm"), "global")
    assert (v.device_type, v.device_type_int, v.virtual_device_id, v.memory_scope) == (1, 1, 0, "global")
    assert v.target.kind.name == "llvm"
    free = tvm.target.VirtualDevice()
    assert (free.device_type, free.virtual_device_id, free.target, free.memory_scope) == (-1, -1, None, "")
    # A target alone gives its device type; the index stays unconstrained.
    from_target = tvm.target.VirtualDevice(target="llvm")
    assert (from_target.device_type, from_target.virtual_device_id) == (1, -1)
    assert "VirtualDevice(device_type=1" in str(v)


def test_structural_equality():
    make = lambda scope: tvm.target.VirtualDevice(tvm.cpu(), tvm.target.Target("llvm"), scope)
    assert tvm.ir.structural_equal(make("global"), make("global"))
    assert not tvm.ir.structural_equal(make("global"), make(""))
    assert not tvm.ir.structural_equal(make(""), tvm.target.VirtualDevice())


def test_device_that_contradicts_the_target():
    with pytest.raises(ValueError, match="device type 2 does not match target llvm"):
        tvm.target.VirtualDevice(tvm.cuda(), "llvm")
