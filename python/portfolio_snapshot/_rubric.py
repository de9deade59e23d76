"""The rubric: components, elements and the rating scale."""

from __future__ import annotations

import html
import json
import os

import pandas as pd

from . import _core
from ._errors import boundary
from ._frames import frame
from ._types import Labels

RubricSource = str | bytes | os.PathLike[str]


class Rubric:
    """A validated rubric: a scale and ordered components of ordered elements.

    Build one with :meth:`crpe_2016` (the default everywhere), :meth:`crpe_2012`,
    :meth:`load`, :meth:`from_json` or :meth:`from_toml`. Columns of every
    ratings matrix follow :attr:`element_ids`. Rubrics are immutable, compare
    equal by content, hash, pickle and deep-copy.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> r = ps.Rubric.crpe_2016()
    >>> len(r.element_ids), r.element_ids[-1]
    (36, '7.6')
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Rubric) -> None:
        if not isinstance(core, _core.Rubric):
            raise _core.InputError(
                "build a Rubric with Rubric.crpe_2016(), Rubric.load(), Rubric.from_json() "
                f"or Rubric.from_toml(), not from a {type(core).__name__}"
            )
        self._core = core

    @classmethod
    def crpe_2016(cls) -> Rubric:
        """The 2016 CRPE rubric (*Sticking Points*, Appendix 1): 7 components, 36 elements."""
        return cls(_core.Rubric.crpe_2016())

    @classmethod
    def crpe_2012(cls) -> Rubric:
        """The 2012 CRPE component list: 7 components, 31 elements."""
        return cls(_core.Rubric.crpe_2012())

    @classmethod
    @boundary
    def builtin(cls, rubric_id: str) -> Rubric:
        """A built-in rubric by id: ``"crpe-2016"`` or ``"crpe-2012"``."""
        return cls(_core.Rubric.builtin(rubric_id))

    @classmethod
    @boundary
    def load(cls, source: RubricSource) -> Rubric:
        """A rubric from a file (JSON or TOML by its extension), rubric text
        (JSON when it starts with ``{``, else TOML) or bytes.

        A string is a path when a file of that name exists, and text when it
        has a line break or starts with ``{`` or ``[``; an empty source, or a
        ``.json``/``.toml`` name that does not exist, raises
        :class:`RubricError` naming it.
        """
        return cls(_core.Rubric.load(source))

    @classmethod
    @boundary
    def from_json(cls, source: RubricSource) -> Rubric:
        """A rubric from JSON: a path, JSON text or bytes (errors name the
        source and field)."""
        return cls(_core.Rubric.from_json(source))

    @classmethod
    @boundary
    def from_toml(cls, source: RubricSource) -> Rubric:
        """A rubric from TOML: a path, TOML text or bytes (errors name the
        source and field)."""
        return cls(_core.Rubric.from_toml(source))

    @staticmethod
    def json_schema() -> dict[str, object]:
        """The JSON Schema of rubric files (JSON, or TOML read as the same
        data), for editors and validators; the README's "Rubric files"
        section explains it with a complete example. The library checks the
        rules that span fields (increasing levels, unique ids) when loading."""
        result: dict[str, object] = json.loads(_core.RUBRIC_SCHEMA)
        return result

    @classmethod
    def _coerce(cls, rubric: Rubric | str | None) -> Rubric:
        if rubric is None:
            return _default()
        if isinstance(rubric, Rubric):
            return rubric
        if isinstance(rubric, _core.Rubric):
            return cls(rubric)
        if isinstance(rubric, str):
            return cls.builtin(rubric)
        raise _core.InputError(
            f"invalid parameter rubric: {rubric!r} (a Rubric, a built-in id or None; "
            f"got {type(rubric).__name__})"
        )

    def to_json(self) -> str:
        """The rubric as JSON; :meth:`from_json` reads it back to an equal rubric."""
        return self._core.to_json()

    def to_toml(self) -> str:
        """The rubric as TOML; :meth:`from_toml` reads it back to an equal rubric."""
        return self._core.to_toml()

    @property
    def id(self) -> str:
        """The rubric's id, e.g. ``"crpe-2016"``."""
        return self._core.id

    @property
    def title(self) -> str:
        """The rubric's title."""
        return self._core.title

    @property
    def version(self) -> str:
        """The rubric's version text."""
        return self._core.version

    @property
    def source(self) -> str | None:
        """Where the rubric comes from."""
        return self._core.source

    @property
    def element_ids(self) -> list[str]:
        """Element ids in column order."""
        return self._core.element_ids

    @property
    def component_names(self) -> list[str]:
        """Component short names ("Choice", ...), in order: the column labels of scores."""
        return self._core.component_names

    @property
    def components(self) -> pd.DataFrame:
        """One row per component: ``component_id``, ``component``, ``short_name``,
        ``weight``, ``n_elements``."""
        return frame(self._core.components_table())

    @property
    def scale(self) -> pd.DataFrame:
        """One row per level: ``value``, ``label`` (None where unpublished),
        ``color``, ``color_name``."""
        return frame(self._core.scale_table())

    @property
    def midpoint(self) -> float:
        """Halfway between the lowest and highest level (3.0 for CRPE)."""
        return self._core.midpoint

    @boundary
    def band(self, score: float) -> float | None:
        """The level nearest to ``score`` (halfway goes up, decided exactly);
        None for NaN."""
        return self._core.band(score)

    def labels(self, aggregation: str | None = None) -> Labels:
        """Axis labels, quadrant names and colours in this rubric's terms
        (from the core)."""
        return self._core.labels(aggregation)

    def to_frame(self) -> pd.DataFrame:
        """One row per element: ``component_id``, ``component``, ``short_name``,
        ``element_id``, ``element``, and the element's effective ``weight`` in
        the overall score (mean of component means)."""
        return frame(self._core.elements_table())

    def __reduce__(self) -> tuple[type[Rubric], tuple[_core.Rubric]]:
        return (Rubric, (self._core,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rubric) and self._core == other._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __repr__(self) -> str:
        return repr(self._core)

    def _repr_html_(self) -> str:
        scale = self.scale
        levels = "".join(
            f'<span style="background:{html.escape(str(c))};padding:0 0.6em;margin-right:0.3em">'
            f"{v:g}{(' ' + html.escape(str(lab))) if isinstance(lab, str) else ''}</span>"
            for v, lab, c in zip(scale["value"], scale["label"], scale["color"], strict=True)
        )
        head = (
            f"<p><b>Rubric {html.escape(self.id)}</b>: {html.escape(self.title)}<br>"
            f"{len(self.component_names)} components, {len(self.element_ids)} elements. "
            f"Scale: {levels}</p>"
        )
        table = self.to_frame().drop(columns=["component"]).to_html(index=False)
        return head + table


_DEFAULT: Rubric | None = None


def _default() -> Rubric:
    """The default rubric (crpe-2016), built once: rubrics are immutable."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Rubric.crpe_2016()
    return _DEFAULT
