"""All-or-nothing output: files are written into a private folder, then committed together.

The commit moves the previous files of the same names aside, moves the new ones into place and,
if any step fails, moves the new ones back out and the old ones back in, so the output folder
holds either the whole previous set or the whole new one. A failed render removes only what it
made: its staging folder and the folders it had to create, and only while they are empty.
"""

import errno
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

STAGE_PREFIX = ".sequencer-"
_STAGE_NAME = re.compile(rf"^{re.escape(STAGE_PREFIX)}(\d+)-")
_ASIDE = ".previous"  # inside the stage: the files the commit replaced, until it succeeds
# errno values that describe the user's file system, not a bug: reported as output errors
ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EISDIR,
                      errno.EDQUOT, errno.EFBIG, errno.ENAMETOOLONG, errno.EEXIST, errno.EBUSY, errno.EIO,
                      errno.ELOOP, errno.EXDEV, errno.ENOTEMPTY, errno.EMLINK}


def output_error(exc: OSError, out_dir: Path, stage: Path | None = None) -> OutputError:
    """An `OutputError` naming the file an OS error is about, as it is called outside the stage."""
    file = str(exc.filename or out_dir)
    if stage is not None and file.startswith(str(stage) + os.sep):
        file = str(out_dir / Path(file).name)
    return OutputError(exc.strerror or str(exc), file=file)


@contextmanager
def staged_outputs(out_dir: Path):
    """Yield a staging folder inside `out_dir`; on success commit everything in it to `out_dir`.

    Errors of the file system (read-only, full, not a folder, no permission) become `OutputError`.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("is not a folder", file=out_dir, hint="choose an output folder with -o")
    created = []
    try:
        created = _make_folders(out_dir)
        remove_stale_stages(out_dir)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=out_dir))
    except OSError as exc:
        _remove_empty(created)
        raise output_error(exc, out_dir) from None
    try:
        yield stage
        _commit(stage, out_dir)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        _remove_empty(created)
        if isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS:
            raise output_error(exc, out_dir, stage) from None
        raise
    shutil.rmtree(stage, ignore_errors=True)


def _make_folders(out_dir: Path) -> list[Path]:
    """Create `out_dir` and its missing parents; the ones created, innermost first."""
    missing = []
    folder = out_dir
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir()
    return missing


def _remove_empty(folders):
    for folder in folders:
        try:
            folder.rmdir()  # only an empty folder: never anything another program put there
        except OSError:
            return


def _commit(stage: Path, out_dir: Path):
    """Move every file in `stage` into `out_dir` together, restoring the previous set on failure."""
    names = sorted(p.name for p in stage.iterdir())
    for name in names:
        target = out_dir / name
        if target.is_dir() and not target.is_symlink():
            raise OutputError("is a folder where an output file belongs", file=target,
                              hint="move it away or render into another folder")
    aside = stage / _ASIDE
    aside.mkdir()
    moved_aside, placed = [], []
    try:
        for name in names:
            if os.path.lexists(out_dir / name):
                os.replace(out_dir / name, aside / name)
                moved_aside.append(name)
        for name in names:
            os.replace(stage / name, out_dir / name)
            placed.append(name)
    except BaseException:
        for name in reversed(placed):
            os.replace(out_dir / name, stage / name)
        for name in reversed(moved_aside):
            os.replace(aside / name, out_dir / name)
        raise


def remove_stale_stages(out_dir: Path):
    """Remove staging folders that a killed render left behind, once their owner process is gone."""
    for entry in Path(out_dir).iterdir():
        found = _STAGE_NAME.match(entry.name)
        if not found or not entry.is_dir() or entry.is_symlink():
            continue
        if entry.stat().st_uid != os.getuid() or _alive(int(found[1])):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes):
    """Write one file so that readers see either the old or the whole new content."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
