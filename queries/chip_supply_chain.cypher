MATCH (x)-[r:DEVELOPS|MANUFACTURES|USES_CHIP]->(k:Chip)
RETURN k.name AS chip, r.predicate AS role, x.name AS party, x.kind AS party_type, r.sources AS sources
ORDER BY chip
