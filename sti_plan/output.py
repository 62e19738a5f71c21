"""Writing results to files: atomically, so a file the user has is never left half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .problems import StiPlanError


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    An interrupted or failed run leaves the previous file as it was. An existing
    file keeps its permissions.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise StiPlanError(f"--output: {path} is a directory")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
            dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except FileNotFoundError:
        raise StiPlanError(f"--output: no folder {folder} to write {path.name} in") from None
    except OSError as exc:
        raise StiPlanError(f"--output: cannot write in {folder} ({exc.strerror})") from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StiPlanError(f"--output: cannot write {path} ({exc.strerror})") from None
        raise
