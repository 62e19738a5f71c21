"""Writing results to files: atomically, so a file the user has is never left half-written.

A run ended by SIGINT or SIGTERM removes its temporary file (`remove_temporaries`, called
by the CLI's signal handlers); the signals are held while one is made or renamed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .i18n import _
from .problems import StiPlanError

PACKAGE = Path(__file__).resolve().parent  # the bundled plan lives here: never written
_TEMPORARIES: set[str] = set()  # temporary files of this process not yet renamed
_HELD = {signal.SIGINT, signal.SIGTERM}


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    An interrupted or failed run leaves the previous file as it was. A symbolic link
    is followed (the file it points to is replaced, the link stays), an existing file
    keeps its permissions, a new one gets the usual ones (umask), and a device or pipe
    (/dev/stdout) is written to directly: there is nothing there to keep. A file that
    nobody may write (chmod 444) is not replaced, as a shell's `>` would not.
    """
    found = _stat(path)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise StiPlanError(_("--output: {path} is a directory").format(path=path))
    if found is not None and not stat.S_ISREG(found.st_mode):
        _write_through(path, data)
        return
    if found is not None and not found.st_mode & 0o222:
        raise StiPlanError(
            _("--output: {path} is read-only; write somewhere else").format(path=path)
        )
    target = Path(os.path.realpath(path))
    folder = target.parent
    with _signals_held():
        try:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
                dir=folder, prefix=f".{target.name[:64]}.", suffix=".tmp", delete=False
            )
        except FileNotFoundError:
            message = _("--output: no folder {folder} to write {name} in")
            raise StiPlanError(message.format(folder=folder, name=target.name)) from None
        except OSError as exc:
            message = _("--output: cannot write in {folder} ({reason})")
            raise StiPlanError(message.format(folder=folder, reason=exc.strerror)) from None
        _TEMPORARIES.add(handle.name)
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        with _signals_held():
            os.replace(temporary, target)
            _TEMPORARIES.discard(handle.name)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        _TEMPORARIES.discard(handle.name)
        if isinstance(exc, OSError):
            message = _("--output: cannot write {path} ({reason})")
            raise StiPlanError(message.format(path=path, reason=exc.strerror)) from None
        raise


def remove_temporaries() -> None:
    """Remove the temporary files of writes not finished (a signal ended the run)."""
    for name in list(_TEMPORARIES):
        with contextlib.suppress(OSError):
            os.unlink(name)
    _TEMPORARIES.clear()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until a temporary file is made and noted, or renamed and
    forgotten: a handler never sees one half done."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stat(path: Path) -> os.stat_result | None:
    """What is at `path`, None when nothing; a name that cannot be looked up (too long, in
    a folder that cannot be entered) is a usage error."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        message = _("--output: cannot write {path} ({reason})")
        raise StiPlanError(message.format(path=path, reason=exc.strerror)) from None


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
        message = _("--output: cannot write {path} ({reason})")
        raise StiPlanError(message.format(path=path, reason=exc.strerror)) from None


def refuse_overwriting_inputs(output: Path, inputs: Sequence[Path], bundled: Path) -> None:
    """--output naming one of the command's own input files (the plan too, bundled or not),
    by its name, a link or another hard link, would destroy it; nor is the bundled plan, or
    anything in the installed package, ever written."""
    if Path(os.path.realpath(output)).is_relative_to(PACKAGE):
        raise StiPlanError(
            _("--output: {path} is inside sti-plan's own files; write elsewhere").format(
                path=output
            )
        )
    found = _stat(output)
    if found is None:
        return
    for source in [*inputs, bundled]:
        try:
            read = os.stat(source)
        except OSError:
            continue  # not there, or not reachable: nothing to overwrite
        if (read.st_dev, read.st_ino) == (found.st_dev, found.st_ino):
            if source in inputs:
                message = _("--output: {path} is an input of this command; write somewhere else")
            else:
                message = _("--output: {path} is the bundled plan; write somewhere else")
            raise StiPlanError(message.format(path=output))
