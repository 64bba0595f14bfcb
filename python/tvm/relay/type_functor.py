# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Visitors and mutators of Relay types written in Python (TypeFunctor,
TypeVisitor, TypeMutator). Types are small trees: plain recursion, memoised
per node like the expression functors."""
from ..ir import (
    FuncType,
    GlobalTypeVar,
    IncompleteType,
    RelayRefType,
    TensorType,
    TupleType,
    TypeCall,
    TypeRelation,
    TypeVar,
)
from . import _ffi_api

_METHOD_OF = [
    (TypeVar, "visit_type_var"),
    (IncompleteType, "visit_incomplete_type"),
    (TensorType, "visit_tensor_type"),
    (FuncType, "visit_func_type"),
    (TupleType, "visit_tuple_type"),
    (TypeRelation, "visit_type_relation"),
    (RelayRefType, "visit_ref_type"),
    (GlobalTypeVar, "visit_global_type_var"),
    (TypeCall, "visit_type_call"),
]


class TypeFunctor:
    """Dispatch on the kind of a type, with memoisation; every visit_* raises
    NotImplementedError here (TypeVisitor and TypeMutator give defaults)."""

    def __init__(self):
        self.memo_map = {}

    def visit(self, typ):
        """Apply the functor to a type (once per node)."""
        key = typ.handle.address if hasattr(typ, "handle") else id(typ)
        if key in self.memo_map:
            return self.memo_map[key][1]
        name = next((m for cls, m in _METHOD_OF if isinstance(typ, cls)), None)
        if name is None:
            raise TypeError(f"{type(self).__name__}.visit: not a Relay type: {type(typ).__name__} {typ!r}")
        res = getattr(self, name)(typ)
        self.memo_map[key] = (typ, res)  # keep typ alive so its address stays its own
        return res

    def visit_type_var(self, _):
        raise NotImplementedError()

    def visit_incomplete_type(self, _):
        raise NotImplementedError()

    def visit_tensor_type(self, _):
        raise NotImplementedError()

    def visit_func_type(self, _):
        raise NotImplementedError()

    def visit_tuple_type(self, _):
        raise NotImplementedError()

    def visit_type_relation(self, _):
        raise NotImplementedError()

    def visit_ref_type(self, _):
        raise NotImplementedError()

    def visit_global_type_var(self, _):
        raise NotImplementedError()

    def visit_type_call(self, _):
        raise NotImplementedError()


class TypeVisitor(TypeFunctor):
    """Visits every type node once."""

    def visit_type_var(self, tv):
        pass

    def visit_incomplete_type(self, it):
        pass

    def visit_tensor_type(self, tt):
        pass

    def visit_func_type(self, ft):
        for arg_type in ft.arg_types:
            self.visit(arg_type)
        self.visit(ft.ret_type)
        for type_param in ft.type_params:
            self.visit(type_param)
        for type_constraint in ft.type_constraints:
            self.visit(type_constraint)

    def visit_tuple_type(self, tt):
        for field in tt.fields:
            self.visit(field)

    def visit_type_relation(self, tr):
        for arg in tr.args:
            self.visit(arg)

    def visit_ref_type(self, rt):
        self.visit(rt.value)

    def visit_global_type_var(self, gtv):
        pass

    def visit_type_call(self, tc):
        self.visit(tc.func)
        for arg in tc.args:
            self.visit(arg)


def _same(new, old):
    return len(new) == len(old) and all(a.same_as(b) for a, b in zip(new, old))


class TypeMutator(TypeFunctor):
    """Rebuilds a type bottom-up; unchanged parts come back as the same objects."""

    def visit_type_var(self, tv):
        return tv

    def visit_incomplete_type(self, it):
        return it

    def visit_tensor_type(self, tt):
        return tt

    def visit_func_type(self, ft):
        arg_types = [self.visit(t) for t in ft.arg_types]
        ret_type = self.visit(ft.ret_type)
        type_params = [self.visit(t) for t in ft.type_params]
        constraints = [self.visit(c) for c in ft.type_constraints]
        if (
            _same(arg_types, ft.arg_types)
            and ret_type.same_as(ft.ret_type)
            and _same(type_params, ft.type_params)
            and _same(constraints, ft.type_constraints)
        ):
            return ft
        return FuncType(arg_types, ret_type, type_params, constraints)

    def visit_tuple_type(self, tt):
        fields = [self.visit(f) for f in tt.fields]
        return tt if _same(fields, tt.fields) else TupleType(fields)

    def visit_type_relation(self, tr):
        args = [self.visit(a) for a in tr.args]
        return tr if _same(args, tr.args) else _ffi_api.TypeRelationWithArgs(tr, args)

    def visit_ref_type(self, rt):
        value = self.visit(rt.value)
        return rt if value.same_as(rt.value) else RelayRefType(value)

    def visit_global_type_var(self, gtv):
        return gtv

    def visit_type_call(self, tc):
        func = self.visit(tc.func)
        args = [self.visit(a) for a in tc.args]
        return tc if func.same_as(tc.func) and _same(args, tc.args) else TypeCall(func, args)
