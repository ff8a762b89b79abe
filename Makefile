# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo

.PHONY: demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The installed package is a real (non-editable) wheel install, as a user gets it.
$(VENV)/.installed: $(BIN)/python pyproject.toml hatch_build.py $(shell find src templates -type f 2>/dev/null)
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

demo: $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" sh sample_data/demo.sh $(DEMO)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO) build dist
