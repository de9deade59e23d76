"""How far the ratings can be trusted, as DataFrames."""

from __future__ import annotations

import pandas as pd

from . import _core
from ._analysis import Cut, Missing, Weights, _core_panel
from ._errors import boundary
from ._frames import frame
from ._panel import Panel


@boundary
def cronbach_alpha(panel: Panel, *, basis: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha of each component's elements across districts.

    ``alpha = k / (k - 1) * (1 - sum of the element variances / variance of
    the total)``, with sample variances over the districts that rate every
    element of the component on the basis (listwise deletion, as
    ``pingouin.cronbach_alpha(..., nan_policy="listwise")``). Alpha says
    whether districts that do well on one element of a component tend to do
    well on the others; with few districts it is itself uncertain (no
    interval is given yet), and a low alpha can mean a component groups
    practices that districts adopt separately rather than unreliable
    ratings.

    Parameters
    ----------
    basis : {"average", "recent"}, optional
        The districts' element values (default "average").

    Returns
    -------
    DataFrame
        Indexed by ``component_id``: ``component``, ``alpha``,
        ``n_elements``, ``n_districts`` (districts used) and ``reason`` (why
        an alpha is NaN: one element, fewer than two districts, no variance).
        ``attrs`` states the basis and the missing-data rule.

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> a = ps.cronbach_alpha(ps.datasets.demo_panel())
    >>> list(a["component"])[:3]
    ['Choice', 'Autonomy', 'Funding']
    """
    return frame(_core.cronbach_alpha(_core_panel(panel), basis=basis))


@boundary
def leave_one_out(
    panel: Panel,
    *,
    basis: str | None = None,
    missing: Missing | None = None,
    aggregation: str | None = None,
    weights: Weights | None = None,
    y_cut: Cut | None = None,
    x_cut: Cut | None = None,
    advanced_level: float | None = None,
    advanced_share: float | None = None,
) -> pd.DataFrame:
    """Which element or component the conclusions hang on: each district's
    rank, quadrant and advanced flag with each component, then each element,
    left out of the rubric in turn.

    Leaving out an element rescores its component on the others (a
    component left empty is left out whole); leaving out a component drops
    it from the overall score and from the advanced rule, which is then
    judged on the remaining components. Cuts given as rules ("mean", the
    midpoint) are recomputed each time; explicit weights lose the dropped
    component's. Options as in :func:`summarize`.

    Returns
    -------
    DataFrame
        Indexed by ``kind`` ("component" or "element"), ``item_id`` and
        ``district``: ``rank`` and ``rank_without`` (competition ranks by
        score, 1 = highest, exact ties sharing the lower rank), ``rank_change``
        (positive: lower without the item), ``quadrant`` and
        ``quadrant_without``, ``advanced`` and ``advanced_without``, and
        ``class_changed`` (the quadrant or the advanced flag differs).

    Examples
    --------
    >>> import portfolio_snapshot as ps
    >>> loo = ps.leave_one_out(ps.datasets.demo_panel())
    >>> len(loo) == (7 + 36) * 25
    True
    """
    return frame(
        _core.leave_one_out(
            _core_panel(panel),
            basis=basis,
            missing=missing,
            aggregation=aggregation,
            weights=weights,
            y_cut=y_cut,
            x_cut=x_cut,
            advanced_level=advanced_level,
            advanced_share=advanced_share,
        )
    )


def item_effects(loo: pd.DataFrame) -> pd.DataFrame:
    """Per item left out, from a :func:`leave_one_out` result (indexed by
    ``kind`` and ``item_id``, in the table's order): ``item``, ``moved`` (the
    mean absolute change of the districts' ranks) and ``changed`` (districts
    whose quadrant or advanced flag changes)."""
    grouped = loo.groupby(level=["kind", "item_id"], observed=True, sort=False)
    return pd.DataFrame(
        {
            "item": grouped["item"].first(),
            "moved": grouped["rank_change"].apply(lambda x: float(x.abs().mean())),
            "changed": grouped["class_changed"].sum(),
        }
    )
