# The README's two commands are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test setup system-deps build lint docs bench clean

run: setup system-deps          ## set up, build the ontology, answer the example questions
	$(BIN)/iapo build
	$(BIN)/iapo examples

test: setup system-deps         ## set up and run every test (and the linter)
	$(BIN)/ruff check iapontology tests
	$(BIN)/pytest -n 2 --dist loadfile

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

system-deps:
	bash scripts/system-deps.sh

build: setup
	$(BIN)/iapo build

lint: setup
	$(BIN)/ruff check iapontology tests

docs: setup system-deps         ## build the documentation site (warnings are errors)
	$(BIN)/sphinx-build -W -b html docs docs/_build/html

bench: setup                    ## run the benchmarks; results land in benchmarks/*.md
	$(BIN)/python benchmarks/query_speed.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/hostile_files.py

clean:
	rm -rf $(VENV) build dist *.egg-info
