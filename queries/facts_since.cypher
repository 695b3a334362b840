MATCH (s)-[r]->(o)
WHERE r.first_reported >= $since AND r.predicate <> "reportsMetric"
RETURN s.name AS subject, r.predicate AS predicate, o.name AS object, r.first_reported AS first_reported,
       r.sources AS sources
