# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay's standard library of algebraic data types and list functions.

Prelude(mod) loads std/prelude.rly into mod: the types List (Cons, Nil),
Option (Some, None) and Tree (Rose) and the functions named in GLOBAL_DEFS,
each reachable as an attribute (p.map, p.foldl, ...)."""
from ..ir import IRModule

GLOBAL_DEFS = [
    "id",
    "compose",
    "flip",
    "hd",
    "tl",
    "nth",
    "update",
    "map",
    "foldl",
    "foldr",
    "foldr1",
    "concat",
    "filter",
    "zip",
    "rev",
    "map_accuml",
    "map_accumr",
    "unfoldl",
    "unfoldr",
    "sum",
    "length",
    "tmap",
    "size",
    "iterate",
]


class Prelude:
    """The standard definitions, loaded into `mod` (a new module when None)."""

    def __init__(self, mod=None):
        if mod is None:
            mod = IRModule()
        self.mod = mod
        self.load_prelude()

    def load_prelude(self):
        """Parse std/prelude.rly into the module and bind its names as attributes."""
        self.mod.import_from_std("prelude.rly")
        for name in GLOBAL_DEFS:
            setattr(self, name, self.mod.get_global_var(name))
        self.l, self.cons, self.nil = self.mod.get_type("List")
        self.optional, self.some, self.none = self.mod.get_type("Option")
        self.tree, self.rose = self.mod.get_type("Tree")

    def get_global_var(self, canonical, dtype=None):
        """The global function `canonical` (the dtype-specialised name `canonical_dtype` when given)."""
        return self.mod.get_global_var(canonical if dtype is None else f"{canonical}_{dtype}")

    def get_type(self, canonical, dtype=None):
        """The GlobalTypeVar of type `canonical` (`canonical_dtype` when a dtype is given)."""
        return self.mod.get_global_type_var(canonical if dtype is None else f"{canonical}_{dtype}")
