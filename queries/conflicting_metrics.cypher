MATCH (c:Company)-[r:REPORTS_METRIC]->(m:MetricObservation)
WHERE m.metric IS NOT NULL AND m.period IS NOT NULL AND m.unit IS NOT NULL AND m.value IS NOT NULL
WITH c, m.metric AS metric, m.period AS period, m.unit AS unit, collect({value: m.value, r: r}) AS rs,
     count(DISTINCT m.value) AS values
WHERE values > 1
UNWIND rs AS x
WITH c, metric, period, unit, collect(DISTINCT {value: x.value, sources: x.r.sources, articles: x.r.articles}) AS obs
UNWIND obs AS o1
WITH c, metric, period, unit, o1, obs
WHERE any(o2 IN obs WHERE o1.value <> o2.value AND any(a IN o1.articles WHERE any(b IN o2.articles WHERE a <> b)))
RETURN DISTINCT c.name AS company, metric, period, unit, o1.value AS value, o1.sources AS sources
