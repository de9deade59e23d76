"""Property tests: score_array against an independent numpy implementation."""

from __future__ import annotations

import numpy as np
import portfolio_snapshot as ps
from conftest import reference_scores
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

ratings = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, np.nan])


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(0, 30), st.just(36)), elements=ratings))
def test_score_array_matches_numpy_reference(x):
    got = ps.score_array(x)
    ref = reference_scores(x)
    np.testing.assert_allclose(got["components"], ref["components"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got["overall"], ref["overall"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got["spread"], ref["spread"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got["coverage"], ref["coverage"])


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 12), st.just(36)), elements=ratings),
    st.booleans(),
)
def test_layout_does_not_change_results(x, fortran):
    y = np.asfortranarray(x) if fortran else x[::-1][::-1]
    a, b = ps.score_array(x), ps.score_array(y)
    for k in ("overall", "spread", "coverage"):
        np.testing.assert_array_equal(a[k], b[k])
