# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""An LSTM network unrolled over a fixed number of steps: each step calls its own
LSTM cell function (its own weights) on that step's input and the previous states."""
from tvm import relay
from . import layers
from .init import create_workload


def _types(num_hidden, batch_size, dtype):
    """The types an LSTM of this size uses: (input/state, weight, bias, gates, states pair)."""
    hidden = relay.TensorType((batch_size, num_hidden), dtype)
    return (
        hidden,
        relay.TensorType((4 * num_hidden, num_hidden), dtype),
        relay.TensorType((4 * num_hidden,), dtype),
        relay.TensorType((batch_size, 4 * num_hidden), dtype),
        relay.TupleType([hidden, hidden]),
    )


def lstm_cell(num_hidden, batch_size=1, dtype="float32", name=""):
    """One LSTM cell as a relay.Function of (inputs, states=(h, c), i2h_weight, i2h_bias,
    h2h_weight, h2h_bias) returning (next_h, (next_h, next_c)).

    The gates come from dense(inputs) + dense(h), split in four along the features:
    input, forget, candidate (tanh) and output gate; c' = f*c + i*g, h' = o*tanh(c')."""
    hidden, weight_type, bias_type, gates_type, states_type = _types(num_hidden, batch_size, dtype)
    ret_type = relay.TupleType([hidden, states_type])
    inputs = relay.Var("inputs", hidden)
    states = relay.Var("states", states_type)
    i2h_weight = relay.Var("i2h_weight", weight_type)
    i2h_bias = relay.Var("i2h_bias", bias_type)
    h2h_weight = relay.Var("h2h_weight", weight_type)
    h2h_bias = relay.Var("h2h_bias", bias_type)

    sb = relay.ScopeBuilder()
    i2h = sb.let(("i2h", gates_type), layers.dense_add_bias(
        data=inputs, units=num_hidden * 4, weight=i2h_weight, bias=i2h_bias, name=f"{name}i2h"))
    h2h = sb.let(("h2h", gates_type), layers.dense_add_bias(
        data=relay.TupleGetItem(states, 0), units=num_hidden * 4, weight=h2h_weight, bias=h2h_bias,
        name=f"{name}h2h"))
    gates = sb.let(("gates", gates_type), relay.add(i2h, h2h))
    pieces = sb.let(
        ("slice_gates", relay.TupleType([hidden] * 4)),
        relay.split(gates, indices_or_sections=4, axis=1).astuple(),
    )
    gate = {}
    for index, (gate_name, activation) in enumerate(
        [("in_gate", relay.sigmoid), ("forget_gate", relay.sigmoid),
         ("in_transform", relay.tanh), ("out_gate", relay.sigmoid)]
    ):
        gate[gate_name] = sb.let((gate_name, hidden), activation(relay.TupleGetItem(pieces, index)))
    next_c = sb.let(("next_c", hidden), relay.add(
        relay.multiply(gate["forget_gate"], relay.TupleGetItem(states, 1)),
        relay.multiply(gate["in_gate"], gate["in_transform"])))
    next_h = sb.let(("next_h", hidden), relay.multiply(gate["out_gate"], relay.tanh(next_c)))
    ret = sb.let(("ret", ret_type), relay.Tuple([next_h, relay.Tuple([next_h, next_c])]))
    sb.ret(ret)
    return relay.Function(
        [inputs, states, i2h_weight, i2h_bias, h2h_weight, h2h_bias], sb.get(), ret_type
    )


def get_net(iterations, num_hidden, batch_size=1, dtype="float32"):
    """The network unrolled over `iterations` steps, from zero states: its parameters
    are each step's input (all named `data`) and weights (`i2h_<i>_weight`, ...); it
    returns the last step's output."""
    if iterations < 1:
        raise ValueError(f"lstm: iterations must be at least 1, got {iterations}")
    hidden, weight_type, bias_type, _, states_type = _types(num_hidden, batch_size, dtype)
    cell_type = relay.TupleType([hidden, states_type])
    sb = relay.ScopeBuilder()
    zeros = sb.let(("zeros", hidden), relay.zeros((batch_size, num_hidden), dtype))
    states = sb.let(("init_states", states_type), relay.Tuple([zeros, zeros]))
    out = None
    for i in range(iterations):
        args = [
            relay.Var("data", hidden),
            states,
            relay.Var(f"i2h_{i}_weight", weight_type),
            relay.Var(f"i2h_{i}_bias", bias_type),
            relay.Var(f"h2h_{i}_weight", weight_type),
            relay.Var(f"h2h_{i}_bias", bias_type),
        ]
        cell = lstm_cell(num_hidden, batch_size, dtype, f"lstm_{i}")
        call = sb.let((f"call_{i}", cell_type), relay.Call(cell, args))
        out = sb.let((f"out_{i}", hidden), relay.TupleGetItem(call, 0))
        states = sb.let((f"states_{i}", states_type), relay.TupleGetItem(call, 1))
    sb.ret(out)
    body = sb.get()
    return relay.Function(relay.analysis.free_vars(body), body, hidden)


def get_workload(iterations, num_hidden, batch_size=1, dtype="float32"):
    """(mod, params) of the unrolled LSTM; params leave out the step inputs (`data`)."""
    return create_workload(get_net(iterations, num_hidden, batch_size, dtype))
