"""Where stelsel's content comes from: the ontology, data, shapes and queries folders.

The top-level folders of the checkout are the one source of truth. A wheel carries a copy made
at build time (``setup.py`` copies them into ``stelsel/content/`` with a ``STAMP.json`` naming the
package version and a digest of every file); nobody edits that copy. The content root is, in
this order:

1. ``--content DIR`` / the ``content_root`` setting (decided in :mod:`stelsel.config`);
2. the working directory or a parent of it that holds ``ontology/`` and ``data/`` (a repository
   that keeps stelsel content, such as this one);
3. the checkout this package is imported from (an editable install, or ``src/`` on the path);
4. the content packaged in the wheel, read through :mod:`importlib.resources`.

This module uses the standard library only: ``setup.py`` loads it at build time to write the stamp.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

CONTENT_FOLDERS = ("ontology", "data", "shapes", "queries")
STAMP_FILE = "STAMP.json"
PACKAGED_FOLDER = "content"   # stelsel/content/ inside the wheel


def content_files(root: Path) -> list[Path]:
    """Every file of the content folders below ``root`` (hidden files and caches left out), sorted."""
    files: list[Path] = []
    for folder in CONTENT_FOLDERS:
        base = root / folder
        if base.is_dir():
            files.extend(f for f in base.rglob("*") if f.is_file() and not any(
                part.startswith(".") or part == "__pycache__" for part in f.relative_to(root).parts))
    return sorted(files)


def digest(root: Path) -> tuple[str, dict[str, str]]:
    """The sha256 of every content file (by path relative to ``root``) and one digest over them all."""
    per_file = {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in content_files(root)}
    total = hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in sorted(per_file.items())).encode("utf-8"))
    return total.hexdigest(), per_file


def stamp(root: Path, package_version: str) -> dict:
    """What ``STAMP.json`` of a wheel holds: package version, content digest, files."""
    total, per_file = digest(root)
    return {"package_version": package_version, "content_sha256": total, "files": per_file}


def packaged_root() -> Path | None:
    """The content inside the installed package, when there is one (a wheel install)."""
    try:
        root = resources.files("stelsel") / PACKAGED_FOLDER
    except ModuleNotFoundError:  # pragma: no cover - stelsel itself is always importable here
        return None
    return root if isinstance(root, Path) and (root / STAMP_FILE).is_file() else None


def checkout_root() -> Path | None:
    """The checkout this package is imported from (``src/stelsel`` two levels below it), if any."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "ontology").is_dir() and (root / "data").is_dir():
        return root
    return None


def is_content_root(path: Path) -> bool:
    return (path / "ontology").is_dir() and (path / "data").is_dir()


def own_content_root() -> Path:
    """stelsel's own content: the checkout's folders, else the packaged copy (steps 3-4)."""
    for root in (checkout_root(), packaged_root()):
        if root is not None:
            return root
    # neither a checkout nor a wheel with content (a broken install): the errors name this folder
    return Path(__file__).resolve().parent / PACKAGED_FOLDER


def find_content_root(cwd: Path | None = None) -> Path:
    """The content root when none is configured (steps 2-4 of the module docstring)."""
    here = (cwd or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_content_root(candidate):
            return candidate
    return own_content_root()


@dataclass(frozen=True)
class ContentInfo:
    """Which content a command uses: where it is, what kind, and its digest (and stamp)."""

    root: Path
    kind: str                    # packaged | checkout | folder
    sha256: str
    package_version: str | None  # the version the packaged content was stamped with

    @property
    def version(self) -> str:
        """The data version: the stamped package version (packaged) plus the content digest."""
        short = self.sha256[:12]
        return f"{self.package_version}+{short}" if self.package_version else short

    def describe(self) -> str:
        return f"content {self.version} ({self.kind}: {self.root})"


def content_info(root: Path) -> ContentInfo:
    root = Path(root)
    packaged = packaged_root()
    if packaged is not None and root.resolve() == packaged.resolve():
        data = json.loads((root / STAMP_FILE).read_text(encoding="utf-8"))
        return ContentInfo(root, "packaged", data["content_sha256"], data.get("package_version"))
    kind = "checkout" if checkout_root() is not None and root.resolve() == checkout_root() else "folder"
    return ContentInfo(root, kind, digest(root)[0], None)


def newest_change(root: Path) -> float:
    """The latest modification time among the bundled RDF files (0 when there are none)."""
    return max((f.stat().st_mtime for f in content_files(root) if f.suffix in (".ttl", ".trig")
                and f.relative_to(root).parts[0] != "queries"), default=0.0)

