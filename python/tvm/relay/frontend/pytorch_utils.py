# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers of the PyTorch frontend: dtype codes and source locations of TorchScript nodes."""
import re

# c10::ScalarType codes, as TorchScript graphs carry dtypes (prim::Constant ints).
SCALAR_TYPES = {
    0: "uint8", 1: "int8", 2: "int16", 3: "int32", 4: "int64", 5: "float16", 6: "float32", 7: "float64",
    11: "bool", 15: "bfloat16",
}


def scalar_type_to_str(code):
    """The dtype string of a ScalarType code (or of a torch.dtype)."""
    if code is None:
        return None
    if not isinstance(code, int):
        return torch_dtype_to_str(code)
    if code not in SCALAR_TYPES:
        raise ValueError("dtype code %d (a complex or quantized type) is not supported" % code)
    return SCALAR_TYPES[code]


def torch_dtype_to_str(dtype):
    """'float32' for torch.float32."""
    return str(dtype).replace("torch.", "")


def source_location(node):
    """Where a TorchScript node comes from, as far as torch knows: 'model.py:12 in forward' for
    traced graphs (the innermost frame outside torch), the code line for scripted ones, plus the scope."""
    try:
        text = str(node.sourceRange())
    except Exception:  # pylint: disable=broad-except
        text = ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    parts = []
    frames = [_FRAME.match(line) for line in lines]
    if lines and all(frames):
        # Innermost frame outside the tracing machinery (torch's own layers count: F.linear is a place).
        user = [m for m in frames if "/torch/jit/" not in m.group(1)
                and not m.group(1).endswith("torch/nn/modules/module.py")] or frames
        parts.append("%s:%s in %s" % (user[0].group(1), user[0].group(2), user[0].group(3)))
    else:
        # Scripted graphs: torch prints the file line, then the code with a marker line under it.
        where = next((line for line in lines if line.startswith("File ") or "line " in line), None)
        code = next((line for line in lines if not line.startswith("File ") and not set(line) <= set("~^ ")), None)
        parts.extend(p for p in (where, "`%s`" % code[:100] if code else None) if p)
    try:
        scope = node.scopeName()
    except Exception:  # pylint: disable=broad-except
        scope = ""
    if scope:
        parts.append("scope " + scope)
    if not parts:
        parts.append(str(node).strip().splitlines()[0][:120])
    return ", ".join(parts)


_FRAME = re.compile(r"^(.*)\((\d+)\): (\S+)$")
