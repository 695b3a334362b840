MATCH (u)-[:USES_CHIP]->(k:Chip)-[:SUBJECT_TO]->(s:Sanction)-[:IMPOSED_BY]->(b)
RETURN u.name AS user, u.kind AS user_type, k.name AS chip, s.name AS sanction, b.name AS imposed_by
