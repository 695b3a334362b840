MATCH (c:Company)-[r:PARTNERS_WITH|INVESTS_IN]->(o:Company)
WHERE c.name = $company
RETURN c.name AS company, r.predicate AS relation, o.name AS other, r.sources AS sources
