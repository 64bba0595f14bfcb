# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Module: compiled code that hands out functions."""
import os

from .._ffi.registry import get_global_func, register_object
from .object import Object


class ModulePropertyMask:
    """Bits of Module.get_property_mask()."""

    BINARY_SERIALIZABLE = 0b001
    RUNNABLE = 0b010
    DSO_EXPORTABLE = 0b100


@register_object("runtime.Module")
class Module(Object):
    """A compiled module. `mod["name"]` or `mod.get_function("name")` gives a PackedFunc."""

    # The name of the function `mod(...)` calls; tvm.build makes it the
    # module's only (or first) function, e.g. mod.time_evaluator(mod.entry_name, dev).
    entry_name = "__tvm_main__"

    @property
    def type_key(self):
        return get_global_func("runtime.ModuleGetTypeKey")(self)

    @property
    def imported_modules(self):
        n = get_global_func("runtime.ModuleGetImportsSize")(self)
        get = get_global_func("runtime.ModuleGetImport")
        return [get(self, i) for i in range(n)]

    @property
    def entry_func(self):
        return self.get_function(self.entry_name)

    def get_function(self, name, query_imports=False):
        """The function `name`; AttributeError naming it and the module when absent."""
        f = get_global_func("runtime.ModuleGetFunction")(self, name, query_imports)
        if f is None:
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["AttributeError"](f"module of type '{self.type_key}' has no function '{name}'")
        f.__name__ = name
        return f

    def get_property_mask(self):
        """The ModulePropertyMask bits that hold for this module."""
        return int(get_global_func("runtime.ModuleGetPropertyMask")(self))

    @property
    def is_binary_serializable(self):
        """Whether save() writes it in a form that loads back."""
        return bool(self.get_property_mask() & ModulePropertyMask.BINARY_SERIALIZABLE)

    @property
    def is_runnable(self):
        """Whether its functions can be called as it is."""
        return bool(self.get_property_mask() & ModulePropertyMask.RUNNABLE)

    @property
    def is_dso_exportable(self):
        """Whether export_library can link it into a shared library."""
        return bool(self.get_property_mask() & ModulePropertyMask.DSO_EXPORTABLE)

    def implements_function(self, name, query_imports=False):
        return get_global_func("runtime.ModuleGetFunction")(self, name, query_imports) is not None

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise TypeError("module functions are looked up by name (a str)")
        return self.get_function(name)

    def __call__(self, *args):
        # Not through the entry_func property: an AttributeError raised inside a property
        # would be reported as a missing 'entry_func' attribute instead of its own message.
        return self.get_function(self.entry_name)(*args)

    def import_module(self, module):
        get_global_func("runtime.ModuleImport")(self, module)

    def get_source(self, fmt=""):
        return get_global_func("runtime.ModuleGetSource")(self, fmt)

    def save(self, file_name, fmt=""):
        get_global_func("runtime.ModuleSaveToFile")(self, file_name, fmt)

    def __repr__(self):
        return f"Module({self.type_key}, {self.handle.address:x})"

    def time_evaluator(self, func_name, dev, number=10, repeat=1, min_repeat_ms=0, limit_zero_time_iterations=100,
                       cooldown_interval_ms=0, repeats_to_cooldown=1, cache_flush_bytes=0, f_preproc=""):
        """A function that times `func_name` on `dev`.

        Calling it with the function's arguments runs the function once to
        warm up, then `repeat` times measures `number` consecutive calls
        (growing `number` until a measurement lasts min_repeat_ms), and
        returns a BenchmarkResult of the mean seconds per call of each repeat.
        """
        import struct

        from .._ffi.registry import get_global_func as _get

        feval = _get("runtime.TimeEvaluator")(self, func_name, dev.device_type, dev.device_id, number, repeat,
                                              min_repeat_ms, limit_zero_time_iterations, cooldown_interval_ms,
                                              repeats_to_cooldown)

        def evaluator(*args):
            blob = feval(*args)
            results = struct.unpack(f"{len(blob) // 8}d", blob)
            return BenchmarkResult(results)

        return evaluator

    def export_library(self, file_name, fcompile=None, addons=None, workspace_dir=None, **kwargs):
        """Write the module (and what it imports) as a shared library that
        tvm.runtime.load_module can load in any process."""
        from ..contrib import cc as _cc
        import tempfile

        file_name = os.fspath(file_name)
        if fcompile is None and not addons and not kwargs:
            # The default path is C++'s (tvm/driver/export_library.h), so a C++ program
            # exporting the same module writes the same bytes.
            get_global_func("runtime.ExportLibrary")(self, file_name, os.fspath(workspace_dir or ""))
            return
        with tempfile.TemporaryDirectory(dir=workspace_dir) as tmp:
            objects = []
            needs_blob = False
            for i, mod in enumerate(self._collect_modules()):
                if mod.type_key == "llvm":
                    if fcompile is None:
                        _check_host_can_link(mod)
                    if mod.implements_function("_save_object_files"):
                        # A module built in parts: their object files, compiled in parallel.
                        objects.extend(str(p) for p in mod.get_function("_save_object_files")(
                            os.path.join(tmp, f"lib{i}")))
                    else:
                        path = os.path.join(tmp, f"lib{i}.o")
                        mod.save(path)
                        objects.append(path)
                elif mod.type_key == "library":
                    raise ValueError("cannot re-export a module loaded from a shared library")
                elif mod.is_binary_serializable:
                    needs_blob = True
                else:
                    raise ValueError(f"export_library does not support modules of type '{mod.type_key}' yet")
            if needs_blob:
                # The modules that are not object code (a graph executor factory, ...) travel as
                # the library's __tvm_dev_mblob symbol, which load_module unpacks.
                objects.append(_write_module_blob(self, tmp))
            compile_fn = fcompile if fcompile is not None else _cc.create_shared
            compile_fn(file_name, objects + list(addons or []), **kwargs)

    def _collect_modules(self):
        seen, order, stack = set(), [], [self]
        while stack:
            mod = stack.pop()
            if mod.handle.address in seen:
                continue
            seen.add(mod.handle.address)
            order.append(mod)
            stack.extend(reversed(mod.imported_modules))
        return order


def _write_module_blob(mod, tmp):
    """An assembly file defining __tvm_dev_mblob as the packed bytes of `mod`'s import tree."""
    blob_path = os.path.join(tmp, "devc.bin")
    with open(blob_path, "wb") as f:
        f.write(get_global_func("runtime.ModulePackImports")(mod))
    asm_path = os.path.join(tmp, "devc.S")
    quoted = blob_path.replace("\\", "\\\\").replace('"', '\\"')
    with open(asm_path, "w") as f:
        # .incbin keeps large parameter blobs fast to build (no C array to parse).
        f.write(f""".section .rodata.tvm_dev_mblob,"a"
.globl __tvm_dev_mblob
.type __tvm_dev_mblob, %object
.p2align 4
__tvm_dev_mblob:
.incbin "{quoted}"
.size __tvm_dev_mblob, .-__tvm_dev_mblob
.section .note.GNU-stack,"",%progbits
""")
    return asm_path


def _check_host_can_link(mod):
    """The system compiler links objects for this machine only: a module built for another
    architecture needs export_library(..., fcompile=<a cross compiler>)."""
    from ..error import _ERROR_TYPES

    triple = mod.get_function("_get_target_triple")()
    host = get_global_func("target.llvm_get_system_triple")()
    arch = triple.split("-")[0]
    if arch != host.split("-")[0]:
        raise _ERROR_TYPES["ValueError"](
            f"this module was compiled for '{triple}', but the system compiler links for '{host}'; pass "
            f"fcompile=tvm.contrib.cc.cross_compiler(\"<a {arch} compiler, e.g. {arch}-linux-gnu-g++>\") "
            "to export_library")


class BenchmarkResult:
    """Timing results, in seconds per call (one per repeat)."""

    def __init__(self, results):
        import statistics

        self.results = tuple(results)
        self.mean = statistics.fmean(self.results)
        self.median = statistics.median(self.results)
        self.min = min(self.results)
        self.max = max(self.results)
        self.std = statistics.pstdev(self.results) if len(self.results) > 1 else 0.0

    def __repr__(self):
        return (f"BenchmarkResult(min={self.min}, mean={self.mean}, median={self.median}, max={self.max}, "
                f"std={self.std}, results={list(self.results)})")

    def __str__(self):
        return (f"Execution time summary:\n mean (ms)   median (ms)    max (ms)     min (ms)     std (ms)\n"
                f"  {self.mean*1e3:10.4f}  {self.median*1e3:10.4f}  {self.max*1e3:10.4f}  {self.min*1e3:10.4f}  "
                f"{self.std*1e3:10.4f}")


def load_module(path, fmt=""):
    """Load a module from a file (a shared library built by tvm.build/export_library, ...).

    Raises FileNotFoundError naming the path when it does not exist.
    """
    path = os.fspath(path)
    return get_global_func("runtime.ModuleLoadFromFile")(path, fmt)


def system_lib(symbol_prefix=""):
    """The module of every function compiled with Runtime("cpp", {"system-lib": True}) and linked
    into (or loaded by) this process: the code registers itself at start-up."""
    return get_global_func("runtime.SystemLib")(symbol_prefix)
