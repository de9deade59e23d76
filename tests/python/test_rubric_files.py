"""Rubric files a person can write: the JSON Schema (validated with the
independent ``jsonschema`` package) accepts the built-in rubrics and the
README's example, and both it and the library refuse what is malformed."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import portfolio_snapshot as ps
import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "data" / "rubric.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def readme_rubric() -> str:
    text = (ROOT / "README.md").read_text()
    found = re.search(r"## Rubric files.*?```toml\n(.*?)```", text, re.S)
    assert found, "the README documents the format with a TOML example"
    return found.group(1)


def smallest() -> dict[str, object]:
    text = (ROOT / "README.md").read_text()
    found = re.search(r"The smallest rubric is `(\{.*?\})`", text, re.S)
    assert found
    return json.loads(found.group(1).replace("\n", " "))


def test_the_schema_is_a_valid_schema_and_the_one_the_package_ships():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert ps.Rubric.json_schema() == SCHEMA


@pytest.mark.parametrize("name", ["crpe-2016", "crpe-2012"])
def test_built_in_rubrics_validate(name):
    source = tomllib.loads((ROOT / "data" / f"{name}.toml").read_text())
    assert list(VALIDATOR.iter_errors(source)) == []
    # and what the library writes back
    written = json.loads(ps.Rubric.builtin(name)._core.to_json())
    assert list(VALIDATOR.iter_errors(written)) == []


def test_the_readme_example_validates_loads_and_means_what_it_says():
    text = readme_rubric()
    assert list(VALIDATOR.iter_errors(tomllib.loads(text))) == []
    rubric = ps.Rubric.from_toml(text)
    assert rubric.element_ids == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    labels = rubric._core.labels()
    assert labels["level_values"] == {
        "1 Not started": 1.0, "2 Emerging": 2.0, "3 Established": 3.0, "4 Exemplary": 4.0,
    }  # fmt: skip
    colors = list(labels["level_colors"])
    assert colors[3] == "#1a9850"  # given
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors)
    red, green = int(colors[0][1:3], 16), int(colors[0][3:5], 16)
    assert red > green  # RdYlGn starts red
    # Choice weighs 2 ([weights] by short name): Choice all 4, the rest 1 ->
    # overall (2*4 + 1 + 1) / 4 = 2.5 by hand
    ratings = np.array([[4.0, 4.0, 1.0, 1.0, 1.0]])
    assert ps.score_array(ratings, rubric)["overall"][0] == pytest.approx(2.5, abs=0)


def test_the_smallest_rubric_validates_and_loads():
    spec = smallest()
    assert list(VALIDATOR.iter_errors(spec)) == []
    rubric = ps.Rubric.from_json(json.dumps(spec))
    assert rubric.element_ids == ["a"]
    assert list(rubric._core.labels()["level_values"].values()) == [1.0, 2.0, 3.0]


def _mutations() -> list[tuple[str, object]]:
    base = tomllib.loads(readme_rubric())
    cases: list[tuple[str, object]] = []

    def mutate(name: str, fn) -> None:  # type: ignore[no-untyped-def]
        spec = copy.deepcopy(base)
        fn(spec)
        cases.append((name, spec))

    mutate("no id", lambda s: s.pop("id"))
    mutate("unknown top-level field", lambda s: s.update(colour="red"))
    mutate("unknown level field", lambda s: s["scale"]["levels"][0].update(colour="#ff0000"))
    mutate("colour not #rrggbb", lambda s: s["scale"]["levels"][0].update(color="red"))
    mutate("unknown colormap", lambda s: s["scale"].update(colormap="jet"))
    mutate("one level", lambda s: s["scale"].update(levels=[1]))
    mutate("level as text", lambda s: s["scale"].update(levels=["one", 2]))
    mutate("no components", lambda s: s.update(components=[]))
    mutate("component without elements", lambda s: s["components"][0].update(elements=[]))
    mutate("element without text", lambda s: s["components"][0]["elements"][0].pop("text"))
    mutate("negative weight", lambda s: s["weights"].update(Choice=-1))
    mutate("empty element id", lambda s: s["components"][0]["elements"][0].update(id=" "))
    return cases


@pytest.mark.parametrize(("name", "spec"), _mutations(), ids=[n for n, _ in _mutations()])
def test_schema_and_library_both_refuse(name, spec):
    assert list(VALIDATOR.iter_errors(spec)), f"the schema accepts: {name}"
    with pytest.raises(ps.RubricError):
        ps.Rubric.from_json(json.dumps(spec))


def test_rules_across_fields_are_the_librarys():
    base = tomllib.loads(readme_rubric())
    duplicate = copy.deepcopy(base)
    duplicate["components"][1]["elements"][0]["id"] = "1.1"
    decreasing = copy.deepcopy(base)
    decreasing["scale"]["levels"][1]["value"] = 0
    unknown_weight = copy.deepcopy(base)
    unknown_weight["weights"] = {"Funding": 2}
    for spec, fragment in (
        (duplicate, 'duplicate element id "1.1"'),
        (decreasing, "strictly increasing"),
        (unknown_weight, "Funding"),
    ):
        assert list(VALIDATOR.iter_errors(spec)) == []  # a schema cannot see these
        with pytest.raises(ps.RubricError, match=re.escape(fragment)):
            ps.Rubric.from_json(json.dumps(spec))


def test_the_schemas_colormaps_are_the_librarys():
    enum = SCHEMA["properties"]["scale"]["oneOf"][1]["properties"]["colormap"]["enum"]
    assert enum == ps._core.COLORMAPS
    for name in enum:
        one = {"id": "1", "name": "n", "elements": [{"id": "a", "text": "t"}]}
        spec = {"id": "c", "scale": {"levels": [1, 2, 3], "colormap": name}, "components": [one]}
        assert len(ps.Rubric.from_json(json.dumps(spec))._core.labels()["level_colors"]) == 3


def test_a_panel_on_a_hand_written_rubric_reads_level_labels():
    rubric = ps.Rubric.from_toml(readme_rubric())
    df = pd.DataFrame(
        {
            "district": ["A"] * 5,
            "date": ["2016-01"] * 5,
            "element": rubric.element_ids,
            "rating": ["established", "Exemplary", "1", "Emerging", "N/A"],
        }
    )
    panel = ps.Panel.from_long(df, rubric)
    np.testing.assert_array_equal(panel.ratings[0], [3, 4, 1, 2, np.nan])
