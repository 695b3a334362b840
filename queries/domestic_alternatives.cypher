// from the exposures (few) to the alternatives of their country, each country's chips looked at once
CALL () {
  MATCH (c:Company)-[:SUBJECT_TO]->(s:Sanction) RETURN c, s
  UNION
  MATCH (c:Company)-[:USES_CHIP]->(:Chip)-[:SUBJECT_TO]->(s:Sanction) RETURN c, s
}
MATCH (c)-[:HEADQUARTERED_IN]->(n:Country)
WITH n, collect([c, s]) AS exposed
MATCH (n)<-[:HEADQUARTERED_IN]-(d:Company)-[:DEVELOPS]->(alt:Chip)
WITH n, exposed, d, alt, [(alt)-[:SUBJECT_TO]->(x) | x] AS sanctions
UNWIND exposed AS e
WITH e[0] AS c, e[1] AS s, n, d, alt, sanctions
WHERE d <> c AND NOT s IN sanctions
RETURN DISTINCT c.name AS company, s.name AS sanction, n.name AS country, alt.name AS alternative,
       d.name AS supplier
