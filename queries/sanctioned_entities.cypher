MATCH (x)-[r:SUBJECT_TO]->(s:Sanction)-[:IMPOSED_BY]->(b)
RETURN x.name AS entity, x.kind AS entity_type, s.name AS sanction, b.name AS imposed_by, r.sources AS sources
