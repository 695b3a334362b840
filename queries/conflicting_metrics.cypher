MATCH (c:Company)-[r:REPORTS_METRIC]->(m:MetricObservation), (c)-[r2:REPORTS_METRIC]->(m2:MetricObservation)
WHERE m.metric = m2.metric AND m.period = m2.period AND m.unit = m2.unit AND m.value <> m2.value
  AND any(a IN r.articles WHERE any(b IN r2.articles WHERE a <> b))
RETURN DISTINCT c.name AS company, m.metric AS metric, m.period AS period, m.unit AS unit, m.value AS value,
       r.sources AS sources
