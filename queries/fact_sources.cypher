MATCH (e)-[r]-(x)
WHERE e.name = $entity AND type(r) <> "MENTIONS" AND type(r) <> "REPORTS_METRIC"
WITH e, r, x, coalesce(r.symmetric, false) AS symmetric
UNWIND r.articles AS aid
MATCH (a:Article {id: aid})
RETURN DISTINCT e.name AS entity, CASE WHEN symmetric THEN e.name ELSE startNode(r).name END AS subject,
       r.predicate AS predicate, CASE WHEN symmetric THEN x.name ELSE endNode(r).name END AS object,
       a.date AS date, a.id AS article, a.title AS title
