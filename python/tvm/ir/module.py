# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""IRModule."""
from .._ffi.registry import register_object
from ..runtime.container import convert
from ..runtime.object import Object
from . import _ffi_api
from .expr import GlobalVar


@register_object("IRModule")
class IRModule(Object):
    """A set of named functions: the unit that passes transform.

    mod["f"] = func adds (or replaces) function f; mod["f"] looks it up.
    """

    def __init__(self, functions=None, type_definitions=None, attrs=None):
        funcs = {}
        for name, func in (functions or {}).items():
            key = GlobalVar(name) if isinstance(name, str) else name
            funcs[key] = func
        if isinstance(attrs, dict):
            attrs = _ffi_api.DictAttrs({k: convert(v) for k, v in attrs.items()})
        self.__init_handle_by_constructor__(_ffi_api.IRModule, funcs, attrs)
        for var, type_data in (type_definitions or {}).items():
            if isinstance(var, str):
                from .type import GlobalTypeVar  # pylint: disable=import-outside-toplevel

                var = GlobalTypeVar(var)
            _ffi_api.Module_AddDef(self, var, type_data, False)

    @staticmethod
    def from_expr(expr, functions=None, type_defs=None):
        """A module holding the function `expr` (as its global_symbol, else
        "main") beside `functions` ({name or GlobalVar: function})."""
        from .function import BaseFunc
        from .expr import RelayExpr

        if isinstance(expr, RelayExpr) and not isinstance(expr, BaseFunc):
            # A Relay expression becomes the body of a function of its free variables (as in TVM).
            from .. import relay  # pylint: disable=import-outside-toplevel

            expr = relay.Function(relay.analysis.free_vars(expr), expr)
        if not isinstance(expr, BaseFunc):
            raise TypeError(
                f"IRModule.from_expr expects a function (e.g. a tir.PrimFunc), got {type(expr).__name__}"
            )
        name = "main"
        if expr.attrs is not None and "global_symbol" in expr.attrs:
            name = str(expr.attrs["global_symbol"])
        funcs = dict(functions or {})
        funcs[name] = expr
        return IRModule(funcs, type_defs)

    def __setitem__(self, var, func):
        self._add(var, func, True)

    def _add(self, var, val, update=True):
        """Add (or, with update, replace) the function `val` under `var` (a GlobalVar or a name),
        or the type definition `val` under the GlobalTypeVar `var`."""
        from .type import GlobalTypeVar  # pylint: disable=import-outside-toplevel

        if isinstance(var, GlobalTypeVar):
            _ffi_api.Module_AddDef(self, var, val, update)
            return
        if isinstance(var, str):
            var = self.get_global_var(var) if _ffi_api.Module_ContainGlobalVar(self, var) else GlobalVar(var)
        val = _as_function(val)
        _ffi_api.Module_Add(self, var, val, update)

    def __getitem__(self, var):
        from .type import GlobalTypeVar  # pylint: disable=import-outside-toplevel

        if isinstance(var, GlobalTypeVar):
            return _ffi_api.Module_LookupDef(self, var)
        if isinstance(var, str):
            return _ffi_api.Module_LookupStr(self, var)
        return _ffi_api.Module_Lookup(self, var)

    def __contains__(self, var):
        name = var if isinstance(var, str) else var.name_hint
        return bool(_ffi_api.Module_ContainGlobalVar(self, name))

    def __len__(self):
        return len(self.functions)

    def add(self, var, func, update=False):
        if isinstance(var, str):
            var = GlobalVar(var)
        _ffi_api.Module_Add(self, var, func, update)

    def update(self, other):
        if isinstance(other, dict):
            other = IRModule(other)
        _ffi_api.Module_Update(self, other)

    def update_func(self, var, func):
        _ffi_api.Module_Add(self, var, func, True)

    def remove(self, var):
        if isinstance(var, str):
            var = self.get_global_var(var)
        _ffi_api.Module_Remove(self, var)

    def get_global_var(self, name):
        """The GlobalVar of function `name`; ValueError listing the functions when absent."""
        return _ffi_api.Module_GetGlobalVar(self, name)

    def add_def(self, var, type_data, update=False):
        """Add the type definition `type_data` (a relay.TypeData) under the GlobalTypeVar `var`."""
        _ffi_api.Module_AddDef(self, var, type_data, update)

    def import_from_std(self, file_to_import):
        """Parse python/tvm/relay/std/<file_to_import> into this module (each file once)."""
        import os  # pylint: disable=import-outside-toplevel

        from .. import parser  # pylint: disable=import-outside-toplevel

        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "relay", "std", file_to_import)
        if not os.path.isfile(path):
            raise ValueError(f"import_from_std: no standard file {file_to_import!r} (looked for {path})")
        with open(path) as f:
            text = f.read()
        # Importing a file twice is a no-op: every type and function it defines is already here.
        import re  # pylint: disable=import-outside-toplevel

        types = re.findall(r"^(?:extern\s+)?type\s+(\w+)", text, re.M)
        funcs = re.findall(r"^def\s+@(\w+)", text, re.M)
        if all(_ffi_api.Module_ContainGlobalTypeVar(self, t) for t in types) and all(
            _ffi_api.Module_ContainGlobalVar(self, g) for g in funcs
        ):
            return self
        parsed = parser.parse(text, file_to_import, init_module=self)
        _ffi_api.Module_Update(self, parsed)
        return self

    def get_global_type_var(self, name):
        """The GlobalTypeVar of the type definition named `name`."""
        return _ffi_api.Module_GetGlobalTypeVar(self, name)

    def get_global_type_vars(self):
        """The GlobalTypeVars of the module's type definitions."""
        return list(_ffi_api.Module_GetGlobalTypeVars(self))

    def get_constructor(self, tag):
        """The constructor whose tag is `tag` (an int), or whose name is `tag` (a str)."""
        for type_data in self.type_definitions.values():
            for ctor in type_data.constructors:
                if (isinstance(tag, str) and ctor.name_hint == tag) or (
                    not isinstance(tag, str) and ctor.tag == tag
                ):
                    return ctor
        raise ValueError(f"IRModule has no constructor {tag!r}")

    def get_type(self, name):
        """[the GlobalTypeVar of type `name`, then its constructors] (as TVM's Prelude uses)."""
        ty_var = self.get_global_type_var(name)
        ty_data = self.type_definitions[ty_var]
        return tuple([ty_var] + list(ty_data.constructors))

    def get_global_vars(self):
        return list(_ffi_api.Module_GetGlobalVars(self))

    def with_attr(self, attr_key, attr_value):
        """A copy of the module with attribute `attr_key` set."""
        return _ffi_api.Module_WithAttr(self, attr_key, convert(attr_value))

    def get_attr(self, attr_key):
        return self.attrs.get(attr_key) if self.attrs is not None else None

    def astext(self, show_meta_data=True, annotate=None):
        """The Relay text format of the module (tvm.relay.parse reads it back); a module
        of tir PrimFuncs only gives its TVMScript."""
        from .function import BaseFunc  # pylint: disable=import-outside-toplevel
        from .._ffi.registry import get_global_func  # pylint: disable=import-outside-toplevel

        has_relay = any(f.type_key != "tir.PrimFunc" for f in self.functions.values() if isinstance(f, BaseFunc))
        if not has_relay and len(self.functions) > 0:
            return repr(self)
        return get_global_func("relay.ir.AsText")(self, show_meta_data, annotate)

    def script(self, **kwargs):
        """The TVMScript text of the module (tvm.script.from_source reads it back)."""
        return repr(self)

    def show(self, **kwargs):
        """Print script()."""
        print(self.script(**kwargs))


def _as_function(val):
    """A Relay expression that is not a function becomes one over its free variables (as TVM's
    Module_Add does), so that mod["main"] = expr works."""
    from .expr import RelayExpr  # pylint: disable=import-outside-toplevel
    from .function import BaseFunc  # pylint: disable=import-outside-toplevel

    if isinstance(val, RelayExpr) and not isinstance(val, (BaseFunc, GlobalVar)):
        from ..relay import analysis, function  # pylint: disable=import-outside-toplevel

        return function.Function(analysis.free_vars(val), val)
    return val
