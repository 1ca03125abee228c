"""The load table of ``make bench``: stelsel's loads against pyoxigraph's own ``Store.bulk_load``.

A synthetic stelsel (:mod:`stelsel.synthetic`, seed 0) of about 1M triples is written as one
Turtle file per named graph (and as one N-Triples body for the Graph Store PUT). Each case runs in
a fresh child process (``python -m stelsel.bench_load CASE …``) that reports its wall time and its
own peak resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``), so cases never share
memory or caches:

- ``bulk_load``: ``pyoxigraph.Store(folder).bulk_load(path=…, to_graph=…)`` of every file, the reference;
- ``stelsel load`` into a new store, and again into a store that already holds the graphs;
- ``stelsel reload`` with the files as the bundled ``data/``;
- a GSP ``PUT /data?graph=…`` of all triples as one N-Triples body (Flask test client), against
  ``bulk_load`` of that same body into one graph.

The last column is stelsel's figure over the reference's: the target is at most 1.5.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

GRAPH = "https://example.org/graph/bench-put"
RUNS = 2  # per case; the best of them is reported
HEADING = "## Loading 1M triples: stelsel against pyoxigraph's `bulk_load`"
INTRO = ("A synthetic stelsel (`stelsel.synthetic`, seed 0) as one Turtle file per named graph; each load in "
         "a fresh child process, its wall time and its own peak resident memory (best of 2 runs); the last two "
         "columns divide "
         "by pyoxigraph's `bulk_load` of the same input (target: at most 1.5). `--quick`: 100k triples.")


def write_inputs(n_triples: int, folder: Path) -> tuple[list[Path], Path]:
    """Turtle files (one per graph) under ``folder/content/data`` and one N-Triples body."""
    from .synthetic import build
    data = folder / "content" / "data"
    data.mkdir(parents=True)
    synthetic = build(n_triples, 0)
    files = []
    with open(folder / "body.nt", "wb") as body:
        for iri, triples in synthetic.graphs.items():
            nt = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples).encode("utf-8")
            body.write(nt)
            path = data / f"{synthetic.stems[iri]}.ttl"
            ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), str(path), ox.RdfFormat.TURTLE)
            files.append(path)
    return files, folder / "body.nt"


# -- the cases, each run in its own child process -------------------------------------------------------
def _case(name: str, folder: Path) -> dict:
    from .config import Config
    from .sources import graph_for
    content = folder / "content"
    files = sorted((content / "data").glob("*.ttl"))
    config = Config(store=folder / "store", content_root=content)
    if name in ("bulk_load", "bulk_load-body"):
        store = ox.Store(str(folder / "store"))
        if name == "bulk_load":
            for f in files:
                store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=f.resolve().as_uri(),
                                to_graph=ox.NamedNode(graph_for(f, content)))
        else:
            store.bulk_load(path=str(folder / "body.nt"), format=ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.NamedNode(GRAPH))
        store.flush()
        return {}
    if name in ("load", "reload", "fill"):
        from .cli import main
        # load: no bundled content (a new store would first be filled with it); reload: the files are it
        argv = ["--store", str(config.store), "--content", str(folder if name == "load" else content)]
        argv += {"load": ["load", *map(str, files)], "reload": ["reload"], "fill": ["graphs"]}[name]
        main(argv, standalone_mode=False)
        return {}
    if name == "put":
        from .server import create_app
        from .server.auth import hash_token
        from .config import TokenGrant
        from .store import EmbeddedStore
        token = "stl_bench-load-0123456789abcdef0123456789abcdef"
        body = (folder / "body.nt").read_bytes()
        cfg = config.replace(max_request_bytes=len(body) + 1, query_workers=0,
                             tokens=(TokenGrant("bench", hash_token(token), (GRAPH,)),))
        store = EmbeddedStore(cfg.store)
        client = create_app(cfg, store).test_client()
        r = client.put("/data", query_string={"graph": GRAPH}, data=body, content_type="application/n-triples",
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code in (201, 204), r.get_data(as_text=True)
        store.close()
        return {}
    raise ValueError(name)


def _child(name: str, folder: Path) -> None:
    started = time.perf_counter()
    _case(name, folder)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    triples = len(ox.Store.read_only(os.path.realpath(folder / "store")))  # after the clock: what was loaded
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "triples": triples}))


def measure(name: str, folder: Path, fresh: bool = True, runs: int = RUNS) -> dict:
    """Run one case in a child process ``runs`` times (``fresh``: each on an empty store folder);
    the smallest time and memory (the machine is shared: the least disturbed run)."""
    results = []
    for _ in range(runs):
        if fresh:
            for p in folder.iterdir():
                if p.name.startswith("store"):
                    shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        out = subprocess.run([sys.executable, "-m", "stelsel.bench_load", name, str(folder)],
                             capture_output=True, text=True, check=True,
                             env={k: v for k, v in os.environ.items() if not k.startswith("STELSEL_")})
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {**results[0], "seconds": min(r["seconds"] for r in results),
            "peak_mb": min(r["peak_mb"] for r in results)}


def bench_load(n_triples: int = 1_000_000) -> list[tuple[str, ...]]:
    """Rows: (what, seconds, peak MB, x bulk_load seconds, x bulk_load MB)."""
    with tempfile.TemporaryDirectory(prefix="stelsel-bench-load-") as tmp:
        folder = Path(tmp)
        write_inputs(n_triples, folder)
        ref = measure("bulk_load", folder)
        rows = [(f"pyoxigraph `bulk_load`, {ref['triples']:,} triples in "
                 f"{len(list((folder / 'content' / 'data').glob('*.ttl')))} files", ref)]
        rows.append(("`stelsel load` into a new store", measure("load", folder)))
        rows.append(("`stelsel load` again (replacing every graph)", measure("load", folder, fresh=False)))
        measure("fill", folder, runs=1)  # a store holding the files as its bundled data, untimed
        rows.append(("`stelsel reload` (the files as bundled data)", measure("reload", folder, fresh=False)))
        ref_body = measure("bulk_load-body", folder)
        rows.append((f"pyoxigraph `bulk_load` of one N-Triples body into one graph", ref_body))
        rows.append(("GSP `PUT /data?graph=…` of that body", measure("put", folder)))
    out = []
    for what, m in rows:
        base = ref_body if "body" in what or "PUT" in what else ref
        out.append((what, f"{m['seconds']:.1f}", f"{m['peak_mb']:,.0f}",
                    f"{m['seconds'] / base['seconds']:.2f}", f"{m['peak_mb'] / base['peak_mb']:.2f}"))
    return out


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]))
