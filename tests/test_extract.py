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


# --- descriptions, zero anaphors and sanction descriptions (issue 4); sentences written for these tests ---


def test_nationality_description_points_back_to_the_company() -> None:
    found = facts("Samsung Electronics reported record memory sales. The South Korean chipmaker said demand doubled.")
    assert ("Samsung Electronics", "headquarteredIn", "South Korea") in found
    found = facts("Micron Technology raised its forecast. The US memory maker expects tight supply.")
    assert ("Micron Technology", "headquarteredIn", "United States") in found


def test_a_possessor_can_be_what_a_later_description_names() -> None:
    found = facts("Analysts praised AMD's MI300X, which the US company designed for training.")
    assert ("AMD", "headquarteredIn", "United States") in found
    found = facts("Tencent bought many of the A800, the US company's export version, in 2023. Nvidia gained.")
    assert ("Tencent", "headquarteredIn", "United States") not in found


def test_a_description_skips_the_subject_of_its_own_clause() -> None:
    found = facts("MiniMax opened an office in Dubai. Alibaba Group led a new funding round in the company last year.")
    assert ("Alibaba Group", "investsIn", "MiniMax") in found
    found = facts("MiniMax opened an office in Dubai. Xiaomi said the company would hire 200 engineers.")
    assert not any(s == "MiniMax" or o == "MiniMax" for s, _, o in found if _ == "investsIn")


def test_a_description_in_a_relative_clause_is_not_its_head() -> None:
    found = facts("Meituan's founder also started Sugon, the server maker that supplies the delivery group.")
    assert ("Sugon", "develops", "Sugon") not in found
    found = facts("Xiaomi's founder also co-founded High-Flyer, the hedge fund that bankrolls the phone maker.")
    assert ("High-Flyer", "investsIn", "Xiaomi") in found


def test_the_head_noun_picks_the_entity_whose_name_ends_in_it() -> None:
    found = facts("Lenovo grew fastest, and Inspur Group reported strong results. The group's QQ and WeChat apps grew.")
    assert ("Inspur Group", "develops", "QQ") in found
    assert ("Lenovo", "develops", "QQ") not in found


def test_competitors_opening_a_sentence_belong_to_the_topic() -> None:
    found = facts("Baichuan AI cut its prices again. Rivals such as Zhipu AI and MiniMax followed within a week.")
    assert ("Baichuan AI", "competesWith", "Zhipu AI") in found
    assert ("Baichuan AI", "competesWith", "MiniMax") in found
    assert ("Zhipu AI", "competesWith", "MiniMax") not in found and ("MiniMax", "competesWith", "Zhipu AI") not in found


def test_a_bare_round_is_a_round_in_the_paragraph_topic() -> None:
    text = "Zhipu AI raised money twice last year. Meituan led the first round, and Lenovo joined a later round in May."
    found = facts(text)
    assert ("Lenovo", "investsIn", "Zhipu AI") in found
    assert ("Lenovo", "investsIn", "Meituan") not in found
    assert not any(p == "investsIn" and s == "Xiaomi" for s, p, _ in facts(
        "Zhipu AI raised money twice last year. Xiaomi may join a later round."))


def test_a_pronoun_in_a_fronted_clause_points_to_the_main_subject() -> None:
    found = facts("Sugon sells servers. After the Entity List cut it off from Intel in 2019, Inspur Group turned "
                  "to Hygon.")
    assert ("Inspur Group", "subjectTo", "Entity List") in found
    assert ("Sugon", "subjectTo", "Entity List") not in found


def test_racing_against_is_competition_unless_hedged() -> None:
    found = facts("Xiaomi is racing against Huawei and Lenovo to sell AI phones.")
    assert ("Xiaomi", "competesWith", "Huawei") in found and ("Xiaomi", "competesWith", "Lenovo") in found
    assert not any(p == "competesWith" for _, p, _ in facts("Xiaomi could soon be racing against Huawei."))


def test_sanction_descriptions_after_a_country() -> None:
    found = facts("The new US licence requirement, imposed by the Commerce Department last week, covers Intel's "
                  "Gaudi 3.")
    assert ("Gaudi 3", "subjectTo", "US licence requirement") in found
    assert ("US licence requirement", "imposedBy", "United States") in found
    assert ("US licence requirement", "imposedBy", "US Department of Commerce") in found
    # a description that spells a knowledge-base regime once "export" is added names that regime
    found = facts("Lenovo has stockpiled servers ahead of the latest US restrictions.")
    assert ("US export controls on advanced chips", "imposedBy", "United States") in found


def test_sanction_described_through_a_government_possessive() -> None:
    found = facts("The A800 was barred from sale when the Commerce Department expanded its controls on advanced chips.")
    assert ("A800", "subjectTo", "US export controls on advanced chips") in found
    assert ("US export controls on advanced chips", "imposedBy", "US Department of Commerce") in found


@pytest.mark.parametrize(
    "text",
    [
        "Washington tightened restrictions on chip tools again in March.",  # no qualifier: not a named restriction
        "The H20 was designed to comply with earlier export restrictions.",
        "Xiaomi tightened its controls on advanced chips used in phones.",  # a company's own controls
    ],
)
def test_generic_restrictions_are_not_sanctions(text: str) -> None:
    ex = extract(Article("test", "Test", text, date="2025-08-30"))
    assert not any(f.object.type == "Sanction" or f.subject.type == "Sanction" for f in ex.facts)


def test_the_same_rule_names_the_most_discussed_restriction() -> None:
    text = ("The Commerce Department added Inspur Group to the Entity List in 2023. The listing cited supercomputers. "
            "Its suppliers also face US export rules. Months later the same rule added Sugon.")
    found = facts(text)
    assert ("Sugon", "subjectTo", "Entity List") in found
    assert ("Sugon", "subjectTo", "US export controls on advanced chips") not in found


def test_a_chip_pronoun_and_a_passive_use() -> None:
    text = "Cambricon launched the MLU370 in 2021. It is a cloud training accelerator, and it has been deployed in " \
           "Baidu's data centres."
    found = facts(text)
    assert ("Baidu", "usesChip", "MLU370") in found
    assert ("Baidu", "usesChip", "MLU370") not in facts(
        "Cambricon launched the MLU370 in 2021. It may have been deployed in Baidu's data centres.")


def test_a_possessive_before_a_list_with_a_shared_plural_head() -> None:
    found = facts("Tencent's QQ and WeChat apps keep growing.")
    assert ("Tencent", "develops", "QQ") in found and ("Tencent", "develops", "WeChat") in found
    found = facts("Huawei's Ascend 910B and the A800 were compared.")
    assert ("Huawei", "develops", "A800") not in found


def test_possessive_partnership() -> None:
    found = facts("The deal mirrors Samsung Electronics's Google partnership in phones.")
    assert ("Samsung Electronics", "partnersWith", "Google") in found or (
        "Google", "partnersWith", "Samsung Electronics") in found
    assert ("Google", "subsidiaryOf", "Samsung Electronics") not in found


def test_unit_a_parent_set_up() -> None:
    found = facts("Tencent reported results. Analysts focused on Tencent Cloud, the unit the internet group set up "
                  "in 2013.")
    assert ("Tencent Cloud", "subsidiaryOf", "Tencent") in found


def test_a_speaker_after_a_comma_is_not_an_object() -> None:
    found = facts("The new US licence requirement covers the Instinct MI308, AMD said.")
    assert ("Instinct MI308", "subjectTo", "US licence requirement") in found
    assert ("AMD", "subjectTo", "US licence requirement") not in found


def test_a_mention_inside_a_participle_clause_is_not_the_subject() -> None:
    found = facts("Enflame, backed by Tencent since 2018, competes with Biren Technology.")
    assert ("Enflame", "competesWith", "Biren Technology") in found
    assert ("Tencent", "competesWith", "Biren Technology") not in found
    assert ("Tencent", "investsIn", "Enflame") in found


def test_an_account_on_a_platform_is_not_a_product_of_the_owner() -> None:
    assert not facts("Xiaomi announced the phone on its Weibo account and its Douyin channel.")
    assert ("Tencent", "develops", "WeChat") in facts("Tencent's WeChat accounts for most of its revenue.")


def test_a_clause_that_has_ended_gives_the_trigger_no_object() -> None:
    found = facts("Hygon, the chip designer that Sugon controls, supplies processors to China Telecom.")
    assert ("China Telecom", "subsidiaryOf", "Sugon") not in found


def test_comma_and_before_a_new_clause_is_not_a_list() -> None:
    found = facts("Moore Threads said on Monday it had raised 2 billion yuan. Tencent led the round, and Meituan "
                  "joined it.")
    assert ("Tencent", "investsIn", "Moore Threads") in found
    assert ("Tencent", "investsIn", "Meituan") not in found
    assert ("Baidu", "competesWith", "ByteDance") in facts("Baidu competes with Tencent, Alibaba, and ByteDance.")


def test_a_description_passes_over_an_entity_named_only_after_a_preposition() -> None:
    text = ("Lenovo buys the Ascend 910B. The chips are made for Huawei by SMIC, a foundry that Lenovo does not own. "
            "Last month the company said it had bought more.")
    assert ("SMIC", "usesChip", "Ascend 910B") not in facts(text)
    text = ("Kuaishou trains Kling on the MTT S4000. The accelerators are supplied by Moore Threads. Last week "
            "the company said it had opened a cluster built from S4000s.")
    found = facts(text)
    assert ("Kuaishou", "usesChip", "MTT S4000") in found
    assert ("Moore Threads", "usesChip", "MTT S4000") not in found


def test_a_chip_number_in_the_plural_after_the_full_name() -> None:
    found = facts("Biren Technology launched the BR104 in 2023. China Mobile bought 500 BR104s.")
    assert ("China Mobile", "usesChip", "BR104") in found
    assert ("China Mobile", "usesChip", "BR104") not in facts("China Mobile bought 500 BR104s.") or \
        ("China Mobile", "usesChip", "BR104") in facts("China Mobile bought 500 BR104 chips.")


def test_list_items_with_their_owner_prefix_or_a_relative_clause() -> None:
    found = facts("Both MiniMax-Text-01 and MiniMax-M1 were trained on H800 chips.")
    assert ("MiniMax-Text-01", "usesChip", "H800") in found and ("MiniMax-M1", "usesChip", "H800") in found
    found = facts("Lenovo competes with Xiaomi, whose phones sell well, and with Huawei.")
    assert ("Lenovo", "competesWith", "Huawei") in found
    assert ("Xiaomi", "competesWith", "Huawei") not in found and ("Huawei", "competesWith", "Xiaomi") not in found
    found = facts("Tencent Cloud runs DeepSeek-R1 on H20 chips for its customers.")
    assert ("Tencent Cloud", "usesChip", "H20") in found


def test_a_description_after_a_company_named_as_indirect_object() -> None:
    text = "AMD expects a charge. Europe matters to Intel. The company generated $2bn of revenue there in 2024."
    assert ("Intel", 2e9, "USD", "2024") in {(c, v, u, p) for c, v, u, p in metrics(text)}


def test_it_with_a_use_verb_is_a_chip_only_after_a_chip() -> None:
    from ingest.coref import resolve
    from ingest.kb import default_kb
    from ingest.mentions import find_mentions
    from ingest.sentences import split_sentences

    def corefs(text: str) -> list[tuple[str, str]]:
        return [(c.text, c.entity.label) for c in resolve(split_sentences(text), find_mentions(text, default_kb()),
                                                             text)]

    assert corefs("Huawei reported results. It was used to pressure from Washington.") == [("It", "Huawei")]
    assert ("It", "MLU370") in corefs("Cambricon launched the MLU370 in 2021. It was deployed by Baidu.")


def test_the_round_is_in_the_company_last_named_as_funded() -> None:
    found = facts("Tencent led a 2 billion yuan round in MiniMax last year. Alibaba Group joined the round too.")
    assert ("Alibaba Group", "investsIn", "MiniMax") in found
    assert ("Alibaba Group", "investsIn", "Tencent") not in found


def test_possessive_stake_is_an_investment_unless_unsure() -> None:
    assert ("Microsoft", "investsIn", "OpenAI") in facts("Microsoft's OpenAI stake is worth billions.")
    assert ("Microsoft", "subsidiaryOf", "OpenAI") not in facts("Microsoft's OpenAI stake is worth billions.")
    assert not facts("SoftBank Group's proposed OpenAI stake was denied.")
    assert not facts("Amazon's Anthropic holding was only rumoured.")


def test_an_unsure_partnership_is_no_partnership() -> None:
    assert ("Apple", "partnersWith", "OpenAI") in facts("Apple's OpenAI partnership brings ChatGPT to iPhones.")
    assert not facts("Apple's OpenAI partnership was rumoured but never confirmed.")
    assert not facts("Apple's rumoured OpenAI partnership lifted its shares.")


def test_a_company_naming_its_products_is_not_what_a_rule_covers() -> None:
    found = facts("The new Japanese export rules cover Tokyo Electron tools sold to SMIC.")
    assert not any(p == "subjectTo" for _, p, _ in found)
    found = facts("The new Japanese export rules cover Tokyo Electron and SMIC.")
    assert ("SMIC", "subjectTo", "Japanese export rules") in found


def test_an_apposition_based_in_a_country() -> None:
    assert ("Enflame", "headquarteredIn", "China") in facts(
        "Enflame, a training chip start-up based in China, opened an office.")
    assert not any(p == "headquarteredIn" for _, p, _ in facts(
        "Enflame, a supplier to firms based in Japan, opened an office."))


def test_the_largest_shareholder_invests_unless_negated() -> None:
    assert ("SoftBank Group", "investsIn", "Arm Holdings") in facts(
        "SoftBank Group, the Japanese conglomerate, is the largest shareholder of Arm Holdings.")
    assert not any(p == "investsIn" for _, p, _ in facts(
        "Alibaba Group is not a shareholder of Baidu. Tencent may become an investor in StepFun."))


def test_an_apposition_owned_by_its_pronoun() -> None:
    assert ("Baidu", "develops", "Ernie") in facts("Baidu is betting on Ernie, its own family of language models.")
    assert not any(p == "develops" for _, p, _ in facts("Baidu worries about DeepSeek, its fastest-growing rival."))


def test_the_unit_is_the_company_presented_as_a_unit() -> None:
    text = ("Baidu said revenue rose. Kunlunxin, the chip unit of Baidu, designs accelerators. Two years later "
            "the unit followed with the Kunlun P800.")
    found = facts(text)
    assert ("Kunlunxin", "develops", "Kunlun P800") in found
    assert ("Baidu", "develops", "Kunlun P800") not in found
    assert not facts("Baidu sells cloud services. Later the unit followed with the Kunlun P800.")
    assert ("Baidu", "develops", "Ernie 4.5") in facts(
        "Baidu released Ernie. Two years later the company followed with Ernie 4.5.")


def test_took_over_as_chief_executive_of_the_company_under_discussion() -> None:
    text = ("Xiaomi sells phones. Xiaomi also makes cars. Lei Jun, who took over as chief executive in 2010, said "
            "the company would grow.")
    assert ("Lei Jun", "ceoOf", "Xiaomi") in facts(text)
    assert not facts("Xiaomi sells phones. Lei Jun, who stepped back as chief executive, is chairman.")
    assert not facts("Xiaomi sells phones. Analysts said Lei Jun may be named chief executive next year.")
    found = facts("Meituan sells food. Wang Xing took over as chief executive from Lei Jun last year.")
    assert ("Wang Xing", "ceoOf", "Meituan") in found and ("Lei Jun", "ceoOf", "Meituan") not in found
