# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Configuration entities: one choice of each tuning knob of a template.

A configuration maps knob names to entities: a split of an axis
(SplitEntity, JSON code "sp"), a reordering ("re"), loop annotations ("an")
or any other option ("ot"). In a tuning record a configuration is
{"index": i, "code_hash": h, "entity": [[name, code, value], ...]}.
"""


class SplitEntity:
    """Split an axis into len(size) factors, outermost first; -1 is what is left."""

    code = "sp"

    def __init__(self, size):
        self.size = [int(s) for s in size]

    def to_json(self):
        return list(self.size)

    def __eq__(self, other):
        return isinstance(other, SplitEntity) and self.size == other.size

    def __hash__(self):
        return hash(tuple(self.size))

    def __repr__(self):
        return f"sp{self.size}"


class ReorderEntity:
    """A permutation of a list of axes."""

    code = "re"

    def __init__(self, perm):
        self.perm = [int(p) for p in perm]

    def to_json(self):
        return list(self.perm)

    def __eq__(self, other):
        return isinstance(other, ReorderEntity) and self.perm == other.perm

    def __hash__(self):
        return hash(tuple(self.perm))

    def __repr__(self):
        return f"re{self.perm}"


class AnnotateEntity:
    """An annotation of each axis ("unroll", "vec", "none", thread names...)."""

    code = "an"

    def __init__(self, anns):
        self.anns = list(anns)

    def to_json(self):
        return list(self.anns)

    def __eq__(self, other):
        return isinstance(other, AnnotateEntity) and self.anns == other.anns

    def __hash__(self):
        return hash(tuple(self.anns))

    def __repr__(self):
        return f"an{self.anns}"


class OtherOptionEntity:
    """Any other choice (a number, a flag)."""

    code = "ot"

    def __init__(self, val):
        self.val = val

    def to_json(self):
        return self.val

    def __eq__(self, other):
        return isinstance(other, OtherOptionEntity) and self.val == other.val

    def __hash__(self):
        return hash(self.val)

    def __repr__(self):
        return f"ot{self.val!r}"


_ENTITY_BY_CODE = {cls.code: cls for cls in (SplitEntity, ReorderEntity, AnnotateEntity, OtherOptionEntity)}


class ConfigSpace:
    """The knobs of a template and the entity chosen for each (cfg["tile_x"])."""

    def __init__(self):
        self._entity_map = {}
        self.is_fallback = False
        self.cost = None
        self.code_hash = None

    def __getitem__(self, name):
        if name not in self._entity_map:
            raise KeyError(f"the configuration has no knob {name!r}; it has {sorted(self._entity_map)}")
        return self._entity_map[name]

    def __contains__(self, name):
        return name in self._entity_map

    def items(self):
        return self._entity_map.items()

    def to_json_dict(self, index=-1):
        """{"index", "code_hash", "entity"}: the form a tuning record keeps."""
        entities = [[name, ent.code, ent.to_json()] for name, ent in self._entity_map.items()]
        return {"index": index, "code_hash": self.code_hash, "entity": entities}

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._entity_map.items())})"


class ConfigEntity(ConfigSpace):
    """One point of a template's space: the entities chosen, with its index in the space."""

    def __init__(self, index, code_hash, entity_map, constraints=None):
        super().__init__()
        self.index = index
        self.code_hash = code_hash
        self._entity_map = dict(entity_map)
        self._constraints = constraints

    def to_json_dict(self, index=None):
        return super().to_json_dict(self.index if index is None else index)

    @staticmethod
    def from_json_dict(json_dict):
        """The configuration a tuning record holds ({"index", "code_hash", "entity"})."""
        entity_map = {}
        for item in json_dict["entity"]:
            if len(item) != 3:
                raise ValueError(f"a configuration entity is [name, code, value], got {item!r}")
            name, code, value = item
            if code not in _ENTITY_BY_CODE:
                raise ValueError(f"unknown configuration entity code {code!r} (knob {name!r})")
            entity_map[str(name)] = _ENTITY_BY_CODE[code](value)
        return ConfigEntity(json_dict["index"], json_dict.get("code_hash"), entity_map)

    def __eq__(self, other):
        return isinstance(other, ConfigEntity) and self._entity_map == other._entity_map

    def __hash__(self):
        return hash(tuple(sorted(self._entity_map.items(), key=lambda kv: kv[0])))


class FallbackConfigEntity(ConfigSpace):
    """The configuration used when no tuned one is known; its knobs can be set by hand."""

    def __init__(self):
        super().__init__()
        self.is_fallback = True

    def __setitem__(self, name, entity):
        if not isinstance(entity, tuple(_ENTITY_BY_CODE.values())):
            raise TypeError(
                f"cfg[{name!r}] must be a SplitEntity, ReorderEntity, AnnotateEntity or "
                f"OtherOptionEntity, got {type(entity).__name__}"
            )
        self._entity_map[name] = entity
