MATCH (p:Person)-[r:CEO_OF]->(c:Company)
WHERE r.ended IS NULL
RETURN c.name AS company, p.name AS ceo, r.sources AS sources
