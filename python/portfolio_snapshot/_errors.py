"""Keep every failure inside the package's exception hierarchy."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ._core import InputError, PortfolioError


class PortfolioWarning(UserWarning):
    """A result that holds but deserves a look: districts without a score
    on the basis (they have no quadrant and no rank), for example."""


#: The mark on an exception raised by user code the package called (a
#: progress callback), which then passes through unchanged.
USER_ERROR = "_portfolio_snapshot_user_error"

P = ParamSpec("P")
R = TypeVar("R")


def boundary(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a public function so that conversion failures of its
    arguments at the extension boundary (a ``TypeError`` or ``OverflowError``
    from pyo3 or numpy) surface as :class:`InputError`, keeping the message.

    A plain ``try``, free when nothing is raised (a generator-based context
    manager would cost about a microsecond per call)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except PortfolioError:
            raise
        except (TypeError, OverflowError) as e:
            if getattr(e, USER_ERROR, False):
                raise  # the user's own code (a progress callback): theirs
            raise InputError(str(e)) from e

    return wrapper
