# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Remote procedure calls to a device (TVM's tvm.rpc): not built yet.

The names exist so that scripts importing tvm.rpc load; using them raises
NotImplementedError saying so."""


def _not_built(what):
    raise NotImplementedError("tvm.rpc.%s: RPC (running modules on a remote device) is not built yet" % what)


class Server:
    """An RPC server (not built yet)."""

    def __init__(self, *args, **kwargs):
        _not_built("Server")


class Tracker:
    """An RPC tracker (not built yet)."""

    def __init__(self, *args, **kwargs):
        _not_built("Tracker")


def connect(*args, **kwargs):
    """Connect to an RPC server (not built yet)."""
    _not_built("connect")


def connect_tracker(*args, **kwargs):
    """Connect to an RPC tracker (not built yet)."""
    _not_built("connect_tracker")


class LocalSession:
    """A local RPC session (not built yet)."""

    def __init__(self, *args, **kwargs):
        _not_built("LocalSession")
