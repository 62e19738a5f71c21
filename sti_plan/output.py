"""Writing results to files: atomically, so a file the user has is never left half-written."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .problems import StiPlanError


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    An interrupted or failed run leaves the previous file as it was. A symbolic link
    is followed (the file it points to is replaced, the link stays), an existing file
    keeps its permissions, a new one gets the usual ones (umask), and a device or pipe
    (/dev/stdout) is written to directly: there is nothing there to keep.
    """
    if path.is_dir():
        raise StiPlanError(f"--output: {path} is a directory")
    if path.exists() and not path.is_file():
        _write_through(path, data)
        return
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
            dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )
    except FileNotFoundError:
        raise StiPlanError(f"--output: no folder {folder} to write {target.name} in") from None
    except OSError as exc:
        raise StiPlanError(f"--output: cannot write in {folder} ({exc.strerror})") from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StiPlanError(f"--output: cannot write {path} ({exc.strerror})") from None
        raise


def _mode_for(target: Path) -> int:
    """The existing file's permissions, or those a new file gets under the umask."""
    with contextlib.suppress(FileNotFoundError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_through(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise StiPlanError(f"--output: cannot write {path} ({exc.strerror})") from None


def refuse_overwriting_inputs(output: Path | None, inputs: list[Path]) -> None:
    """--output naming one of the command's own input files would destroy it."""
    if output is None or not output.exists():
        return
    for source in inputs:
        with contextlib.suppress(OSError):
            if source.exists() and os.path.samefile(source, output):
                raise StiPlanError(
                    f"--output: {output} is an input of this command; write somewhere else"
                )
