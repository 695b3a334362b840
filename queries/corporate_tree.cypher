MATCH (top:Company)<-[:SUBSIDIARY_OF*1..]-(u:Company)
WHERE top.name = $company
MATCH (u)-[r:SUBSIDIARY_OF]->(p:Company)
WHERE p = top OR EXISTS { MATCH (p)-[:SUBSIDIARY_OF*1..]->(top) }
RETURN DISTINCT top.name AS company, u.name AS unit, p.name AS parent, r.sources AS sources
