# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""File-system helpers: temporary folders, file locks, finding executables.

    temp = tvm.contrib.utils.tempdir()
    path = temp.relpath("lib.so")      # a file inside it
    mod.export_library(path)
    temp.listdir()                     # ["lib.so"]

A temporary folder is deleted when its TempDirectory is collected, when
remove() is called, at the end of a `with` block, or at interpreter exit.
With keep_for_debug (or TempDirectory.set_keep_for_debug()) folders are kept
under <tmp>/tvm-debug-mode-tempdirs/<time>/<number> for inspection.
"""
import atexit
import contextlib
import datetime
import itertools
import os
import pathlib
import shutil
import tempfile
import threading

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None


class DirectoryCreatedPastAtExit(Exception):
    """A TempDirectory was requested after the interpreter began to exit."""


class TempDirectory:
    """A temporary folder, removed when no longer referenced (or on remove())."""

    _KEEP_FOR_DEBUG = False
    _debug_counter = itertools.count()
    _debug_lock = threading.Lock()
    _debug_parent = None

    # Folders to delete at exit; None once the exit hook has run.
    TEMPDIRS = set()

    @classmethod
    def _debug_dir(cls):
        with cls._debug_lock:
            if cls._debug_parent is None:
                root = os.path.join(tempfile.gettempdir(), "tvm-debug-mode-tempdirs")
                os.makedirs(root, exist_ok=True)
                stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H-%M-%S___")
                cls._debug_parent = tempfile.mkdtemp(prefix=stamp, dir=root)
            path = os.path.join(cls._debug_parent, f"{next(cls._debug_counter):05d}")
        os.mkdir(path)
        return path

    @classmethod
    def remove_tempdirs(cls):
        """Delete every folder not yet removed (the exit hook)."""
        if cls.TEMPDIRS is None:
            return
        for path in list(cls.TEMPDIRS):
            shutil.rmtree(path, ignore_errors=True)
        cls.TEMPDIRS = None

    @classmethod
    @contextlib.contextmanager
    def set_keep_for_debug(cls, set_to=True):
        """Within the `with` block, new folders are kept (or not) for debugging."""
        previous = cls._KEEP_FOR_DEBUG
        cls._KEEP_FOR_DEBUG = set_to
        try:
            yield
        finally:
            cls._KEEP_FOR_DEBUG = previous

    def __init__(self, custom_path=None, keep_for_debug=None):
        self.temp_dir = None
        if TempDirectory.TEMPDIRS is None:
            raise DirectoryCreatedPastAtExit("cannot create a temporary folder while the interpreter exits")
        self._keep = self._KEEP_FOR_DEBUG if keep_for_debug is None else bool(keep_for_debug)
        if custom_path:
            os.mkdir(custom_path)
            path = str(custom_path)
        elif self._keep:
            path = self._debug_dir()
        else:
            path = tempfile.mkdtemp(prefix="tvm-")
        self.temp_dir = path
        if not self._keep:
            TempDirectory.TEMPDIRS.add(path)

    def remove(self):
        """Delete the folder and its contents (kept folders are left in place)."""
        if self.temp_dir is None:
            return
        if not self._keep:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            if TempDirectory.TEMPDIRS is not None:
                TempDirectory.TEMPDIRS.discard(self.temp_dir)
        self.temp_dir = None

    @property
    def path(self):
        """The folder as a pathlib.Path."""
        self._check_alive()
        return pathlib.Path(self.temp_dir)

    def __truediv__(self, other):
        if not isinstance(other, (str, pathlib.Path)):
            raise TypeError(f"TempDirectory / operator: must supply str or pathlib.Path; got {other!r}")
        return self.path / other

    def relpath(self, name):
        """The path of `name` inside the folder (a str)."""
        self._check_alive()
        return os.path.join(self.temp_dir, name)

    def listdir(self):
        """The names of the entries in the folder."""
        self._check_alive()
        return os.listdir(self.temp_dir)

    def _check_alive(self):
        if self.temp_dir is None:
            raise RuntimeError("this temporary folder was removed")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __del__(self):
        # After the exit hook the folders are gone already (and modules may be half torn down).
        if TempDirectory.TEMPDIRS is not None:
            self.remove()

    def __repr__(self):
        return f"TempDirectory({self.temp_dir!r})"

    def __str__(self):
        return str(self.temp_dir)


atexit.register(TempDirectory.remove_tempdirs)


def tempdir(custom_path=None, keep_for_debug=None):
    """A new TempDirectory (at custom_path, which must not exist, if given)."""
    return TempDirectory(custom_path=custom_path, keep_for_debug=keep_for_debug)


class FileLock:
    """An exclusive lock on a file, held until release()."""

    def __init__(self, path):
        self.lock_file = open(path, "w")
        if fcntl:
            fcntl.lockf(self.lock_file, fcntl.LOCK_EX)

    def release(self):
        """Release the lock and close the file."""
        if self.lock_file:
            if fcntl:
                fcntl.lockf(self.lock_file, fcntl.LOCK_UN)
            self.lock_file.close()
            self.lock_file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def filelock(path):
    """Lock the file at `path` (created if missing)."""
    return FileLock(path)


def is_source_path(path):
    """Whether `path` names a file (existing, or one line with an extension)
    rather than holding source code itself."""
    if os.path.exists(path):
        return True
    if "\n" in path:
        return False
    parts = path.rsplit(".", 1)
    return len(parts) == 2 and parts[1].strip() == parts[1]


def which(exec_name):
    """The full path of an executable on PATH (or /bin), or None."""
    for folder in ["", "/bin"] + os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, exec_name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None
