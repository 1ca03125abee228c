"""Issue 12 item 2, the CLI side: `stelsel validate --lang en` names elements in English.

Expected names come from the data files, read here with rdflib (not with the code under test).
"""

from __future__ import annotations

import re

import rdflib
from click.testing import CliRunner
from conftest import REPO

from stelsel.cli import main
from stelsel.finding_names import name_text

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


def test_name_text_replaces_iris_and_a_dutch_name_with_notation_and_label():
    names = {"https://x/NAP02": {"notation": "NAP02", "label": {"nl": "Geef inzicht", "en": "Provide insight"}},
             "https://x/ocw": {"notation": None, "label": {"en": "OCW architecture"}}}
    text = "https://x/ocw does not address NAP02 Geef inzicht (https://x/NAP02) anywhere. See https://x/other."
    assert name_text(text, names, "en") == \
        "“OCW architecture” does not address NAP02 “Provide insight” anywhere. See https://x/other."
    assert "NAP02 “Geef inzicht”" in name_text("see https://x/NAP02.", names, "nl")


def test_validate_in_english_names_principles_in_english(tmp_path):
    result = CliRunner().invoke(main, ["--content", str(REPO), "validate", "--lang", "en",
                                       "--shape", "https://w3id.org/stelsel/shapes#DekkingNora"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    lines = [line for line in result.stdout.splitlines() if "[DekkingNora]" in line]
    assert lines, result.stdout[:2000]
    data = rdflib.Graph()
    for f in sorted((REPO / "data").rglob("*.ttl")):
        data.parse(f)
    english = {str(n): str(l) for s, n in data.subject_objects(SKOS.notation)
               for l in data.objects(s, SKOS.prefLabel) if getattr(l, "language", None) == "en"}
    dutch = {str(n): str(l) for s, n in data.subject_objects(SKOS.notation)
             for l in data.objects(s, SKOS.prefLabel) if getattr(l, "language", None) == "nl"}
    for line in lines:
        message = line.split(": info: ", 1)[-1].split(" [DekkingNora]")[0]
        assert "https://" not in message, message
        for code in re.findall(r"\bNAP\d\d\b", message):
            if code in english:
                assert f"{code} “{english[code]}”" in message, message
                if dutch.get(code) and dutch[code] != english[code]:
                    assert dutch[code] not in message, message


def test_the_summary_names_every_architecture_in_the_visitors_language():
    """EAR and RORA have no coverage line (withdrawn, no elements), yet their findings are counted
    under their names, not under 'ear' and 'rora'."""
    data = rdflib.Graph()
    for f in sorted((REPO / "data").rglob("*.ttl")):
        data.parse(f)
    ear = rdflib.URIRef("https://w3id.org/stelsel/id/ear")
    for lang in ("nl", "en"):
        result = CliRunner().invoke(main, ["--content", str(REPO), "validate", "--lang", lang], catch_exceptions=False)
        summary = result.stdout.split("per architectuur:" if lang == "nl" else "by architecture:", 1)[1]
        summary = summary.split("\n\n")[0].split("dekking" if lang == "nl" else "coverage")[0]
        names = [line.strip().split(":")[0] for line in summary.splitlines() if line.startswith("  ")]
        label = next(str(l) for l in data.objects(ear, SKOS.prefLabel) if l.language == lang)
        assert label in names, names
        assert not [n for n in names if re.fullmatch(r"[a-z0-9/-]+", n)], names
