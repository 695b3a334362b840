"""Extraction on hand-written sentences: each relation pattern, negation and hedging, metrics, mentions."""

from __future__ import annotations

import pytest

from ingest.extract import extract
from ingest.model import Article


def facts(text: str, date: str | None = "2025-08-30") -> set[tuple[str, str, str]]:
    ex = extract(Article("test", "Test", text, date=date))
    return {(f.subject.label, f.predicate, f.object.label) for f in ex.facts}


def metrics(text: str, date: str | None = "2025-08-30") -> set[tuple[str, float, str, str | None]]:
    ex = extract(Article("test", "Test", text, date=date))
    return {(m.company.label, m.value, m.unit, m.period) for m in ex.metrics}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Alibaba's Qwen models are widely used by developers.", ("Alibaba Group", "develops", "Qwen")),
        ("Customers can rent Nvidia H800 processors by the hour.", ("Nvidia", "develops", "H800")),
        ("Tencent released Hunyuan to enterprise customers last year.", ("Tencent", "develops", "Hunyuan")),
        ("Doubao, developed by ByteDance, is China's most used chatbot.", ("ByteDance", "develops", "Doubao")),
        ("Huawei-designed Ascend 910B chips are in short supply.", ("Huawei", "develops", "Ascend 910B")),
    ],
)
def test_develops_patterns(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_passive_manufactures_through_plural_anaphor() -> None:
    text = "Huawei paired an Ascend 910B with an Ascend 910C in one rack. Both chips are fabricated by SMIC."
    found = facts(text)
    assert ("SMIC", "manufactures", "Ascend 910B") in found
    assert ("SMIC", "manufactures", "Ascend 910C") in found


def test_uses_chip_model_and_company() -> None:
    assert ("DeepSeek-V3", "usesChip", "H800") in facts("DeepSeek-V3 was trained on 2,048 Nvidia H800 chips.")
    assert ("Tencent", "usesChip", "H20") in facts("Tencent bought large numbers of H20 accelerators in 2024.")


def test_competitor_list_gives_one_pair_per_rival() -> None:
    found = facts("Baidu competes with Alibaba, Tencent and ByteDance for enterprise clients.")
    assert {("Baidu", "competesWith", x) for x in ("Alibaba Group", "Tencent", "ByteDance")} <= found
    assert ("Alibaba Group", "competesWith", "Tencent") not in found


def test_partnership_and_investment() -> None:
    assert ("Tencent", "investsIn", "Moonshot AI") in facts("Tencent has invested in Moonshot AI.")
    assert ("Alibaba Group", "investsIn", "Zhipu AI") in facts("Zhipu AI, which is backed by Alibaba, raised funds.")
    assert ("Baidu", "partnersWith", "Samsung Electronics") in facts(
        "Baidu partnered with Samsung Electronics on phone assistants.")


def test_subsidiary_patterns() -> None:
    assert ("Alibaba Cloud", "subsidiaryOf", "Alibaba Group") in facts(
        "Alibaba Cloud, the cloud computing unit of Alibaba Group, cut prices.")
    assert ("T-Head", "subsidiaryOf", "Alibaba Group") in facts("Alibaba's chip unit T-Head designs processors.")


def test_ceo_patterns_and_exclusions() -> None:
    assert ("Robin Li", "ceoOf", "Baidu") in facts("Baidu's co-founder and chief executive, Robin Li, spoke on Monday.")
    assert ("Jensen Huang", "ceoOf", "Nvidia") in facts("Nvidia chief executive Jensen Huang visited Beijing.")
    assert ("Eddie Wu", "ceoOf", "Alibaba Group") in facts("Eddie Wu, chief executive of Alibaba Group, said so.")
    assert not any(p == "ceoOf" for _, p, _ in facts("Alibaba's chairman Joe Tsai said the market had turned."))
    assert not any(p == "ceoOf" for _, p, _ in facts("Former chief executive Daniel Zhang left Alibaba in 2023."))


def test_sanctions_and_who_imposed_them() -> None:
    found = facts("The US Commerce Department added Zhipu AI to the Entity List in January.")
    assert ("Zhipu AI", "subjectTo", "Entity List") in found
    assert ("Entity List", "imposedBy", "US Department of Commerce") in found
    found = facts("Sales of the H20 are subject to US export controls on advanced chips.")
    assert ("H20", "subjectTo", "US export controls on advanced chips") in found
    assert ("US export controls on advanced chips", "imposedBy", "United States") in found


def test_headquarters_from_nationality_words() -> None:
    assert ("DeepSeek", "headquarteredIn", "China") in facts("Chinese start-up DeepSeek surprised investors.")
    assert ("Nvidia", "headquarteredIn", "United States") in facts("Nvidia, the American chipmaker, fell.")
    assert ("ASML", "headquarteredIn", "Netherlands") in facts("ASML is based in the Netherlands.")
    assert not any(p == "headquarteredIn" for _, p, _ in facts("SMIC is China's largest contract chipmaker."))
    assert not any(p == "headquarteredIn" for _, p, _ in facts("Baidu's Hong Kong-listed shares rose 3%."))


@pytest.mark.parametrize(
    "text",
    [
        "Tencent denied that it had bought H20 chips.",
        "Analysts speculate that ByteDance could use Ascend 910B chips next year.",
        "If the rules were extended, Baidu would buy Ascend 910C processors.",
        "Alibaba said it does not use H20 chips in its data centres.",
        "ByteDance is considering whether to buy Ascend 910C chips.",
    ],
)
def test_negated_hedged_and_hypothetical_usage_gives_nothing(text: str) -> None:
    assert not any(p == "usesChip" for _, p, _ in facts(text))


def test_relation_across_sentences_through_the_company() -> None:
    found = facts("Zhipu AI released a new model in June. The company trained GLM-4 on Ascend 910B chips.")
    assert ("GLM-4", "usesChip", "Ascend 910B") in found or ("Zhipu AI", "usesChip", "Ascend 910B") in found


def test_new_entities_are_typed_from_context() -> None:
    text = "Shanghai-based start-up Lumina Matrix Technologies unveiled the XR-90 accelerator."
    ex = extract(Article("t", "T", text))
    types = {m.entity.label: (m.entity.type, m.entity.known) for m in ex.mentions}
    assert types.get("Lumina Matrix Technologies") == ("Company", False)
    assert types.get("XR-90") == ("Chip", False)


def test_metrics_money_percent_and_period() -> None:
    found = metrics("Baidu said revenue from AI Cloud grew 26% in the quarter ended December 31, "
                    "while total revenue slipped 2% to RMB 34.1 billion.", date="2025-03-17")
    assert ("Baidu", 26, "percent", "2024-Q4") in found
    assert ("Baidu", -2, "percent", "2024-Q4") in found
    assert ("Baidu", 34_100_000_000, "CNY", "2024-Q4") in found


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("Nvidia booked a $4.1bn charge.", 4_100_000_000, "USD"),
        ("Nvidia reported revenue of US$2.5 billion.", 2_500_000_000, "USD"),
        ("Alibaba plans investment of 1.2 trillion yuan.", 1_200_000_000_000, "CNY"),
        ("Tencent said its margin rose 30 per cent.", 30, "percent"),
    ],
)
def test_money_and_percent_normalisation(text: str, value: float, unit: str) -> None:
    assert any(v == value and u == unit for _, v, u, _ in metrics(text))


def test_fiscal_year_period() -> None:
    found = metrics("Alibaba expects AI revenue of RMB 30 billion in FY2026.")
    assert ("Alibaba Group", 30_000_000_000, "CNY", "FY2026") in found


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hygon, Cambricon's closest domestic rival, reported results.", ("Cambricon", "competesWith", "Hygon")),
        ("AMD regards Intel as a serious competitor in servers.", ("AMD", "competesWith", "Intel")),
        ("Baidu's rivals include Tencent, as well as ByteDance, which runs Doubao, and Alibaba, which runs "
         "Qwen.", ("Baidu", "competesWith", "Alibaba Group")),
        ("The Kunlun P800, a server accelerator that Baidu now deploys widely, is doing well.",
         ("Baidu", "usesChip", "Kunlun P800")),
        ("Tencent unveiled Hunyuan T1, a reasoning model that the company trained in-house.",
         ("Tencent", "develops", "Hunyuan T1")),
        ("China's Zhipu AI said demand was strong.", ("Zhipu AI", "headquarteredIn", "China")),
        ("Alibaba Cloud and the German software group SAP formed a partnership.",
         ("Alibaba Cloud", "partnersWith", "SAP")),
    ],
)
def test_more_patterns(text: str, expected: tuple[str, str, str]) -> None:
    found = facts(text)
    s, p, o = expected
    assert expected in found or (p in ("competesWith", "partnersWith") and (o, p, s) in found)


def test_short_company_name_after_full_name() -> None:
    found = facts("Moonshot AI released a model. Moonshot's rivals include DeepSeek.")
    assert ("Moonshot AI", "competesWith", "DeepSeek") in found


def test_description_opening_a_paragraph_points_to_the_paragraph_topic() -> None:
    text = ("Zhipu AI was founded in 2019. Tencent joined a funding round last year.\n\n"
            "The company trained GLM-4 on Ascend 910B chips.")
    found = facts(text)
    assert ("Tencent", "usesChip", "Ascend 910B") not in found
    assert ("Zhipu AI", "usesChip", "Ascend 910B") in found or ("GLM-4", "usesChip", "Ascend 910B") in found


def test_a_restriction_named_again_by_description() -> None:
    found = facts("Huawei has been on the Entity List since 2019. SMIC was added to the same list in 2020.")
    assert ("SMIC", "subjectTo", "Entity List") in found
