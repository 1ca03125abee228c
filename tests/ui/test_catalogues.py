"""Issue 12 item 7: the UI strings live in gettext catalogues a translator edits with the usual
tools; both languages hold every message of the template, and every string the code asks for.

Read with Babel (the reference reader of .po files), independently of stelsel's own loader.
"""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from conftest import REPO

from stelsel.server import i18n

LOCALE = REPO / "src" / "stelsel" / "server" / "locale"
SOURCES = [*(REPO / "src" / "stelsel" / "server").glob("*.py"),
           *(REPO / "src" / "stelsel" / "server" / "templates").rglob("*.html")]


def _read(path, locale=None):
    with open(path, "rb") as f:
        return {m.id: m.string for m in read_po(f, locale=locale) if m.id}


def test_both_languages_translate_every_message_of_the_template():
    template = _read(LOCALE / "stelsel.pot")
    assert len(template) > 200
    for lang in ("nl", "en"):
        catalogue = _read(LOCALE / lang / "LC_MESSAGES" / "stelsel.po", lang)
        assert set(catalogue) == set(template), lang
        empty = sorted(k for k, v in catalogue.items() if not (v or "").strip())
        assert not empty, (lang, empty[:10])


def test_the_loader_gives_what_the_catalogues_say():
    en = _read(LOCALE / "en" / "LC_MESSAGES" / "stelsel.po", "en")
    nl = _read(LOCALE / "nl" / "LC_MESSAGES" / "stelsel.po", "nl")
    for key in en:
        assert i18n.entry(key) == (nl[key], en[key])
    assert i18n.t("count.findings", "en", n=1) == en["count.findings.one"].format(n=1)


def test_every_key_the_code_asks_for_is_in_the_catalogues():
    asked = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""(?:\b_|i18n\.t|\bt)\(\s*["']([a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+)["']""", text))
    missing = sorted(k for k in asked if i18n.entry(k) is None)
    assert not missing, missing
