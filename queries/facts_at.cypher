MATCH (s)-[r:DEVELOPS|MANUFACTURES|COMPETES_WITH|PARTNERS_WITH|SUBSIDIARY_OF|CEO_OF|USES_CHIP|SUBJECT_TO|IMPOSED_BY|HEADQUARTERED_IN|INVESTS_IN]->(o)
WHERE r.first_reported <= $date AND (r.symmetric IS NULL OR s.iri < o.iri)
  AND NOT EXISTS { MATCH (s)-[h]->(o) WHERE type(h) = type(r) + '_HISTORY' }
RETURN s.name AS subject, r.predicate AS predicate, o.name AS object, r.first_reported AS held_from
UNION
// a fact with a period or an end: held from the earliest start on or before the date with no end between
MATCH (s)-[h]->(o)
WHERE type(h) ENDS WITH '_HISTORY' AND (h.symmetric IS NULL OR s.iri < o.iri)
WITH s, h, o, [x IN h.starts WHERE x <= $date AND NONE(e IN h.ends WHERE e >= x AND e <= $date)] AS held
WHERE size(held) > 0
WITH s, h, o, reduce(m = '~', x IN held | CASE WHEN x <> '' AND x < m THEN x ELSE m END) AS first
RETURN s.name AS subject, h.predicate AS predicate, o.name AS object, CASE WHEN first = '~' THEN '' ELSE first END
       AS held_from
