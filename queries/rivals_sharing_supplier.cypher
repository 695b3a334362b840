MATCH (c:Company)-[:COMPETES_WITH]-(r:Company)
MATCH (c)-[:DEVELOPS*0..1]->(x)-[:USES_CHIP]->(k1:Chip)<-[:DEVELOPS]-(s:Company)
WHERE x = c OR x:AIModel
MATCH (r)-[:DEVELOPS*0..1]->(y)-[:USES_CHIP]->(k2:Chip)<-[:DEVELOPS]-(s)
WHERE y = r OR y:AIModel
RETURN DISTINCT c.name AS company, r.name AS rival, s.name AS supplier, k1.name AS company_chip,
       k2.name AS rival_chip
