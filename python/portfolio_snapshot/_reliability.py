"""How far the ratings can be trusted, as DataFrames."""

from __future__ import annotations

import pandas as pd

from . import _core
from ._analysis import _core_panel
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
