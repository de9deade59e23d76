# The two set-up commands of the README: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: all demo test lint rust-test bench-build demo-check bench clean

all: test

## demo: build and run the main job on the bundled (synthetic) demo panel
demo:
	$(CARGO) run --release --example sticking_points

## test: every check CI runs
test: lint rust-test bench-build demo-check

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

rust-test:
	$(CARGO) test

bench-build:
	$(CARGO) bench --no-run

## demo-check: the shipped demo panel is exactly what its seeded generator writes
demo-check:
	$(CARGO) run --quiet --example generate_demo -- target/demo_panel.regenerated.csv
	cmp data/demo_panel.csv target/demo_panel.regenerated.csv

## bench: run the criterion benches (release build; takes a few minutes)
bench:
	$(CARGO) bench --bench scoring

clean:
	$(CARGO) clean
