MATCH (p:Person)-[r:CEO_OF]->(c:Company)
RETURN c.name AS company, p.name AS ceo, r.sources AS sources
