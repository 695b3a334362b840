MATCH (e)-[r]-(o)
WHERE type(r) <> "MENTIONS" AND type(r) <> "REPORTS_METRIC" AND o <> e
WITH e, count(DISTINCT o) AS degree
WHERE degree >= $min_degree
RETURN e.name AS entity, e.kind AS type, degree
