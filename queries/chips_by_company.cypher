MATCH (c:Company)-[r:DEVELOPS|MANUFACTURES|USES_CHIP]->(k:Chip)
WHERE c.name = $company
RETURN c.name AS company, r.predicate AS role, k.name AS chip, r.sources AS sources
