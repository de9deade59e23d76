"""The rubric: components, elements and the rating scale."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd

from . import _core
from ._errors import boundary


def _looks_like_path(text_or_path: str | os.PathLike[str], suffixes: tuple[str, ...]) -> bool:
    if isinstance(text_or_path, os.PathLike):
        return True
    s = str(text_or_path)
    if "\n" in s or s.lstrip().startswith(("{", "[")) or "=" in s:
        return False
    return Path(s).exists() or s.lower().endswith(suffixes)


class Rubric:
    """A validated rubric: a scale and ordered components of ordered elements.

    Build one with :meth:`crpe_2016` (the default everywhere), :meth:`crpe_2012`,
    :meth:`from_json` or :meth:`from_toml`. Columns of every ratings matrix
    follow :attr:`element_ids`.

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
                "use Rubric.crpe_2016(), Rubric.from_json() or Rubric.from_toml()"
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
    def from_json(cls, text_or_path: str | os.PathLike[str]) -> Rubric:
        """A rubric from JSON text or a JSON file (errors name the path and field)."""
        if _looks_like_path(text_or_path, (".json",)):
            return cls(_core.Rubric.from_path(os.fspath(text_or_path)))
        return cls(_core.Rubric.from_json(str(text_or_path)))

    @classmethod
    @boundary
    def from_toml(cls, text_or_path: str | os.PathLike[str]) -> Rubric:
        """A rubric from TOML text or a TOML file (errors name the path and field)."""
        if _looks_like_path(text_or_path, (".toml",)):
            path = os.fspath(text_or_path)
            if not str(path).lower().endswith(".toml"):
                text = Path(path).read_text(encoding="utf-8")
                return cls(_core.Rubric.from_toml(text))
            return cls(_core.Rubric.from_path(path))
        return cls(_core.Rubric.from_toml(str(text_or_path)))

    @classmethod
    def _coerce(cls, rubric: Rubric | str | None) -> Rubric:
        if rubric is None:
            return _default()
        if isinstance(rubric, Rubric):
            return rubric
        if isinstance(rubric, str):
            return cls.builtin(rubric)
        raise TypeError(
            f"rubric must be a Rubric, a built-in id or None, not {type(rubric).__name__}"
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
        return [c[2] for c in self._core.components]

    @property
    def components(self) -> pd.DataFrame:
        """One row per component: ``component_id``, ``component``, ``short_name``,
        ``weight``, ``n_elements``."""
        rows = [
            {
                "component_id": c[0],
                "component": c[1],
                "short_name": c[2],
                "weight": c[3],
                "n_elements": len(c[4]),
            }
            for c in self._core.components
        ]
        return pd.DataFrame(rows)

    @property
    def scale(self) -> pd.DataFrame:
        """One row per level: ``value``, ``label`` (None where unpublished),
        ``color``, ``color_name``."""
        levels = self._core.scale
        return pd.DataFrame(
            {
                "value": [lv[0] for lv in levels],
                "label": pd.Series([lv[1] for lv in levels], dtype=object),
                "color": [lv[2] for lv in levels],
                "color_name": pd.Series([lv[3] for lv in levels], dtype=object),
            }
        )

    @property
    def midpoint(self) -> float:
        """Halfway between the lowest and highest level (3.0 for CRPE)."""
        return self._core.midpoint

    def band(self, score: float) -> float | None:
        """The level nearest to ``score`` (halfway goes up); None for NaN."""
        return self._core.band(float(score))

    def to_frame(self) -> pd.DataFrame:
        """One row per element: ``component_id``, ``component``, ``short_name``,
        ``element_id``, ``element``, and the element's effective ``weight`` in
        the overall score (mean of component means)."""
        frame = pd.DataFrame(
            self._core.element_rows(),
            columns=["component_id", "component", "short_name", "element_id", "element"],
        )
        frame["weight"] = self._core.effective_element_weights()
        return frame

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rubric) and self._core == other._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __repr__(self) -> str:
        return repr(self._core)

    def _repr_html_(self) -> str:
        levels = "".join(
            f'<span style="background:{html.escape(str(c))};padding:0 0.6em;margin-right:0.3em">'
            f"{v:g}{(' ' + html.escape(str(lab))) if lab else ''}</span>"
            for v, lab, c, _ in self._core.scale
        )
        head = (
            f"<p><b>Rubric {html.escape(self.id)}</b>: {html.escape(self.title)}<br>"
            f"{len(self.component_names)} components, {len(self.element_ids)} elements. "
            f"Scale: {levels}</p>"
        )
        table = self.to_frame().drop(columns=["component"]).to_html(index=False)
        return head + table

    def _core_obj(self) -> Any:
        return self._core


_DEFAULT: Rubric | None = None


def _default() -> Rubric:
    """The default rubric (crpe-2016), built once: rubrics are immutable."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Rubric.crpe_2016()
    return _DEFAULT
