# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The Relay virtual machine runtime: Executable (bytecode, constants, kernels) and
VirtualMachine (runs it on a device).

    exe = relay.vm.compile(mod, target="llvm")
    vm = tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())
    out = vm.invoke("main", x)          # an NDArray, or an ADT for a tuple
    code, lib = exe.save()              # bytecode bytes and the kernel library
    exe2 = tvm.runtime.vm.Executable.load_exec(code, lib)
"""
import numbers

import numpy as np

from .._ffi.registry import get_global_func, register_object
from . import ndarray as _nd
from .container import ADT, tuple_object
from .module import Module
from .object import Object
from .runtime_types import Device


@register_object("vm.Closure")
class VMClosure(Object):
    """A function value the VM returned (a VM function and what it captured)."""


def _convert(arg, cargs, name="argument"):
    if isinstance(arg, Object):
        cargs.append(arg)
    elif isinstance(arg, np.ndarray):
        cargs.append(_nd.array(arg))
    elif isinstance(arg, (tuple, list)):
        fields = []
        for field in arg:
            _convert(field, fields, name)
        cargs.append(tuple_object(fields))
    elif isinstance(arg, np.generic):
        cargs.append(_nd.array(np.array(arg)))
    elif isinstance(arg, bool):
        cargs.append(_nd.array(np.array(arg, dtype="bool")))
    elif isinstance(arg, numbers.Integral):
        cargs.append(_nd.array(np.array(arg, dtype="int32")))
    elif isinstance(arg, numbers.Real):
        cargs.append(_nd.array(np.array(arg, dtype="float32")))
    else:
        raise TypeError("the VM takes NDArrays, numpy arrays, numbers and tuples of them; %s is a %s"
                        % (name, type(arg).__name__))


class Executable:
    """What relay.vm.compile produces: bytecode, constants and the kernel library."""

    def __init__(self, mod):
        if not isinstance(mod, Module) or mod.type_key != "VMExecutable":
            raise TypeError("Executable wraps a VM executable module, got %r" % (mod,))
        self.mod = mod
        self._function_params = {}

    def save(self):
        """(bytecode, lib): the serialised bytecode and constants as a bytearray, and the
        kernel library (a Module; export it with lib.export_library)."""
        return bytearray(self.mod["save"]()), self.lib

    @staticmethod
    def load_exec(bytecode, lib):
        """An Executable from save()'s bytecode and its kernel library (a Module or None)."""
        if isinstance(bytecode, str):
            bytecode = bytecode.encode("latin-1")
        if not isinstance(bytecode, (bytes, bytearray)):
            raise TypeError("load_exec: bytecode must be bytes or a bytearray, got %s" % type(bytecode).__name__)
        if lib is not None and not isinstance(lib, Module):
            raise TypeError("load_exec: lib must be a tvm Module (or None), got %s" % type(lib).__name__)
        return Executable(get_global_func("runtime.Load_Executable")(bytes(bytecode), lib))

    def export_library(self, file_name, fcompile=None, addons=None, **kwargs):
        """One shared library holding kernels and bytecode; tvm.runtime.load_module(path)
        gives the executable module back (wrap it in Executable)."""
        self.mod.export_library(file_name, fcompile, addons, **kwargs)

    def move_late_bound_consts(self, path, byte_limit):
        """Move the constants of at least byte_limit bytes out of the executable into the
        parameter file at path (save() then leaves them out); load_late_bound_consts brings
        them back."""
        self.mod["move_late_bound_consts"](path, byte_limit)

    def get_late_bound_consts(self, byte_limit):
        """Move the constants of at least byte_limit bytes out of the executable and return
        them ({name: NDArray}); load_late_bound_consts_from_map brings them back."""
        return self.mod["get_late_bound_consts"](byte_limit)

    def load_late_bound_consts(self, path):
        """Load the late-bound constants from the parameter file at path."""
        self.mod["load_late_bound_consts"](path)

    def load_late_bound_consts_from_map(self, map):  # pylint: disable=redefined-builtin
        """Load the late-bound constants from {name: NDArray}."""
        self.mod["load_late_bound_consts_from_map"](map)

    @property
    def lib(self):
        """The kernel library (None when the program calls no kernel)."""
        return self.mod["get_lib"]()

    @property
    def stats(self):
        return self.mod["get_stats"]()

    @property
    def primitive_ops(self):
        return [str(x) for x in self.mod["get_primitive_ops"]()]

    @property
    def bytecode(self):
        return self.mod["get_bytecode"]()

    @property
    def constants(self):
        n = self.mod["get_num_constants"]()
        return "\n".join("Constant[%d]: %s %s" % (i, c.shape, c.dtype)
                         for i, c in ((i, self.mod["get_constant"](i)) for i in range(n)))

    @property
    def globals(self):
        n = self.mod["get_num_functions"]()
        return [self.mod["get_function_name"](i) for i in range(n)]

    @property
    def module(self):
        return self.mod

    def get_function_arity(self, func_name):
        return self.mod["get_function_arity"](func_name)

    def get_function_param_name(self, func_name, index):
        return self.mod["get_function_param_name"](func_name, index)

    def get_function_params(self, func_name):
        """The parameter names of function func_name, in order."""
        if func_name not in self._function_params:
            arity = self.get_function_arity(func_name)
            self._function_params[func_name] = [self.get_function_param_name(func_name, i) for i in range(arity)]
        return self._function_params[func_name]


class VirtualMachine:
    """Runs an Executable on a device.

    exe: an Executable (or its module); device: a Device, or a list whose first one is used;
    memory_cfg: "pooled" (the default: kernel outputs reuse arrays nothing references any
    more) or "naive" (a new array for every output); or {device: one of those}.
    """

    NAIVE_ALLOCATOR = 1
    POOLED_ALLOCATOR = 2

    def __init__(self, exe, device, memory_cfg=None):
        if isinstance(exe, Module) and exe.type_key == "VMExecutable":
            exe = Executable(exe)
        if not isinstance(exe, Executable):
            raise TypeError("VirtualMachine runs a tvm.runtime.vm.Executable, got %s" % type(exe).__name__)
        devices = device if isinstance(device, (list, tuple)) else [device]
        if not devices or not all(isinstance(d, Device) for d in devices):
            raise TypeError("VirtualMachine: device must be a tvm Device (e.g. tvm.cpu()), got %r" % (device,))
        if memory_cfg not in (None, "naive", "pooled") and not isinstance(memory_cfg, dict):
            raise TypeError("VirtualMachine: memory_cfg must be 'naive', 'pooled', a dict or None")
        self._exec = exe
        self.module = get_global_func("runtime._VirtualMachine")(exe.mod)
        self._dev = devices[0]
        alloc = memory_cfg.get(self._dev, "pooled") if isinstance(memory_cfg, dict) else memory_cfg
        alloc = self.NAIVE_ALLOCATOR if alloc == "naive" else self.POOLED_ALLOCATOR
        self.module["init"](self._dev.device_type, self._dev.device_id, alloc)
        self._invoke = self.module["invoke"]
        self._invoke_stateful = self.module["invoke_stateful"]
        self._get_output = self.module["get_output"]
        self._get_num_outputs = self.module["get_num_outputs"]
        self._get_input_index = self.module["get_input_index"]
        self._set_input = self.module["set_input"]
        self._set_one_input = self.module["set_one_input"]

    def _args(self, func_name, args, kwargs):
        if kwargs:
            params = self._exec.get_function_params(func_name)
            new_args = [None] * len(params)
            if len(args) > len(params):
                raise TypeError("%s takes %d arguments, %d given" % (func_name, len(params), len(args)))
            new_args[:len(args)] = args
            for name, value in kwargs.items():
                if name not in params:
                    raise TypeError("%s has no parameter %r (it has %s)" % (func_name, name, params))
                idx = params.index(name)
                if new_args[idx] is not None:
                    raise TypeError("%s: parameter %r is given twice" % (func_name, name))
                new_args[idx] = value
            missing = [p for p, v in zip(params, new_args) if v is None]
            if missing:
                raise TypeError("%s: missing arguments %s" % (func_name, missing))
            args = new_args
        cargs = []
        for i, arg in enumerate(args):
            _convert(arg, cargs, "argument %d of %s" % (i, func_name))
        return cargs

    def set_input(self, func_name, *args, **kwargs):
        """Set the arguments of func_name for later invoke/invoke_stateful calls."""
        self._set_input(func_name, *self._args(func_name, args, kwargs))

    def set_one_input(self, func_name, *args, **kwargs):
        """Set one argument of func_name: (index or name, value), or name=value."""
        if kwargs:
            if args or len(kwargs) != 1:
                raise TypeError("set_one_input takes one (key, value) pair")
            key, value = next(iter(kwargs.items()))
        else:
            if len(args) != 2:
                raise TypeError("set_one_input(func_name, index or name, value)")
            key, value = args
        cargs = []
        _convert(value, cargs, "input %r of %s" % (key, func_name))
        self._set_one_input(func_name, key, cargs[0])

    def invoke(self, func_name, *args, **kwargs):
        """Run func_name (with these arguments, or those set before); an NDArray, or an ADT
        for a tuple result."""
        if args or kwargs:
            self.set_input(func_name, *args, **kwargs)
        return self._invoke(func_name)

    def run(self, *args, **kwargs):
        """invoke("main", ...)."""
        return self.invoke("main", *args, **kwargs)

    def invoke_stateful(self, func_name, *args, **kwargs):
        """Run func_name and keep the result for get_outputs()."""
        if args or kwargs:
            self.set_input(func_name, *args, **kwargs)
        self._invoke_stateful(func_name)

    def get_outputs(self):
        """The outputs of the last invoke_stateful: a list of NDArrays (fields of a tuple result)."""
        return [self._get_output(i) for i in range(self._get_num_outputs())]

    def invoke_with_outputs(self, func_name, input_args, output_args):
        """Run func_name on input_args ({name: value}) and write its results into output_args
        (NDArrays of the result shapes, in output order)."""
        if input_args:
            self.set_input(func_name, **input_args)
        result = self._invoke(func_name)
        results = list(result) if isinstance(result, ADT) else [result]
        if len(results) != len(output_args):
            raise ValueError("invoke_with_outputs: %s has %d outputs, %d output arrays given"
                             % (func_name, len(results), len(output_args)))
        for i, (value, out) in enumerate(zip(results, output_args)):
            if tuple(value.shape) != tuple(out.shape) or value.dtype != out.dtype:
                raise ValueError("invoke_with_outputs: output %d is %s %s, the array given is %s %s"
                                 % (i, tuple(value.shape), value.dtype, tuple(out.shape), out.dtype))
            value.copyto(out)

    def get_input_index(self, input_name, func_name="main"):
        """The position of parameter input_name of func_name, or -1."""
        return self._get_input_index(input_name, func_name)

    def benchmark(self, device, *args, func_name="main", repeat=5, number=5, min_repeat_ms=None,
                  limit_zero_time_iterations=100, end_to_end=False, cooldown_interval_ms=0,
                  repeats_to_cooldown=1, **kwargs):
        """Time func_name with the runtime's time_evaluator; a BenchmarkResult (seconds per call).
        With end_to_end=True the arguments are converted and set inside every timed call."""
        min_repeat_ms = 0 if min_repeat_ms is None else min_repeat_ms
        if args or kwargs:
            self.set_input(func_name, *args, **kwargs)
        timer = self.module.time_evaluator(
            "invoke", device, repeat=repeat, number=number, min_repeat_ms=min_repeat_ms,
            limit_zero_time_iterations=limit_zero_time_iterations, cooldown_interval_ms=cooldown_interval_ms,
            repeats_to_cooldown=repeats_to_cooldown)
        if end_to_end and (args or kwargs):
            cargs = self._args(func_name, args, kwargs)
            return timer(func_name, *cargs)
        return timer(func_name)


__all__ = ["Executable", "VirtualMachine", "VMClosure", "ADT", "tuple_object"]
