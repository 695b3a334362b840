MATCH (c:Company)-[r:HEADQUARTERED_IN]->(k:Country)
WHERE k.name = $country
RETURN k.name AS country, c.name AS company, r.sources AS sources
