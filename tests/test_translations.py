"""The Chinese catalogue covers every text the code passes to tr(), keeps every {placeholder}
and keyboard mnemonic, and contains no English words; the extractor finds what it should."""
from __future__ import annotations

import json
import re
import textwrap

import pytest

from explorer import i18n
from tools import extract_strings as ex

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def catalog():
    raw = (i18n.TRANSLATIONS_DIR / "zh.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert isinstance(data, dict)
    # no key given twice (json.loads would silently keep the last one)
    pairs = json.loads(raw, object_pairs_hook=lambda kv: kv)
    keys = [k for k, _v in pairs]
    assert len(keys) == len(set(keys))
    return data


@pytest.fixture(scope="module")
def texts():
    return ex.all_texts()


def test_extractor_reads_literals_and_reports_dynamic_calls(tmp_path, monkeypatch):
    pkg = tmp_path / "explorer"
    pkg.mkdir()
    (pkg / "mod.py").write_text(textwrap.dedent('''
        from explorer import i18n
        from explorer.i18n import tr
        TITLE = "Not a call"
        def f(self, x, n):
            a = tr("Plain")
            b = i18n.tr("Two " "parts").format()
            c = self.tr("Self {n}").format(n=n)
            d = tr("Yes" if x else "No")
            e = tr(x)
            g = str("not tr")
            return tr(TITLE)
    '''), encoding="utf-8")
    monkeypatch.setattr(ex, "ROOT", tmp_path)
    literals, dynamic = ex.scan(pkg)
    assert sorted(t for _f, _l, t in literals) == sorted(
        ["Plain", "Two parts", "Self {n}", "Yes", "No"])
    assert sorted(e for _f, _l, e in dynamic) == ["TITLE", "x"]
    assert all(f == "explorer/mod.py" for f, _l, _e in literals + dynamic)
    assert len(ex.unlisted_dynamic_sites(dynamic)) == 2


def test_every_dynamic_tr_call_has_a_registered_source():
    """tr(variable) calls translate texts from tables or data files; each call site must say
    where its texts come from (DYNAMIC_SITES), so the catalogue test below sees them."""
    unlisted = ex.unlisted_dynamic_sites()
    assert not unlisted, "register these in tools/extract_strings.py DYNAMIC_SITES:\n" + "\n".join(
        f"  {f}:{line}: tr({expr})" for f, line, expr in unlisted)
    # and every registered site still exists (a stale entry hides nothing, but is clutter)
    _literals, dynamic = ex.scan()
    present = {(f, e) for f, _l, e in dynamic}
    assert set(ex.DYNAMIC_SITES) <= present, set(ex.DYNAMIC_SITES) - present


def test_extraction_finds_the_texts_of_every_kind(texts):
    assert len(texts) > 400
    for sample in ("&File", "Reset", "Play", "Uniform",                # literals, menus, buttons
                   "p — true distribution", "Help",                    # dock titles
                   "Olah's Bob & Alice", "won't boot",                # preset data files
                   "Change the temperature",                          # undo step names
                   "nats", "bits (log₂)",                             # unit tables
                   "Category name (rename it in the editors)"):       # table headers
        assert sample in texts, sample


def test_no_text_is_missing_from_the_chinese_catalogue(texts, catalog):
    missing = [t for t in texts if t not in catalog]
    assert not missing, ("add to resources/translations/zh.json "
                         "(python tools/extract_strings.py --stubs):\n"
                         + "\n".join(f"  {texts[t]}: {t!r}" for t in missing))


def test_catalogue_has_no_stale_entries(texts, catalog):
    stale = [k for k in catalog if k not in texts]
    assert not stale, f"no code uses these catalogue keys any more: {stale}"


def test_placeholders_are_kept_exactly(catalog):
    for key, value in catalog.items():
        assert sorted(PLACEHOLDER.findall(value)) == sorted(PLACEHOLDER.findall(key)), key
        # and the translation formats with the same arguments as the source
        names = {m.split(":")[0].strip("{}") for m in PLACEHOLDER.findall(key)}
        args = {n: 1.5 for n in names}
        assert value.format(**args)


def test_mnemonics_are_kept(catalog):
    """A '&X' accelerator in the source stays an accelerator in Chinese (文件(&F))."""
    mnemonic = re.compile(r"&(?!&)(?=\S)")
    for key, value in catalog.items():
        if key.startswith("&{number}") or " & " in key:       # recent-file entries, a title
            continue
        assert len(mnemonic.findall(value)) == len(mnemonic.findall(key)), (key, value)


def test_translations_are_chinese_without_english_words(catalog):
    for key, value in catalog.items():
        assert value.strip(), key
        assert not ex.english_words(value), (key, value, ex.english_words(value))
        if ex.english_words(key):         # a source text with words gets Chinese words
            assert CJK.search(value), (key, value)


def test_standard_terms(catalog):
    """The standard Chinese terms of the field are used for the core concepts."""
    assert catalog["bits"] == "比特" and catalog["nats"] == "奈特" and catalog["bans"] == "班"
    assert "熵" in catalog["entropy [{unit}]"]
    assert "交叉熵" in catalog["Training race: MSE vs cross-entropy"]
    assert "KL散度" in catalog["KL divergence of p from q: the extra cost H(q, p) − H(q)"]
    assert "自信息" in catalog["Self-information I(x) = −{log} x"]
    assert "均方误差" in catalog["Mean squared error ½(a − y)²: its gradient carries σ′(z) and "
                                "vanishes where the sigmoid saturates"]
    assert "梯度消失" in catalog["Show gradient magnitudes on a logarithmic axis: the vanishing "
                                "MSE gradient becomes a straight drop"]
    assert "学习率" in catalog["Learning rate of full-batch gradient descent (both runs)"]
    assert "独热" in catalog["One-hot"]
    assert "温度" in catalog["Change the temperature"]
    assert catalog["&File"] == "文件(&F)"


def test_the_language_switch_loads_the_catalogue(catalog):
    try:
        i18n.set_language("zh")
        assert i18n.tr("&File") == catalog["&File"]
        assert i18n.tr("a text nobody translated") == "a text nobody translated"
        i18n.set_language("en")
        assert i18n.tr("&File") == "&File"
    finally:
        i18n.set_language("en")
    with pytest.raises(ValueError, match="language"):
        i18n.set_language("fr")
