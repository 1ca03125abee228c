"""Files stelsel writes for users (``-o`` reports, exports): readable as the umask allows.

Written atomically through a temporary file (``tempfile.mkstemp``), which is created 0600; before
the rename it gets the mode any other new file would get (0666 less the umask), so CI artefacts
and shared exports can be read by whoever may read the folder's other files.
"""

from __future__ import annotations

import os


def current_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def honour_umask(fd: int) -> None:
    """Give an open temporary file the mode of a normally created one."""
    os.fchmod(fd, 0o666 & ~current_umask())
