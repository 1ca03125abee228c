"""Server time per page kind, read from the ``Server-Timing`` header the app sets on every answer.

Pages are requested through the Flask test client (no network), warm: each page once to fill
the per-version caches, then ``runs`` times; the median ``app;dur`` is reported, and the first
(cold) request separately, since it builds the caches of a new store version.
"""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path

from .config import Config
from .sources import bundled_files, from_rdflib, parse_paths
from .store import EmbeddedStore

_DUR = re.compile(r"app;dur=([0-9.]+)")
PAGES = [
    ("home", "/"),
    ("architecture", "/architectuur/{arch}"),
    ("element", "/id/{element}"),
    ("element, Turtle twin", "/id/{element}.ttl"),
    ("matrix", "/matrix"),
    ("alignment list", "/aansluitingen"),
    ("trace", "/trace?element={element_iri}"),
    ("search", "/zoeken?q=open"),
    ("validation report", "/validatie"),
]


def _server_ms(response) -> float:
    match = _DUR.search(response.headers.get("Server-Timing", ""))
    return float(match.group(1)) if match else float("nan")


def _targets(store: EmbeddedStore) -> dict[str, str]:
    """A principle of some member architecture, and that architecture's page slug."""
    rows = list(store.query("""PREFIX stelsel: <https://w3id.org/stelsel/def#>
        SELECT ?e ?a WHERE { ?e stelsel:inArchitectuur ?a ; stelsel:realiseert ?x .
                             ?a stelsel:moetAansluitenOp ?b } ORDER BY ?e LIMIT 1"""))
    element, arch = rows[0]["e"].value, rows[0]["a"].value
    local = element.split("/id/", 1)[1]
    return {"element": local, "element_iri": element, "arch": arch.split("/id/", 1)[1].replace("/", "-")}


def measure(store: EmbeddedStore, config: Config, runs: int) -> list[tuple[str, float, float]]:
    from .server import create_app
    client = create_app(config, store=store).test_client()
    targets = _targets(store)
    out = []
    for name, pattern in PAGES:
        url = pattern.format(**targets)
        cold = _server_ms(client.get(url))
        warm = [_server_ms(client.get(url)) for _ in range(runs)]
        out.append((name, cold, statistics.median(warm)))
    return out


def bench_pages(config: Config, runs: int, quick: bool = False) -> list[tuple[str, ...]]:
    """Rows (data, page, cold ms, warm median ms) for the bundled stelsel and a 100k synthetic one."""
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="stelsel-bench-pages-") as tmp:
        bundled = EmbeddedStore(Path(tmp) / "bundled")
        bundled.replace_graphs(parse_paths(bundled_files(config), config))
        cfg = config.replace(store=Path(tmp) / "bundled")
        rows += [("bundled", page, f"{cold:.1f}", f"{warm:.1f}") for page, cold, warm in measure(bundled, cfg, runs)]
        bundled.close()
        if not quick:
            from .synthetic import generate
            synthetic = EmbeddedStore(Path(tmp) / "synthetic")
            ontology = [p for p in bundled_files(config) if p.parts[-2] == "ontology"]
            synthetic.replace_graphs(parse_paths(ontology, config)
                                     + [from_rdflib(generate(100_000, seed=0), "https://w3id.org/stelsel/graph/synthetic",
                                                    "synthetic")])
            cfg = config.replace(store=Path(tmp) / "synthetic")
            rows += [("synthetic 100k", page, f"{cold:.1f}", f"{warm:.1f}")
                     for page, cold, warm in measure(synthetic, cfg, runs)]
            synthetic.close()
    return rows
