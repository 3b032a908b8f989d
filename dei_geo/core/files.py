"""Writing output files atomically: all of it or nothing, and a reason when it fails.

``write_atomic`` writes to a temporary file beside the target (same folder, so same file system),
flushes it to disk, then renames it over the target: a reader never sees a half-written file, and
a full disk or a killed process leaves the old file (or none) and no temporary one. Every file
dei-geo writes for a user (``score --out``, ``export --out``: HTML, PNG, SVG, CSV, XLSX) goes
through here. A failure is a ``WriteFailed`` naming the path and the reason as a code
(``REASONS``), which the faces say in the user's language.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

# why a write failed → its catalogue key (cli.toml)
REASONS = {
    "no_space": "write_no_space", "is_directory": "write_is_directory",
    "not_regular": "write_not_regular", "no_permission": "write_no_permission",
    "no_folder": "write_no_folder", "read_only": "write_read_only", "other": "write_other",
}
_ERRNO = {errno.ENOSPC: "no_space", errno.EDQUOT: "no_space", errno.EFBIG: "no_space",
          errno.EISDIR: "is_directory", errno.EACCES: "no_permission", errno.EPERM: "no_permission",
          errno.ENOENT: "no_folder", errno.ENOTDIR: "no_folder", errno.EROFS: "read_only"}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what open() would give a new file (read once, at import)


class WriteFailed(OSError):
    """``path`` could not be written; ``reason`` is a key of ``REASONS``, ``error`` the errno name."""

    def __init__(self, path: Path, reason: str, error: str = ""):
        self.path, self.reason, self.error = Path(path), reason, error
        super().__init__(f"cannot write {path}: {reason}{f' ({error})' if error else ''}")


def _failed(path: Path, err: OSError) -> WriteFailed:
    code = err.errno or 0
    return WriteFailed(path, _ERRNO.get(code, "other"), f"{errno.errorcode.get(code, 'E?')} {code}")


def write_atomic(out: Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` through a temporary file beside it; ``WriteFailed`` on any error.

    An existing folder, device or pipe at ``out`` is refused before anything is written (renaming
    over ``/dev/full`` as root would replace the device)."""
    out = Path(out)
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise _failed(out, err) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteFailed(out, "is_directory")
    if mode is not None and not stat.S_ISREG(mode):
        raise WriteFailed(out, "not_regular")
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else _MODE)
        os.replace(tmp, out)
        tmp = None
    except OSError as err:
        raise _failed(out, err) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return out
