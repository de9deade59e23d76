"""Data shipped with the package.

- :func:`network_roster`: the 52 districts of *Sticking Points* (2016) Figure 2.
- :func:`demo_panel`: a **synthetic** panel of ratings for the 25 districts the
  report analysed (invented ratings; no public data set of CRPE ratings exists).
- :func:`demo_mixed_panel`: the same, its early snapshots re-expressed on the
  2012 rubric (a **synthetic** panel mixing rubric versions).
"""

from __future__ import annotations

import pandas as pd

from . import _core
from ._frames import frame
from ._mixed import MixedPanel
from ._panel import Panel

DEMO_LABEL: str = _core.DEMO_LABEL

__all__ = ["DEMO_LABEL", "crosswalk", "demo_mixed_panel", "demo_panel", "network_roster"]


def network_roster() -> pd.DataFrame:
    """The Figure 2 roster: ``district``, ``most_recent_snapshot`` (monthly
    Period, NaT where the figure says N/A) and ``n_snapshots``."""
    return frame(_core.network_roster())


def crosswalk() -> pd.DataFrame:
    """The crosswalk from CRPE's 2012 element list (``crpe-2012``, 31
    elements) to the 2016 one (``crpe-2016``, 36): one row per mapping
    (``from_element``, ``to_element``, ``relation`` "same", "narrower" or
    "broader", and the ``reason``), and one per element left unmapped
    (relation "unmapped", the other side missing). ``attrs`` names the two
    rubrics. :meth:`Panel.translate` carries a 2012 panel across it."""
    return frame(_core.crosswalk_2012_2016())


def demo_panel() -> Panel:
    """The synthetic demo panel (``crpe-2016``): the report's 25 districts with
    their real snapshot counts and last dates, and invented ratings. It is
    marked synthetic so that plots and reports say so."""
    return Panel(_core.demo_panel())


def demo_mixed_panel() -> MixedPanel:
    """The synthetic demo panel with its snapshots before January 2015
    re-expressed on the 2012 rubric (``crpe-2012``), the later ones on
    ``crpe-2016``: a worked example of a :class:`MixedPanel`, synthetic
    through and through (the switch-over date is invented too).

    A 2012 element the crosswalk maps takes its 2016 counterpart's rating; a
    2012 element with no counterpart takes the rated mean of its
    component's 2016 elements in that snapshot, rounded to a level (halves
    up)."""
    return MixedPanel(_core.demo_mixed_panel())
