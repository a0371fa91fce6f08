"""Scenario titles and descriptions: one text or one per language (issue 20)."""
import json

import pytest

from explorer.record.scenario import (ScenarioError, load_scenario, text_in,
                                      validate_scenario)
from explorer import resources

HOLD = [{"action": "hold", "duration": 1}]


def _sc(**top):
    return {"version": 1, **top, "actions": HOLD}


def test_a_plain_title_serves_every_language():
    sc = validate_scenario(_sc(title="Entropy", description="The average surprise"))
    assert sc.title == "Entropy"
    assert sc.title_in("en") == sc.title_in("zh") == "Entropy"
    assert sc.description_in("zh") == "The average surprise"


def test_a_title_per_language_and_the_fallback_to_english():
    sc = validate_scenario(_sc(title={"en": "Entropy", "zh": "熵"},
                               description={"en": "The average surprise"}))
    assert (sc.title_in("en"), sc.title_in("zh")) == ("Entropy", "熵")
    assert sc.title == "Entropy"
    assert sc.description_in("zh") == "The average surprise"      # only English given
    only_zh = validate_scenario(_sc(title={"zh": "熵"}))
    assert only_zh.title_in("en") == "熵" and only_zh.title == "熵"
    assert validate_scenario(_sc()).title_in("zh") == ""


@pytest.mark.parametrize("top,message", [
    ({"title": {"fr": "Entropie"}}, "s.json: title.fr: unknown language (allowed: en, zh)"),
    ({"title": {}}, "s.json: title: give the text in at least one of en, zh"),
    ({"title": ["a"]}, "s.json: title: expected text or an object like {\"en\": \"…\", "
                       "\"zh\": \"…\"}, got a list"),
    ({"title": {"en": ""}}, "s.json: title.en: must not be empty"),
    ({"title": {"en": "x", "zh": 3}}, "s.json: title.zh: expected text, got a number"),
    ({"title": "x" * 201}, "s.json: title: too long (201 characters, at most 200)"),
    ({"description": {"zh": "说" * 4001}},
     "s.json: description.zh: too long (4001 characters, at most 4000)"),
])
def test_bad_titles_are_named_in_one_line(top, message):
    with pytest.raises(ScenarioError) as info:
        validate_scenario(_sc(**top), "s.json")
    assert str(info.value) == message


def test_an_empty_description_is_allowed():
    assert validate_scenario(_sc(description={"en": ""})).description_in("en") == ""


def test_text_in_prefers_the_language_then_english_then_any():
    assert text_in({"en": "a", "zh": "b"}, "zh") == "b"
    assert text_in({"en": "a"}, "zh") == "a"
    assert text_in({"zh": "b"}, "en") == "b"
    assert text_in({}, "en") == ""


def test_every_bundled_demo_has_a_title_and_description_in_both_languages():
    files = sorted(resources.path("demos").glob("*.json"))
    assert len(files) >= 7
    titles = {"en": set(), "zh": set()}
    for f in files:
        raw = json.loads(f.read_text(encoding="utf-8"))
        for key in ("title", "description"):
            assert set(raw[key]) == {"en", "zh"}, (f.name, key)
        sc = load_scenario(f)
        for lang in ("en", "zh"):
            assert sc.title_in(lang) and sc.description_in(lang)
            titles[lang].add(sc.title_in(lang))
        # Chinese texts are Chinese, English ones are not
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sc.title_in("zh")), f.name
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in sc.title_in("en")), f.name
    # a list of titles tells every demo apart, in either language
    assert len(titles["en"]) == len(titles["zh"]) == len(files)
