"""Stores beyond the embedded workspace.

* :mod:`kg.backends.sparql_text`: the stored SPARQL as self-contained files (comment header, own ``PREFIX``
  lines), with example parameters bound for YASGUI or Jena, and the dataset made explicit for stores whose
  default graph is not the union of the named graphs;
* :mod:`kg.backends.sparql`: any SPARQL 1.1 store over HTTP: the workspace pushed through the Graph Store
  Protocol (one named graph per article plus the shared entity graph, incremental and resumable) and the
  stored queries run there.
"""
