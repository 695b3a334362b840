MATCH (c:Company)-[:HEADQUARTERED_IN]->(n:Country), (s:Sanction)
WHERE EXISTS { MATCH (c)-[:SUBJECT_TO]->(s) } OR EXISTS { MATCH (c)-[:USES_CHIP]->(:Chip)-[:SUBJECT_TO]->(s) }
MATCH (n)<-[:HEADQUARTERED_IN]-(d:Company)-[:DEVELOPS]->(alt:Chip)
WHERE d <> c AND NOT EXISTS { MATCH (alt)-[:SUBJECT_TO]->(s) }
RETURN DISTINCT c.name AS company, s.name AS sanction, n.name AS country, alt.name AS alternative,
       d.name AS supplier
