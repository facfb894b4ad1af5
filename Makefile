# The workbook's commands. Each one sets up what it needs in .venv first.
#   make lab    open the notebooks in JupyterLab
#   make test   run every test and check
#   make run    serve the reference app on 127.0.0.1:5000, migrated and seeded
#   make bench  print the benchmark figures
#   make mutants  grade plausible mistakes and mutants of the solutions (maintainers)
#   make loadtest  the production server under load (needs a local PostgreSQL)

VENV ?= .venv
# A Windows Python (under Git Bash, say) is "python", and its venv keeps its programs
# in Scripts/, not bin/.
ifeq ($(OS),Windows_NT)
PYTHON ?= python
BIN := $(VENV)/Scripts
else
PYTHON ?= python3
BIN := $(VENV)/bin
endif
INSTALLED := $(VENV)/.installed
WITH_BROWSER := $(VENV)/.installed-browser
CONSTRAINTS := requirements/constraints.txt
FLASK := $(BIN)/flask --app reference_app

.PHONY: lab test run bench mutants loadtest lint format lock notebooks generate wheelhouse clean

$(INSTALLED): pyproject.toml $(CONSTRAINTS)
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11) and 'The workbook needs Python 3.11 or newer; try: make $(MAKECMDGOALS) PYTHON=python3.12')"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[dev]"
	@$(BIN)/python -c "import pathlib; pathlib.Path('$@').touch()"

# `make test` also needs the browser extra (playwright) for its rendered-page checks.
$(WITH_BROWSER): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[dev,browser]"
	@$(BIN)/python -c "import pathlib; pathlib.Path('$@').touch()"

# JupyterLab refuses to run as root unless told; containers often run as root.
AS_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(INSTALLED)
	$(BIN)/jupyter lab $(AS_ROOT) notebooks/

NBVAL := $(BIN)/pytest --nbval notebooks/ --nbval-sanitize-with notebooks/sanitize.cfg

test: lint $(WITH_BROWSER)
	$(BIN)/pytest
	$(NBVAL)

run: $(INSTALLED)
	$(FLASK) db upgrade
	$(FLASK) seed-db
	$(FLASK) run --host 127.0.0.1 --port 5000

bench: $(INSTALLED)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.quick
	$(BIN)/python -m bench.floors
	$(BIN)/python -m bench.suite
	$(BIN)/python -m bench.grading
	$(BIN)/python -m bench.notebooks

# Maintainers: does the grader catch wrong answers? Each chapter's catalogue of mistakes
# (exercises/NN_*/.meta/mistakes.toml) and automatic mutants, graded one at a time.
mutants: $(INSTALLED)
	$(BIN)/python -m workbook.mutation

# The documented deployment (gunicorn.conf.py, wsgi:app, PostgreSQL) under load, then a
# bare `gunicorn wsgi:app` for comparison: about three minutes, on this machine only.
# Needs LOAD_DATABASE_URL (or TEST_DATABASE_URL) naming a PostgreSQL on this machine.
loadtest: $(INSTALLED)
	$(BIN)/python -m bench.load

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Maintainers: after changing reference_app/ or a manifest, rewrite skeletons and solutions.
generate: $(INSTALLED)
	$(BIN)/python -m workbook.generate

# Maintainers: re-run every notebook and store the outputs that changed (nbval checks them
# in `make test`); outputs that differ only where notebooks/sanitize.cfg masks stay as stored.
notebooks: $(INSTALLED)
	$(BIN)/python -m workbook.refresh_notebooks

# Instructors: every pinned wheel for Linux, macOS and Windows, for an offline room:
#   pip install --no-index --find-links wheelhouse/ -c requirements/constraints.txt -e ".[dev]"
wheelhouse: $(INSTALLED)
	$(BIN)/python -m workbook.wheelhouse wheelhouse

# Maintainers: re-pin every package after changing pyproject.toml (needs uv).
lock: $(INSTALLED)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra browser --universal --python-version 3.11 \
		--constraint requirements/lock-constraints.txt \
		--no-header --no-emit-package flask-workbook -o $(CONSTRAINTS)

clean:
	rm -rf $(VENV) instance .pytest_cache
