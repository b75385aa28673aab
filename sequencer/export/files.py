"""All-or-nothing output: files are written into a private folder, then renamed into place."""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_outputs(out_dir: Path):
    """Yield a staging folder; on success move everything in it into `out_dir`, else delete it.

    A folder this call had to create is removed again when the render fails.
    """
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".sequencer-", dir=out_dir))
    ok = False
    try:
        yield stage
        for item in sorted(stage.iterdir()):
            os.replace(item, out_dir / item.name)
        ok = True
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not ok:
            shutil.rmtree(out_dir, ignore_errors=True)


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
