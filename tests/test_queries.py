"""Stored queries: the catalogue is complete, and every query gives the same rows on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import api
from kg import queries as catalogue

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
QUERIES = sorted(catalogue.catalogue())


@pytest.fixture(scope="module")
def workspace(examples_workspace: Path) -> Path:
    return examples_workspace


# Rows of every stored query on examples/articles with its example parameters (checked by hand against the
# annotation in examples/README.md). Extraction changes that alter them must update them here, deliberately.
EXPECTED = {'chief_executives': [('Alibaba Group', 'Eddie Wu', 2),
                      ('Baidu', 'Robin Li', 1),
                      ('ByteDance', 'Liang Rubo', 1),
                      ('Cambricon', 'Chen Tianshi', 1),
                      ('DeepSeek', 'Liang Wenfeng', 1),
                      ('Moonshot AI', 'Yang Zhilin', 1),
                      ('Nvidia', 'Jensen Huang', 1),
                      ('Tencent', 'Pony Ma', 1)],
 'chip_supply_chain': [('A100', 'develops', 'Nvidia', 'Company', 1),
                       ('Ascend 910B', 'develops', 'Huawei', 'Company', 1),
                       ('Ascend 910B', 'manufactures', 'SMIC', 'Company', 1),
                       ('Ascend 910B', 'usesChip', 'Huawei Cloud', 'Company', 1),
                       ('Ascend 910C', 'develops', 'Huawei', 'Company', 2),
                       ('Ascend 910C', 'manufactures', 'SMIC', 'Company', 1),
                       ('H100', 'develops', 'Nvidia', 'Company', 3),
                       ('H20', 'develops', 'Nvidia', 'Company', 3),
                       ('H20', 'manufactures', 'TSMC', 'Company', 1),
                       ('H20', 'usesChip', 'Alibaba Group', 'Company', 1),
                       ('H20', 'usesChip', 'ByteDance', 'Company', 2),
                       ('H800', 'develops', 'Nvidia', 'Company', 3),
                       ('H800', 'usesChip', 'DeepSeek', 'Company', 1),
                       ('H800', 'usesChip', 'DeepSeek-R1', 'AIModel', 2),
                       ('H800', 'usesChip', 'DeepSeek-V3', 'AIModel', 1),
                       ('H800', 'usesChip', 'Hunyuan T1', 'AIModel', 1),
                       ('H800', 'usesChip', 'Tencent', 'Company', 1),
                       ('Hanguang 800', 'develops', 'T-Head', 'Company', 1),
                       ('Instinct MI308', 'develops', 'AMD', 'Company', 1),
                       ('Kunlun P800', 'develops', 'Kunlunxin', 'Company', 1),
                       ('Kunlun P800', 'usesChip', 'Baidu AI Cloud', 'Company', 1),
                       ('MLU590', 'develops', 'Cambricon', 'Company', 2),
                       ('MLU590', 'manufactures', 'SMIC', 'Company', 1)],
 'chips_by_company': [('Nvidia', 'develops', 'A100', 1),
                      ('Nvidia', 'develops', 'H100', 3),
                      ('Nvidia', 'develops', 'H20', 3),
                      ('Nvidia', 'develops', 'H800', 3)],
 'companies_by_country': [('China', 'Alibaba Group', 1),
                          ('China', 'Baidu', 1),
                          ('China', 'ByteDance', 1),
                          ('China', 'Cambricon', 1),
                          ('China', 'DeepSeek', 1),
                          ('China', 'Huawei', 1),
                          ('China', 'Moonshot AI', 1),
                          ('China', 'SMIC', 1),
                          ('China', 'Tencent', 1),
                          ('China', 'Zhipu AI', 1)],
 'company_metrics': [('Alibaba Group', 'revenue', 34800000000, 'USD', '2025-Q3', 1),
                     ('Alibaba Group', 'revenue', 247800000000, 'CNY', '2025-Q3', 1),
                     ('Alibaba Group', 'revenue growth', 5, 'percent', '2025-Q3', 1)],
 'competitors': [('Baidu', 'Alibaba Group', 1), ('Baidu', 'ByteDance', 1), ('Baidu', 'Tencent', 1)],
 'conflicting_metrics': [('Alibaba Cloud', 'revenue', '2025-Q3', 'CNY', 39800000000, 1),
                         ('Alibaba Cloud', 'revenue', '2025-Q3', 'CNY', 39900000000, 1)],
 'corporate_tree': [('Alibaba Group', 'Alibaba Cloud', 'Alibaba Group', 2),
                    ('Alibaba Group', 'T-Head', 'Alibaba Group', 1)],
 'domestic_alternatives': [('Alibaba Group',
                            'US export controls on advanced chips',
                            'China',
                            'Ascend 910B',
                            'Huawei'),
                           ('Alibaba Group',
                            'US export controls on advanced chips',
                            'China',
                            'Ascend 910C',
                            'Huawei'),
                           ('Alibaba Group',
                            'US export controls on advanced chips',
                            'China',
                            'MLU590',
                            'Cambricon'),
                           ('ByteDance', 'US export controls on advanced chips', 'China', 'Ascend 910B', 'Huawei'),
                           ('ByteDance', 'US export controls on advanced chips', 'China', 'Ascend 910C', 'Huawei'),
                           ('ByteDance', 'US export controls on advanced chips', 'China', 'MLU590', 'Cambricon'),
                           ('Cambricon', 'Entity List', 'China', 'Ascend 910B', 'Huawei'),
                           ('Cambricon', 'Entity List', 'China', 'Ascend 910C', 'Huawei'),
                           ('DeepSeek', 'US export controls on advanced chips', 'China', 'Ascend 910B', 'Huawei'),
                           ('DeepSeek', 'US export controls on advanced chips', 'China', 'Ascend 910C', 'Huawei'),
                           ('DeepSeek', 'US export controls on advanced chips', 'China', 'MLU590', 'Cambricon'),
                           ('Huawei', 'Entity List', 'China', 'MLU590', 'Cambricon'),
                           ('SMIC', 'Entity List', 'China', 'Ascend 910B', 'Huawei'),
                           ('SMIC', 'Entity List', 'China', 'Ascend 910C', 'Huawei'),
                           ('SMIC', 'Entity List', 'China', 'MLU590', 'Cambricon'),
                           ('Tencent', 'US export controls on advanced chips', 'China', 'Ascend 910B', 'Huawei'),
                           ('Tencent', 'US export controls on advanced chips', 'China', 'Ascend 910C', 'Huawei'),
                           ('Tencent', 'US export controls on advanced chips', 'China', 'MLU590', 'Cambricon'),
                           ('Zhipu AI', 'Entity List', 'China', 'Ascend 910B', 'Huawei'),
                           ('Zhipu AI', 'Entity List', 'China', 'Ascend 910C', 'Huawei'),
                           ('Zhipu AI', 'Entity List', 'China', 'MLU590', 'Cambricon')],
 'entity_sources': [('DeepSeek',
                     '2025-01-16',
                     'US adds Zhipu AI to the Entity List',
                     'https://news.example.org/wire/2025/01/16/zhipu-entity-list'),
                    ('DeepSeek',
                     '2025-01-24',
                     "A Hangzhou start-up's reasoning model rattles the AI industry",
                     'https://news.example.org/2025/01/24/deepseek-r1-launch'),
                    ('DeepSeek',
                     '2025-07-14',
                     'Moonshot AI releases Kimi K2 as it chases DeepSeek',
                     'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2'),
                    ('DeepSeek',
                     '2025-08-14',
                     'Tencent raises AI spending as Hunyuan T1 joins the reasoning race',
                     'https://news.example.org/2025/08/14/tencent-hunyuan-second-quarter'),
                    ('DeepSeek',
                     None,
                     'Huawei bets on the Ascend 910C as SMIC stretches its 7nm lines',
                     'sha256:38c0ddb54bb5d4f9b561e7a57ba3d7fb')],
 'fact_sources': [('Moonshot AI',
                   'Yang Zhilin',
                   'ceoOf',
                   'Moonshot AI',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Moonshot AI',
                   'competesWith',
                   'DeepSeek',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Moonshot AI',
                   'competesWith',
                   'Zhipu AI',
                   '2025-01-16',
                   'https://news.example.org/wire/2025/01/16/zhipu-entity-list',
                   'US adds Zhipu AI to the Entity List'),
                  ('Moonshot AI',
                   'Moonshot AI',
                   'develops',
                   'Kimi',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Moonshot AI',
                   'develops',
                   'Kimi',
                   '2025-08-14',
                   'https://news.example.org/2025/08/14/tencent-hunyuan-second-quarter',
                   'Tencent raises AI spending as Hunyuan T1 joins the reasoning race'),
                  ('Moonshot AI',
                   'Moonshot AI',
                   'develops',
                   'Kimi K2',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Moonshot AI',
                   'headquarteredIn',
                   'China',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Alibaba Group',
                   'investsIn',
                   'Moonshot AI',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Alibaba Group',
                   'investsIn',
                   'Moonshot AI',
                   '2025-11-25',
                   'https://news.example.org/2025/11/25/alibaba-cloud-qwen-quarter',
                   'Alibaba Cloud sales grow 34% as companies build on Qwen'),
                  ('Moonshot AI',
                   'Tencent',
                   'investsIn',
                   'Moonshot AI',
                   '2025-07-14',
                   'https://news.example.org/chipdesk/2025/07/14/moonshot-kimi-k2',
                   'Moonshot AI releases Kimi K2 as it chases DeepSeek'),
                  ('Moonshot AI',
                   'Tencent',
                   'investsIn',
                   'Moonshot AI',
                   '2025-08-14',
                   'https://news.example.org/2025/08/14/tencent-hunyuan-second-quarter',
                   'Tencent raises AI spending as Hunyuan T1 joins the reasoning race')],
 'facts_since': [('Alibaba Cloud', 'competesWith', 'Baidu AI Cloud', '2025-11-25', 1),
                 ('Alibaba Cloud', 'competesWith', 'Huawei Cloud', '2025-11-25', 1),
                 ('Alibaba Cloud', 'competesWith', 'Tencent Cloud', '2025-11-25', 1),
                 ('Alibaba Cloud', 'develops', 'Qwen3', '2025-11-25', 2),
                 ('Alibaba Cloud', 'subsidiaryOf', 'Alibaba Group', '2025-11-25', 2),
                 ('Alibaba Group', 'develops', 'Qwen', '2025-11-25', 2),
                 ('Alibaba Group', 'headquarteredIn', 'China', '2025-11-25', 1),
                 ('Alibaba Group', 'partnersWith', 'Apple', '2025-11-25', 2),
                 ('Apple', 'partnersWith', 'Alibaba Group', '2025-11-25', 2),
                 ('Baidu AI Cloud', 'competesWith', 'Alibaba Cloud', '2025-11-25', 1),
                 ('Eddie Wu', 'ceoOf', 'Alibaba Group', '2025-11-25', 2),
                 ('Huawei Cloud', 'competesWith', 'Alibaba Cloud', '2025-11-25', 1),
                 ('T-Head', 'develops', 'Hanguang 800', '2025-11-25', 1),
                 ('T-Head', 'subsidiaryOf', 'Alibaba Group', '2025-11-25', 1),
                 ('Tencent Cloud', 'competesWith', 'Alibaba Cloud', '2025-11-25', 1)],
 'metric_timeline': [('Alibaba Cloud', 'revenue', '2025-Q3', 39800000000, 'CNY', '2025-11-25', 1),
                     ('Alibaba Cloud', 'revenue', '2025-Q3', 39900000000, 'CNY', '2025-11-27', 1),
                     ('Alibaba Cloud', 'revenue growth', '2025-Q3', 34, 'percent', '2025-11-25', 2)],
 'models_by_company': [('Alibaba Group', 'Qwen', 2)],
 'most_connected': [('Alibaba Cloud', 'Company', 6),
                    ('Alibaba Group', 'Company', 11),
                    ('Baidu', 'Company', 9),
                    ('ByteDance', 'Company', 10),
                    ('Cambricon', 'Company', 6),
                    ('China', 'Country', 10),
                    ('DeepSeek', 'Company', 9),
                    ('H800', 'Chip', 7),
                    ('Huawei', 'Company', 6),
                    ('Moonshot AI', 'Company', 8),
                    ('Nvidia', 'Company', 7),
                    ('Tencent', 'Company', 12),
                    ('Zhipu AI', 'Company', 7)],
 'orphans': [('Person', 'Martin Lau', 1), ('Person', 'Zhang Yiming', 1)],
 'partners_and_investments': [('Alibaba Group', 'investsIn', 'Moonshot AI', 2),
                              ('Alibaba Group', 'investsIn', 'Zhipu AI', 2),
                              ('Alibaba Group', 'partnersWith', 'Apple', 2)],
 'rivals_sharing_supplier': [('Alibaba Group', 'Tencent', 'Nvidia', 'H20', 'H800'),
                             ('ByteDance', 'DeepSeek', 'Nvidia', 'H20', 'H800'),
                             ('ByteDance', 'Tencent', 'Nvidia', 'H20', 'H800'),
                             ('DeepSeek', 'ByteDance', 'Nvidia', 'H800', 'H20'),
                             ('Tencent', 'Alibaba Group', 'Nvidia', 'H800', 'H20'),
                             ('Tencent', 'ByteDance', 'Nvidia', 'H800', 'H20')],
 'sanction_exposure': [('Alibaba Group',
                        'Company',
                        'H20',
                        'US export controls on advanced chips',
                        'United States'),
                       ('ByteDance', 'Company', 'H20', 'US export controls on advanced chips', 'United States'),
                       ('DeepSeek', 'Company', 'H800', 'US export controls on advanced chips', 'United States'),
                       ('DeepSeek-R1', 'AIModel', 'H800', 'US export controls on advanced chips', 'United States'),
                       ('DeepSeek-V3', 'AIModel', 'H800', 'US export controls on advanced chips', 'United States'),
                       ('Hunyuan T1', 'AIModel', 'H800', 'US export controls on advanced chips', 'United States'),
                       ('Tencent', 'Company', 'H800', 'US export controls on advanced chips', 'United States')],
 'sanctioned_entities': [('Cambricon', 'Company', 'Entity List', 'US Department of Commerce', 1),
                         ('Huawei', 'Company', 'Entity List', 'US Department of Commerce', 1),
                         ('SMIC', 'Company', 'Entity List', 'US Department of Commerce', 1),
                         ('Zhipu AI', 'Company', 'Entity List', 'US Department of Commerce', 1),
                         ('H20', 'Chip', 'US export controls on advanced chips', 'United States', 1),
                         ('H800', 'Chip', 'US export controls on advanced chips', 'United States', 1),
                         ('Instinct MI308', 'Chip', 'US export controls on advanced chips', 'United States', 1)],
 'subsidiaries': [('Alibaba Group', 'Alibaba Cloud', 2),
                  ('Alibaba Group', 'T-Head', 1),
                  ('Baidu', 'Baidu AI Cloud', 1),
                  ('Baidu', 'Kunlunxin', 1),
                  ('ByteDance', 'Volcano Engine', 1),
                  ('Huawei', 'Huawei Cloud', 1),
                  ('Tencent', 'Tencent Cloud', 1)]}


def example_params(name: str) -> dict[str, object]:
    return {p.name: p.example for p in catalogue.get(name).params}


def test_catalogue_is_complete() -> None:
    assert len(QUERIES) >= 8
    for name in QUERIES:
        q = catalogue.get(name)
        assert q.description and q.columns and q.backends
        assert "rdf" in q.backends and "neo4j" in q.backends
        for p in q.params:
            assert p.description and p.example is not None
            assert f"${p.name}" in q.cypher, f"{name}: Cypher does not use ${p.name}"
            assert f"?{p.name}" in q.sparql, f"{name}: SPARQL does not use ?{p.name}"


@pytest.mark.parametrize("name", QUERIES)
def test_same_rows_on_rdf_and_networkx(workspace: Path, name: str) -> None:
    params = example_params(name)
    rdf = api.run_query(name, params, "rdf", workspace)
    assert rdf, f"{name} returns no rows on the examples"
    if "networkx" in catalogue.get(name).backends:
        assert api.run_query(name, params, "networkx", workspace) == rdf


def test_at_least_ten_queries_run_on_networkx() -> None:
    assert sum("networkx" in catalogue.get(n).backends for n in QUERIES) >= 10


@pytest.mark.parametrize("name", QUERIES)
def test_expected_rows_on_examples(workspace: Path, name: str) -> None:
    rows = api.run_query(name, example_params(name), "rdf", workspace)
    assert [tuple(r.values()) for r in rows] == EXPECTED[name]
    assert all(list(r) == list(catalogue.get(name).columns) for r in rows)


def test_every_query_has_expected_rows() -> None:
    assert set(EXPECTED) == set(QUERIES)


@pytest.mark.parametrize("value", ['"}) DETACH DELETE n //', '" . } DROP ALL #', "\\\"; MATCH (n) DETACH DELETE n"])
def test_injection_strings_are_only_values(workspace: Path, value: str) -> None:
    from kg.names import UnknownName
    from kg.project import to_networkx
    from kg.store import Workspace

    before = api.property_graph(workspace)
    q = catalogue.get("competitors")
    for backend in ("rdf", "networkx"):
        with pytest.raises(UnknownName):  # the name is looked up first, itself a bound query: it names nothing
            api.run_query("competitors", {"company": value}, backend, workspace)
    bound = q.bind({"company": value})  # and the stored query itself, with the value bound, finds nothing
    with Workspace.open(workspace, read_only=True) as ws:
        assert ws.query(q.sparql, bound) == []
    assert api.run_cypher_networkx(to_networkx(before), catalogue.inline_params(q.cypher_for("networkx"), bound)) == []
    after = api.property_graph(workspace)
    assert len(after.nodes) == len(before.nodes) and len(after.rels) == len(before.rels)


def test_parameter_types_are_checked() -> None:
    q = catalogue.StoredQuery("t", "d", (catalogue.Param("n", "a number", 3, "integer"),), ("rdf",), "", "",
                              ("n",))
    with pytest.raises(catalogue.QueryError, match="must be an integer"):
        q.bind({"n": "three"})
    assert q.bind({"n": "3"}) == {"n": 3}


@pytest.mark.parametrize("label", ['Say "hi" \\ Co', "Two\nlines\r\tend", "Baidu' OR 1=1 --", "北京智谱 AI",
                                   " } ; CLEAR ALL #"])
def test_bound_values_match_awkward_strings_exactly(label: str) -> None:
    """Parameters go into the query text as serialised RDF terms (a VALUES row): escaping must round-trip."""
    import pyoxigraph as ox

    from kg.store import Workspace

    ws = Workspace.in_memory()
    graph = ox.NamedNode("https://cikg.dev/article/t")
    for i, text in enumerate([label, label + "x", "plain"]):
        ws.store.add(ox.Quad(ox.NamedNode(f"https://cikg.dev/id/e{i}"),
                             ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(text), graph))
    rows = ws.query("SELECT ?l ?e ?n WHERE { ?e rdfs:label ?l }", {"l": label, "n": 3})
    assert rows == [{"l": label, "e": "https://cikg.dev/id/e0", "n": 3}]
