# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The pytest plugin of tvm.testing.

Enable it from a conftest.py: ``pytest_plugins = ["tvm.testing.plugin"]``. It

- parametrises every test that takes a `target` argument and is not
  parametrised over it already with the test targets (TVM_TEST_TARGETS, ';'
  separated, or the default list); targets that cannot run here are skipped;
- gives such tests a `dev` fixture: the device of the target;
- parametrises fixtures made by tvm.testing.parameters() together;
- registers the markers of the tvm.testing features.
"""
import pytest

import tvm
from tvm.testing import utils


def pytest_configure(config):
    """Register the markers the features add, so --strict-markers accepts them."""
    for name, feature in sorted(utils.Feature._registry.items()):
        config.addinivalue_line("markers", f"{name}: tests that need {feature.long_name}")


def pytest_generate_tests(metafunc):
    _parametrize_correlated_parameters(metafunc)
    _auto_parametrize_target(metafunc)


def pytest_collection_modifyitems(config, items):
    for item in items:
        func = getattr(item, "function", None)
        for params, mark in getattr(func, "tvm_parameterization_marks", []):
            callspec = getattr(item, "callspec", None)
            if callspec is None:
                continue
            values = {str(v) for v in callspec.params.values()}
            ids = set(callspec.id.split("-"))
            if params & (values | ids):
                item.add_marker(mark)


@pytest.fixture
def dev(target):
    """The device tests with a `target` run on."""
    return tvm.device(utils._target_kind(target), 0)


def _explicit_parametrizations(metafunc):
    names = set()
    for mark in metafunc.definition.iter_markers("parametrize"):
        argnames = mark.args[0] if mark.args else mark.kwargs.get("argnames", "")
        if isinstance(argnames, str):
            names.update(n.strip() for n in argnames.split(","))
        else:
            names.update(argnames)
    return names


def _auto_parametrize_target(metafunc):
    if "target" not in metafunc.fixturenames:
        return
    if "target" in _explicit_parametrizations(metafunc):
        return
    # A module-level `target = tvm.testing.parameter(...)` fixture parametrises itself.
    fixturedefs = metafunc.definition._fixtureinfo.name2fixturedefs.get("target")
    if fixturedefs and fixturedefs[-1].params is not None:
        return
    func = metafunc.function
    excluded = set(getattr(func, "tvm_excluded_targets", []))
    failing = set(getattr(func, "tvm_known_failing_targets", []))
    params = []
    for name in utils._test_target_names():
        kind = utils._target_kind(name)
        if name in excluded or kind in excluded:
            continue
        marks = utils._target_marks(name)
        if name in failing or kind in failing:
            marks = marks + [pytest.mark.xfail(reason=f"known failing on {kind}")]
        params.append(pytest.param(name, marks=marks, id=name))
    metafunc.parametrize("target", params, scope="session")


def _parametrize_correlated_parameters(metafunc):
    groups = {}
    for name, fixturedefs in metafunc.definition._fixtureinfo.name2fixturedefs.items():
        fixture_func = fixturedefs[-1].func
        group = getattr(fixture_func, "parametrize_group", None)
        if group is not None and name in metafunc.fixturenames:
            groups.setdefault(group, []).append((name, fixture_func))
    for group, members in groups.items():
        names = [name for name, _ in members]
        value_sets = members[0][1].parametrize_values
        ids = members[0][1].parametrize_ids
        # Each fixture of the group was made for one position of the value sets.
        positions = [_position_in_group(func, members) for _, func in members]
        values = [tuple(v[p] for p in positions) for v in value_sets]
        metafunc.parametrize(names, values, ids=ids)


def _position_in_group(func, members):
    # Fixtures of one group were created in order; their definition order is
    # kept by the index stored when they were made.
    return getattr(func, "parametrize_position", 0)
