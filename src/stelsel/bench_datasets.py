"""Throughput of dataset-description validation: descriptions per second, per engine.

    rows = bench_datasets()                  # 5,000 generated descriptions, pyshacl and (if installed) turbo
    rows = bench_datasets(n=500, engines=("pyshacl",))

The descriptions are generated from one template with variations (Schema.org in JSON-LD and Turtle,
DCAT in Turtle; publishers, licences, distributions, subjects and dates vary), about a quarter
of them invalid in different ways (no licence, no name, a blank-node dataset, a bad media type,
two publishers …). Every run validates the same folder of files with ``stelsel datasets
validate``'s code path (:class:`stelsel.datasets.validate.DatasetValidator`, batched). A row
says how many descriptions, how many were valid / invalid, the wall time and the throughput;
with ``per_file_sample`` a second row per engine measures one engine run per description on a
sample, to show what batching gains.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["bench_datasets", "generate_descriptions"]

LICENCES = ["https://creativecommons.org/publicdomain/zero/1.0/", "https://creativecommons.org/licenses/by/4.0/",
            "https://creativecommons.org/licenses/by-sa/4.0/", "http://creativecommons.org/licenses/by/4.0/deed.nl",
            "https://opendatacommons.org/licenses/odbl/"]
FORMATS = ["text/turtle", "application/ld+json", "application/n-triples", "text/csv", "application/zip",
           "application/sparql-query"]
SUBJECTS = ["http://vocab.getty.edu/aat/300026685", "http://data.beeldengeluid.nl/gtaa/215883",
            "https://data.cultureelerfgoed.nl/term/id/cht/15e29ae6-8a3a-4b1b-b4c5-0e6e0b1e3b2b",
            "https://sws.geonames.org/2759794/", "http://www.wikidata.org/entity/Q727"]
FAULTS = ["no-licence", "no-name", "blank-dataset", "bad-media-type", "two-publishers", "publisher-not-iri",
          "no-content-url", "accrual-text"]


def _schema_jsonld(i: int, r: random.Random, fault: str | None) -> str:
    pub = f"https://example.org/org/{i % 97}"
    ds: dict = {"@context": "https://schema.org/", "@type": "Dataset",
                "@id": f"https://example.org/id/dataset/{i}",
                "name": [{"@value": f"Collectie {i}", "@language": "nl"}, {"@value": f"Collection {i}", "@language": "en"}],
                "description": {"@value": f"Beschrijving van collectie {i}, met foto's en tekeningen.", "@language": "nl"},
                "license": r.choice(LICENCES),
                "publisher": {"@id": pub, "@type": "Organization", "name": {"@value": f"Instelling {i}", "@language": "nl"},
                              "contactPoint": {"@type": "ContactPoint", "name": {"@value": "Collecties", "@language": "nl"},
                                               "email": "data@example.org"}},
                "creator": {"@id": pub},
                "dateCreated": f"20{r.randint(10, 24)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}",
                "about": [{"@id": s} for s in r.sample(SUBJECTS, r.randint(0, 3))],
                "distribution": [{"@type": "DataDownload", "contentUrl": f"https://example.org/data/{i}/{k}",
                                  "encodingFormat": r.choice(FORMATS)} for k in range(r.randint(0, 3))]}
    if fault == "no-licence":
        del ds["license"]
    elif fault == "no-name":
        del ds["name"]
    elif fault == "blank-dataset":
        del ds["@id"]
    elif fault == "bad-media-type":
        ds["distribution"] = [{"@type": "DataDownload", "contentUrl": f"https://example.org/d/{i}", "encodingFormat": "turtle"}]
    elif fault == "two-publishers":
        ds["publisher"] = [ds["publisher"], {"@id": f"https://example.org/other/{i}", "@type": "Organization", "name": "X"}]
    elif fault == "publisher-not-iri":
        ds["publisher"] = {"@type": "Organization", "name": "Zonder IRI"}
    elif fault == "no-content-url":
        ds["distribution"] = [{"@type": "DataDownload", "encodingFormat": "text/turtle"}]
    elif fault == "accrual-text":
        ds["http://purl.org/dc/terms/accrualPeriodicity"] = "wekelijks"
    return json.dumps(ds, ensure_ascii=False, indent=1)


def _schema_turtle(i: int, r: random.Random, fault: str | None) -> str:
    ds = f"<https://example.org/id/dataset/{i}>" if fault != "blank-dataset" else "[]"
    lines = [f"@prefix schema: <http{'s' if i % 3 else ''}://schema.org/> .", f"{ds} a schema:Dataset ;"]
    if fault != "no-name":
        lines.append(f'  schema:name "Collectie {i}"@nl ;')
    lines.append(f'  schema:description "Beschrijving {i}"@nl ;')
    if fault != "no-licence":
        lines.append(f"  schema:license <{r.choice(LICENCES)}> ;")
    pub = f"<https://example.org/org/t{i % 89}>" if fault != "publisher-not-iri" else "_:p"
    lines.append(f"  schema:publisher {pub} ;")
    if fault == "two-publishers":
        lines.append(f"  schema:publisher <https://example.org/other/t{i}> ;")
    fmt = "turtle" if fault == "bad-media-type" else r.choice(FORMATS)
    url = "" if fault == "no-content-url" else f"schema:contentUrl <https://example.org/data/t{i}> ; "
    lines.append(f'  schema:distribution [ a schema:DataDownload ; {url}schema:encodingFormat "{fmt}" ] .')
    lines.append(f'{pub} a schema:Organization ; schema:name "Instelling {i}"@nl .')
    return "\n".join(lines) + "\n"


def _dcat_turtle(i: int, r: random.Random, fault: str | None) -> str:
    ds = f"<https://example.org/id/dcat/{i}>" if fault != "blank-dataset" else "[]"
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .", "@prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix foaf: <http://xmlns.com/foaf/0.1/> .", f"{ds} a dcat:Dataset ;"]
    if fault != "no-name":
        lines.append(f'  dct:title "Dataset {i}"@nl ;')
    lines.append(f'  dct:description "Over dataset {i}"@nl ;')
    lines.append(f"  dct:publisher <https://example.org/org/d{i % 83}> ;")
    if fault == "accrual-text":
        lines.append('  dct:accrualPeriodicity "maandelijks" ;')
    url = "" if fault == "no-content-url" else f"dcat:downloadURL <https://example.org/data/d{i}> ; "
    lines.append(f'  dcat:distribution [ a dcat:Distribution ; {url}dcat:mediaType "{r.choice(FORMATS)}" ; '
                 f"dct:license <{r.choice(LICENCES)}> ] .")
    lines.append(f'<https://example.org/org/d{i % 83}> a foaf:Organization ; foaf:name "Organisatie {i % 83}"@nl .')
    return "\n".join(lines) + "\n"


def generate_descriptions(folder: Path, n: int = 5000, seed: int = 6) -> list[Path]:
    """``n`` description files in ``folder`` (about a quarter with a fault)."""
    r = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        fault = r.choice(FAULTS) if r.random() < 0.25 else None
        kind = i % 3
        if kind == 0:
            path, text = folder / f"d{i:05d}.jsonld", _schema_jsonld(i, r, fault)
        elif kind == 1:
            path, text = folder / f"d{i:05d}.ttl", _schema_turtle(i, r, fault)
        else:
            path, text = folder / f"d{i:05d}.ttl", _dcat_turtle(i, r, fault)
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def _engines(requested: Sequence[str] | None) -> list[str]:
    engines = list(requested or ("pyshacl", "turbo"))
    if "turbo" in engines:
        import importlib.util
        if importlib.util.find_spec("pyshacl_turbo") is None:
            engines.remove("turbo")
    return engines


def bench_datasets(n: int = 5000, engines: Sequence[str] | None = None, per_file_sample: int = 0,
                   folder: Path | None = None, batch_size: int = 250) -> list[dict]:
    """Validate ``n`` generated descriptions with each engine; one row per engine (and mode)."""
    from .datasets.validate import DatasetValidator
    rows = []
    with tempfile.TemporaryDirectory(prefix="stelsel-bench-datasets-") as tmp:
        root = folder or Path(tmp)
        files = generate_descriptions(root / "beschrijvingen", n)
        for engine in _engines(engines):
            modes = [("batched", files, batch_size)]
            if per_file_sample:
                modes.append(("one run per file", files[:per_file_sample], 1))
            for mode, chosen, size in modes:
                with DatasetValidator(engine=engine, batch_size=size) as v:
                    started = time.perf_counter()
                    outcomes = v.validate_paths(chosen)
                    seconds = time.perf_counter() - started
                states = {s: sum(1 for o in outcomes if o.state == s) for s in ("valid", "invalid", "no-dataset", "error")}
                rows.append({"benchmark": "dataset descriptions", "engine": engine, "mode": mode,
                             "descriptions": len(chosen), **states, "seconds": round(seconds, 2),
                             "per_second": round(len(chosen) / seconds, 1) if seconds else None})
    return rows


if __name__ == "__main__":  # pragma: no cover - python -m stelsel.bench_datasets [N]
    import sys
    for row in bench_datasets(int(sys.argv[1]) if len(sys.argv) > 1 else 5000, per_file_sample=100):
        print(row)
