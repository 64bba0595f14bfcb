"""tvm.IRModule: construction, functions, attributes, lookups and errors.

The ir layer defines no concrete function type of its own; tests that need a
function build a tir.PrimFunc and are skipped while the tir layer is absent.
"""

import pytest

import tvm
from tvm import ir


def make_func(value=0):
    """A small function to put in a module (needs the tir layer)."""
    tir = pytest.importorskip("tvm.tir")
    if not (hasattr(tir, "PrimFunc") and hasattr(tir, "Evaluate")):
        pytest.skip("tvm.tir.PrimFunc is not available in this build")
    return tir.PrimFunc([], tir.Evaluate(value))


def test_empty_module():
    mod = tvm.IRModule()
    assert isinstance(mod, tvm.ir.IRModule)
    assert len(mod.functions) == 0
    assert len(mod) == 0
    assert mod.get_global_vars() == []
    assert "main" not in mod
    assert isinstance(mod.attrs, tvm.ir.DictAttrs)
    assert len(mod.attrs) == 0


def test_get_global_var_error_names_the_function():
    mod = tvm.IRModule()
    with pytest.raises(ValueError) as info:
        mod.get_global_var("main")
    assert "main" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)
    with pytest.raises(ValueError, match="missing_fn"):
        mod["missing_fn"]


def test_with_attr_returns_new_module():
    mod = tvm.IRModule()
    mod2 = mod.with_attr("executor", "graph")
    assert mod2.attrs["executor"] == "graph"
    assert mod2.get_attr("executor") == "graph"
    assert mod.get_attr("executor") is None
    assert "executor" not in mod.attrs
    mod3 = mod2.with_attr("runtime", "cpp").with_attr("executor", "aot")
    assert mod3.get_attr("executor") == "aot"
    assert mod3.get_attr("runtime") == "cpp"
    assert mod2.get_attr("executor") == "graph"
    assert sorted(mod3.attrs.keys()) == ["executor", "runtime"]


def test_with_attr_object_values():
    mod = tvm.IRModule().with_attr("sizes", tvm.runtime.convert([1, 2, 3]))
    assert [int(v) for v in mod.get_attr("sizes")] == [1, 2, 3]
    mod = mod.with_attr("gv", tvm.ir.GlobalVar("g"))
    assert mod.get_attr("gv").name_hint == "g"


def test_construct_with_attrs():
    attrs = tvm.ir.make_dict_attrs({"k": "v"})
    mod = tvm.IRModule({}, attrs=attrs)
    assert mod.get_attr("k") == "v"


def test_construct_with_attrs_dict():
    # As in TVM, a plain dict is accepted for the module attributes.
    mod = tvm.IRModule({}, attrs={"k": "v", "n": 3})
    assert mod.get_attr("k") == "v"
    assert int(mod.get_attr("n")) == 3


def test_fields_are_readable():
    mod = tvm.IRModule()
    assert "functions" in dir(mod)
    assert "attrs" in dir(mod)
    with pytest.raises(AttributeError, match="no_such_field"):
        mod.no_such_field


def test_repr_mentions_attrs():
    mod = tvm.IRModule().with_attr("marker_attr", "marker_value")
    assert "marker_value" in repr(mod)


# ---------------------------------------------------------------------------
# With functions (tir.PrimFunc)


def test_construct_from_dict_of_functions():
    f, g = make_func(1), make_func(2)
    mod = tvm.IRModule({"f": f, "g": g})
    assert len(mod.functions) == 2
    assert "f" in mod and "g" in mod and "h" not in mod
    assert mod["f"].same_as(f)
    assert mod.get_global_var("g").name_hint == "g"
    names = sorted(gv.name_hint for gv in mod.get_global_vars())
    assert names == ["f", "g"]
    assert mod.get_global_var("f") in mod.functions


def test_setitem_adds_and_replaces():
    mod = tvm.IRModule()
    f1, f2 = make_func(1), make_func(2)
    mod["main"] = f1
    gv = mod.get_global_var("main")
    assert mod["main"].same_as(f1)
    assert mod[gv].same_as(f1)
    mod["main"] = f2
    assert mod["main"].same_as(f2)
    assert mod.get_global_var("main").same_as(gv)
    assert len(mod.functions) == 1


def test_add_duplicate_without_update_raises():
    mod = tvm.IRModule({"main": make_func(1)})
    with pytest.raises(ValueError, match="main"):
        mod.add(mod.get_global_var("main"), make_func(2))
    mod.add(mod.get_global_var("main"), make_func(3), update=True)


def test_get_global_var_error_lists_functions():
    mod = tvm.IRModule({"alpha": make_func(1), "beta": make_func(2)})
    with pytest.raises(ValueError) as info:
        mod.get_global_var("gamma")
    message = str(info.value)
    assert "gamma" in message and "alpha" in message and "beta" in message


def test_remove_and_update():
    mod = tvm.IRModule({"a": make_func(1), "b": make_func(2)})
    mod.remove("a")
    assert "a" not in mod and "b" in mod
    other = tvm.IRModule({"b": make_func(5), "c": make_func(6)})
    mod.update(other)
    assert "c" in mod
    ir.assert_structural_equal(mod["b"], make_func(5))


def test_function_with_attr():
    f = make_func(1)
    g = f.with_attr("global_symbol", "main")
    assert g.attrs["global_symbol"] == "main"
    assert f.attrs is None or "global_symbol" not in f.attrs


def test_modules_built_apart_are_structurally_equal():
    a = tvm.IRModule({"main": make_func(1), "helper": make_func(2)})
    b = tvm.IRModule({"helper": make_func(2), "main": make_func(1)})
    ir.assert_structural_equal(a, b)
    assert ir.structural_hash(a) == ir.structural_hash(b)
    c = tvm.IRModule({"main": make_func(1), "helper": make_func(3)})
    assert not ir.structural_equal(a, c)
