MATCH (c:Company)-[r:REPORTS_METRIC]->(m:MetricObservation)
WHERE m.metric IS NOT NULL AND m.period IS NOT NULL AND m.unit IS NOT NULL AND m.value IS NOT NULL
WITH c, m.metric AS metric, m.period AS period, m.unit AS unit, collect({m: m, r: r}) AS obs
WHERE size(obs) > 1
UNWIND obs AS o1
UNWIND obs AS o2
WITH c, metric, period, unit, o1, o2
WHERE o1.m.value <> o2.m.value AND any(a IN o1.r.articles WHERE any(b IN o2.r.articles WHERE a <> b))
RETURN DISTINCT c.name AS company, metric, period, unit, o1.m.value AS value, o1.r.sources AS sources
