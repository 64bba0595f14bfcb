# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The graph codegen: `main` of a fused module -> graph JSON, kernels, params
(src/relay/backend/graph_executor_codegen.cc)."""
from ..._ffi.registry import get_global_func
from ...target import Target


class GraphExecutorCodegen:
    """Generates the graph executor's JSON and kernels for one target."""

    def __init__(self, mod, target):  # pylint: disable=unused-argument
        if isinstance(target, dict):
            if len(target) != 1:
                raise ValueError("the graph codegen builds for one target, got %d" % len(target))
            target = list(target.values())[0]
        self.target = target if isinstance(target, Target) else Target(target)

    def codegen(self, ir_module, func=None, mod_name="default"):
        """(graph_json, {target: IRModule of the lowered kernels}, {name: NDArray params})
        for ir_module's main (or func, put in as main)."""
        if func is not None:
            ir_module = ir_module.__class__(dict(ir_module.functions), dict(ir_module.type_definitions))
            ir_module["main"] = func
        graph_json, params, lowered = get_global_func("relay.backend._GraphExecutorCodegen")(
            ir_module, self.target, mod_name)
        return str(graph_json), {self.target: lowered}, {str(k): v for k, v in params.items()}
