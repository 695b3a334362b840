MATCH (d:Company)-[:DEVELOPS]->(alt:Chip)
MATCH (d)-[:HEADQUARTERED_IN]->(n:Country)
WITH n, collect(DISTINCT {d: d, alt: alt, sanctions: [(alt)-[:SUBJECT_TO]->(x) | x]}) AS alts
MATCH (n)<-[:HEADQUARTERED_IN]-(c:Company)
CALL (c) {
  MATCH (c)-[:SUBJECT_TO]->(s:Sanction) RETURN s
  UNION
  MATCH (c)-[:USES_CHIP]->(:Chip)-[:SUBJECT_TO]->(s:Sanction) RETURN s
}
UNWIND alts AS x
WITH c, s, n, x
WHERE x.d <> c AND NOT s IN x.sanctions
RETURN DISTINCT c.name AS company, s.name AS sanction, n.name AS country, x.alt.name AS alternative,
       x.d.name AS supplier
