"""Is the store behind the bundled files? A note at ``stelsel serve`` start-up, not a guess.

When the bundled ontology, data and shapes are loaded into an embedded store, the digest of the
content is written beside the store (``<store>.content``). If the content changes afterwards (an
edit in the checkout, or an upgraded stelsel with new packaged data), the server says so at
start-up and names the way to pick it up: ``stelsel reload`` or ``stelsel serve --reload-content``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .config import Config, is_url
from .content import content_info, newest_change


def _marker(config: Config) -> Path | None:
    if is_url(config.store):
        return None  # a shared server store: loading it is an operator's step (server/README.md)
    store = Path(config.store)
    return store.with_name(store.name + ".content")


def record_loaded(config: Config) -> None:
    """Remember which content the store was filled with."""
    marker = _marker(config)
    if marker is not None and marker.parent.is_dir():
        info = content_info(config.content_root)
        marker.write_text(json.dumps({"content": info.version, "sha256": info.sha256,
                                      "root": str(info.root)}) + "\n", encoding="utf-8")


def stale_note(config: Config) -> str | None:
    """One sentence when the bundled files differ from what the store was filled with."""
    marker = _marker(config)
    if marker is None or not config.content_root.is_dir():
        return None
    if marker.is_file():
        loaded = json.loads(marker.read_text(encoding="utf-8"))
        if loaded.get("sha256") == content_info(config.content_root).sha256:
            return None
        changed = f"the bundled files in {config.content_root} changed since they were loaded into the store"
    elif Path(config.store).is_dir() and newest_change(config.content_root) > Path(config.store).stat().st_mtime:
        changed = f"bundled files in {config.content_root} are newer than the store {config.store}"
    else:
        return None
    return (f"note: {changed}; the server shows the old content. Pick the new files up with "
            "'stelsel serve --reload-content' (or 'stelsel reload' with the server stopped).")
