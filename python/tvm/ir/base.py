# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Node utilities: JSON, structural equality and hashing, make_node."""
from .._ffi.registry import get_global_func
from ..runtime.object import Object
from ..runtime.container import convert


Node = Object


def save_json(node):
    """The JSON text of an object graph (loadable by load_json in any process)."""
    return get_global_func("node.SaveJSON")(node)


def load_json(json_str):
    """Load an object graph saved by save_json. Malformed text raises ValueError."""
    return get_global_func("node.LoadJSON")(json_str)


# Python values (ints, floats, strings, lists, dicts) are compared as the
# objects they convert to, as everywhere else they cross into the IR: 1 is an
# int32 IntImm, 2.5 a float32 FloatImm.


def structural_equal(lhs, rhs, map_free_vars=False):
    """Whether two IR terms are equal up to the naming of bound variables."""
    return bool(
        get_global_func("node.StructuralEqual")(convert(lhs), convert(rhs), False, map_free_vars)
    )


def assert_structural_equal(lhs, rhs, map_free_vars=False):
    """Raise ValueError describing the first difference when not structurally equal."""
    get_global_func("node.StructuralEqual")(convert(lhs), convert(rhs), True, map_free_vars)


def get_first_structural_mismatch(lhs, rhs, map_free_vars=False):
    """A description of the first difference, or None when equal."""
    diff = get_global_func("node.StructuralDiff")(convert(lhs), convert(rhs), map_free_vars)
    return diff or None


def structural_hash(node, map_free_vars=False):
    """A hash consistent with structural_equal."""
    return get_global_func("node.StructuralHash")(convert(node), map_free_vars)


def make_node(type_key, **kwargs):
    """Create an object of `type_key` with fields set from keyword arguments
    (for "DictAttrs": the dictionary's entries)."""
    if type_key == "DictAttrs":
        from .attrs import make_dict_attrs  # pylint: disable=import-outside-toplevel

        return make_dict_attrs({k: convert(v) for k, v in kwargs.items()})
    args = [type_key]
    for k, v in kwargs.items():
        args += [k, v]
    return get_global_func("node.MakeNode")(*args)


def pretty_print(obj):
    print(repr(obj))
