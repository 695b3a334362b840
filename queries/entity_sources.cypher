MATCH (a:Article)-[:MENTIONS]->(e)
WHERE e.name = $entity
RETURN e.name AS entity, a.date AS date, a.title AS title, a.id AS article
