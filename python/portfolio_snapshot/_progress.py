"""Progress of long runs in a notebook or a terminal: the core reports
``(done, total)`` to a callable on the calling thread; this module turns
``progress=True`` into one (a tqdm bar when tqdm, the optional extra
``progress``, is installed, else a line of text on stderr)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from . import _core
from ._errors import USER_ERROR

Progress = bool | Callable[[int, int], object] | None


class _Text:
    """``what: done/total`` on stderr: rewritten in place on a terminal,
    every tenth of the way elsewhere (a log stays short)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.tenth = -1

    def __call__(self, done: int, total: int) -> None:
        stream = sys.stderr
        line = f"{self.what}: {done}/{total}"
        if stream.isatty():
            stream.write("\r" + line + ("\n" if done >= total else ""))
        else:
            tenth = 10 * done // max(total, 1)
            if tenth == self.tenth:
                return
            self.tenth = tenth
            stream.write(line + "\n")
        stream.flush()


class _Bar:
    """A tqdm bar (``tqdm.auto``: a widget in a notebook), made on the first
    report and closed on the last."""

    def __init__(self, what: str, tqdm: Any) -> None:
        self.what = what
        self.tqdm = tqdm
        self.bar: Any = None
        # the run starts now, not at its first report: the bar's elapsed
        # time and rate count from here
        self.started = time.time()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = self.tqdm(total=total, desc=self.what)
            if hasattr(self.bar, "start_t"):
                self.bar.start_t = self.started
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def _theirs(fn: Callable[[int, int], object]) -> Callable[[int, int], object]:
    """``fn``, with its exceptions marked as the user's own (so that a
    ``TypeError`` in a callback is not reported as a bad argument)."""

    def call(done: int, total: int) -> object:
        try:
            return fn(done, total)
        except BaseException as e:
            try:
                setattr(e, USER_ERROR, True)
            except (AttributeError, TypeError):  # pragma: no cover - exotic exceptions
                pass
            raise

    return call


def callback(progress: Progress, what: str) -> Callable[[int, int], object] | None:
    """The callable the core reports progress to, from ``progress``: None or
    False (none), True (a bar or a line of text), or a callable of
    ``(done, total)``."""
    if progress is None or progress is False:
        return None
    if progress is True:
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped]
        except ImportError:
            return _Text(what)
        return _Bar(what, tqdm)
    if callable(progress):
        return _theirs(progress)
    raise _core.InputError(
        f"invalid parameter progress: {progress!r} (True, False, or a function of (done, total))"
    )
