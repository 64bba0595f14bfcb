"""tvm.transform: PassContext, module passes, Sequential, instruments and config."""

import pytest

import tvm
from tvm import transform
from tvm.instrument import pass_instrument, PassTimingInstrument


def recorder(name, log, opt_level=0, required=None):
    """A module pass named `name` that appends its name to `log`."""

    @transform.module_pass(opt_level=opt_level, name=name, required=required)
    def _pass(mod, ctx):
        log.append(name)
        return mod

    return _pass


def test_pass_context_is_a_with_block():
    outer_default = transform.PassContext.current()
    assert outer_default.opt_level == 2
    with transform.PassContext(opt_level=3) as ctx:
        assert transform.PassContext.current().same_as(ctx)
        assert ctx.opt_level == 3
        with transform.PassContext(opt_level=1) as inner:
            assert transform.PassContext.current().same_as(inner)
        assert transform.PassContext.current().same_as(ctx)
    assert transform.PassContext.current().same_as(outer_default)


def test_pass_context_fields():
    ctx = transform.PassContext(opt_level=1, required_pass=["A"], disabled_pass=("B", "C"))
    assert ctx.opt_level == 1
    assert list(ctx.required_pass) == ["A"]
    assert sorted(ctx.disabled_pass) == ["B", "C"]
    with pytest.raises(TypeError):
        transform.PassContext(disabled_pass="NotAList")


def test_context_exits_when_body_raises():
    before = transform.PassContext.current()
    with pytest.raises(KeyError):
        with transform.PassContext(opt_level=3):
            raise KeyError("boom")
    assert transform.PassContext.current().same_as(before)


def test_module_pass_decorator_on_function():
    calls = []

    @transform.module_pass(opt_level=1)
    def tag_module(mod, ctx):
        calls.append(ctx.opt_level)
        return mod.with_attr("tagged", "yes")

    assert isinstance(tag_module, transform.ModulePass)
    assert tag_module.info.name == "tag_module"
    assert tag_module.info.opt_level == 1
    mod = tvm.IRModule()
    with transform.PassContext(opt_level=3):
        out = tag_module(mod)
    assert out.get_attr("tagged") == "yes"
    assert mod.get_attr("tagged") is None
    assert calls == [3]


def test_module_pass_decorator_with_name():
    log = []
    p = recorder("CustomName", log)
    assert p.info.name == "CustomName"
    p(tvm.IRModule())
    assert log == ["CustomName"]


def test_module_pass_decorator_needs_opt_level():
    with pytest.raises(ValueError):
        transform.module_pass(lambda mod, ctx: mod)


def test_module_pass_decorator_on_class():
    @transform.module_pass(opt_level=2, name="ClassPass")
    class AddMarker:
        def __init__(self, value):
            self.value = value
            self.seen = 0

        def transform_module(self, mod, ctx):
            self.seen += 1
            return mod.with_attr("marker", self.value)

    p = AddMarker("hello")
    assert isinstance(p, transform.ModulePass)
    assert p.info.name == "ClassPass"
    out = p(tvm.IRModule())
    assert out.get_attr("marker") == "hello"
    assert p.seen == 1  # attributes of the instance are reachable


def test_pass_returning_none_is_an_error_naming_it():
    @transform.module_pass(opt_level=0, name="ForgetsToReturn")
    def bad(mod, ctx):
        return None

    with pytest.raises(tvm.error.TVMError, match="ForgetsToReturn"):
        bad(tvm.IRModule())


def test_exception_in_python_pass_propagates():
    @transform.module_pass(opt_level=0)
    def raises(mod, ctx):
        raise ValueError("from inside the pass")

    with pytest.raises(ValueError, match="from inside the pass"):
        raises(tvm.IRModule())


def test_sequential_runs_in_order():
    log = []
    seq = transform.Sequential([recorder("A", log), recorder("B", log), recorder("C", log)])
    seq(tvm.IRModule())
    assert log == ["A", "B", "C"]
    with pytest.raises(TypeError):
        transform.Sequential([recorder("A", log), "not a pass"])


def test_sequential_opt_level_gating():
    log = []
    seq = transform.Sequential([recorder("O1", log, 1), recorder("O3", log, 3)])
    with transform.PassContext(opt_level=2):
        seq(tvm.IRModule())
    assert log == ["O1"]
    log.clear()
    with transform.PassContext(opt_level=3):
        seq(tvm.IRModule())
    assert log == ["O1", "O3"]
    log.clear()
    with transform.PassContext(opt_level=0):
        seq(tvm.IRModule())
    assert log == []


def test_disabled_and_required_passes():
    log = []
    seq = transform.Sequential([recorder("Cheap", log, 0), recorder("Fancy", log, 4), recorder("Risky", log, 1)])
    with transform.PassContext(opt_level=2, required_pass=["Fancy"], disabled_pass=["Risky"]):
        seq(tvm.IRModule())
    assert log == ["Cheap", "Fancy"]


def test_required_pass_of_a_pass_runs_first():
    log = []
    prereq = recorder("PyPrereq", log)
    tvm.register_func("transform.PyPrereq", lambda: prereq, override=True)
    try:
        seq = transform.Sequential([recorder("Main", log, required=["PyPrereq"])])
        seq(tvm.IRModule())
    finally:
        tvm._ffi.remove_global_func("transform.PyPrereq")
    assert log == ["PyPrereq", "Main"]


@pass_instrument
class RecordingInstrument:
    def __init__(self, skip=()):
        self.events = []
        self.skip = set(skip)

    def enter_pass_ctx(self):
        self.events.append("enter")

    def exit_pass_ctx(self):
        self.events.append("exit")

    def should_run(self, mod, info):
        return info.name not in self.skip

    def run_before_pass(self, mod, info):
        assert isinstance(mod, tvm.IRModule)
        self.events.append(("before", info.name))

    def run_after_pass(self, mod, info):
        assert isinstance(mod, tvm.IRModule)
        self.events.append(("after", info.name))


def test_instrument_records_calls_in_order():
    log = []
    inst = RecordingInstrument()
    assert isinstance(inst, tvm.instrument.PassInstrument)
    seq = transform.Sequential([recorder("P1", log), recorder("P2", log)], name="Outer")
    with transform.PassContext(instruments=[inst]) as ctx:
        assert len(ctx.instruments) == 1
        seq(tvm.IRModule())
    assert log == ["P1", "P2"]
    assert inst.events == [
        "enter",
        ("before", "Outer"),
        ("before", "P1"),
        ("after", "P1"),
        ("before", "P2"),
        ("after", "P2"),
        ("after", "Outer"),
        "exit",
    ]


def test_should_run_false_skips_pass():
    log = []
    inst = RecordingInstrument(skip=["P2"])
    seq = transform.Sequential([recorder("P1", log), recorder("P2", log), recorder("P3", log)], name="S")
    with transform.PassContext(instruments=[inst]):
        seq(tvm.IRModule())
    assert log == ["P1", "P3"]
    assert ("before", "P2") not in inst.events
    assert ("after", "P2") not in inst.events


def test_instrument_with_only_some_callbacks():
    @pass_instrument
    class OnlyAfter:
        def __init__(self):
            self.names = []

        def run_after_pass(self, mod, info):
            self.names.append(info.name)

    inst = OnlyAfter()
    with transform.PassContext(instruments=[inst]):
        recorder("Single", [])(tvm.IRModule())
    assert inst.names == ["Single"]


def test_pass_timing_instrument_render_names_passes():
    timing = PassTimingInstrument()
    seq = transform.Sequential([recorder("TimedOne", []), recorder("TimedTwo", [])], name="TimedSeq")
    with transform.PassContext(instruments=[timing]):
        seq(tvm.IRModule())
        profiles = timing.render()
    assert "TimedSeq" in profiles
    assert "TimedOne" in profiles
    assert "TimedTwo" in profiles


def test_override_instruments():
    first, second = RecordingInstrument(), RecordingInstrument()
    with transform.PassContext(instruments=[first]) as ctx:
        ctx.override_instruments([second])
        recorder("AfterOverride", [])(tvm.IRModule())
    assert first.events == ["enter", "exit"]
    assert second.events == ["enter", ("before", "AfterOverride"), ("after", "AfterOverride"), "exit"]


def test_unknown_config_key_names_the_key():
    with pytest.raises(tvm.error.TVMError) as info:
        transform.PassContext(config={"test_pass_context.no_such_option": 1})
    assert "test_pass_context.no_such_option" in str(info.value)


def test_list_configs_is_a_dict():
    configs = transform.PassContext.list_configs()
    assert isinstance(configs, dict)


def test_registered_config_option():
    tvm.get_global_func("transform.RegisterConfigOption")("test_pass_context.int_opt", "IntImm")
    assert transform.PassContext.list_configs()["test_pass_context.int_opt"] == "IntImm"
    with transform.PassContext(config={"test_pass_context.int_opt": tvm.runtime.convert(5)}) as ctx:
        assert int(ctx.config["test_pass_context.int_opt"]) == 5
    with pytest.raises(TypeError, match="test_pass_context.int_opt"):
        transform.PassContext(config={"test_pass_context.int_opt": "five"})


def test_print_ir_runs(capfd):
    mod = tvm.IRModule().with_attr("print_marker", "visible_marker")
    out = transform.PrintIR("my header")(mod)
    assert out.same_as(mod)
    captured = capfd.readouterr()
    assert "visible_marker" in captured.out + captured.err


def test_pass_info():
    info = transform.PassInfo(3, "MyPass", required=["Other"])
    assert info.opt_level == 3
    assert info.name == "MyPass"
    assert list(info.required) == ["Other"]
