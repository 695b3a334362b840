MATCH (e)
WHERE e.name = $entity
CALL (e) {
  MATCH (a:Article)-[:MENTIONS]->(e)
  RETURN a
}
RETURN e.name AS entity, a.date AS date, a.title AS title, a.id AS article
