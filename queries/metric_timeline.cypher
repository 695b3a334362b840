MATCH (c:Company)-[r:REPORTS_METRIC]->(m:MetricObservation)
WHERE c.name = $company
RETURN c.name AS company, m.metric AS metric, m.period AS period, m.value AS value, m.unit AS unit,
       r.first_reported AS first_reported, r.sources AS sources
