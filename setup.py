"""Build hook: the content folders of the checkout go into the wheel as ``stelsel/content/``.

The checkout's top-level ``ontology/``, ``data/``, ``shapes/`` and ``queries/`` are the only copy
anyone edits; every build copies all their files (new ones too: no lists) into the package and
writes ``stelsel/content/STAMP.json`` with the package version and a sha256 of every file.
Everything else is declared in pyproject.toml. ``MANIFEST.in`` puts the folders in the sdist, so
a wheel built from the sdist has them as well.
"""

import importlib.util
import json
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _content_module():
    """stelsel/content.py on its own (standard library only; the package's dependencies are not
    installed at build time)."""
    spec = importlib.util.spec_from_file_location("_stelsel_content", HERE / "src" / "stelsel" / "content.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class build_py_with_content(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout itself
            return
        content = _content_module()
        target = Path(self.build_lib) / "stelsel" / content.PACKAGED_FOLDER
        shutil.rmtree(target, ignore_errors=True)
        files = content.content_files(HERE)
        if not files:
            raise SystemExit(f"no content folders ({', '.join(content.CONTENT_FOLDERS)}) below {HERE}")
        for source in files:
            dest = target / source.relative_to(HERE)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
        stamp = content.stamp(target, self.distribution.get_version())
        (target / content.STAMP_FILE).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n",
                                                 encoding="utf-8")


setup(cmdclass={"build_py": build_py_with_content})
