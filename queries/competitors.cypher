MATCH (c:Company)-[r:COMPETES_WITH]-(o:Company)
WHERE c.name = $company
RETURN c.name AS company, o.name AS competitor, r.sources AS sources
ORDER BY competitor
