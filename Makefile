# cikg: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
DEMO_WS ?= .kg-demo

.PHONY: install demo test test-unit lint clean neo4j-start neo4j-stop neo4j-status fuseki-start fuseki-stop fuseki-status

# PYTHONWARNINGS: the build backend's deprecation notices (about 120 lines of setuptools boxes) are not for users
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[test,bench]'
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
	@echo
	@echo "Try next, on the demo workspace (or export KG_WORKSPACE=$(DEMO_WS) and leave out -w):"
	@echo "  $(KG) search huawai -w $(DEMO_WS)                      # find a name you cannot spell"
	@echo "  $(KG) why \"Alibaba Group\" investsIn \"Zhipu AI\" -w $(DEMO_WS)   # the sentences behind a fact"
	@echo "  $(KG) query run facts_since -p since=2025-11-01 -w $(DEMO_WS) --explain"

# The whole suite: starts the local Neo4j server (scripts/neo4j.sh) for the tests marked neo4j and the local Jena
# Fuseki (scripts/fuseki.sh) for those marked fuseki, stops both after.
test: install
	bash scripts/neo4j.sh start
	bash scripts/fuseki.sh start || { bash scripts/neo4j.sh stop; exit 1; }
	KG_REQUIRE_NEO4J=1 KG_REQUIRE_FUSEKI=1 $(PY) -m pytest -q; status=$$?; \
	bash scripts/fuseki.sh stop; bash scripts/neo4j.sh stop; exit $$status

test-unit: install
	$(PY) -m pytest -q -m "not neo4j and not fuseki"

neo4j-start:
	bash scripts/neo4j.sh start

neo4j-stop:
	bash scripts/neo4j.sh stop

neo4j-status:
	bash scripts/neo4j.sh status

fuseki-start:
	bash scripts/fuseki.sh start

fuseki-stop:
	bash scripts/fuseki.sh stop

fuseki-status:
	bash scripts/fuseki.sh status

# ruff, then mypy over kg/, ingest/ and benchmarks/ (its settings: pyproject.toml [tool.mypy]); CI runs it first
lint: install
	$(VENV)/bin/ruff check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) .kg .kg-demo build *.egg-info .pytest_cache .ruff_cache .mypy_cache
