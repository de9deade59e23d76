"""score_array(..., out=...): scores written into the caller's arrays."""

import numpy as np
import portfolio_snapshot as ps
import pytest


def _ratings(rows: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.integers(1, 6, size=(rows, 36)).astype(float)
    m[rng.random(m.shape) < 0.2] = np.nan
    return m


def _fresh_out(rows: int) -> dict[str, np.ndarray]:
    return {
        "components": np.full((rows, 7), -1.0),
        "overall": np.full(rows, -1.0),
        "spread": np.full(rows, -1.0),
        "coverage": np.full(rows, -1.0),
    }


def test_out_receives_what_fresh_arrays_would():
    m = _ratings(500, 1)
    out = _fresh_out(500)
    got = ps.score_array(m, out=out)
    assert got is out
    # independent reference: numpy means over the rubric's components
    rubric = ps.Rubric.crpe_2016()
    sizes = [sum(e.startswith(f"{i + 1}.") for e in rubric.element_ids) for i in range(7)]
    assert sum(sizes) == 36
    starts = np.cumsum([0, *sizes[:-1]])
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        comps = np.stack(
            [np.nanmean(m[:, s : s + n], axis=1) for s, n in zip(starts, sizes, strict=True)],
            axis=1,
        )
    np.testing.assert_allclose(out["components"], comps, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out["overall"], np.nanmean(comps, axis=1), atol=1e-12)
    np.testing.assert_allclose(out["spread"], np.nanvar(m, axis=1), atol=1e-12)
    np.testing.assert_allclose(out["coverage"], np.mean(~np.isnan(m), axis=1), atol=1e-12)


def test_a_previous_result_can_be_reused_and_is_overwritten():
    first = ps.score_array(_ratings(64, 2))
    arrays = {k: v for k, v in first.items()}
    second_input = _ratings(64, 3)
    again = ps.score_array(second_input, out=first, missing="skip")
    assert again is first
    for k, v in ps.score_array(second_input).items():
        assert again[k] is arrays[k]  # the same memory, not new arrays
        np.testing.assert_array_equal(again[k], v)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda o: o.pop("spread"), '"spread" is missing'),
        (lambda o: o.update(overall=[0.0] * 10), "float64 numpy array of 1 dimension"),
        (lambda o: o.update(overall=np.zeros(10, dtype=np.float32)), "float32"),
        (lambda o: o.update(components=np.zeros(70)), "2 dimensions"),
        (lambda o: o.update(overall=np.zeros(20)[::2]), "C-contiguous"),
        (lambda o: o.update(spread=o["overall"]), "shares memory"),
    ],
)
def test_bad_outputs_are_input_errors_naming_the_array(change, words):
    out = _fresh_out(10)
    change(out)
    with pytest.raises(ps.InputError, match=words):
        ps.score_array(_ratings(10, 4), out=out)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda o: o.update(coverage=np.zeros(11)), "coverage output: expected 10, got 11"),
        (lambda o: o.update(components=np.zeros((7, 10))), "rows of the component-score output"),
        (lambda o: o.update(components=np.zeros((10, 6))), "one per component.*expected 7, got 6"),
    ],
)
def test_outputs_of_the_wrong_shape_are_shape_errors(change, words):
    out = _fresh_out(10)
    change(out)
    with pytest.raises(ps.ShapeError, match=words):
        ps.score_array(_ratings(10, 4), out=out)


def test_read_only_and_aliased_outputs_are_refused():
    out = _fresh_out(10)
    out["overall"].flags.writeable = False
    with pytest.raises(ps.InputError, match='out\\["overall"\\] cannot be written'):
        ps.score_array(_ratings(10, 5), out=out)
    # an output that is the ratings' own memory
    m = _ratings(10, 6)
    out = _fresh_out(10)
    out["coverage"] = m.reshape(-1)[:10]  # contiguous, inside the ratings
    with pytest.raises(ps.InputError, match="shares memory"):
        ps.score_array(m, out=out)
    assert np.isnan(m).any() or m.min() >= 1  # the ratings were not touched
    with pytest.raises(ps.InputError, match="missing"):
        ps.score_array(m, out=[1, 2])  # type: ignore[arg-type]
