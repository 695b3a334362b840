MATCH (e)
WHERE e.kind = $type AND NOT EXISTS { MATCH (e)-[r]-() WHERE type(r) <> "MENTIONS" AND NOT type(r) ENDS WITH "_HISTORY" }
OPTIONAL MATCH (a:Article)-[:MENTIONS]->(e)
RETURN e.kind AS type, e.name AS entity, count(DISTINCT a) AS mentions
