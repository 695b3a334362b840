// one index seek per type (the loader's <type>_first_reported indexes): the cost is that of the answer
CALL () {
  MATCH (s)-[r:DEVELOPS]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:MANUFACTURES]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:COMPETES_WITH]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:PARTNERS_WITH]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:SUBSIDIARY_OF]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:CEO_OF]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:USES_CHIP]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:SUBJECT_TO]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:IMPOSED_BY]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:HEADQUARTERED_IN]->(o) WHERE r.first_reported >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:INVESTS_IN]->(o) WHERE r.first_reported >= $since RETURN s, r, o
}
WITH s, r, o
WHERE r.symmetric IS NULL OR s.iri < o.iri
RETURN s.name AS subject, r.predicate AS predicate, o.name AS object, r.first_reported AS first_reported,
       r.sources AS sources
