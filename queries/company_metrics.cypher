MATCH (c:Company)-[r:REPORTS_METRIC]->(m:MetricObservation)
WHERE c.name = $company
RETURN c.name AS company, m.metric AS metric, m.value AS value, m.unit AS unit, m.period AS period, r.sources AS sources
