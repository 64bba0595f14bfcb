# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Runtime names of TVM v0.14: const, DataTypeCode, device aliases, ObjectGeneric,
container printing."""
import json

import tvm


def test_const_defaults():
    assert tvm.runtime.const(3).dtype == "int32"
    assert tvm.runtime.const(2**40).dtype == "int64"
    assert tvm.runtime.const(1.5).dtype == "float32"
    assert tvm.runtime.const(True).dtype == "bool"
    c = tvm.runtime.const(7, "int8")
    assert c.dtype == "int8" and c.value == 7


def test_datatype_codes_and_device_aliases():
    assert tvm.DataTypeCode.INT == tvm.DataType("int8").type_code
    assert tvm.DataTypeCode.FLOAT == tvm.DataType("float32").type_code
    assert tvm.cl(1).device_type == tvm.opencl(1).device_type and tvm.cl(1).device_id == 1
    assert tvm.mtl().device_type == tvm.metal().device_type
    assert tvm.hexagon().device_type == 16


def test_object_generic_converts_through_asobject():
    class Holder(tvm.runtime.ObjectGeneric):
        def __init__(self, value):
            self.value = value

        def asobject(self):
            return tvm.runtime.convert(self.value)

    arr = tvm.runtime.convert([Holder(5), Holder("s")])
    assert arr[0].value == 5 and arr[1] == "s"


def test_containers_print_as_json():
    text = repr(tvm.runtime.convert({"arr": [10, 12], "name": "x"}))
    assert json.loads(text.replace("T.float32", "")) == {"arr": [10, 12], "name": "x"}
    assert repr(tvm.runtime.convert(["a", 'b"c'])) == '["a", "b\\"c"]'


def test_hexagon_device_is_known_but_absent():
    dev = tvm.device("hexagon")
    assert dev.device_type == 16 and not dev.exist


def test_runtime_enabled_names():
    assert tvm.runtime.enabled("cpu") and tvm.runtime.enabled("llvm")
    assert tvm.runtime.enabled("llvm -mcpu=generic")
    cuda = tvm.runtime.enabled("cuda")
    assert tvm.runtime.enabled("gpu") == cuda and tvm.runtime.enabled("nvptx") == cuda
    assert not tvm.runtime.enabled("no_such_device")


def test_module_property_masks(tmp_path):
    import numpy as np
    from tvm import te

    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    jit = tvm.build(te.create_schedule(B.op), [A, B], name="add_one")
    mask = tvm.runtime.ModulePropertyMask
    assert jit.get_property_mask() == mask.RUNNABLE | mask.DSO_EXPORTABLE
    assert jit.is_runnable and jit.is_dso_exportable and not jit.is_binary_serializable

    path = str(tmp_path / "lib.so")
    jit.export_library(path)
    loaded = tvm.runtime.load_module(path)
    assert loaded.get_property_mask() == mask.RUNNABLE
    assert loaded.is_runnable and not loaded.is_dso_exportable
    b = tvm.nd.empty((8,), "float32")
    loaded["add_one"](tvm.nd.array(np.zeros(8, "float32")), b)
    np.testing.assert_array_equal(b.numpy(), np.ones(8, "float32"))
