"""The validation benchmark of ``make bench``: stelsel's ``validate()`` against plain pySHACL on
the same files (the bundled stelsel and synthetic ones of 100k and 1M triples), with seconds,
peak memory and whether both find the same results.

Every run is a fresh child process (``spawn``), so its peak resident memory is its own; pySHACL
runs with a time budget and is reported as "stopped after N s" when it does not finish. The
results are compared as (focus node, constraint component, path, value, severity), blank nodes
alike, as in tests/differential/.
"""

from __future__ import annotations

import multiprocessing
import queue as queues
import tempfile
import time
from pathlib import Path

from .config import Config

#: synthetic sizes after the bundled stelsel; --quick keeps the first
SIZES = (100_000, 1_000_000)
#: seconds pySHACL may take on one case before it is stopped
PYSHACL_BUDGET = 300.0
#: seconds stelsel may take on one case (the target at 1M is 60 s)
STELSEL_BUDGET = 600.0


def _peak_mb() -> float:
    """This process's peak resident memory: VmHWM (reset by exec, unlike ``ru_maxrss``, which a
    spawned child inherits from the parent that forked it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stelsel_child(out, files: list[str] | None, content_root: str) -> None:
    from .validation import validate
    try:
        started = time.perf_counter()
        report = validate(files, config=Config(store=Path(content_root) / ".no-store", content_root=Path(content_root)),
                          coverage=False)
        seconds = time.perf_counter() - started
        keys = {("_:" if f.focus_node.startswith("_:") else f.focus_node, f.constraint, f.path or None,
                 "_:" if (f.value or "").startswith("_:") else f.value, f.severity_iri) for f in report.findings}
        out.put((seconds, _peak_mb(), sorted(keys, key=str)))
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
        out.put(f"error: {' '.join(str(exc).split())[:120]}")


def _pyshacl_child(out, files: list[str], shapes: list[str]) -> None:
    import pyshacl
    from rdflib import BNode, Graph
    from rdflib.namespace import SH

    from .validation import _nt, _path_text
    try:
        started = time.perf_counter()
        data, shapes_graph = Graph(), Graph()
        for f in files:
            data.parse(f)
        for f in shapes:
            shapes_graph.parse(f)
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True, inplace=True)
        seconds = time.perf_counter() - started

        def term(t):
            return None if t is None else "_:" if isinstance(t, BNode) else _nt(t)
        keys = set()
        for r in report.objects(None, SH.result):
            path = report.value(r, SH.resultPath)
            if path is not None:
                path = _path_text(report if (path, None, None) in report else shapes_graph, path)
            keys.add((term(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceConstraintComponent)),
                      path, term(report.value(r, SH.value)), str(report.value(r, SH.resultSeverity))))
        out.put((seconds, _peak_mb(), sorted(keys, key=str)))
    except Exception as exc:  # noqa: BLE001
        out.put(f"error: {' '.join(str(exc).split())[:120]}")


def _within(limit: float, target, *args):
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=target, args=(out, *args), daemon=True)
    child.start()
    try:
        return out.get(timeout=limit)
    except queues.Empty:
        return f"stopped after {limit:.0f} s"
    finally:
        if child.is_alive():
            child.terminate()
        child.join(5)


def bench_validation(config: Config, quick: bool = False, sizes: tuple[int, ...] = SIZES,
                     pyshacl_budget: float = PYSHACL_BUDGET) -> list[tuple[str, ...]]:
    """Rows: data, triples, engine, seconds, peak MB, results, same results as the other engine."""
    import pyoxigraph as ox

    from .synthetic import write
    root = Path(config.content_root)
    ontology = sorted(str(p) for p in (root / "ontology").glob("*.ttl"))
    shapes = sorted(str(p) for p in (root / "shapes").glob("*.ttl"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bundled = sorted(str(p) for p in (root / "data").rglob("*") if p.suffix in (".ttl", ".trig"))
        cases = [("bundled stelsel", None, bundled)]
        for size in sizes[:1] if quick else sizes:
            folder = Path(tmp) / f"synthetic-{size}"
            write(size, folder, seed=0)
            cases.append((f"synthetic {size // 1000:,}k" if size < 1_000_000 else f"synthetic {size // 1_000_000}M",
                          folder, sorted(str(p) for p in folder.rglob("*.ttl"))))
        pyshacl_out = None
        for label, folder, files in cases:
            triples = f"{sum(sum(1 for _ in ox.parse(path=f)) for f in files + ontology):,}"
            ours = _within(STELSEL_BUDGET, _stelsel_child, [str(folder)] if folder else None, str(root))
            if isinstance(pyshacl_out, str) and pyshacl_out.startswith("stopped"):
                theirs = f"not run: {pyshacl_out} on the smaller data"
            else:
                theirs = _within(pyshacl_budget, _pyshacl_child, files + ontology, shapes)
            pyshacl_out = theirs if isinstance(theirs, str) else None
            same = ("yes" if ours[2] == theirs[2] else "no") if not isinstance(ours, str) and not isinstance(theirs, str) \
                else "–"
            for engine, outcome in (("stelsel", ours), ("pySHACL", theirs)):
                if isinstance(outcome, str):
                    rows.append((label, triples, engine, outcome, "–", "–", "–"))
                else:
                    rows.append((label, triples, engine, f"{outcome[0]:.2f}", f"{outcome[1]:.0f}",
                                 str(len(outcome[2])), same))
            if not isinstance(ours, str) and not isinstance(theirs, str):
                rows.append((label, triples, "speed-up", f"{theirs[0] / ours[0]:.1f}x", "", "", ""))
    return rows
