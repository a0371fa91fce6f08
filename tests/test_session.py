"""Session files (explorer.session): every state field round-trips, every old file version loads,
hostile files are refused with a message naming the problem, writes are atomic."""
import copy
import errno
import json
import math
import os
import re
import stat
from pathlib import Path

import numpy as np
import pytest

from explorer import session as S
from explorer.model import AppModel
from explorer.model.state import ModelState

DATA = Path(__file__).resolve().parent / "data" / "sessions"
DEFAULTS = AppModel().to_dict()
EXAMPLES = {k: v for k, v in ModelState.examples().items() if "." not in k}

# Non-default values for fields whose type alone does not suggest one (text choices) or that are
# only primary together with another field (q's logits count only in logit mode).
PATCHES = {
    "unit": {"unit": "bits"},
    "q_logits": {"q_logit_mode": True, "q_logits": [1.5, -0.5, 0.25]},
    "q_logit_mode": {"q_logit_mode": True},
    "sigmoid_grad_wrt": {"sigmoid_grad_wrt": "z"},
    "softmax_target": {"softmax_target": "onehot"},
}
# Fields that are derived from others and never stand alone in a saved state.
DERIVED = {"version"}


# ------------------------------------------------------------------------------ helpers
def _generic_candidates(value):
    """Values of the same JSON shape as *value* but different from it."""
    if isinstance(value, bool):
        yield not value
    elif isinstance(value, int):
        yield from (value + 1, value - 1, value + 5, 0, 2)
    elif isinstance(value, float):
        yield from (value * 0.5 + 0.125, value + 0.75, -value - 0.25, value * 2 + 1, 0.3)
    elif isinstance(value, str):
        yield from (value + "2", "custom")
    elif isinstance(value, list) and value:
        if all(isinstance(v, bool) for v in value):
            yield [not value[0]] + value[1:]
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            rolled = list(np.roll(value, 1))
            if rolled != value:
                yield [float(v) for v in rolled]
            yield [float(v) * 0.5 + 0.1 for v in value]
            yield [float(v) + 1.0 for v in value]
        elif all(isinstance(v, str) for v in value):
            yield [v + "2" for v in value]
        else:
            yield value[:-1]
            yield list(reversed(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            for c in _generic_candidates(v):
                yield {**value, k: c}


def _non_default_state(key):
    """A valid model dict in which *key* differs from its default, or None."""
    base = copy.deepcopy(DEFAULTS)
    patches = [PATCHES[key]] if key in PATCHES else []
    if key in EXAMPLES:                 # the example its declaration gives (explorer.model.fields)
        patches.append({key: EXAMPLES[key]})
    patches += [{key: c} for c in _generic_candidates(DEFAULTS[key])]
    for patch in patches:
        data = {**copy.deepcopy(base), **copy.deepcopy(patch)}
        model = AppModel()
        try:
            model.from_dict(data)
        except ValueError:
            continue
        if model.to_dict()[key] != DEFAULTS[key]:
            return model
    return None


def _write(tmp_path, doc, name="s.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def _load_into(model, path):
    sess = S.load_session(path)
    S.apply_to_model(sess, model, Path(path).name)
    return sess


# ------------------------------------------------------------------------------ round trip
@pytest.mark.parametrize("key", sorted(k for k in DEFAULTS if k not in DERIVED))
def test_every_field_round_trips(key, tmp_path):
    """Iterates over AppModel().to_dict(): fields added later are covered automatically."""
    model = _non_default_state(key)
    assert model is not None, (f"no non-default value found for {key!r}: add one to PATCHES in "
                               "tests/test_session.py")
    path = tmp_path / "s.json"
    S.write_json_atomic(path, S.build_session(model))
    fresh = AppModel()
    assert fresh.to_dict()[key] != model.to_dict()[key]
    _load_into(fresh, path)
    assert fresh.to_dict()[key] == model.to_dict()[key]
    assert fresh.to_dict() == model.to_dict()


def test_whole_state_round_trips_and_emits_one_change(tmp_path):
    model = AppModel()
    model.set_distributions([0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], ["a", "b", "c", "d"])
    model.set_lock("p", 2, True)
    model.set_unit("bans")
    model.set_eps(True, 1e-4)
    model.set_z_marker(-7.25)
    model.set_training_params(w0=2.0, b0=2.0, lr=0.5)
    model.set_training_epoch(11)
    path = tmp_path / "all.json"
    S.write_json_atomic(path, S.build_session(model))
    fresh = AppModel()
    seen = []
    fresh.sigChangeFinished.connect(seen.append)
    _load_into(fresh, path)
    assert fresh.to_dict() == model.to_dict()
    assert len(seen) == 1
    np.testing.assert_array_equal(fresh.p, [0.1, 0.2, 0.3, 0.4])
    assert fresh.labels == ["a", "b", "c", "d"] and fresh.locks_p.tolist() == [False, False, True, False]


def test_written_file_is_plain_versioned_json(tmp_path):
    path = tmp_path / "s.json"
    S.write_json_atomic(path, S.build_session(AppModel(), {"help_topic": "entropy"}))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == S.SESSION_VERSION == 2
    assert doc["format"] == S.FORMAT_NAME
    assert doc["model"]["version"] == DEFAULTS["version"]
    assert doc["layout"] == {"help_topic": "entropy"}


# ------------------------------------------------------------------------------ old versions
def test_there_is_a_test_file_for_every_version():
    for v in range(1, S.SESSION_VERSION + 1):
        path = DATA / f"v{v}.json"
        assert path.is_file(), f"keep an example of file version {v} in {path}"
        assert json.loads(path.read_text())["version"] == v


def test_v1_file_loads_with_every_value():
    raw = json.loads((DATA / "v1.json").read_text())
    model = AppModel()
    sess = _load_into(model, DATA / "v1.json")
    assert sess.version_read == 1 and sess.layout == {}
    np.testing.assert_array_equal(model.p, [0.5, 0.25, 0.125, 0.125])
    np.testing.assert_array_equal(model.q, [0.25] * 4)
    assert model.labels == ["sun", "rain", "snow", "fog"]
    assert model.unit == "bits" and model.precision == 3 and model.eps_enabled and model.eps == 1e-6
    assert model.z_marker == -3.5 and model.sigmoid_x == 2.0 and model.sigmoid_y == 1
    assert model.training_epoch == 42 and model.training.w0 == 2.0 and model.training.epochs == 200
    state = model.to_dict()
    for key, value in raw.items():          # every value in the old file made it into the model
        if key == "training":
            assert {k: state[key][k] for k in value} == value
        elif key != "q_logits":            # derived from q (q is not in logit mode in this file)
            assert state[key] == value, key
    # fields the old file did not know take their defaults
    for key in set(DEFAULTS) - set(raw):
        assert state[key] == DEFAULTS[key], key


def test_v2_file_loads_model_and_layout():
    raw = json.loads((DATA / "v2.json").read_text())
    model = AppModel()
    sess = _load_into(model, DATA / "v2.json")
    assert sess.version_read == 2
    assert sess.layout["help_topic"] == "mse_vs_ce"
    assert sess.dock_state[:4] == b"\x00\x00\x00\xff"     # QMainWindow::saveState() marker
    assert model.q_logit_mode and model.temperature == 0.5 and model.unit == "bans"
    np.testing.assert_allclose(model.q_logits, raw["model"]["q_logits"])
    softmax = np.exp(np.array(raw["model"]["q_logits"]) / 0.5)
    np.testing.assert_allclose(model.q, softmax / softmax.sum(), rtol=1e-12)


def test_migrate_leaves_input_untouched_and_refuses_future_versions():
    raw = json.loads((DATA / "v1.json").read_text())
    before = copy.deepcopy(raw)
    doc = S.migrate(raw)
    assert raw == before and doc["version"] == S.SESSION_VERSION and doc["model"]["p"] == raw["p"]
    with pytest.raises(S.SessionError, match="newer version"):
        S.migrate({"version": S.SESSION_VERSION + 1, "model": {}})
    with pytest.raises(S.SessionError, match="model.version.*newer"):
        S.parse_session({"version": 2, "model": {**DEFAULTS, "version": 99}})


# ------------------------------------------------------------------------------ hostile files
def _doc(**model_changes):
    model = {**copy.deepcopy(DEFAULTS), **model_changes}
    return {"format": S.FORMAT_NAME, "version": 2, "model": model}


def _without(key):
    doc = _doc()
    del doc["model"][key]
    return doc


BAD = {
    "not json": ("{this is not json", "not valid JSON"),
    "empty": ("", "empty"),
    "top-level list": ("[1, 2, 3]", "expected a JSON object"),
    "NaN literal": (json.dumps(_doc()).replace('"z_marker": 2.0', '"z_marker": NaN'), "NaN"),
    "Infinity literal": (json.dumps(_doc()).replace('"temperature": 1.0', '"temperature": Infinity'),
                         "Infinity"),
    "overflowing number": (json.dumps(_doc()).replace('"z_marker": 2.0', '"z_marker": 1e999'),
                           "too large"),
    "huge integer": (json.dumps(_doc()).replace('"precision": 4', '"precision": ' + "9" * 5000),
                     "model.precision: the number 9.999e+4999 is too large"),
    "400-digit integer": (json.dumps(_doc()).replace('"epochs": 300', '"epochs": 1' + "0" * 400),
                          "model.training.epochs: the number 1.000e+400 is too large"),
    "int beyond 2**1024": (json.dumps(_doc()).replace('"z_marker": 2.0', f'"z_marker": {2**1024}'),
                           "model.z_marker: the number"),
    "huge finite float": (json.dumps(_doc()).replace('"w0": 0.6', '"w0": 1e308'),
                          "model.training.w0: the number 1e+308 is too large (at most ±1e+15)"),
    "NaN names the field": (json.dumps(_doc()).replace('"lr": 0.15', '"lr": NaN'),
                            "model.training.lr: NaN is not allowed"),
    "-Infinity in a list": (json.dumps(_doc()).replace('"q": [0.4, 0.4, 0.2]',
                                                      '"q": [0.4, -Infinity, 0.2]'),
                            "model.q[1]: -Infinity is not allowed"),
    "overflow names the field": (json.dumps(_doc()).replace('"sigmoid_x": 1.0', '"sigmoid_x": -2e400'),
                                 "model.sigmoid_x: the number -2e400 is too large"),
    "deep nesting": ('{"version": 2, "model": ' + "[" * 5000 + "]" * 5000 + "}", "nested"),
    "100000-deep arrays": ('{"version": 2, "model": ' + "[" * 100_000 + "]" * 100_000 + "}",
                           "nested too deeply"),
    "100000-deep objects": ('{"version": 2, "model": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000
                            + "}", "nested too deeply"),
    "lone surrogate label": (json.dumps(_doc(labels=["\ud800", "dog", "horse"])),
                             "model.labels[0]: the text holds an invalid character (a lone "
                             "surrogate \\ud800)"),
    "lone surrogate key": (json.dumps({**_doc(), "\udfff": 1}),
                           "a key holds an invalid character (a lone surrogate \\udfff)"),
    "surrogate in help topic": (json.dumps({**_doc(), "layout": {"help_topic": "x\udc80"}}),
                                "layout.help_topic: the text holds an invalid character"),
    "missing version": ({"model": DEFAULTS}, "version: missing"),
    "version is text": ({"version": "2", "model": DEFAULTS}, "version: expected a whole number"),
    "version is bool": ({"version": True, "model": DEFAULTS}, "version: expected a whole number"),
    "negative version": ({"version": -1, "model": DEFAULTS}, "not a valid version"),
    "future version": ({"version": 99, "model": DEFAULTS}, "newer version"),
    "missing model": ({"version": 2, "layout": {}}, "model: missing"),
    "model not object": ({"version": 2, "model": [1, 2]}, "model: expected an object"),
    "wrong format": ({"version": 2, "format": "something-else", "model": DEFAULTS}, "format"),
    "missing p": (_without("p"), "p: missing"),
    "missing q": (_without("q"), "q: missing"),
    "p is text": (_doc(p="0.5 0.5"), "p: expected a list"),
    "p entry is text": (_doc(p=[0.5, "x", 0.5]), "p: entry 1 must be a number"),
    "p entry null": (_doc(p=[0.5, None, 0.5]), "p: entry 1"),
    "negative probability": (_doc(p=[1.2, -0.2, 0.0]), "p: entry"),
    "p does not sum to 1": (_doc(p=[0.5, 0.4, 0.4]), "sum"),
    "huge N": (_doc(p=[1.0 / 100_000] * 100_000, q=[1.0 / 100_000] * 100_000,
                    labels=[f"x{i}" for i in range(100_000)]), "p: needs 2 to"),
    "one category": (_doc(p=[1.0], q=[1.0]), "p: needs 2 to"),
    "q wrong length": (_doc(q=[0.5, 0.5]), "q: expected 3 values"),
    "labels not list": (_doc(labels="cat"), "labels: expected a list"),
    "label too long": (_doc(labels=["a" * 500, "b", "c"]), "labels: label 0"),
    "label is number": (_doc(labels=[1, "b", "c"]), "labels: entry 0 must be text"),
    "unit is a list": (_doc(unit=["bits"]), "unit: expected text"),
    "unknown unit": (_doc(unit="furlongs"), "unit"),
    "negative precision": (_doc(precision=-1), "precision"),
    "precision is float": (_doc(precision=3.5), "precision: expected a whole number"),
    "negative temperature": (_doc(temperature=-1.0), "temperature"),
    "temperature is text": (_doc(temperature="hot"), "temperature: expected a number"),
    "negative eps": (_doc(eps=-1e-3), "eps"),
    "eps_enabled not bool": (_doc(eps_enabled="yes"), "eps_enabled: expected true or false"),
    "locks wrong type": (_doc(locks_p=[1, 0, 0]), "locks_p: entry 0 must be true or false"),
    "huge z marker": (_doc(z_marker=1e300), "z"),
    "training not object": (_doc(training=[1, 2]), "training: expected an object"),
    "negative epochs": (_doc(training={**DEFAULTS["training"], "epochs": -5}), "epochs"),
    "huge epochs": (_doc(training={**DEFAULTS["training"], "epochs": 10**9}), "epochs"),
    "negative epoch": (_doc(training_epoch=-3), "epoch"),
    "layout not object": ({**_doc(), "layout": "x"}, "layout: expected an object"),
    "layout not base64": ({**_doc(), "layout": {"dock_state": "%%%not base64%%%"}}, "base64"),
    "layout too long": ({**_doc(), "layout": {"dock_state": "A" * (S.MAX_LAYOUT_CHARS + 4)}},
                        "too long"),
    "python code": ("__import__('os').system('touch /tmp/explorer-pwned')", "not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_file_refused_naming_the_problem(case, tmp_path):
    content, expected = BAD[case]
    path = _write(tmp_path, content, "bad.json")
    model = AppModel()
    model.set_p([0.2, 0.3, 0.5])
    before = model.to_dict()
    seen = []
    model.sigChanged.connect(seen.append)
    with pytest.raises(S.SessionError) as info:
        _load_into(model, path)
    message = str(info.value)
    assert message.startswith("bad.json: "), message
    assert expected.lower() in message.lower(), message
    assert model.to_dict() == before and not seen
    assert not Path("/tmp/explorer-pwned").exists()


def test_one_gigabyte_file_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(1 << 30)                     # sparse: takes no disk space
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(S.SessionError, match=r"^huge.json: the file is too large \(1.0 GB; the "
                                             r"limit is 5.0 MB\)"):
        S.load_session(path)
    assert reads == []


def test_device_is_refused_without_reading_it():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(S.SessionError, match="^zero: not a regular file"):
        S.read_document("/dev/zero")


def _in_thread(fn, *args):
    """Run fn(*args) in a daemon thread; return (finished, result or exception)."""
    import threading
    box = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:          # noqa: BLE001 - handed to the test
            box["value"] = exc
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    return not t.is_alive(), box.get("value")


def _release_fifo_reader(fifo):
    """A reader blocked in open() on *fifo* (the old code) gets EOF: the thread can end."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    try:
        finished, result = _in_thread(S.load_session, fifo)
    finally:
        _release_fifo_reader(fifo)
    assert finished, "load_session blocked on a FIFO"
    assert isinstance(result, S.SessionError), result
    assert str(result) == ("pipe.json: not a regular file (a pipe, a device or a socket cannot "
                           "be opened)")


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_doc(unit="bits")).encode("utf-8"))
    model = AppModel()
    _load_into(model, path)
    assert model.unit == "bits"


def test_refusals_carry_a_template_the_interface_translates(tmp_path):
    from explorer import i18n
    path = _write(tmp_path, json.dumps(_doc()).replace('"w0": 0.6', '"w0": 1e308'), "big.json")
    with pytest.raises(S.SessionError) as info:
        S.load_session(path)
    exc = info.value
    assert exc.fields["file"] == "big.json" and exc.fields["field"] == "model.training.w0"
    catalog = i18n.load_catalog("zh")
    assert exc.template in catalog, exc.template
    zh = catalog[exc.template].format(**exc.fields)
    assert "big.json" in zh and "model.training.w0" in zh and "1e+308" in zh
    assert re.search(r"[\u4e00-\u9fff]", zh)


@pytest.mark.parametrize("content,expected", [
    (b"\xff\xfe\x00binary\x00", r"not a text \(UTF-8\) file"),
    (b"   \n\t ", "empty"),
])
def test_binary_and_blank_files_refused(tmp_path, content, expected):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(S.SessionError, match=expected):
        S.load_session(path)


def test_folder_and_missing_file_refused(tmp_path):
    with pytest.raises(S.SessionError, match="is a folder"):
        S.load_session(tmp_path)
    with pytest.raises(S.SessionError, match="cannot read file"):
        S.load_session(tmp_path / "nope.json")


def test_unknown_keys_are_ignored_never_executed(tmp_path):
    doc = _doc()
    doc["model"]["__class__"] = "os.system"
    doc["__reduce__"] = ["os.system", ["touch /tmp/explorer-pwned"]]
    model = AppModel()
    _load_into(model, _write(tmp_path, doc))
    assert model.to_dict() == DEFAULTS
    assert not Path("/tmp/explorer-pwned").exists()


def test_session_code_never_evaluates_or_unpickles():
    import re
    root = Path(__file__).resolve().parent.parent / "explorer"
    risky = re.compile(r"(?<![\w.])(eval|exec|__import__)\(|import (pickle|marshal|shelve|importlib"
                       r"|yaml)|(pickle|marshal|yaml)\.load")
    for rel in ("session.py", "ui/sessions.py", "ui/autosave.py"):
        found = risky.search((root / rel).read_text())
        assert found is None, f"{rel} uses {found.group(0)}"


# ------------------------------------------------------------------------------ atomic writes
def _leftovers(folder):
    return [p.name for p in Path(folder).iterdir() if p.name.endswith(".tmp")]


def test_failed_rename_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    S.write_json_atomic(path, {"version": 2, "old": True})
    before = path.read_bytes()

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OSError) as info:
        S.write_json_atomic(path, {"version": 2, "new": True})
    assert S.describe_os_error(info.value) == "No space left on device"
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_failure_mid_write_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    S.write_json_atomic(path, {"version": 2, "old": True})
    before = path.read_bytes()
    real_fsync = os.fsync

    def crash(fd):                                   # the data is written, then the disk fails
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        S.write_json_atomic(path, {"version": 2, "new": "x" * 100_000})
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_unserialisable_state_never_touches_the_file(tmp_path):
    path = tmp_path / "s.json"
    S.write_json_atomic(path, {"version": 2})
    before = path.read_bytes()
    with pytest.raises(ValueError):
        S.write_json_atomic(path, {"version": 2, "x": math.nan})
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write into read-only folders")
def test_read_only_folder_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    S.write_json_atomic(folder / "s.json", {"version": 2})
    folder.chmod(0o500)
    try:
        with pytest.raises(OSError) as info:
            S.write_json_atomic(folder / "s.json", {"version": 2, "new": 1})
        assert "Permission denied" in S.describe_os_error(info.value)
    finally:
        folder.chmod(0o700)


# ------------------------------------------------------------------------------ writing keeps files
def test_saving_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "s.json"
    S.write_json_atomic(path, S.build_session(AppModel()))
    for mode in (0o644, 0o640, 0o664):
        path.chmod(mode)
        S.write_json_atomic(path, S.build_session(AppModel()))
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert json.loads(path.read_text())["version"] == 2


def test_a_new_file_gets_the_umask_mode_and_autosaves_stay_private(tmp_path):
    old = os.umask(0o022)
    try:
        S.write_json_atomic(tmp_path / "new.json", {"version": 2})
        S.write_json_atomic(tmp_path / "private.json", {"version": 2}, new_file_mode=0o600)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "session.json"
    S.write_json_atomic(target, {"version": 2, "old": True})
    target.chmod(0o644)
    link = tmp_path / "link.json"
    link.symlink_to(os.path.relpath(target, tmp_path))       # a relative link, as ln -s makes
    chain = tmp_path / "chain.json"
    chain.symlink_to("link.json")                            # a link to a link
    S.write_json_atomic(link, {"version": 2, "new": 1})
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(target, tmp_path)
    assert json.loads(target.read_text()) == {"version": 2, "new": 1}
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    S.write_json_atomic(chain, {"version": 2, "newer": 2})
    assert chain.is_symlink() and link.is_symlink()
    assert json.loads(target.read_text()) == {"version": 2, "newer": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.json", "link.json", "real"]
    assert _leftovers(real_dir) == [] and _leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_dangling_symlink_gets_its_target_created(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to("later.json")
    S.write_json_atomic(link, {"version": 2})
    assert link.is_symlink() and json.loads((tmp_path / "later.json").read_text()) == {"version": 2}


def test_text_that_is_not_unicode_is_saved_as_the_replacement_character(tmp_path):
    """A lone surrogate cannot be written as UTF-8; the save still works, and the file loads."""
    doc = S.build_session(AppModel())
    doc["model"]["labels"] = ["\ud800", "dog", "horse"]
    path = tmp_path / "s.json"
    S.write_json_atomic(path, doc)
    raw = path.read_bytes()
    assert raw.decode("utf-8")                             # valid UTF-8
    model = AppModel()
    _load_into(model, path)
    assert model.labels == ["\ufffd", "dog", "horse"]
