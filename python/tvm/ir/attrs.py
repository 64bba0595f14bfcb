# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Attributes."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


@register_object("Attrs")
class Attrs(Object):
    """The base of attribute objects."""

    def list_field_info(self):
        return []

    def keys(self):
        """The reflected attribute fields (so that `op(**attrs)` passes exactly them)."""
        from ..runtime.object import _NodeListAttrNames  # pylint: disable=import-outside-toplevel

        return [k for k in _NodeListAttrNames(self) if not k.startswith("_")]

    def __getitem__(self, item):
        return getattr(self, item)


@register_object("DictAttrs")
class DictAttrs(Attrs):
    """Attributes in a dictionary."""

    def _dict(self):
        return _ffi_api.DictAttrsGetDict(self)

    def keys(self):
        return self._dict().keys()

    def __getitem__(self, key):
        return self._dict()[key]

    def __contains__(self, key):
        return key in self._dict()

    def get(self, key, default=None):
        return self._dict().get(key, default)

    def items(self):
        return self._dict().items()

    def __len__(self):
        return len(self._dict())


def make_dict_attrs(dict_value):
    return _ffi_api.DictAttrs(dict_value)
