MATCH (e)-[r]-(x)
WHERE e.name = $entity AND type(r) <> "MENTIONS" AND type(r) <> "REPORTS_METRIC"
  AND (startNode(r) = e OR NOT r.predicate IN ["competesWith", "partnersWith"])
UNWIND r.articles AS aid
MATCH (a:Article {id: aid})
RETURN DISTINCT e.name AS entity, startNode(r).name AS subject, r.predicate AS predicate, endNode(r).name AS object,
       a.date AS date, a.id AS article, a.title AS title
