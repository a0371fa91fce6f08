"""The help texts as data: ``resources/help/help.json``, both languages, read once.

Every topic has a title, a summary, a body (simple HTML) and a "live" template whose
``{placeholders}`` the help dock fills from the model; ``tour`` holds one text per dock
objectName.  Used by the help dock, the Help menu and the Tour (so none of them imports another).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from explorer import i18n, resources

HELP_FILE = resources.path("help", "help.json")
TOPIC_FIELDS = ("title", "summary", "body", "live")
#: rows of the self-information table before "… and k more"
MAX_TABLE_ROWS = 12


@lru_cache(maxsize=1)
def load_help(path: str = str(HELP_FILE)) -> dict:
    """Read and check the help catalogue (every language has every topic and field)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    order = data["order"]
    for lang in i18n.LANGUAGES:
        topics = data[lang]["topics"]
        for key in order:
            missing = [f for f in TOPIC_FIELDS if not isinstance(topics.get(key, {}).get(f), str)]
            if missing:
                raise ValueError(f"{path}: {lang}.{key} lacks {', '.join(missing)}")
    return data


def topic_keys() -> list[str]:
    return list(load_help()["order"])


def content(lang: str | None = None) -> dict:
    """The help content in *lang* (default: the interface language)."""
    data = load_help()
    lang = lang or i18n.language()
    return data.get(lang, data["en"])


def tour_text(dock_name: str, title: str, lang: str | None = None) -> str:
    tour = content(lang)["tour"]
    text = tour.get(dock_name)
    return text if text else tour["_generic"].format(title=title)
