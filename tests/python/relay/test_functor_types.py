# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.relay.TypeFunctor / TypeVisitor / TypeMutator."""
import pytest

import tvm
from tvm import relay
from tvm.relay import TypeFunctor, TypeMutator, TypeVisitor


def all_kinds():
    a = relay.TypeVar("a")
    t = relay.TensorType((2, 3), "float32")
    ft = relay.FuncType([a, relay.TupleType([t, relay.IncompleteType()])], relay.RefType(t), [a])
    call = relay.TypeCall(relay.GlobalTypeVar("List"), [a])
    return relay.TupleType([ft, call, t])


def test_functor_raises_not_implemented():
    with pytest.raises(NotImplementedError):
        TypeFunctor().visit(relay.TypeVar("a"))
    with pytest.raises(TypeError, match="not a Relay type"):
        TypeVisitor().visit(3)


def test_visitor_reaches_every_node_once():
    t = all_kinds()
    seen = []

    class Record(TypeVisitor):
        def visit(self, typ):
            if typ.handle.address not in {s.handle.address for s in seen}:
                seen.append(typ)
            return super().visit(typ)

    Record().visit(t)
    kinds = sorted({type(s).__name__ for s in seen})
    assert kinds == ["FuncType", "GlobalTypeVar", "IncompleteType", "RelayRefType", "TensorType", "TupleType",
                     "TypeCall", "TypeVar"]


def test_mutator_identity_and_rebuild():
    t = all_kinds()
    assert TypeMutator().visit(t).same_as(t)

    class F32ToF16(TypeMutator):
        def visit_tensor_type(self, tt):
            return relay.TensorType(tt.shape, "float16") if tt.dtype == "float32" else tt

    out = F32ToF16().visit(t)
    f16 = relay.TensorType((2, 3), "float16")
    a = t.fields[0].type_params[0]
    expected = relay.TupleType(
        [
            relay.FuncType([a, relay.TupleType([f16, t.fields[0].arg_types[1].fields[1]])], relay.RefType(f16), [a]),
            t.fields[1],
            f16,
        ]
    )
    tvm.ir.assert_structural_equal(out, expected)
    assert out.fields[1].same_as(t.fields[1])  # the type call did not change


def test_mutator_rebuilds_type_relations():
    # An operator's type: fn<in0, in1, out>(in0, in1) -> out where Broadcast(in0, in1, out)
    op_type = tvm.ir.Op.get("add").op_type
    t = relay.TensorType((4,), "int8")

    class Instantiate(TypeMutator):
        def visit_type_var(self, tv):
            return t

    out = Instantiate().visit(op_type)
    rel = out.type_constraints[0]
    assert rel.name == "Broadcast" and rel.num_inputs == 2
    assert all(a.same_as(t) for a in rel.args)
    assert TypeMutator().visit(op_type).same_as(op_type)
