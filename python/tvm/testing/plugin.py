# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The pytest plugin of tvm.testing.

Enable it from a conftest.py: ``pytest_plugins = ["tvm.testing.plugin"]``. It

- parametrises every test that takes a `target` argument, and is not
  parametrised over it already, with the test targets (TVM_TEST_TARGETS, ';'
  separated, or the default list), leaving out @exclude_targets kinds;
- marks every parametrisation over `target` (automatic, @parametrize_targets
  or @pytest.mark.parametrize) with its kind's feature marker, skipped where
  the kind cannot compile or run here, and xfail for @known_failing_targets;
- gives such tests a `dev` fixture: the device of the target;
- parametrises fixtures made by one tvm.testing.parameters() call together;
- counts the uses of cached fixtures (tvm.testing.fixture(cache_return_value=True));
- applies xfail_parameterizations / skip_parameterizations;
- runs tests in file order, each function's parametrisations together (pytest
  would group them by session-scoped parameter instead), so a cached fixture
  is dropped soon after its last use;
- registers the markers of the tvm.testing features.
"""
import pytest
from _pytest.mark.structures import ParameterSet

import tvm
from tvm.testing import utils


def pytest_configure(config):
    """Register the markers the features add, so --strict-markers accepts them."""
    for feature in utils.Feature._all_features.values():
        feature._register_marker(config)


def pytest_addoption(parser):
    parser.addoption("--gtest_args", action="store", default="", help="arguments for gtest-based tests")


def pytest_generate_tests(metafunc):
    # Runs before pytest's own hook, which applies the parametrize marks
    # edited or added here.
    _parametrize_correlated_parameters(metafunc)
    _auto_parametrize_target(metafunc)
    _add_target_specific_marks(metafunc)
    if "gtest_args" in metafunc.fixturenames:
        metafunc.parametrize("gtest_args", [metafunc.config.option.gtest_args])


def pytest_collection_modifyitems(config, items):
    _apply_parameterization_marks(items)
    _count_num_fixture_uses(items)
    _sort_tests(items)


@pytest.fixture
def dev(target):
    """The device tests with a `target` run on."""
    return tvm.device(utils._target_kind(target), 0)


def _parametrized_names(mark):
    argnames = mark.args[0] if mark.args else mark.kwargs.get("argnames", "")
    if isinstance(argnames, str):
        return [n.strip() for n in argnames.split(",") if n.strip()]
    return list(argnames)


def _auto_parametrize_target(metafunc):
    if "target" not in metafunc.fixturenames:
        return
    if any("target" in _parametrized_names(m) for m in metafunc.definition.iter_markers("parametrize")):
        return
    # A `target = tvm.testing.parameter(...)` fixture parametrises itself.
    fixturedefs = metafunc.definition._fixtureinfo.name2fixturedefs.get("target")
    if fixturedefs and fixturedefs[-1].params is not None:
        return
    excluded = set(getattr(metafunc.function, "tvm_excluded_targets", ()))
    names = [t["target"] for t in utils._get_targets() if t["target_kind"] not in excluded]
    # A mark rather than metafunc.parametrize, so that _add_target_specific_marks
    # treats it as it treats @parametrize_targets.
    metafunc.definition.add_marker(pytest.mark.parametrize("target", names, scope="session"))


def _add_target_specific_marks(metafunc):
    if "target" not in metafunc.fixturenames:
        return
    failing = set(getattr(metafunc.function, "tvm_known_failing_targets", ()))
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = _parametrized_names(mark)
        if "target" not in names or len(mark.args) < 2:
            continue
        argvalues = mark.args[1]
        if _PROCESSED.get(id(argvalues)) is argvalues:
            continue
        position = names.index("target")
        own = mark in metafunc.definition.own_markers
        updated = []
        for value in argvalues:
            if isinstance(value, ParameterSet):
                values, marks, ident = value.values, list(value.marks), value.id
            else:
                values = (value,) if len(names) == 1 else tuple(value)
                marks, ident = [], None
            target = values[position]
            marks = utils._target_marks(target) + marks
            kind = utils._target_kind(target)
            if own and kind in failing:
                marks.append(pytest.mark.xfail(reason=f'Known failing test for target "{kind}"'))
            updated.append(pytest.param(*values, marks=marks, id=ident))
        try:
            argvalues[:] = updated
        except TypeError as err:
            func = metafunc.definition.function
            raise TypeError(
                f"Unit test {func.__name__} ({func.__code__.co_filename}:{func.__code__.co_firstlineno}) "
                "is parametrized over target with a tuple of values; use a list, so that targets "
                "that cannot run here can be marked as skipped"
            ) from err
        _PROCESSED[id(argvalues)] = argvalues


# The parametrize value lists already given their target marks (a mark on a
# class or module is seen once per test), by id; holding the lists keeps
# their ids from being reused.
_PROCESSED = {}


def _parametrize_correlated_parameters(metafunc):
    groups = {}
    for name, fixturedefs in metafunc.definition._fixtureinfo.name2fixturedefs.items():
        func = fixturedefs[-1].func
        if name not in metafunc.fixturenames or not hasattr(func, "parametrize_group"):
            continue
        group = groups.setdefault(func.parametrize_group, {"ids": func.parametrize_ids, "params": []})
        group["params"].append((name, func.parametrize_values))
    for group in groups.values():
        params = group["params"]
        if len(params) == 1:
            name, values = params[0]
            metafunc.parametrize(name, values, indirect=True, ids=group["ids"])
        else:
            names = ",".join(name for name, _ in params)
            value_sets = list(zip(*[values for _, values in params]))
            metafunc.parametrize(names, value_sets, indirect=True, ids=group["ids"])


def _apply_parameterization_marks(items):
    for item in items:
        marks = getattr(getattr(item, "function", None), "tvm_parameterization_marks", None)
        if not marks or "[" not in item.name:
            continue
        param_id = item.name[len(item.originalname) + 1 : -1]
        for params, marker_fn, reason in marks:
            if param_id in params:
                item.add_marker(marker_fn(reason=f"on nodeid {item.nodeid}: {reason}"))


def _count_num_fixture_uses(items):
    for item in items:
        skipped = item.get_closest_marker("skip") is not None or any(
            mark.args and mark.args[0] is True for mark in item.iter_markers("skipif")
        )
        if skipped:
            continue
        for fixturedefs in item._fixtureinfo.name2fixturedefs.values():
            counter = getattr(fixturedefs[-1].func, "num_tests_use_this_fixture", None)
            if counter is not None:
                counter[0] += 1


def _sort_tests(items):
    def key(item):
        filename, lineno, name = item.location
        return filename, lineno or 0, name.split("[")[0]

    items.sort(key=key)  # stable: parametrisations keep their order
