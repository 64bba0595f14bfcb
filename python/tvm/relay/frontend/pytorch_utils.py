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


def scalar_name_to_dtype(name):
    """torch's name of a scalar type ('Float', 'Long', ...) -> the torch.dtype attribute name."""
    names = {"Float": "float32", "Double": "float64", "Half": "float16", "BFloat16": "bfloat16", "Long": "int64",
             "Int": "int32", "Short": "int16", "Char": "int8", "Byte": "uint8", "Bool": "bool"}
    if name not in names:
        raise AttributeError("scalar type %s" % name)
    return names[name]


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
        # Scripted graphs: 'File "x.py", line N' (the node's line), some code before it, and a
        # '~~~ <--- HERE' marker under the node's own code.
        match = _SCRIPT_FILE.match(lines[0]) if lines else None
        marker = next((i for i, line in enumerate(lines) if line.endswith("<--- HERE")), None)
        if match:
            parts.append("%s:%s" % (match.group(1), match.group(2)))
        if marker is not None and marker >= 1:
            parts.append("`%s`" % lines[marker - 1][:100])
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
_SCRIPT_FILE = re.compile(r'^File "(.*)", line (\d+)')
