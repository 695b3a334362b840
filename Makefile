# cikg: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
DEMO_WS ?= .kg-demo

.PHONY: install demo test test-unit lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	rm -rf $(DEMO_WS)
	$(KG) ingest examples/articles --workspace $(DEMO_WS)
	$(KG) stats --workspace $(DEMO_WS)
	$(KG) query run models_by_company --param company="Alibaba Group" --workspace $(DEMO_WS)
	$(KG) query run competitors --param company=Baidu --workspace $(DEMO_WS)
	$(KG) query run sanction_exposure --workspace $(DEMO_WS)
	$(KG) query run chief_executives --workspace $(DEMO_WS)
	$(KG) lookup DeepSeek --workspace $(DEMO_WS)

test: install
	$(PY) -m pytest -q

test-unit: install
	$(PY) -m pytest -q -m "not neo4j"

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .kg .kg-demo build *.egg-info .pytest_cache .ruff_cache
