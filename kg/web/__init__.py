"""``kg serve``: the analysts' workbench over a workspace, read-only.

* ``snapshot``: consistent views of a workspace another process may be writing;
* ``sparql`` and ``workers``: the SPARQL 1.1 Protocol endpoint, with a time and a row limit per query;
* ``app``: the Starlette application (pages, JSON API, ``/sparql``, static files); ``server``: uvicorn;
* ``render``: Jinja2 templates (autoescaped), shared by the pages, ``kg brief --format html`` and ``kg viz``.
"""
