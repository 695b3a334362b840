"""Stored queries: the catalogue is complete, every query gives the same rows on every backend, and on the example
articles each answers the rows the articles state and none of the traps they set."""

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


# --- expected rows, written from the example articles -------------------------------------------------------
#
# Each row is what a stored query (run with its example parameters) must or must not answer on the examples
# workspace, with the sentence it comes from (examples/articles; examples/README.md annotates every fact).
# A row is a subset of the query's columns: a result row matches when those columns hold those values (a
# symmetric fact, competesWith or partnersWith, matches either way round). PRESENT rows must be found, ABSENT
# rows (the annotation's traps, and facts first reported before a date) must not; EXACT gives the whole answer
# where the articles determine all of it, and nothing incidental (another wording, a new fact found elsewhere)
# could rightly add a row. Article ids made from a hash (the undated text file's) are never written here.
#
# KNOWN rows are wrong today because extraction gets the fact wrong (issue 13 owns it), each with the reason:
# strict xfail, so that when extraction is fixed the row passes, the test reports XPASS as a failure, and the
# mark is removed here, leaving the row to guard the fix.

UNDATED_INGESTED = "2025-12-01"  # the undated article's day: tests/conftest.py ingests the examples with this now=


def row(query: str, reason: str, known: str | None = None, **values: object) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"extraction today: {known}")] if known else []
    shown = "/".join(f"{k}~" if callable(v) else str(v) for k, v in values.items())
    return pytest.param(query, values, reason, marks=marks, id=f"{query}:{shown}")


PRESENT = [
    # chief_executives: "X, Y's chief executive, ..." in every article that names one
    row("chief_executives", 'alibaba-qwen-cloud.md and wire #2: "Eddie Wu, Alibaba\'s chief executive, ..."',
        company="Alibaba Group", ceo="Eddie Wu", sources=2),
    row("chief_executives", 'wire #1: "Robin Li, Baidu\'s chief executive, said ..."', company="Baidu", ceo="Robin Li"),
    row("chief_executives", 'chip-feed #3: "Liang Rubo, ByteDance\'s chief executive, told staff ..."',
        company="ByteDance", ceo="Liang Rubo"),
    row("chief_executives", 'chip-feed #1: "Chen Tianshi, Cambricon\'s chief executive, said ..."',
        company="Cambricon", ceo="Chen Tianshi"),
    row("chief_executives", 'deepseek-r1-launch.md: "Liang Wenfeng, DeepSeek\'s founder and chief executive, ..."',
        company="DeepSeek", ceo="Liang Wenfeng"),
    row("chief_executives", 'chip-feed #2: "Yang Zhilin, Moonshot AI\'s founder and chief executive, ..."',
        company="Moonshot AI", ceo="Yang Zhilin"),
    row("chief_executives", 'nvidia-h20-export-rules.html: "Jensen Huang, Nvidia\'s chief executive, ..."',
        company="Nvidia", ceo="Jensen Huang"),
    row("chief_executives", 'tencent-hunyuan.md: "Pony Ma, Tencent\'s chief executive, told staff ..."',
        company="Tencent", ceo="Pony Ma"),
    # chip_supply_chain: who designs, fabricates and uses each chip
    row("chip_supply_chain", 'nvidia html: "The H20 is fabricated by TSMC."', chip="H20", role="manufactures",
        party="TSMC"),
    row("chip_supply_chain", 'huawei-ascend-smic.txt: "Both the Ascend 910B and the Ascend 910C are fabricated by '
        'SMIC"', chip="Ascend 910C", role="manufactures", party="SMIC"),
    row("chip_supply_chain", 'chip-feed #1: "Cambricon\'s MLU590 accelerators are produced by SMIC"', chip="MLU590",
        role="manufactures", party="SMIC"),
    row("chip_supply_chain", 'nvidia html: "Cambricon would sell its MLU590 chips"; chip-feed #1: "Cambricon\'s '
        'MLU590"', chip="MLU590", role="develops", party="Cambricon", sources=2),
    row("chip_supply_chain", 'alibaba-qwen-cloud.md: "T-Head, the chip design unit of Alibaba Group, developed the '
        'Hanguang 800"', chip="Hanguang 800", role="develops", party="T-Head"),
    row("chip_supply_chain", 'deepseek-r1-launch.md: "Both DeepSeek-V3 and DeepSeek-R1 were trained on Nvidia H800 '
        'chips"; chip-feed #2: "whose DeepSeek-R1 model was trained on Nvidia H800 chips"', chip="H800",
        role="usesChip", party="DeepSeek-R1", party_type="AIModel", sources=2),
    row("chip_supply_chain", 'tencent-hunyuan.md: "Hunyuan T1 was trained on Nvidia H800 chips"', chip="H800",
        role="usesChip", party="Hunyuan T1", party_type="AIModel"),
    row("chip_supply_chain", 'wire #1: "Baidu AI Cloud has deployed Kunlun P800 chips"', chip="Kunlun P800",
        role="usesChip", party="Baidu AI Cloud"),
    row("chip_supply_chain", 'nvidia html: "ByteDance and Alibaba Group were among the biggest buyers of the H20 ... '
        'both used the chips"', chip="H20", role="usesChip",
        party="Alibaba Group"),
    # companies_by_country: nationality words and "based in" give headquarteredIn; cities and listings do not
    row("companies_by_country", 'alibaba-qwen-cloud.md: "The Chinese e-commerce group"', company="Alibaba Group"),
    row("companies_by_country", 'wire #1: "the Chinese search company"', company="Baidu"),
    row("companies_by_country", 'chip-feed #3: "ByteDance, the Chinese internet company"', company="ByteDance"),
    row("companies_by_country", 'deepseek-r1-launch.md: "DeepSeek, a Chinese start-up based in Hangzhou"',
        company="DeepSeek"),
    row("companies_by_country", 'huawei-ascend-smic.txt: "Huawei, the Chinese telecoms equipment maker"',
        company="Huawei"),
    row("companies_by_country", 'huawei-ascend-smic.txt: "SMIC, the Chinese foundry"', company="SMIC"),
    row("companies_by_country", 'tencent-hunyuan.md: "The Chinese internet group"', company="Tencent"),
    row("companies_by_country", 'wire #3: "the Chinese start-up supports ..." (Zhipu AI)', company="Zhipu AI"),
    row("companies_by_country", 'chip-feed #1: "Cambricon, an AI chip designer based in China"',
        company="Cambricon"),
    row("companies_by_country", 'chip-feed #2: "Moonshot AI, a start-up based in China"',
        company="Moonshot AI"),
    # domestic_alternatives: a company under a sanction, and chips designed by another company of its country not
    # under it: SMIC and Zhipu AI are on the Entity List; Huawei (China) develops the Ascend chips, which are under
    # the export controls, not the Entity List
    row("domestic_alternatives", "huawei-ascend-smic.txt: SMIC on the Entity List; Huawei develops the Ascend 910B",
        company="SMIC", sanction="Entity List", country="China", alternative="Ascend 910B", supplier="Huawei"),
    row("domestic_alternatives", 'wire #3: "Zhipu AI was added to the Entity List"; Huawei\'s Ascend 910C',
        company="Zhipu AI", sanction="Entity List", alternative="Ascend 910C", supplier="Huawei"),
    row("domestic_alternatives", "chip-feed #1: Cambricon, based in China, develops the MLU590, not on the Entity List",
        company="SMIC", alternative="MLU590",
        supplier="Cambricon"),
    # facts_at: at 2020-06-01 the role that ended in 2021 still held, from a start the text does not give
    row("facts_at", 'chip-feed #3: "Zhang Yiming, who founded ByteDance and stepped down as chief executive in '
        '2021"', subject="Zhang Yiming", predicate="ceoOf", object="ByteDance", held_from=""),
    # entity_sources: every article that mentions DeepSeek (DeepSeek-R1 names its maker too)
    row("entity_sources", "deepseek-r1-launch.md", date="2025-01-24",
        title="A Hangzhou start-up's reasoning model rattles the AI industry"),
    row("entity_sources", 'wire #3: "Zhipu AI competes with Moonshot AI and DeepSeek."', date="2025-01-16",
        title="US adds Zhipu AI to the Entity List"),
    row("entity_sources", 'chip-feed #2: "Moonshot AI competes with DeepSeek"', date="2025-07-14",
        title="Moonshot AI releases Kimi K2 as it chases DeepSeek"),
    row("entity_sources", 'tencent-hunyuan.md: "also hosts DeepSeek-R1"', date="2025-08-14",
        title="Tencent raises AI spending as Hunyuan T1 joins the reasoning race"),
    row("entity_sources", 'huawei-ascend-smic.txt (undated): "runs DeepSeek-R1 on Ascend 910B chips"', date=None,
        title="Huawei bets on the Ascend 910C as SMIC stretches its 7nm lines"),
    # fact_sources: each fact about Moonshot AI with each article stating it
    row("fact_sources", 'chip-feed #2: "Yang Zhilin, Moonshot AI\'s founder and chief executive"',
        subject="Yang Zhilin", predicate="ceoOf", object="Moonshot AI", date="2025-07-14"),
    row("fact_sources", 'wire #3: "Zhipu AI competes with Moonshot AI and DeepSeek."', subject="Zhipu AI",
        predicate="competesWith", object="Moonshot AI", date="2025-01-16"),
    row("fact_sources", 'chip-feed #2: "Moonshot AI competes with DeepSeek"', subject="Moonshot AI",
        predicate="competesWith", object="DeepSeek", date="2025-07-14"),
    row("fact_sources", 'chip-feed #2: "Alibaba Group is the largest investor in Moonshot AI"',
        subject="Alibaba Group", predicate="investsIn", object="Moonshot AI", date="2025-07-14"),
    row("fact_sources", 'alibaba-qwen-cloud.md: "Alibaba Group has also invested in Moonshot AI and Zhipu AI"',
        subject="Alibaba Group", predicate="investsIn", object="Moonshot AI", date="2025-11-25"),
    row("fact_sources", 'tencent-hunyuan.md: "Tencent has invested in Moonshot AI"', subject="Tencent",
        predicate="investsIn", object="Moonshot AI", date="2025-08-14"),
    row("fact_sources", 'chip-feed #2: "Moonshot AI, a start-up based in China, released Kimi K2"',
        subject="Moonshot AI", predicate="develops", object="Kimi K2", date="2025-07-14"),
    row("fact_sources", 'tencent-hunyuan.md: "Moonshot AI, the developer of the Kimi chatbot"',
        subject="Moonshot AI", predicate="develops", object="Kimi", date="2025-08-14"),
    # facts_since 2025-11-01: the earliest article stating a fact dates it; the undated article counts from the day
    # it was ingested (UNDATED_INGESTED)
    row("facts_since", 'alibaba-qwen-cloud.md (2025-11-25) and wire #2 (2025-11-27): "Alibaba Group has partnered '
        'with Apple"', subject="Alibaba Group", predicate="partnersWith", object="Apple",
        first_reported="2025-11-25", sources=2),
    row("facts_since", 'alibaba-qwen-cloud.md: "Qwen3, was released by Alibaba Cloud"; wire #2: "its Qwen3 models"',
        subject="Alibaba Cloud", predicate="develops", object="Qwen3", first_reported="2025-11-25", sources=2),
    row("facts_since", 'alibaba-qwen-cloud.md: "T-Head ... developed the Hanguang 800"', subject="T-Head",
        predicate="develops", object="Hanguang 800", first_reported="2025-11-25"),
    row("facts_since", 'alibaba-qwen-cloud.md: "Alibaba Cloud competes with Huawei Cloud, Tencent Cloud and Baidu AI '
        'Cloud"', subject="Alibaba Cloud", predicate="competesWith", object="Huawei Cloud",
        first_reported="2025-11-25"),
    row("facts_since", 'huawei-ascend-smic.txt (undated, only there): "... the Ascend 910C are fabricated by SMIC"',
        subject="SMIC", predicate="manufactures", object="Ascend 910C", first_reported=UNDATED_INGESTED),
    row("facts_since", 'huawei-ascend-smic.txt (undated): "Huawei Cloud ... runs DeepSeek-R1 on Ascend 910B chips"',
        subject="Huawei Cloud", predicate="usesChip", object="Ascend 910B", first_reported=UNDATED_INGESTED),
    row("facts_since", 'huawei-ascend-smic.txt (undated): "Huawei ... was added to the Entity List"',
        subject="Huawei", predicate="subjectTo", object="Entity List", first_reported=UNDATED_INGESTED),
    # metric_timeline: Alibaba Cloud's numbers by period, the conflicting revenue of two articles kept apart
    row("metric_timeline", 'alibaba-qwen-cloud.md: "grew 34% to RMB 39.8 billion in the quarter ended September 30, '
        '2025"', metric="revenue", period="2025-Q3", value=39_800_000_000, unit="CNY", first_reported="2025-11-25"),
    row("metric_timeline", 'wire #2 (2025-11-27): "had revenue of RMB 39.9 billion in the quarter ended September 30, '
        '2025"', metric="revenue", period="2025-Q3", value=39_900_000_000, unit="CNY", first_reported="2025-11-27"),
    row("metric_timeline", 'alibaba-qwen-cloud.md: "grew 34%"; wire #2: "up 34% from a year earlier"',
        metric="revenue growth", period="2025-Q3", value=34, unit="percent", first_reported="2025-11-25"),
    row("metric_timeline", "the same 34% growth in both articles is one row with two sources",
        metric="revenue growth", value=34, sources=2),
    # most_connected: Baidu's nine neighbours all come from wire #1 (China, Baidu AI Cloud, Robin Li, Ernie Bot,
    # Kunlunxin, Alibaba Group, Tencent, ByteDance, Samsung Electronics)
    row("most_connected", "wire #1, nine facts about Baidu with nine other entities", entity="Baidu", type="Company",
        degree=9),
    row("most_connected", "Tencent: China, Hunyuan, Hunyuan T1, Yuanbao, Pony Ma, H800, Tencent Cloud, ByteDance, "
        "Alibaba Group, Moonshot AI, Zhipu AI, Baidu (at least six)", entity="Tencent", type="Company"),
    row("most_connected", "China: the country of ten companies", entity="China", type="Country"),
    # orphans: a person only mentioned, no fact linking them
    row("orphans", 'tencent-hunyuan.md: "Martin Lau, Tencent\'s president" (a president is no ceoOf)',
        entity="Martin Lau", mentions=1),
    row("orphans", 'chip-feed #3: "Zhang Yiming, who founded ByteDance and stepped down as chief executive in 2021"',
        entity="Zhang Yiming"),
    # rivals_sharing_supplier: rivals whose chips come from one supplier
    row("rivals_sharing_supplier", 'deepseek-r1-launch.md: "DeepSeek competes with ByteDance"; DeepSeek\'s H800, '
        "ByteDance's H20, both Nvidia's", company="DeepSeek", rival="ByteDance", supplier="Nvidia",
        company_chip="H800", rival_chip="H20"),
    row("rivals_sharing_supplier", 'tencent-hunyuan.md: "Tencent competes with ByteDance and Alibaba"; Tencent\'s '
        "H800, Alibaba Group's H20 (nvidia html)", company="Tencent", rival="Alibaba Group", supplier="Nvidia"),
    # sanction_exposure: users of chips under a sanction, and who imposes it
    row("sanction_exposure", 'chip-feed #3: "ByteDance was one of the largest buyers of Nvidia H20 chips"; nvidia '
        'html: "Now the H20 is subject to US export controls too", "export controls imposed by the United States"',
        user="ByteDance", chip="H20", sanction="US export controls on advanced chips", imposed_by="United States"),
    row("sanction_exposure", 'huawei-ascend-smic.txt: "Huawei Cloud ... runs DeepSeek-R1 on Ascend 910B chips", '
        '"the Bureau of Industry and Security, which imposes US export controls"', user="Huawei Cloud",
        chip="Ascend 910B", imposed_by="Bureau of Industry and Security"),
    row("sanction_exposure", 'deepseek-r1-launch.md: "The H800 became subject to US export controls in October 2023"',
        user="DeepSeek-R1", chip="H800"),
    row("sanction_exposure", 'tencent-hunyuan.md: "Hunyuan T1 was trained on Nvidia H800 chips"',
        user="Tencent", chip="H800"),
    row("sanction_exposure", 'nvidia html: "a licence requirement imposed by the US Commerce Department"',
        known="the Commerce Department's licence requirement is not read as imposing the controls", user="ByteDance",
        chip="H20", imposed_by="US Department of Commerce"),
    # sanctioned_entities: what is under which sanction, imposed by whom
    row("sanctioned_entities", 'huawei-ascend-smic.txt: "was added to the Entity List by the US Commerce Department"',
        entity="Huawei", sanction="Entity List", imposed_by="US Department of Commerce"),
    row("sanctioned_entities", 'wire #3: "Zhipu AI was added to the Entity List by the US Commerce Department"',
        entity="Zhipu AI", sanction="Entity List", imposed_by="US Department of Commerce"),
    row("sanctioned_entities", 'chip-feed #1: "Cambricon was added to the Entity List by the US Commerce Department"',
        entity="Cambricon", sanction="Entity List", imposed_by="US Department of Commerce"),
    row("sanctioned_entities", 'huawei-ascend-smic.txt: "SMIC was placed on the Entity List in December 2020."',
        entity="SMIC", entity_type="Company", sanction="Entity List"),
    row("sanctioned_entities", 'nvidia html: "Now the H20 is subject to US export controls too"', entity="H20",
        entity_type="Chip", sanction="US export controls on advanced chips", imposed_by="United States"),
    row("sanctioned_entities", 'huawei-ascend-smic.txt: "said that the Ascend 910B and the Ascend 910C are subject to '
        'US export controls"', entity="Ascend 910B", sanction="US export controls on advanced chips"),
    row("sanctioned_entities", 'deepseek-r1-launch.md: "The H800 became subject to US export controls"',
        entity="H800"),
    row("sanctioned_entities", 'nvidia html: "makes AMD\'s Instinct MI308 accelerator subject to US export controls"',
        known="Instinct MI308 subjectTo US export controls is not found", entity="Instinct MI308"),
]

ABSENT = [
    # facts_at: at 2020-06-01 nothing first reported in 2025 held yet
    row("facts_at", 'chip-feed #3: "Liang Rubo, ByteDance\'s chief executive" (an article of 2025)',
        subject="Liang Rubo", predicate="ceoOf"),
    row("chief_executives", 'tencent-hunyuan.md: "Martin Lau, Tencent\'s president" is not its chief executive',
        company="Tencent", ceo="Martin Lau"),
    row("chief_executives", 'deepseek-r1-launch.md: "He also co-founded High-Flyer" (co-founder, not chief executive)',
        company="High-Flyer"),
    row("chief_executives", 'chip-feed #3: "Zhang Yiming, who ... stepped down as chief executive in 2021"',
        company="ByteDance", ceo="Zhang Yiming"),
    row("chip_supply_chain", 'alibaba-qwen-cloud.md: T-Head, the unit, developed the Hanguang 800, not Alibaba Group',
        chip="Hanguang 800", role="develops", party="Alibaba Group"),
    row("chip_supply_chain", 'tencent-hunyuan.md: "Tencent denied a media report that it had placed large new orders '
        'for Nvidia\'s H20 chips"', chip="H20", role="usesChip", party="Tencent"),
    row("chip_supply_chain", 'nvidia html: "If the rules were extended ..., Cambricon would sell its MLU590 chips to '
        'ByteDance"', chip="MLU590", role="usesChip", party="ByteDance"),
    row("chip_supply_chain", 'chip-feed #3: "ByteDance did not confirm reports that it had ordered Huawei\'s Ascend '
        '910C"', chip="Ascend 910C", role="usesChip", party="ByteDance"),
    row("chip_supply_chain", 'huawei-ascend-smic.txt: "Analysts speculate that ByteDance could use Ascend chips"',
        role="usesChip", party="ByteDance", chip="Ascend 910B"),
    row("chip_supply_chain", 'huawei-ascend-smic.txt: SMIC fabricates the Ascend chips, Huawei does not',
        role="manufactures", party="Huawei"),
    row("chip_supply_chain", 'deepseek-r1-launch.md: "The H800 is a cut-down version of Nvidia\'s H100": no one '
        "uses the H100 there", chip="H100", role="usesChip", party="DeepSeek"),
    row("chip_supply_chain", 'wire #3: "which will make it harder for Zhipu to buy Nvidia H100 chips"',
        known="'harder to buy' is read as using the chips", chip="H100", role="usesChip", party="Zhipu AI"),
    row("chips_by_company", 'nvidia html: "AMD\'s Instinct MI308" follows "competes with Nvidia": AMD\'s chip',
        chip="Instinct MI308"),
    row("companies_by_country", 'nvidia html: "Nvidia, the US chipmaker"', company="Nvidia"),
    row("companies_by_country", 'huawei-ascend-smic.txt: "ASML, the Dutch company"', company="ASML"),
    row("domestic_alternatives", "a company's own chips are no alternative for it", company="Huawei",
        supplier="Huawei"),
    row("entity_sources", "alibaba-qwen-cloud.md never names DeepSeek", date="2025-11-25"),
    row("fact_sources", 'chip-feed #2: "Kimi K2 matches GPT-4o on coding tests" (a benchmark, no relation)',
        object="GPT-4o"),
    row("fact_sources", 'chip-feed #2: "Moonshot did not say which chips it used to train Kimi K2"',
        predicate="usesChip"),
    row("facts_since", "Huawei develops Ascend 910C is stated by the undated article and by chip-feed #3 "
        "(2025-04-02): first reported before 2025-11-01", subject="Huawei", predicate="develops", object="Ascend 910C"),
    row("facts_since", 'alibaba-qwen-cloud.md restates "Alibaba Group has also invested in Moonshot AI", first '
        "reported in chip-feed #2 (2025-07-14)", subject="Alibaba Group", predicate="investsIn", object="Moonshot AI"),
    row("facts_since", "Cambricon competesWith Huawei: the undated article, and chip-feed #1 (2025-10-20) first",
        subject="Cambricon", predicate="competesWith", object="Huawei"),
    row("facts_since", 'tencent-hunyuan.md: Tencent Cloud "hosts DeepSeek-R1" and sells access to Hunyuan: it '
        "develops neither", subject="Tencent Cloud", predicate="develops"),
    row("facts_since", 'huawei-ascend-smic.txt: "Huawei Cloud ... runs DeepSeek-R1": running a model is not '
        "developing it", known="'runs DeepSeek-R1 on Ascend 910B chips' gives Huawei Cloud develops DeepSeek-R1",
        subject="Huawei Cloud", predicate="develops", object="DeepSeek-R1"),
    row("metric_timeline", 'wire #2: "up 34% from a year earlier" is revenue growth, not revenue in percent',
        metric="revenue", unit="percent"),
    row("metric_timeline", 'the headline "Alibaba Cloud sales grow 34%" names no metric of its own',
        metric="Alibaba Cloud sales growth"),
    row("models_by_company", 'alibaba-qwen-cloud.md: "Qwen3, was released by Alibaba Cloud" (the unit, not the '
        "group)", model="Qwen3"),
    row("orphans", 'wire #1: "Robin Li, Baidu\'s chief executive" links him to Baidu', entity="Robin Li"),
    row("rivals_sharing_supplier", 'wire #3: no article says Zhipu AI uses the H100 ("harder ... to buy")',
        known="'harder to buy' is read as using the chips", company="DeepSeek", rival="Zhipu AI"),
    row("sanction_exposure", 'tencent-hunyuan.md: the H20 orders were denied', user="Tencent", chip="H20"),
    row("sanction_exposure", 'chip-feed #3: the Ascend 910C order was not confirmed', user="ByteDance",
        chip="Ascend 910C"),
    row("sanctioned_entities", 'wire #3: "China\'s Ministry of Commerce criticised the decision" imposes nothing',
        imposed_by=lambda v: "Ministry of Commerce" in str(v)),
    row("sanctioned_entities", "the Entity List is the US Commerce Department's (every article that names an "
        "imposer says so), not a listing by the United States at large",
        known="'US' before the Commerce Department is read as a second imposer", entity="Huawei",
        sanction="Entity List", imposed_by="United States"),
]

# whole answers the articles determine, each row from the annotation (examples/README.md), sources included
EXACT = {
    # wire #1: "Baidu competes with Alibaba, Tencent and ByteDance in AI services." (no other article names a rival
    # of Baidu itself: Baidu AI Cloud is the cloud unit)
    "competitors": [("Baidu", "Alibaba Group", 1), ("Baidu", "ByteDance", 1), ("Baidu", "Tencent", 1)],
    # Nvidia develops the H800 (deepseek-r1, tencent-hunyuan, chip-feed #2: "Nvidia H800 chips"), the H100
    # (deepseek-r1, nvidia html, wire #3), the H20 (tencent-hunyuan, nvidia html, chip-feed #3) and the A100
    # (nvidia html: "its H100 and A100 chips")
    "chips_by_company": [("Nvidia", "develops", "A100", 1), ("Nvidia", "develops", "H100", 3),
                         ("Nvidia", "develops", "H20", 3), ("Nvidia", "develops", "H800", 3)],
    # alibaba-qwen-cloud.md: "Alibaba Group's revenue rose 5% to RMB 247.8 billion (US$34.8 billion) in the quarter
    # ended September 30, 2025."
    "company_metrics": [("Alibaba Group", "revenue", 34_800_000_000, "USD", "2025-Q3", 1),
                        ("Alibaba Group", "revenue", 247_800_000_000, "CNY", "2025-Q3", 1),
                        ("Alibaba Group", "revenue growth", 5, "percent", "2025-Q3", 1)],
    # RMB 39.8 billion (alibaba-qwen-cloud.md) against RMB 39.9 billion (wire #2) for the same quarter
    "conflicting_metrics": [("Alibaba Cloud", "revenue", "2025-Q3", "CNY", 39_800_000_000, 1),
                            ("Alibaba Cloud", "revenue", "2025-Q3", "CNY", 39_900_000_000, 1)],
    # "Alibaba Cloud, the cloud computing unit of Alibaba Group" (alibaba-qwen-cloud.md, wire #2); "T-Head, the chip
    # design unit of Alibaba Group"
    "corporate_tree": [("Alibaba Group", "Alibaba Cloud", "Alibaba Group", 2),
                       ("Alibaba Group", "T-Head", "Alibaba Group", 1)],
    # "Alibaba's Qwen models" (alibaba-qwen-cloud.md), "Alibaba's Qwen models" (wire #2); Qwen3 is Alibaba Cloud's
    "models_by_company": [("Alibaba Group", "Qwen", 2)],
    # investsIn Moonshot AI: alibaba-qwen-cloud.md, chip-feed #2; investsIn Zhipu AI: alibaba-qwen-cloud.md, wire #3;
    # partnersWith Apple: alibaba-qwen-cloud.md, wire #2
    "partners_and_investments": [("Alibaba Group", "investsIn", "Moonshot AI", 2),
                                 ("Alibaba Group", "investsIn", "Zhipu AI", 2),
                                 ("Alibaba Group", "partnersWith", "Apple", 2)],
    # every "unit of", "arm of", "subsidiary" in the articles: Alibaba Cloud (two articles), T-Head, Baidu AI Cloud
    # and Kunlunxin (wire #1), Volcano Engine (chip-feed #3), Huawei Cloud, Tencent Cloud
    "subsidiaries": [("Alibaba Group", "Alibaba Cloud", 2), ("Alibaba Group", "T-Head", 1),
                     ("Baidu", "Baidu AI Cloud", 1), ("Baidu", "Kunlunxin", 1), ("ByteDance", "Volcano Engine", 1),
                     ("Huawei", "Huawei Cloud", 1), ("Tencent", "Tencent Cloud", 1)],
}

SYMMETRIC = {"competesWith", "partnersWith"}


@pytest.fixture(scope="module")
def answers(workspace: Path) -> dict[str, list[dict[str, object]]]:
    """Every stored query's rows on the examples, with its example parameters, run once."""
    return {name: api.run_query(name, example_params(name), "rdf", workspace) for name in QUERIES}


def matches(result: dict[str, object], wanted: dict[str, object]) -> bool:
    def same(key: str, value: object, got: dict[str, object]) -> bool:
        return value(got.get(key)) if callable(value) else got.get(key) == value

    if all(same(k, v, result) for k, v in wanted.items()):
        return True
    if result.get("predicate") in SYMMETRIC and {"subject", "object"} <= set(wanted):  # either way round
        swapped = {**result, "subject": result.get("object"), "object": result.get("subject")}
        return all(same(k, v, swapped) for k, v in wanted.items())
    return False


@pytest.mark.parametrize("query, wanted, reason", PRESENT)
def test_row_written_from_the_articles_is_answered(answers: dict, query: str, wanted: dict, reason: str) -> None:
    assert set(wanted) <= set(catalogue.get(query).columns), f"{query} has no column {set(wanted)}"
    rows = answers[query]
    assert any(matches(r, wanted) for r in rows), f"{query} lacks {wanted} ({reason}); it gave {rows}"


@pytest.mark.parametrize("query, wanted, reason", ABSENT)
def test_trap_row_is_not_answered(answers: dict, query: str, wanted: dict, reason: str) -> None:
    assert set(wanted) <= set(catalogue.get(query).columns), f"{query} has no column {set(wanted)}"
    found = [r for r in answers[query] if matches(r, wanted)]
    assert not found, f"{query} must not answer {found} ({reason})"


@pytest.mark.parametrize("name", sorted(EXACT))
def test_whole_answers_the_articles_determine(answers: dict, name: str) -> None:
    assert [tuple(r.values()) for r in answers[name]] == EXACT[name]


def test_every_query_is_checked_against_the_articles() -> None:
    checked = {p.values[0] for p in PRESENT} | set(EXACT)
    assert checked == set(QUERIES), f"no expected rows for {sorted(set(QUERIES) - checked)}"


def test_rows_have_the_declared_columns_and_no_symmetric_pair_twice(answers: dict) -> None:
    for name, rows in answers.items():
        columns = list(catalogue.get(name).columns)
        assert all(list(r) == columns for r in rows), name
    pairs = [(r["subject"], r["predicate"], r["object"]) for r in answers["facts_since"]]
    assert not [(s, p, o) for s, p, o in pairs if p in SYMMETRIC and (o, p, s) in pairs]


def test_undated_article_facts_count_from_the_ingest_day(answers: dict) -> None:
    """Every fact first reported on the ingest day comes from the undated article alone (helper 4: without a fixed
    now= these rows moved with the day the tests ran)."""
    undated = [r for r in answers["facts_since"] if r["first_reported"] == UNDATED_INGESTED]
    assert undated and all(r["sources"] == 1 for r in undated)
    dated = [r for r in answers["facts_since"] if r["first_reported"] != UNDATED_INGESTED]
    assert all("2025-11-01" <= str(r["first_reported"]) <= "2025-11-27" for r in dated), dated


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
    assert api.run_query(name, params, "networkx", workspace) == rdf


def test_every_query_runs_on_networkx_as_a_function() -> None:
    """kg.nxqueries has one function per stored query, taking the graph and exactly the query's parameters."""
    import inspect

    from kg import nxqueries

    assert set(nxqueries.QUERIES) == set(QUERIES)
    for name in QUERIES:
        q = catalogue.get(name)
        assert "networkx" in q.backends, name
        assert list(inspect.signature(nxqueries.QUERIES[name]).parameters)[1:] == [p.name for p in q.params], name


@pytest.mark.parametrize("value", ['"}) DETACH DELETE n //', '" . } DROP ALL #', "\\\"; MATCH (n) DETACH DELETE n"])
def test_injection_strings_are_only_values(workspace: Path, value: str) -> None:
    from kg import nxqueries
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
    assert nxqueries.run("competitors", to_networkx(before), bound) == []
    # ad-hoc Cypher on NetworkX (grand-cypher) writes values in as literals: they stay values there too
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
