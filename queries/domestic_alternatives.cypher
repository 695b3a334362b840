MATCH (c:Company)-[:HEADQUARTERED_IN]->(n:Country)<-[:HEADQUARTERED_IN]-(d:Company)-[:DEVELOPS]->(alt:Chip)
MATCH (s:Sanction)
WHERE d <> c
  AND (EXISTS { MATCH (c)-[:SUBJECT_TO]->(s) } OR EXISTS { MATCH (c)-[:USES_CHIP]->(:Chip)-[:SUBJECT_TO]->(s) })
  AND NOT EXISTS { MATCH (alt)-[:SUBJECT_TO]->(s) }
RETURN DISTINCT c.name AS company, s.name AS sanction, n.name AS country, alt.name AS alternative,
       d.name AS supplier
