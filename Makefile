# The two set-up commands of the README: `make demo` and `make test`.
# Everything is installed by the project's own files: cargo fetches the
# crates, and a .venv made here gets requirements-dev.txt from PyPI.
CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export MPLBACKEND := Agg

.PHONY: all demo test lint rust-test bench-build demo-check python-test stubtest notebook \
        wheel-check develop bench bench-python clean figures system-deps

all: test

## demo: build everything, print the report's tables (Rust main job) and write
## the HTML report of the bundled synthetic demo panel
demo: develop
	$(CARGO) run --release --example sticking_points
	$(PY) -m portfolio_snapshot report --out out/demo-report
	@echo "open out/demo-report/report.html"

## figures: the demo's figures as committed under docs/figures (shown in the README)
figures: develop
	$(PY) -m portfolio_snapshot figures --out docs/figures
	$(PY) -c "import portfolio_snapshot as ps; ps.plot.profile(ps.datasets.demo_panel(), 'Spring Branch').savefig('docs/figures/profile.png', dpi=100)"
	$(PY) -c "import portfolio_snapshot as ps; ps.plot.quadrants(ps.summarize(ps.datasets.demo_panel(), spread='mean_of_snapshots')).savefig('docs/figures/quadrants_mean_of_snapshots.png', dpi=100)"
	$(PY) -c "import portfolio_snapshot as ps; ps.plot.trajectories(ps.datasets.demo_mixed_panel(), districts=['Baltimore', 'Denver', 'Chicago', 'New York City', 'Indianapolis']).savefig('docs/figures/trajectories_mixed.png', dpi=100)"

## test: every check CI runs
test: lint rust-test bench-build demo-check python-test wheel-check

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## develop: build the extension (release) into .venv
develop: $(VENV)/.installed
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release --quiet

lint: $(VENV)/.installed
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets --features python -- -D warnings
	$(VENV)/bin/ruff check python tests/python benches examples
	$(VENV)/bin/ruff format --check python tests/python benches examples
	cd python && ../$(VENV)/bin/mypy portfolio_snapshot

rust-test:
	$(CARGO) test

bench-build:
	$(CARGO) bench --no-run

## demo-check: the shipped demo panel is exactly what its seeded generator writes
demo-check:
	$(CARGO) run --quiet --example generate_demo -- target/demo_panel.regenerated.csv
	cmp data/demo_panel.csv target/demo_panel.regenerated.csv

## system-deps: Debian's chromium, for the test that renders the report in a
## real browser (installed with apt-get when missing; sudo when not root)
system-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the report's browser test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

python-test: develop stubtest system-deps
	$(PY) -m pytest

stubtest: develop
	$(PY) -m mypy.stubtest portfolio_snapshot._core

## wheel-check: an abi3 wheel that installs into a clean venv and imports
wheel-check: $(VENV)/.installed
	rm -rf target/wheels target/wheel-venv
	$(VENV)/bin/maturin build --release --quiet --out target/wheels
	$(PYTHON) -m venv target/wheel-venv
	target/wheel-venv/bin/python -m pip install --quiet target/wheels/*abi3*.whl
	cd target && wheel-venv/bin/python -c "import portfolio_snapshot as ps; \
	  print('wheel ok:', ps.__version__, len(ps.summarize(ps.datasets.demo_panel())), 'districts')"

## bench: criterion benches (Rust), the Python comparison benches, and
## benches/results.json (every ratio of the speed targets, the CPU features)
bench: bench-rust bench-python
	$(PY) benches/summary.py target/criterion target/bench/python_vs_numpy.json \
	  target/bench/python_uncertainty.json target/bench/python_sensitivity.json \
	  benches/results.json
.PHONY: bench-rust
bench-rust:
	$(CARGO) bench --bench scoring --bench uncertainty -- --noplot
bench-python: develop
	mkdir -p target/bench
	$(PY) benches/python_vs_numpy.py --json target/bench/python_vs_numpy.json
	$(PY) benches/python_uncertainty.py --json target/bench/python_uncertainty.json
	$(PY) benches/python_sensitivity.py --json target/bench/python_sensitivity.json

clean:
	$(CARGO) clean
	rm -rf $(VENV) out
