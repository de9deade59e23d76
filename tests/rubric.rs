//! The built-in rubrics against the seed documents, serde round trips and
//! validation of custom rubrics.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use portfolio_snapshot::{Error, Rubric, RubricSpec};

#[test]
fn a_rubric_a_person_writes_by_hand() {
    // levels as a plain list (colours from the default colormap, no labels),
    // weights by short name and by id
    let text = r#"
id = "mine"
scale = [1, 2, 3, 4]
weights = { Talent = 2, "1" = 0.5 }

[[components]]
id = "1"
name = "Good options"
short_name = "Choice"
elements = [{ id = "a", text = "A" }, { id = "b", text = "B" }]

[[components]]
id = "2"
name = "Talent"
elements = [{ id = "c", text = "C" }]
"#;
    let r = Rubric::from_toml(text).unwrap();
    assert_eq!(r.scale().levels.len(), 4);
    let colors: Vec<&str> = r.scale().levels.iter().map(|l| l.color.as_str()).collect();
    // red to green, all different
    assert!(colors.iter().all(|c| c.starts_with('#') && c.len() == 7));
    assert_eq!(
        colors
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        4
    );
    assert_eq!(r.weights(), vec![0.5, 2.0]);
    // a named colormap, and a round trip through the full form
    let viridis = text.replace(
        "scale = [1, 2, 3, 4]",
        "scale = { levels = [1, 2, 3], colormap = \"viridis\" }",
    );
    let v = Rubric::from_toml(&viridis).unwrap();
    assert_ne!(v.scale().levels[0].color, r.scale().levels[0].color);
    assert_eq!(Rubric::from_toml(&v.to_toml()).unwrap(), v);
    assert_eq!(Rubric::from_json(&v.to_json()).unwrap(), v);
    // a weight given twice
    let twice = text.replace(
        "elements = [{ id = \"c\"",
        "weight = 3\nelements = [{ id = \"c\"",
    );
    let e = Rubric::from_toml(&twice).unwrap_err();
    assert!(e.to_string().contains("components[1].weight"), "{e}");
}

#[test]
fn crpe_2016_matches_appendix_1() {
    let r = Rubric::crpe_2016();
    assert_eq!(r.id(), "crpe-2016");
    let sizes: Vec<usize> = r.components().iter().map(|c| c.elements().len()).collect();
    assert_eq!(sizes, [6, 6, 4, 6, 3, 5, 6]);
    assert_eq!(r.n_elements(), 36);
    let shorts: Vec<&str> = r
        .components()
        .iter()
        .map(portfolio_snapshot::Component::short_name)
        .collect();
    assert_eq!(
        shorts,
        [
            "Choice",
            "Autonomy",
            "Funding",
            "Talent",
            "Support",
            "Accountability",
            "Engagement"
        ]
    );
    assert_eq!(
        r.components()[0].name(),
        "Good options and choices for all families"
    );
    assert_eq!(
        r.components()[5].name(),
        "Performance-based accountability for schools"
    );
    // ids 1.1 .. 7.6 in order
    let mut expected = Vec::new();
    for (c, n) in sizes.iter().enumerate() {
        for e in 1..=*n {
            expected.push(format!("{}.{e}", c + 1));
        }
    }
    assert_eq!(r.element_ids(), expected.as_slice());
    let text = |id: &str| {
        let j = r.element_index(id).unwrap();
        let c = r.component_of(j).unwrap();
        let comp = &r.components()[c];
        comp.elements()[j - comp.columns().start].text.clone()
    };
    assert_eq!(text("1.1"), "School choice for all families");
    assert_eq!(
        text("4.6"),
        "Innovative ways to increase the number of students taught by strong teachers and leaders"
    );
    assert_eq!(text("2.3"), "All schools control compensation");
    assert_eq!(
        text("7.6"),
        "Public criteria and schedule for school closings and openings, clear and better options for families affected by closure"
    );
}

#[test]
fn crpe_2016_scale_leaves_unpublished_labels_unset() {
    let s = Rubric::crpe_2016().scale().clone();
    let values: Vec<f64> = s.levels.iter().map(|l| l.value).collect();
    assert_eq!(values, [1.0, 2.0, 3.0, 4.0, 5.0]);
    let labels: Vec<Option<&str>> = s.levels.iter().map(|l| l.label.as_deref()).collect();
    assert_eq!(
        labels,
        [
            Some("Nothing in place yet"),
            None,
            None,
            Some("In progress"),
            Some("National exemplar")
        ]
    );
    let colours: Vec<&str> = s
        .levels
        .iter()
        .map(|l| l.color_name.as_deref().unwrap())
        .collect();
    assert_eq!(
        colours,
        ["red", "orange", "yellow", "light green", "dark green"]
    );
}

#[test]
fn crpe_2012_matches_seed_002() {
    let r = Rubric::crpe_2012();
    let sizes: Vec<usize> = r.components().iter().map(|c| c.elements().len()).collect();
    assert_eq!(sizes, [7, 2, 5, 5, 2, 6, 4]);
    assert_eq!(r.n_elements(), 31);
    assert_eq!(r.element_ids()[0], "1.1");
    assert_eq!(r.element_ids()[30], "7.4");
    assert_eq!(
        r.components()[1].elements()[1].text,
        "Freedom to seek waivers on contracts regarding use of time, teacher resources, and student grouping"
    );
    assert_eq!(
        r.components()[6].elements()[3].text,
        "Partnerships and coalitions with key stakeholders"
    );
}

#[test]
fn builtin_rubrics_round_trip_through_json_and_toml() {
    for r in [Rubric::crpe_2016(), Rubric::crpe_2012()] {
        let json = r.to_json();
        assert_eq!(Rubric::from_json(&json).unwrap(), r);
        let toml = r.to_toml();
        assert_eq!(Rubric::from_toml(&toml).unwrap(), r);
        // and the two formats describe the same spec
        let a: RubricSpec = serde_json::from_str(&json).unwrap();
        let b: RubricSpec = toml::from_str(&toml).unwrap();
        assert_eq!(a, b);
    }
}

#[test]
fn effective_element_weights_are_one_over_seven_times_component_size() {
    let r = Rubric::crpe_2016();
    let w = r.effective_element_weights();
    let sizes = [6.0, 6.0, 4.0, 6.0, 3.0, 5.0, 6.0];
    let mut j = 0;
    for n in sizes {
        for _ in 0..(n as usize) {
            assert!((w[j] - 1.0 / (7.0 * n)).abs() < 1e-15);
            j += 1;
        }
    }
}

fn spec() -> RubricSpec {
    Rubric::crpe_2016().to_spec()
}

fn invalid_field(spec: RubricSpec) -> String {
    match Rubric::new(spec) {
        Err(Error::InvalidRubric { field, .. }) => field,
        other => panic!("expected InvalidRubric, got {other:?}"),
    }
}

#[test]
fn custom_rubric_validation_names_the_field() {
    let mut s = spec();
    s.components.clear();
    assert_eq!(invalid_field(s), "components");

    let mut s = spec();
    s.components[2].elements.clear();
    assert_eq!(invalid_field(s), "components[2].elements");

    let mut s = spec();
    s.components[3].elements[1].id = "4.1".into();
    assert_eq!(invalid_field(s), "components[3].elements[1].id");

    let mut s = spec();
    s.components[1].id = "1".into();
    assert_eq!(invalid_field(s), "components[1].id");

    let mut s = spec();
    s.components[1].short_name = Some("Choice".into());
    assert_eq!(invalid_field(s), "components[1].short_name");

    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let mut s = spec();
        s.components[4].weight = Some(bad);
        assert_eq!(invalid_field(s), "components[4].weight");
    }

    let mut s = spec();
    s.scale.levels[3].value = 3.0;
    assert_eq!(invalid_field(s), "scale.levels[3].value");

    let mut s = spec();
    s.scale.levels[0].color = Some("red".into());
    assert_eq!(invalid_field(s), "scale.levels[0].color");

    let mut s = spec();
    s.scale.colormap = Some("rainbowish".into());
    s.scale.levels[0].color = None;
    assert_eq!(invalid_field(s), "scale.colormap");

    let mut s = spec();
    s.weights = Some([("Nope".to_owned(), 2.0)].into_iter().collect());
    assert_eq!(invalid_field(s), "weights.Nope");

    let mut s = spec();
    s.scale.levels.truncate(1);
    assert_eq!(invalid_field(s), "scale.levels");

    let mut s = spec();
    s.id = " ".into();
    assert_eq!(invalid_field(s), "id");
}

#[test]
fn custom_rubric_from_minimal_toml_uses_defaults() {
    let text = r##"
id = "tiny"
[scale]
levels = [ { value = 0.0, color = "#000000" }, { value = 10.0, color = "#ffffff" } ]
[[components]]
id = "a"
name = "Alpha"
weight = 2.0
elements = [ { id = "a1", text = "first" }, { id = "a2", text = "second" } ]
[[components]]
id = "b"
name = "Beta"
elements = [ { id = "b1", text = "third" } ]
"##;
    let r = Rubric::from_toml(text).unwrap();
    assert_eq!(r.components()[1].short_name(), "Beta"); // defaults to the name
    assert_eq!(r.weights(), [2.0, 1.0]);
    assert_eq!(r.scale().midpoint(), 5.0);
    // effective weights: 2/(3*2) for a1, a2 and 1/(3*1) for b1
    let w = r.effective_element_weights();
    assert!((w[0] - 1.0 / 3.0).abs() < 1e-15 && (w[2] - 1.0 / 3.0).abs() < 1e-15);
}

#[test]
fn parse_errors_and_files_name_the_path_and_problem() {
    assert!(matches!(
        Rubric::from_json("{ not json"),
        Err(Error::RubricParse { format: "JSON", .. })
    ));
    let err = Rubric::from_toml("id = \"x\"\nunknown_field = 1\n").unwrap_err();
    assert!(err.to_string().contains("unknown_field"), "{err}");

    let dir = std::env::temp_dir().join(format!("ps-rubric-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    let mut s = spec();
    s.components[0].elements.clear();
    std::fs::write(&bad, serde_json::to_string(&s).unwrap()).unwrap();
    let err = Rubric::from_path(&bad).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("bad.json") && msg.contains("components[0].elements"),
        "{msg}"
    );

    let good = dir.join("good.toml");
    std::fs::write(&good, Rubric::crpe_2012().to_toml()).unwrap();
    assert_eq!(Rubric::from_path(&good).unwrap(), Rubric::crpe_2012());

    let missing = dir.join("nope.toml");
    let err = Rubric::from_path(&missing).unwrap_err();
    assert!(matches!(err, Error::RubricSource { .. }), "{err}");
    assert!(err.to_string().contains("nope.toml") && err.to_string().contains("no such file"));
    assert!(matches!(
        Rubric::builtin("crpe-1999"),
        Err(Error::InvalidParameter { .. })
    ));
    assert_eq!(Rubric::builtin("crpe-2012").unwrap(), Rubric::crpe_2012());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bands_round_to_nearest_level_with_halfway_up() {
    let s = Rubric::crpe_2016().scale().clone();
    let cases = [
        (1.0, 1.0),
        (1.49, 1.0),
        (1.5, 2.0),
        (2.5, 3.0),
        (3.4999, 3.0),
        (3.5, 4.0),
        (4.5, 5.0),
        (5.0, 5.0),
        (0.2, 1.0),
    ];
    for (x, want) in cases {
        assert_eq!(s.band_value(x), Some(want), "band of {x}");
    }
}
