MATCH (s)-[r:DEVELOPS|MANUFACTURES|COMPETES_WITH|PARTNERS_WITH|SUBSIDIARY_OF|CEO_OF|USES_CHIP|SUBJECT_TO|IMPOSED_BY|HEADQUARTERED_IN|INVESTS_IN]->(o)
WHERE r.first_reported >= $since AND (r.symmetric IS NULL OR s.iri < o.iri)
RETURN s.name AS subject, r.predicate AS predicate, o.name AS object, r.first_reported AS first_reported,
       r.sources AS sources
