MATCH (c:Company)-[r:DEVELOPS]->(m:AIModel)
WHERE c.name = $company
RETURN c.name AS company, m.name AS model, r.sources AS sources
ORDER BY model
