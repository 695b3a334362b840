MATCH (s:Company)-[r:SUBSIDIARY_OF]->(p:Company)
RETURN p.name AS parent, s.name AS subsidiary, r.sources AS sources
