"""Extraction on sentences written for these tests: each matcher of the lexicon, with near-miss variants that
must give nothing (negation, hedging, comparisons, another company's product, a former chief executive ...).

None of these sentences comes from the evaluation corpus; most use made-up companies and products, so the
knowledge base cannot be what finds them.
"""

from __future__ import annotations

import pytest

from ingest.extract import extract
from ingest.kb import KnowledgeBase, load_kb
from ingest.model import Article


def facts(text: str, date: str | None = "2025-08-30", title: str = "", kb: KnowledgeBase | None = None
          ) -> set[tuple[str, str, str]]:
    ex = extract(Article("test", title, text, date=date), kb)
    return {(f.subject.label, f.predicate, f.object.label) for f in ex.facts}


def has(found: set[tuple[str, str, str]], s: str, p: str, o: str) -> bool:
    """A fact, either way round for the symmetric predicates."""
    return (s, p, o) in found or (p in ("competesWith", "partnersWith") and (o, p, s) in found)


def metrics(text: str, date: str | None = "2025-08-30") -> set[tuple[str, float, str, str | None]]:
    ex = extract(Article("test", "", text, date=date))
    return {(m.company.label, m.value, m.unit, m.period) for m in ex.metrics}


def mentions(text: str) -> dict[str, tuple[str, str]]:
    ex = extract(Article("test", "", text))
    return {m.text: (m.entity.label, m.entity.type) for m in ex.mentions}


# --- mentions: names the knowledge base does not know, typed by the words around them ---------------------

@pytest.mark.parametrize("text, name, kind", [
    ("Tidewater Robotics unveiled its Heron-2 model on Monday.", "Heron-2", "AIModel"),
    ("The start-up Quillmark has hired forty engineers.", "Quillmark", "Company"),
    ("Orvane, a Hangzhou chip designer, grew quickly.", "Orvane", "Company"),
    ("Corvel Semiconductor shipped the ZX-40 accelerator in May.", "ZX-40", "Chip"),
    ("Corvel Semiconductor shipped the ZX-40 accelerator in May.", "Corvel Semiconductor", "Company"),
    ("Lantern Ventures put money into the company.", "Lantern Ventures", "Company"),
    ("Brightline Holdings Ltd filed its accounts.", "Brightline Holdings", "Company"),
    ("Chief executive Mara Ellison said demand was strong.", "Mara Ellison", "Person"),
    ("It also runs Pebble, a note-taking app popular with students.", "Pebble", "Product"),
])
def test_new_names_are_typed_by_their_context(text: str, name: str, kind: str) -> None:
    found = mentions(text)
    assert found.get(name, ("", ""))[1] == kind, found


@pytest.mark.parametrize("text", [
    "The committee met on Tuesday and spent 30 minutes on the budget.",
    "Generative AI has become the main topic at the conference.",
    "Shares of the group fell in September.",
])
def test_ordinary_capitalised_words_are_no_names(text: str) -> None:
    found = mentions(text)
    assert not any(v[1] in ("Company", "AIModel", "Chip", "Product") for v in found.values()), found


def test_a_known_family_with_a_version_names_the_more_specific_entity() -> None:
    found = mentions("Baidu launched Ernie 9.5 Ultra and Huawei showed the Ascend 990Z.")
    assert found["Ernie 9.5 Ultra"] == ("Ernie 9.5 Ultra", "AIModel")
    assert found["Ascend 990Z"][1] == "Chip"
    assert "Ernie" not in found  # the family alone is not mentioned


def test_versions_listed_after_a_family_name_are_that_family() -> None:
    found = mentions("Huawei's Ascend 980A, 980B and 980C were shown together.")
    assert found["980B"] == ("Ascend 980B", "Chip") and found["980C"] == ("Ascend 980C", "Chip")


def test_a_year_after_a_name_is_not_its_version() -> None:
    found = mentions("Sales of Qwen 2026 forecasts were discussed.")
    assert "Qwen 2026" not in found


def test_a_short_form_after_the_full_name_names_the_same_entity() -> None:
    found = mentions("Tidewater Robotics opened a lab. Tidewater later hired a team.")
    assert found["Tidewater"] == ("Tidewater Robotics", "Company")


def test_a_version_after_the_family_s_hyphen_names_the_full_model_once_it_appeared() -> None:
    text = "DeepSeek released DeepSeek-R7.5-Lite in May. Baidu said R7.5-Lite runs on its Kunlun P800 chips."
    assert ("DeepSeek-R7.5-Lite", "usesChip", "Kunlun P800") in facts(text)
    # before the full name it is a name of its own
    assert mentions("Baidu said R7.5-Lite runs on its Kunlun P800 chips.").get("R7.5-Lite", ("", ""))[0] != \
        "DeepSeek-R7.5-Lite"


def test_an_abbreviation_the_text_introduces_names_the_entity() -> None:
    found = mentions("Northgate Memory Technologies (NGMT) opened a fab. NGMT plans a second one.")
    assert found["NGMT"][0] == "Northgate Memory Technologies"


def test_a_known_company_with_a_unit_word_is_another_company() -> None:
    found = mentions("Tencent Music grew, while Baidu Technologies is Baidu itself.")
    assert found["Tencent Music"] == ("Tencent Music", "Company")
    assert found["Baidu Technologies"] == ("Baidu", "Company")


def test_a_unit_named_after_its_parent_is_its_subsidiary_when_the_parent_is_named_too() -> None:
    assert ("JD Health", "subsidiaryOf", "JD.com") in facts("JD Health grew 20% in the year. JD.com owns most of it.")
    assert not any(p == "subsidiaryOf" for _, p, _ in facts("JD Health grew 20% in the year."))


def test_a_bare_abbreviation_in_brackets_is_not_a_ticker() -> None:
    found = mentions("Its annual recurring revenue (ARR) doubled.")
    assert not any(v[1] == "Company" for v in found.values())


# --- develops ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Tidewater Robotics released Heron-2 to developers.", ("Tidewater Robotics", "develops", "Heron-2")),
    ("Heron-2, which Tidewater Robotics built in six months, is open-weight.",
     ("Tidewater Robotics", "develops", "Heron-2")),
    ("Heron-2 was developed by Tidewater Robotics.", ("Tidewater Robotics", "develops", "Heron-2")),
    ("Tidewater Robotics' Heron-2 model tops the chart.", ("Tidewater Robotics", "develops", "Heron-2")),
    ("Nvidia unveiled the B900 and the B950 accelerators.", ("Nvidia", "develops", "B950")),
    ("The ZX-40, a Corvel Semiconductor-designed accelerator, ships in May.",
     ("Corvel Semiconductor", "develops", "ZX-40")),
    ("Quillmark, the start-up behind the Pebble app, raised money.", ("Quillmark", "develops", "Pebble")),
    ("Heron-2, the open-weight model Tidewater Robotics released in June, is popular.",
     ("Tidewater Robotics", "develops", "Heron-2")),
    ("Tidewater Robotics, a Shenzhen company founded in 2021, makes Heron-2.",
     ("Tidewater Robotics", "develops", "Heron-2")),
    ("Huawei's new flagship, the Ascend 990Z, is faster.", ("Huawei", "develops", "Ascend 990Z")),
    ("Orca-7, Lumenary AI's family of coding models, is free.", ("Lumenary AI", "develops", "Orca-7")),
    ("Huawei's Ascend 980A, 980B and 980C were shown.", ("Huawei", "develops", "Ascend 980C")),
    # a name described as a company's thing of its kind, in apposition or after a copula
    ("The ZX-40, a Corvel Semiconductor accelerator for cars, ships in May.",
     ("Corvel Semiconductor", "develops", "ZX-40")),
    ("Heron-2 is a Tidewater Robotics model tuned for robots.", ("Tidewater Robotics", "develops", "Heron-2")),
    # "its" after a name that is not the subject of the buying verb: the buyers are someone else
    ("Sales at Nvidia held up while cloud firms went on ordering its B950 accelerators.",
     ("Nvidia", "develops", "B950")),
])
def test_develops(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


@pytest.mark.parametrize("text, not_expected", [
    ("TSMC makes Nvidia's B900 chips for data centres.", ("TSMC", "develops", "B900")),
    ("Lumenary AI could release Orca-7 next year.", ("Lumenary AI", "develops", "Orca-7")),
    ("Lumenary AI denied that it had released Orca-7.", ("Lumenary AI", "develops", "Orca-7")),
    ("Heron-2 outperformed Lumenary AI's best model on maths.", ("Lumenary AI", "develops", "Heron-2")),
    # near misses: a compound that describes a company, and a company buying chips for itself
    ("The ZX-40, a Corvel Semiconductor chip rival, ships in May.", ("Corvel Semiconductor", "develops", "ZX-40")),
    ("Lumenary AI kept ordering its B950 accelerators from resellers.", ("Lumenary AI", "develops", "B950")),
    ("Tencent runs H20 chips in its Guizhou data centres.", ("Tencent", "develops", "H20")),
])
def test_not_develops(text: str, not_expected: tuple[str, str, str]) -> None:
    assert not_expected not in facts(text)


# --- manufactures and chip use -----------------------------------------------------------------------------

def test_manufactures_only_for_fabricating() -> None:
    assert ("SMIC", "manufactures", "ZX-40") in facts("The ZX-40 accelerator is fabricated by SMIC.")
    assert ("SMIC", "manufactures", "ZX-40") in facts("SMIC fabricates the ZX-40 accelerator for Corvel.")
    assert ("SMIC", "manufactures", "ZX-40") not in facts("SMIC declined to say whether it fabricates the "
                                                          "ZX-40 accelerator.")


@pytest.mark.parametrize("text, expected", [
    ("Heron-2 was trained on 4,000 Nvidia H800 chips.", ("Heron-2", "usesChip", "H800")),
    ("Tidewater Robotics trained Heron-2 on Ascend 910B chips.", ("Tidewater Robotics", "usesChip", "Ascend 910B")),
    ("Heron-2 runs on clusters of Nvidia H20 processors.", ("Heron-2", "usesChip", "H20")),
    ("Quillmark bought H20 accelerators in bulk last year.", ("Quillmark", "usesChip", "H20")),
    ("Quillmark now relies on the Ascend 910C for inference.", ("Quillmark", "usesChip", "Ascend 910C")),
    ("The H20 processors that Quillmark bought last year are busy.", ("Quillmark", "usesChip", "H20")),
    # a multi-word kind noun is parsed as its head ("graphics processors"), so the phrase stays one
    ("Quillmark, a Chengdu start-up, said Heron-2 was trained on roughly 6,000 Nvidia H800 graphics processors.",
     ("Heron-2", "usesChip", "H800")),
    # a count with its "of" phrase
    ("Nvidia will ship 9,000 of its H20 accelerators to ByteDance.", ("ByteDance", "usesChip", "H20")),
    # what holds the chips stands for its owner
    ("Quillmark's new clusters use thousands of Ascend 910B chips.", ("Quillmark", "usesChip", "Ascend 910B")),
    # chips a company runs are chips it uses; "said it trains": the pronoun is the clause's subject
    ("Tencent runs H20 chips in its Guizhou data centres.", ("Tencent", "usesChip", "H20")),
    ("Baidu has said it trains its Ernie models on Kunlun P800 chips.", ("Baidu", "usesChip", "Kunlun P800")),
])
def test_uses_chip(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


@pytest.mark.parametrize("text", [
    "Quillmark could buy Ascend 910C chips if prices fall.",
    "Quillmark is testing the Ascend 910C, a person familiar with the matter said.",
    "Quillmark did not buy any H20 accelerators.",
    "Analysts believe Quillmark may use H20 chips.",
    "Huawei may agree to supply Ascend 910C chips to Tencent.",
    # an agreement looks ahead: chips not yet used
    "Tencent has agreed to train its next models on Ascend 910C chips.",
    "Quillmark's rivals use thousands of Ascend 910B chips.",
])
def test_hedged_or_negated_chip_use_gives_nothing(text: str) -> None:
    assert not any(p == "usesChip" for _, p, _ in facts(text))


# --- competition, partnership, investment, units ----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Quillmark competes with Baidu and Tencent for corporate clients.", ("Quillmark", "competesWith", "Tencent")),
    ("Orvane, Cambricon's closest domestic rival, grew faster.", ("Orvane", "competesWith", "Cambricon")),
    ("Quillmark's main rivals are Baidu and Moonshot AI.", ("Quillmark", "competesWith", "Moonshot AI")),
    ("Quillmark goes head to head with Baidu in search.", ("Quillmark", "competesWith", "Baidu")),
    ("Quillmark's rivals include Baidu, the search group, and Tencent, which runs WeChat.",
     ("Quillmark", "competesWith", "Tencent")),
])
def test_competes(text: str, expected: tuple[str, str, str]) -> None:
    assert has(facts(text), *expected)


def test_rivals_of_one_company_are_not_each_others() -> None:
    found = facts("Quillmark competes with Baidu, Tencent and ByteDance.")
    assert not has(found, "Baidu", "competesWith", "Tencent")


def test_a_benchmark_comparison_is_not_competition() -> None:
    assert not any(p == "competesWith" for _, p, _ in facts("Heron-2 outperformed Baidu's Ernie on coding tests."))


@pytest.mark.parametrize("text, expected", [
    ("Quillmark struck a partnership with Lenovo last year.", ("Quillmark", "partnersWith", "Lenovo")),
    ("Quillmark and Lenovo set up a joint laboratory in Hefei.", ("Quillmark", "partnersWith", "Lenovo")),
    ("Quillmark has partnered with Xiaomi on phone assistants.", ("Quillmark", "partnersWith", "Xiaomi")),
    ("Baidu licenses its mapping software to Geely for the carmaker's new models.", ("Baidu", "partnersWith", "Geely")),
])
def test_partners(text: str, expected: tuple[str, str, str]) -> None:
    assert has(facts(text), *expected)


def test_a_rumoured_partnership_gives_nothing() -> None:
    assert not any(p == "partnersWith" for _, p, _ in facts("Quillmark's rumoured partnership with Lenovo "
                                                             "was never confirmed."))
    assert not any(p == "partnersWith" for _, p, _ in facts("Baidu may license its mapping software to Geely."))


@pytest.mark.parametrize("text, expected", [
    ("Lantern Ventures invested in Quillmark in 2023.", ("Lantern Ventures", "investsIn", "Quillmark")),
    ("Quillmark's backers include Tencent and Lantern Ventures.", ("Tencent", "investsIn", "Quillmark")),
    ("Tencent led a $300 million round in Quillmark.", ("Tencent", "investsIn", "Quillmark")),
    ("Quillmark raised $50 million from Lantern Ventures.", ("Lantern Ventures", "investsIn", "Quillmark")),
    ("Tencent took a 12% stake in Quillmark.", ("Tencent", "investsIn", "Quillmark")),
    ("Quillmark, a Tencent-backed start-up, grew.", ("Tencent", "investsIn", "Quillmark")),
])
def test_invests(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_planned_investment_gives_nothing() -> None:
    assert not any(p == "investsIn" for _, p, _ in facts("Tencent plans to invest in Quillmark next year."))


@pytest.mark.parametrize("text, expected", [
    ("Heronix Cloud, the cloud arm of Tidewater Robotics, cut prices.",
     ("Heronix Cloud", "subsidiaryOf", "Tidewater Robotics")),
    ("Tidewater Robotics' chip unit Orvane designs accelerators.", ("Orvane", "subsidiaryOf", "Tidewater Robotics")),
    ("Orvane is a unit of Tidewater Robotics.", ("Orvane", "subsidiaryOf", "Tidewater Robotics")),
    ("Orvane is wholly owned by Tidewater Robotics.", ("Orvane", "subsidiaryOf", "Tidewater Robotics")),
])
def test_subsidiaries(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_a_customer_is_no_unit() -> None:
    assert not any(p == "subsidiaryOf" for _, p, _ in facts("Orvane, a customer of Tidewater Robotics, grew."))


# --- chief executives --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Quillmark chief executive Mara Ellison said demand was strong.",
    "Mara Ellison, Quillmark's founder, chairman and chief executive, spoke on Monday.",
    "Mara Ellison, who founded Quillmark in 2019 and serves as its chief executive, spoke.",
    "Quillmark, led by founder Mara Ellison, is growing.",
    "Mara Ellison is the chief executive of Quillmark.",
])
def test_chief_executives(text: str) -> None:
    assert ("Mara Ellison", "ceoOf", "Quillmark") in facts(text)


@pytest.mark.parametrize("text", [
    "Quillmark's chairman Mara Ellison said demand was strong.",
    "Former chief executive Mara Ellison left Quillmark in 2023.",
    "Mara Ellison, Quillmark's acting chief executive, spoke on Monday.",
    "Mara Ellison, who ran Quillmark for a decade, retired.",
])
def test_not_chief_executives(text: str) -> None:
    assert ("Mara Ellison", "ceoOf", "Quillmark") not in facts(text)


# --- sanctions --------------------------------------------------------------------------------------------

def test_added_to_a_list_by_a_body() -> None:
    found = facts("The US Commerce Department added Quillmark to the Entity List in March.")
    assert ("Quillmark", "subjectTo", "Entity List") in found
    assert ("Entity List", "imposedBy", "US Department of Commerce") in found


def test_listed_companies_together_all_get_the_list() -> None:
    found = facts("The Commerce Department added Quillmark, Orvane and Tidewater Robotics to the Entity List.")
    assert {("Quillmark", "subjectTo", "Entity List"), ("Tidewater Robotics", "subjectTo", "Entity List")} <= found


@pytest.mark.parametrize("text, expected", [
    ("Quillmark has been on the Entity List since 2022.", ("Quillmark", "subjectTo", "Entity List")),
    ("The ZX-40 is subject to US export controls.", ("ZX-40", "subjectTo", "US export controls on advanced chips")),
    ("The ZX-40 has been barred from China under US export controls.",
     ("ZX-40", "subjectTo", "US export controls on advanced chips")),
    ("Since October, Megvii has faced US export controls on its purchases of advanced chips.",
     ("Megvii", "subjectTo", "US export controls on advanced chips")),
    # a restriction that bars someone from doing something to X reaches X (and its name before "bars" is the
    # verb's subject, not a compound noun)
    ("The Entity List bars American suppliers from selling to Huawei without a licence.",
     ("Huawei", "subjectTo", "Entity List")),
    ("The NS-CMIC list bars US pension funds from holding bonds of firms such as Hikvision.",
     ("Hikvision", "subjectTo", "Non-SDN Chinese Military-Industrial Complex Companies List")),
])
def test_subject_to(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_as_well_as_coordinates_like_and() -> None:
    found = facts("The Japanese export controls apply to Lasertec as well as to the wafer-cleaning specialist "
                  "Screen Holdings.")
    assert {("Lasertec", "subjectTo", "Japanese export controls on chipmaking equipment"),
            ("Screen Holdings", "subjectTo", "Japanese export controls on chipmaking equipment")} <= found


def test_a_time_phrase_after_the_object_does_not_swallow_it() -> None:
    assert ("H20", "subjectTo", "US export controls on advanced chips") in facts(
        "US export controls caught the H20 last year.")
    assert ("Tencent", "usesChip", "H20") in facts("Tencent bought the H20 this spring.")


def test_the_same_requirement_with_no_named_antecedent_names_the_requirement() -> None:
    found = facts("The H20 was caught by the same licence requirement.")
    assert ("H20", "subjectTo", "licence requirement") in found


def test_an_infinitive_before_a_restriction_noun_is_not_part_of_its_name() -> None:
    ex = extract(Article("test", "", "The MI308, a chip AMD designed to meet earlier export limits, was later "
                                     "caught by the licence requirement."))
    assert not any("meet" in m.entity.label for m in ex.mentions if m.entity.type == "Sanction")


def test_a_quoted_name_before_a_restriction_noun_names_it() -> None:
    found = facts('The Commerce Department published a "cloud access" rule that limits remote use of chips.')
    assert ("cloud access rule", "imposedBy", "US Department of Commerce") in found
    # near miss: a quoted word that is no modifier of the noun
    assert not any("said" in o for _, _, o in facts('"We comply," she said, adding that the rule is clear.'))


def test_not_on_the_list_gives_nothing() -> None:
    assert not any(p == "subjectTo" for _, p, _ in facts("Quillmark is not on the Entity List."))
    assert not any(p == "subjectTo" for _, p, _ in facts("Megvii may face US export controls next year."))
    assert not any(p == "subjectTo" for _, p, _ in facts("The Entity List does not bar American suppliers from "
                                                         "selling to Tencent."))


def test_a_described_restriction_names_its_target_and_imposer() -> None:
    found = facts("Beijing imposed an export ban on Orvane last week.")
    bans = {o for s, p, o in found if s == "Orvane" and p == "subjectTo"}
    assert bans, found
    assert any((b, "imposedBy", "China") in found for b in bans)


def test_country_before_a_restriction_imposed_it() -> None:
    found = facts("Dutch export controls now cover more tools.")
    assert any(p == "imposedBy" and o == "Netherlands" for _, p, o in found)


def test_an_agentless_ban_is_the_restriction_just_named() -> None:
    found = facts("Washington tightened its export controls in 2023, and the ZX-40 and the ZX-50 were barred too.")
    assert any(s == "ZX-50" and p == "subjectTo" for s, p, _ in found)


# --- headquarters -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Chinese start-up Quillmark surprised investors.", ("Quillmark", "headquarteredIn", "China")),
    ("Orvane, the South Korean chipmaker, grew.", ("Orvane", "headquarteredIn", "South Korea")),
    ("Quillmark is based in Singapore.", ("Quillmark", "headquarteredIn", "Singapore")),
    ("Quillmark, Orvane and other Japanese toolmakers gained.", ("Orvane", "headquarteredIn", "Japan")),
    ("Vantrel Holdings, the Chinese owner of the German lens maker Optiwerk, declined to comment.",
     ("Vantrel Holdings", "headquarteredIn", "China")),
    ("Quorix, a Shenzhen chip designer, grew.\n\nIts main Korean competitor, Lumenary AI, has won contracts.",
     ("Lumenary AI", "headquarteredIn", "South Korea")),
])
def test_headquarters(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


@pytest.mark.parametrize("text", [
    "Quillmark is China's largest maker of robot arms.",
    "A Shanghai-based analyst said Quillmark would grow.",
    "Quillmark's Hong Kong-listed shares rose.",
    "For a Japanese company, Tencent said, the rules are strict.",
])
def test_market_phrases_and_cities_are_no_headquarters(text: str) -> None:
    assert not any(p == "headquarteredIn" for _, p, _ in facts(text))


# --- coreference and the headline --------------------------------------------------------------------------

def test_the_company_in_the_next_sentence() -> None:
    found = facts("Tidewater Robotics released Heron-2 in June. The company trained it on Ascend 910B chips.")
    assert ("Tidewater Robotics", "usesChip", "Ascend 910B") in found


def test_its_belongs_to_the_subject_of_its_clause() -> None:
    found = facts("The Commerce Department added Quillmark, the Canadian chip-testing firm, to its Entity List.")
    assert ("Entity List", "imposedBy", "US Department of Commerce") in found


@pytest.mark.parametrize("text, expected, absent", [
    # a pronoun in a fronted phrase points ahead, to the subject of the main clause, past a relative clause
    ("Tencent grew.\n\nBest known for its Kirin phone chips, which TSMC once made, HiSilicon also designs server "
     "processors.", ("HiSilicon", "develops", "Kirin"), ("Tencent", "develops", "Kirin")),
    ("Tencent grew.\n\nFamous for its Taobao marketplace, Alibaba also runs a cloud business.",
     ("Alibaba Group", "develops", "Taobao"), ("Tencent", "develops", "Taobao")),
])
def test_a_pronoun_in_a_fronted_phrase_points_ahead(text: str, expected: tuple[str, str, str],
                                                     absent: tuple[str, str, str]) -> None:
    found = facts(text)
    assert expected in found and absent not in found


def test_a_maker_s_name_in_a_chip_description_picks_that_maker_s_chip() -> None:
    text = ("Huawei has shipped its Ascend 910C widely. Tidewater Robotics bought Ascend 910C servers.\n\n"
            "Its Heron-2 model now runs on the {} chips.")
    assert ("Heron-2", "usesChip", "Ascend 910C") in facts(text.format("Huawei"))
    assert ("Heron-2", "usesChip", "Ascend 910C") not in facts(text.format("Nvidia"))


def test_the_headline_states_facts_and_sets_the_topic() -> None:
    found = facts("The company said orders doubled and it now trains models on Ascend 910B chips.",
                  title="Chinese AI start-up Quillmark doubles orders")
    assert ("Quillmark", "headquarteredIn", "China") in found
    assert ("Quillmark", "usesChip", "Ascend 910B") in found


def test_may_the_month_is_not_may_the_modal() -> None:
    assert ("Quillmark", "usesChip", "H20") in facts("Last May, Quillmark bought H20 accelerators in bulk.")


# --- metrics ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Quillmark said revenue rose 40% to 2.4 billion yuan in the quarter ended June 30.",
     ("Quillmark", 2_400_000_000, "CNY", "2025-Q2")),
    ("Quillmark said revenue rose 40% to 2.4 billion yuan in the quarter ended June 30.",
     ("Quillmark", 40, "percent", "2025-Q2")),
    ("Quillmark's net profit plummeted 16.9% in the first half.", ("Quillmark", -16.9, "percent", "2025-H1")),
    ("Quillmark booked a US$558 million charge.", ("Quillmark", 558_000_000, "USD", None)),
    ("Quillmark plans a 380-billion-yuan investment programme.", ("Quillmark", 380_000_000_000, "CNY", None)),
    ("Quillmark now has more than 1,200 employees.", ("Quillmark", 1200, "employees", None)),
])
def test_metrics(text: str, expected: tuple[str, float, str, str | None]) -> None:
    assert expected in metrics(text)


def test_the_owner_is_the_company_the_number_belongs_to() -> None:
    found = metrics("Tencent led a $300 million round in Quillmark that valued the start-up at $2 billion.")
    assert ("Quillmark", 300_000_000, "USD", None) in found
    assert ("Quillmark", 2_000_000_000, "USD", None) in found
    assert not any(c == "Tencent" for c, *_ in found)


def test_an_object_pronoun_in_a_relative_clause_is_not_the_clause_s_subject() -> None:
    found = facts("Pellucid Micro, a Hefei chip designer, grew fast.\n\nLantern Ventures, which holds roughly 12% "
                  "of it, backed the deal.")
    assert ("Lantern Ventures", "investsIn", "Pellucid Micro") in found


def test_a_holder_owns_its_stake() -> None:
    found = metrics("Tencent holds 2.4% of Quillmark.")
    assert ("Tencent", 2.4, "percent", None) in found


@pytest.mark.parametrize("text", [
    "Quillmark expects capital spending of $4 billion to $5 billion this year.",
    "Quillmark said its share of revenue from abroad was 20% to 25%.",
    "Analysts said the market could be worth $50 billion for Quillmark.",
])
def test_ranges_and_conditional_figures_are_not_reported_values(text: str) -> None:
    assert not metrics(text)


def test_a_number_of_a_name_is_not_a_count() -> None:
    assert not any(u == "models" for _, _, u, _ in metrics("Quillmark's Heron 2 models were downloaded widely."))


# --- the lexicon: a new phrasing is a line of data --------------------------------------------------------

def test_an_analyst_lexicon_adds_entities_and_phrasings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text("entities:\n  - {label: Brightwave Labs, type: Company, aliases: [Brightwave]}\n"
                       "  - {label: Gull-9, type: AIModel}\n"
                       "relations:\n  develops:\n    verbs: [spin up]\n", encoding="utf-8")
    text = "Brightwave spun up Gull-9 for banks."
    assert ("Brightwave Labs", "develops", "Gull-9") not in facts(text)
    assert ("Brightwave Labs", "develops", "Gull-9") in facts(text, kb=load_kb(extra=[lexicon]))


def test_the_trace_says_why_a_fact_was_not_taken() -> None:
    trace: list[dict[str, object]] = []
    extract(Article("t", "", "Quillmark could buy H20 accelerators. Quillmark bought chips from Lenovo."), trace=trace)
    frames = [f for step in trace for f in step["frames"]]  # type: ignore[attr-defined]
    assert any(f.get("blocked") == "could" and f["predicate"] == "usesChip" for f in frames), frames
    assert any(f.get("nearly") and f["predicate"] == "usesChip" and "object" in f["missing"] for f in frames), frames


# --- lists, amounts, pronouns: the shapes that carry several facts at once ---------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Quillmark, Orvane and Tidewater Robotics, the three big Japanese toolmakers, all compete with Baidu.",
     {("Quillmark", "competesWith", "Baidu"), ("Orvane", "competesWith", "Baidu"),
      ("Tidewater Robotics", "competesWith", "Baidu")}),
    ("Quillmark's newest robots already go head to head with those of Baidu and Tencent.",
     {("Quillmark", "competesWith", "Baidu"), ("Quillmark", "competesWith", "Tencent")}),
    ("Baidu and Tencent together ordered about $2bn of H20 processors last year.",
     {("Baidu", "usesChip", "H20"), ("Tencent", "usesChip", "H20")}),
    ("Orvane hit a wall in May. Later the Commerce Department added it to the Entity List along with Quillmark.",
     {("Orvane", "subjectTo", "Entity List"), ("Quillmark", "subjectTo", "Entity List")}),
])
def test_lists_amounts_and_pronouns(text: str, expected: set[tuple[str, str, str]]) -> None:
    found = facts(text)
    assert all(has(found, *f) for f in expected), found


def test_a_share_of_a_company_is_a_stake_not_ownership() -> None:
    found = facts("Tencent owns about 24% of Quillmark.")
    assert ("Tencent", "investsIn", "Quillmark") in found
    assert ("Quillmark", "subsidiaryOf", "Tencent") not in found


@pytest.mark.parametrize("text", [
    "Regulators said demand for chips rose in June.",
    "Second-quarter revenue rose 32% to $7.69 billion.",
    "Americans bought more phones than ever.",
])
def test_sentence_opening_words_and_demonyms_are_no_names(text: str) -> None:
    assert mentions(text) == {}


@pytest.mark.parametrize("text, expected", [
    ("Washington added 31 entities to the Entity List on Friday. They include Quillmark and Orvane.",
     {("Quillmark", "subjectTo", "Entity List"), ("Orvane", "subjectTo", "Entity List")}),
    ("Tencent invested in five start-ups last year. Among them are Quillmark and Orvane.",
     {("Tencent", "investsIn", "Quillmark"), ("Tencent", "investsIn", "Orvane")}),
])
def test_a_list_after_a_count_names_what_was_counted(text: str, expected: set[tuple[str, str, str]]) -> None:
    found = facts(text)
    assert expected <= found, found


@pytest.mark.parametrize("text", [
    "Washington may add 31 entities to the Entity List. They include Quillmark and Orvane.",
    "Washington added 31 entities to the Entity List. Analysts include Quillmark and Orvane in their notes.",
    "Washington added Lenovo to the Entity List. They include Quillmark and Orvane.",
])
def test_no_list_without_a_count_it_names(text: str) -> None:
    assert not any(s in ("Quillmark", "Orvane") and p == "subjectTo" for s, p, _ in facts(text))


@pytest.mark.parametrize("text, expected, absent", [
    ("Lenovo expanded. Orvane, its robotics subsidiary, grew.", ("Orvane", "subsidiaryOf", "Lenovo"),
     ("Orvane", "subsidiaryOf", "Orvane")),
    ("Quillmark makes Nvidia's H20 chips under contract.", ("Quillmark", "manufactures", "H20"),
     ("Quillmark", "develops", "H20")),
    ("Quillmark and Lenovo agreed to work together on robots.", ("Quillmark", "partnersWith", "Lenovo"), None),
    ("Analysts are courting Orvane, which buys Nvidia's H20 chips.", ("Orvane", "usesChip", "H20"), None),
    ("US export controls now apply to Quillmark as well.",
     ("Quillmark", "subjectTo", "US export controls on advanced chips"), None),
    ("Quillmark has begun shipping robots to Europe, chief executive Mara Ellison said.",
     ("Mara Ellison", "ceoOf", "Quillmark"), None),
])
def test_clauses_around_the_fact(text: str, expected: tuple[str, str, str],
                                 absent: tuple[str, str, str] | None) -> None:
    found = facts(text)
    assert has(found, *expected), found
    assert absent is None or absent not in found, found


@pytest.mark.parametrize("text", [
    "Quillmark and Lenovo may work together on robots.",
    "Dell sells Nvidia's H20 servers to banks.",
])
def test_clauses_near_misses(text: str) -> None:
    found = facts(text)
    assert not any(p in ("partnersWith", "manufactures") for _, p, _ in found), found


@pytest.mark.parametrize("text, expected", [
    ('Washington added Quillmark to its register of "military end users", known as the Entity List.',
     ("Quillmark", "subjectTo", "Entity List")),
    ("Quillmark's rivals include Baidu, as well as Orvane Labs, which promotes its Heron-2 model heavily.",
     ("Orvane Labs", "develops", "Heron-2")),
    ("Quillmark is in talks to buy the ZX-40 accelerator designed by Corvel Semiconductor.",
     ("Corvel Semiconductor", "develops", "ZX-40")),
    ("Quillmark teamed up with US chip designer Broadcom on a custom processor.",
     ("Quillmark", "partnersWith", "Broadcom")),
])
def test_descriptions_relatives_and_descriptors(text: str, expected: tuple[str, str, str]) -> None:
    found = facts(text)
    assert has(found, *expected), found


def test_the_hedge_of_a_main_clause_stays_there() -> None:
    found = facts("Quillmark is in talks to buy the ZX-40 accelerator designed by Corvel Semiconductor.")
    assert ("Quillmark", "usesChip", "ZX-40") not in found


@pytest.mark.parametrize("text, expected", [
    ("Quillmark has been one of the biggest buyers of Nvidia's H20 this year.", ("Quillmark", "usesChip", "H20")),
    ("Orvane, the Lenovo-owned robot maker, grew.", ("Orvane", "subsidiaryOf", "Lenovo")),
    ("Heron Cloud, the venture whose early backers include Tencent and Lenovo, grew.",
     ("Tencent", "investsIn", "Heron Cloud")),
    ("Quillmark's latest releases include Heron-2 and Heron-3.", ("Quillmark", "develops", "Heron-3")),
    ("Heron-2, the second generation of Quillmark's robot models, ships in May.", ("Quillmark", "develops", "Heron-2")),
    ("The ZX-40 accelerator will be built by TSMC on its 3nm process.", ("TSMC", "manufactures", "ZX-40")),
])
def test_nouns_of_buying_owning_backing_and_releasing(text: str, expected: tuple[str, str, str]) -> None:
    found = facts(text)
    assert has(found, *expected), found


@pytest.mark.parametrize("text, absent", [
    ("Mara Ellison, Quillmark's co-founder and chief technology officer, spoke.",
     ("Mara Ellison", "ceoOf", "Quillmark")),
    ("The ZX-40 accelerator will be built by TSMC on its 3nm process.", ("TSMC", "develops", "ZX-40")),
    ("Orvane, the main rival of Lenovo's robot unit, grew.", ("Orvane", "competesWith", "Lenovo")),
])
def test_nouns_near_misses(text: str, absent: tuple[str, str, str]) -> None:
    assert absent not in facts(text)


@pytest.mark.parametrize("text, expected", [
    ("Lenovo has invested $2bn in Quillmark since 2021.", ("Lenovo", 2_000_000_000, "USD", None)),
    ("Tencent will own about 18% of Quillmark after the deal.", ("Tencent", 18, "percent", None)),
    ("Lenovo, which owns a 9% stake in Quillmark, gained.", ("Lenovo", 9, "percent", None)),
])
def test_an_investment_or_stake_is_the_holder_s(text: str, expected: tuple[str, float, str, str | None]) -> None:
    assert expected in metrics(text)


def test_a_roundup_paragraph_s_figures_are_its_company_s() -> None:
    text = ("Lenovo had a strong quarter. Revenue rose 12% to $18bn.\n\n"
            "Xiaomi did better still. Revenue rose 30% to $14bn.")
    found = metrics(text)
    assert ("Lenovo", 18_000_000_000, "USD", None) in found and ("Xiaomi", 14_000_000_000, "USD", None) in found


@pytest.mark.parametrize("text", [
    "Quillmark is close to raising $50 million in a round led by Tencent.",
    "Quillmark plans to release a new version of its robots, Heron-3, next month.",
    "Headline: Quillmark nears a funding round led by Tencent",
])
def test_what_is_not_done_yet_is_no_fact(text: str) -> None:
    found = facts(text)
    assert not any(p in ("investsIn", "develops") for _, p, _ in found), found


def test_names_across_odd_whitespace_are_the_same_names() -> None:
    found = mentions("Baidu\u00a0launched Ernie\t4.5 and Moore\u00a0Threads grew. Baidu showed Ernie 9.9\tTurbo too.")
    assert found["Ernie\t4.5"] == ("Ernie 4.5", "AIModel")
    assert found["Moore\u00a0Threads"][0] == "Moore Threads"
    assert found["Ernie 9.9\tTurbo"][0] == "Ernie 9.9 Turbo"


def test_a_missing_space_after_a_full_stop_still_ends_the_sentence() -> None:
    found = facts("Revenue rose 5%, Baidu reported.Tencent competes with Baidu in cloud.")
    assert has(found, "Tencent", "competesWith", "Baidu")


@pytest.mark.parametrize("text, expected", [
    ("Lenovo is big. It buys Quillmark's robot arms, and the two companies signed a supply agreement in May.",
     ("Lenovo", "partnersWith", "Quillmark")),
    ("Lenovo engineers are working closely with Quillmark on the new arm.", ("Lenovo", "partnersWith", "Quillmark")),
    ("Quillmark is designing a custom controller with Lenovo.", ("Quillmark", "partnersWith", "Lenovo")),
])
def test_partnerships_said_in_other_words(text: str, expected: tuple[str, str, str]) -> None:
    assert has(facts(text), *expected)


@pytest.mark.parametrize("text", [
    "Quillmark and Lenovo called the deal off in June.",
    "Quillmark and Lenovo called off their partnership in June.",
    "Quillmark and Lenovo scrapped their joint venture.",
])
def test_a_deal_called_off_is_no_partnership(text: str) -> None:
    found = facts(text)
    assert not has(found, "Quillmark", "partnersWith", "Lenovo"), found


def test_a_description_with_a_nationality_skips_companies_of_another() -> None:
    trace: list[dict[str, object]] = []
    extract(Article("t", "", "Orvane, the Japanese toolmaker, grew. Quillmark, a Chinese robot maker, bought its "
                    "arms. The Japanese company has since doubled output."), trace=trace)
    seen = {m["text"]: m["entity"] for step in trace for m in step["mentions"]}  # type: ignore[attr-defined]
    assert seen["The Japanese company"] == "Orvane"


def test_its_subsidiary_names_a_subsidiary() -> None:
    found = facts("Lenovo makes servers in Mexico through its subsidiary Orvane Robotics.")
    assert ("Orvane Robotics", "subsidiaryOf", "Lenovo") in found


def test_a_bare_its_list_is_the_list_the_article_names() -> None:
    text = ("The Pentagon added Quillmark and Orvane to its list of military companies on Monday. "
            "Being on the 1260H list does not bar sales.")
    found = facts(text)
    assert ("Quillmark", "subjectTo", "1260H List") in found and ("Orvane", "subjectTo", "1260H List") in found


@pytest.mark.parametrize("text, expected", [
    ("Most of it would be built by Orvane Energy, Lenovo's renewable-power unit.",
     ("Orvane Energy", "subsidiaryOf", "Lenovo")),
    ("Lenovo, whose Orvane Cloud is the largest private provider, grew.", ("Orvane Cloud", "subsidiaryOf", "Lenovo")),
    ("The rack holds some 2,000 Nvidia H100 and H200 GPUs.", ("Nvidia", "develops", "H200")),
    ("Lenovo has put $1bn into Orvane, while Tencent has committed $2bn to Quillmark.",
     ("Tencent", "investsIn", "Quillmark")),
])
def test_appositions_whose_prefix_lists_and_perfects(text: str, expected: tuple[str, str, str]) -> None:
    assert has(facts(text), *expected), facts(text)


def test_a_long_apposition_after_the_subject_does_not_hide_its_verb() -> None:
    found = facts("Quillmark, the robot maker founded last spring and backed by Lenovo's venture arm, has "
                  "ordered 2,000 of Nvidia's H20 chips and signed a collaboration with Tencent.")
    assert ("Quillmark", "usesChip", "H20") in found and has(found, "Quillmark", "partnersWith", "Tencent"), found


def test_a_name_compounded_with_a_deal_noun_is_the_other_party() -> None:
    assert has(facts("Tencent signed the Lenovo partnership in May."), "Tencent", "partnersWith", "Lenovo")
    assert has(facts("Tencent's Lenovo pact was signed in May."), "Tencent", "partnersWith", "Lenovo")


def test_rivals_named_without_an_owner_are_the_rivals_of_the_company_at_hand() -> None:
    found = facts("Tencent had a record quarter. Its shares have outpaced those of rivals such as Lenovo and "
                  "Xiaomi this year.")
    assert has(found, "Tencent", "competesWith", "Lenovo") and has(found, "Tencent", "competesWith", "Xiaomi")
    assert not has(found, "Lenovo", "competesWith", "Xiaomi")


@pytest.mark.parametrize("text, label, imposers", [
    ("Beijing restricted exports of graphite and antimony to the United States on Friday.",
     "Chinese restrictions on exports of graphite and antimony to the United States", {"China"}),
    ("Japan's trade ministry banned shipments of photoresists, etching gases and masks outright.",
     "Japanese ban on shipments of photoresists, etching gases and masks", None),
])
def test_a_restriction_stated_with_a_verb_is_named_after_it(text: str, label: str, imposers: set[str] | None) -> None:
    found = facts(text)
    imposed = {o for s, p, o in found if s == label and p == "imposedBy"}
    assert imposed, found
    assert imposers is None or imposers <= imposed


@pytest.mark.parametrize("text", [
    "Beijing could restrict exports of graphite next year.",
    "Lenovo banned smoking in its offices.",
])
def test_restriction_verbs_near_misses(text: str) -> None:
    assert not any(p == "imposedBy" for _, p, _ in facts(text))


@pytest.mark.parametrize("text, expected", [
    ("Lenovo is big. The Beijing group's Orvane Robotics unit designs arms.",
     ("Orvane Robotics", "subsidiaryOf", "Lenovo")),
    ("Orvane Labs is now a unit of Lenovo.", ("Orvane Labs", "subsidiaryOf", "Lenovo")),
    ("Mara Ellison, who is chief executive of Quillmark and also serves as chairman and chief executive of "
     "Orvane Labs, spoke.", ("Mara Ellison", "ceoOf", "Orvane Labs")),
])
def test_units_and_second_titles(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text), facts(text)


@pytest.mark.parametrize("text, expected", [
    ("Lenovo is a start-up. Early backers include Tencent and Xiaomi.", ("Tencent", "investsIn", "Lenovo")),
    ("Lenovo struck partnerships with Tencent and Xiaomi.", ("Lenovo", "partnersWith", "Xiaomi")),
    ("Lenovo is co-developing a robot with Xiaomi.", ("Lenovo", "partnersWith", "Xiaomi")),
    ("Lenovo lists Xiaomi among its competitors.", ("Lenovo", "competesWith", "Xiaomi")),
])
def test_phrasings_of_the_issue(text: str, expected: tuple[str, str, str]) -> None:
    found = facts(text)
    assert has(found, *expected), found
    assert not any(p == "subjectTo" for _, p, _ in found), found


@pytest.mark.parametrize("text, expected, absent", [
    ("Orvane Foundry, which makes the ZX-40 accelerator for Lenovo, grew.",
     ("Orvane Foundry", "manufactures", "ZX-40"), ("Orvane Foundry", "develops", "ZX-40")),
    ("TSMC has been making the H20 for Nvidia since 2023.", ("TSMC", "manufactures", "H20"),
     ("TSMC", "develops", "H20")),
    ("Singapore-based Orvane Robotics raised money.", ("Orvane Robotics", "headquarteredIn", "Singapore"), None),
    ("Lenovo launched a chatbot called Lumi in March.", ("Lenovo", "develops", "Lumi"), None),
    ("The Heron-3 model was developed on Ascend 910B chips.", ("Heron-3", "usesChip", "Ascend 910B"), None),
])
def test_made_for_others_based_called_developed_on(text: str, expected: tuple[str, str, str],
                                                   absent: tuple[str, str, str] | None) -> None:
    found = facts(text)
    assert expected in found, found
    assert absent is None or absent not in found, found


@pytest.mark.parametrize("text, expected", [
    ("Lenovo is a Chinese company.", ("Lenovo", "headquarteredIn", "China")),
    ("Orvane remains one of the largest Japanese toolmakers.", ("Orvane", "headquarteredIn", "Japan")),
])
def test_a_copula_with_a_nationality(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_a_copula_with_a_nationality_of_something_else_is_not_the_company_s() -> None:
    assert ("Lenovo", "headquarteredIn", "China") not in facts("Lenovo is a rival of the Chinese company Xiaomi.")


def test_a_list_of_share_moves_gives_each_company_its_own() -> None:
    found = metrics("Lenovo shares jumped 4.5% on Monday and Xiaomi closed 1.5% higher, while Tencent slipped "
                    "2.5% and Baidu tumbled 6%.")
    assert {("Lenovo", 4.5), ("Xiaomi", 1.5), ("Tencent", -2.5), ("Baidu", -6.0)} <= {(c, v) for c, v, _, _ in found}


@pytest.mark.parametrize("text, expected", [
    ("Quillmark Robotics released Heron-2 in March. The Heron-2 maker said revenue doubled.",
     ("Quillmark Robotics", "develops", "Heron-2")),
    ("Quillmark Robotics released Heron-2 in March. Tencent, which owns a 9% stake in the Heron-2 developer, "
     "gained.", ("Tencent", "investsIn", "Quillmark Robotics")),
    ("Lenovo, the Beijing company whose Heron-2 robot impressed buyers, grew.", ("Lenovo", "develops", "Heron-2")),
])
def test_companies_described_by_their_products(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text), facts(text)


def test_a_product_description_with_no_known_maker_names_no_one() -> None:
    found = facts("Tencent grew. Baidu, which owns a 9% stake in the Heron-2 developer, gained.")
    assert not any(p == "investsIn" for _, p, _ in found), found


@pytest.mark.parametrize("text, expected, absent", [
    ("Orvane Robotics, a start-up based in Japan, raised money.", ("Orvane Robotics", "headquarteredIn", "Japan"),
     None),
    ("Lenovo, which is based in Beijing, grew.", None, ("Lenovo", "headquarteredIn", "China")),
    ("Eddie Wu resigned as chief executive of Alibaba Group in May.", None, ("Eddie Wu", "ceoOf", "Alibaba Group")),
])
def test_based_in_and_ended_roles(text: str, expected: tuple[str, str, str] | None,
                                  absent: tuple[str, str, str] | None) -> None:
    found = facts(text)
    assert expected is None or expected in found, found
    assert absent is None or absent not in found, found


# --- funding rounds and stakes, in the shapes news writes them --------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Quillfern Dynamics counts Harbor Ventures and Baidu among its biggest investors.",
     {("Harbor Ventures", "investsIn", "Quillfern Dynamics"), ("Baidu", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics is a start-up whose backers include Tencent.",
     {("Tencent", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics, in which Lenovo holds a 12% stake, opened a lab in Wuhan.",
     {("Lenovo", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics, in which Lenovo is the largest shareholder, opened a lab in Wuhan.",
     {("Lenovo", "investsIn", "Quillfern Dynamics")}),
    ("Meituan headed Quillfern Dynamics' $80 million Series C, the start-up said.",
     {("Meituan", "investsIn", "Quillfern Dynamics")}),
    ("Meituan led Quillfern Dynamics' Series A.", {("Meituan", "investsIn", "Quillfern Dynamics")}),
    ("Meituan led the round in Quillfern Dynamics, with Lenovo and JD.com participating.",
     {("Meituan", "investsIn", "Quillfern Dynamics"), ("Lenovo", "investsIn", "Quillfern Dynamics"),
      ("JD.com", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics raised $20 million from Meituan, with Lenovo also joining the round.",
     {("Meituan", "investsIn", "Quillfern Dynamics"), ("Lenovo", "investsIn", "Quillfern Dynamics")}),
    # the participle hung on the amount, and participation as a noun
    ("Quillfern Dynamics collected $45 million in a funding round co-led by Lenovo and JD.com.",
     {("Lenovo", "investsIn", "Quillfern Dynamics"), ("JD.com", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics raised $45 million in a round led by Meituan, with participation from Baidu.",
     {("Meituan", "investsIn", "Quillfern Dynamics"), ("Baidu", "investsIn", "Quillfern Dynamics")}),
    # a bare share is of the company the article is about
    ("Quillfern Dynamics, a Wuhan start-up, filed for a listing. Lenovo is its largest shareholder. Meituan owns "
     "5.1%, and Baidu holds 3%.", {("Meituan", "investsIn", "Quillfern Dynamics"),
                                  ("Baidu", "investsIn", "Quillfern Dynamics")}),
    # the part taken is in the round the sentence before names
    ("Quillfern Dynamics, a Wuhan start-up, closed a Series B round in March. Lenovo and Baidu both took part.",
     {("Lenovo", "investsIn", "Quillfern Dynamics"), ("Baidu", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics, a Wuhan start-up, closed a Series B round in March. JD.com participated too.",
     {("JD.com", "investsIn", "Quillfern Dynamics")}),
    ("Quillfern Dynamics, a Wuhan robot maker, raised $30 million from Meituan, with Lenovo and Baidu also "
     "taking part.", {("Lenovo", "investsIn", "Quillfern Dynamics"), ("Baidu", "investsIn", "Quillfern Dynamics")}),
])
def test_funding_rounds_and_stakes(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert expected <= facts(text)


@pytest.mark.parametrize("text, absent", [
    # the idiom's last words say the relation: customers, reliance and rivals are not investors
    ("Quillfern Dynamics counts Meituan among its customers.", ("Meituan", "investsIn", "Quillfern Dynamics")),
    ("Quillfern Dynamics counts Meituan among its customers.", ("Quillfern Dynamics", "competesWith", "Meituan")),
    ("Quillfern Dynamics counts on Meituan for delivery data.", ("Meituan", "investsIn", "Quillfern Dynamics")),
    # participation that is not in a raise
    ("Quillfern Dynamics hosted a robotics fair with participation from Baidu.",
     ("Baidu", "investsIn", "Quillfern Dynamics")),
    ("Quillfern Dynamics, a Wuhan start-up, hosted a robotics fair in March. Lenovo and Baidu both took part.",
     ("Baidu", "investsIn", "Quillfern Dynamics")),
    ("Quillfern Dynamics, a Wuhan start-up, filed for a listing. Baidu holds 3% of the market for maps.",
     ("Baidu", "investsIn", "Quillfern Dynamics")),
    # the relative's noun is someone else's: "a fund whose investors include"
    ("Quillfern Dynamics was backed by a fund whose investors include Lenovo.",
     ("Lenovo", "investsIn", "Quillfern Dynamics")),
    # a "with" phrase that is the verb's own argument is no absolute clause's subject
    ("Meituan partnered with Quillfern Dynamics, using Nvidia H800 chips.", ("Quillfern Dynamics", "usesChip", "H800")),
])
def test_funding_near_misses(text: str, absent: tuple[str, str, str]) -> None:
    assert absent not in facts(text)


def test_a_round_s_size_is_the_funded_company_s_figure() -> None:
    found = metrics("Meituan led Quillfern Dynamics' $80 million funding round.")
    assert ("Quillfern Dynamics", 80_000_000, "USD", None) in found
    assert not any(m[0] == "Meituan" for m in found)


@pytest.mark.parametrize("text, expected, absent", [
    # a participle after the copula's noun phrase says who made the copula's subject
    ("The Pelion V3 is a 4-nanometre processor for drones, designed by Quorix Semiconductor and manufactured by "
     "SMIC.", {("Quorix Semiconductor", "develops", "Pelion V3"), ("SMIC", "manufactures", "Pelion V3")}, None),
    ("The Pelion V3 is an AI processor designed by Quorix Semiconductor.",
     {("Quorix Semiconductor", "develops", "Pelion V3")}, None),
    # the participle of another noun phrase: the maker's own chip is not the one designed by Quorix
    ("Lumora Labs is the maker of a processor designed by Quorix Semiconductor.", set(),
     ("Lumora Labs", "develops", "Quorix Semiconductor")),
    # a lower-case word between two names joins no company name
    ("The Pelion V3 chips are made by SMIC for Quorix Semiconductor.", {("SMIC", "manufactures", "Pelion V3")}, None),
    ("Analysts say Quorix Semiconductor has spent two years chasing Nvidia for data-centre orders.",
     {("Quorix Semiconductor", "competesWith", "Nvidia")}, None),
    ("Quorix Semiconductor is pursuing a deal with Nvidia.", set(), ("Quorix Semiconductor", "partnersWith", "Nvidia")),
    ("Quorix Semiconductor is seeking a partnership with Nvidia.", set(),
     ("Quorix Semiconductor", "partnersWith", "Nvidia")),
])
def test_participles_names_and_chasers(text: str, expected: set[tuple[str, str, str]],
                                       absent: tuple[str, str, str] | None) -> None:
    found = facts(text)
    assert all(has(found, *f) for f in expected), found
    if absent:
        assert not has(found, *absent)


@pytest.mark.parametrize("text, expected", [
    # a plural restriction as the subject of a past-tense verb
    ("Pellucid Micro, a Hefei chip designer, grew fast. US export controls barred the sale of its V7 accelerator "
     "to China.", ("V7", "subjectTo", "US export controls on advanced chips")),
    ("Pellucid Micro, a Hefei chip designer, grew fast. Its V7 accelerator was swept up by the US export controls.",
     ("V7", "subjectTo", "US export controls on advanced chips")),
])
def test_restrictions_as_subjects_and_agents(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_a_restriction_that_did_not_hit_states_nothing() -> None:
    found = facts("Pellucid Micro, a Hefei chip designer, grew fast. The US sanctions did not hit Pellucid Micro.")
    assert not any(p == "subjectTo" for _, p, _ in found)


@pytest.mark.parametrize("text, expected", [
    ("Chip stocks were mixed on Friday. Pellucid Micro fell 3.2%.", ("Pellucid Micro", -3.2, "percent", None)),
    ("Chip stocks were mixed on Friday. Pellucid Micro, which supplies Lenovo, added 1.4%.",
     ("Pellucid Micro", 1.4, "percent", None)),
    ("Chip stocks were mixed on Friday. Pellucid Micro, Lenovo's main supplier, rose 2.5%.",
     ("Pellucid Micro", 2.5, "percent", None)),
])
def test_a_company_that_moved_is_its_share_price(text: str, expected: tuple[str, float, str, None]) -> None:
    assert expected in metrics(text, date=None)


def test_a_change_of_a_named_figure_is_not_the_share_price() -> None:
    ex = extract(Article("test", "", "Pellucid Micro said its revenue fell 3.2% in the quarter.", date=None))
    assert [m.name for m in ex.metrics if m.value == -3.2] == ["revenue change"]


def test_figures_listed_by_gapping_and_apposition() -> None:
    found = metrics("Quillfern held 31% of the tablet market and Lenovo 19%, while HP's share slipped to 8%.",
                    date=None)
    assert {("Quillfern", 31, "percent", None), ("Lenovo", 19, "percent", None), ("HP Inc.", 8, "percent", None)} <= \
        found
    unit = metrics("Pellucid Micro's memory arm, Pellucid Memory, grew revenue 14% to $2.1 billion.", date=None)
    assert ("Pellucid Memory", 2_100_000_000, "USD", None) in unit
    assert not any(m[0] == "Pellucid Micro" for m in unit)


def test_a_trailing_up_or_down_is_the_change_of_the_figure_before() -> None:
    ex = extract(Article("test", "", "Pellucid Micro shipped 3.1 million servers in the quarter, down 4%.", date=None))
    assert {(m.name, m.value) for m in ex.metrics} == {("servers", 3_100_000), ("servers change", -4)}


@pytest.mark.parametrize("text, expected", [
    ("Pellucid Micro, a Hefei chip designer, grew fast. It said the V7, its China-market accelerator, sold out.",
     ("Pellucid Micro", "develops", "V7")),
    ("Pellucid Micro, a Hefei chip designer, grew fast. The new rack links 512 of its V7 processors.",
     ("Pellucid Micro", "develops", "V7")),
])
def test_its_product_with_capitalised_modifiers_and_a_subject_of_its_own(text: str,
                                                                           expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_a_company_that_trains_a_model_on_a_chip_is_the_user_not_the_model() -> None:
    found = facts("Baidu trains its Ernie models on Kunlun P800 chips.")
    assert ("Baidu", "usesChip", "Kunlun P800") in found
    assert ("Ernie", "usesChip", "Kunlun P800") not in found
    assert ("Ernie", "usesChip", "Kunlun P800") in facts("Ernie was trained on Kunlun P800 chips.")


def test_a_chip_the_possessor_bought_is_not_its_own() -> None:
    found = facts("Pellucid Micro, a Hefei chip designer, grew fast. It plans to buy its H100 chips from resellers.")
    assert ("Pellucid Micro", "develops", "H100") not in found


def test_places_and_participles_before_nouns_name_no_product() -> None:
    ex = extract(Article("test", "", "Pellucid Micro, a Hefei chip designer, grew fast. TSMC makes the V7, the "
                                     "Pellucid-designed AI processor that carmakers buy."))
    found = {(f.subject.label, f.predicate, f.object.label) for f in ex.facts}
    names = {m.entity.label: m.entity.type for m in ex.mentions}
    assert "Hefei" not in names or names["Hefei"] != "Chip"
    assert not any("designed" in n for n in names)
    assert ("Pellucid Micro", "develops", "V7") in found


def test_a_name_called_with_its_article() -> None:
    found = facts("Pellucid Micro has designed an inference processor called the Vanta.")
    assert ("Pellucid Micro", "develops", "Vanta") in found
    assert mentions("Pellucid Micro released a model known as the Orrin.").get("Orrin") == ("Orrin", "AIModel")


def test_a_new_name_a_company_possesses_is_its_product_unless_a_company_noun_follows() -> None:
    assert mentions("Xiaomi said its Norvik would ship in May.").get("Norvik") == ("Norvik", "Product")
    assert ("Xiaomi", "develops", "Norvik") in facts("Xiaomi said its Norvik would ship in May.")
    assert mentions("Tencent folded its Pebblecast unit into WeChat.").get("Pebblecast") == ("Pebblecast", "Company")


def test_an_apposition_ends_before_its_relative_clause() -> None:
    found = mentions("Ilse Varga, a Baidu co-founder who now leads rival Pellucid Micro, spoke on Monday.")
    assert found["Ilse Varga"][1] == "Person"


@pytest.mark.parametrize("text, expected, absent", [
    # a capitalised acronym between a new name and a product noun qualifies the noun: the name is the product's
    ("Backers poured money into Tavrin, the Wuhan start-up behind the Osprey AI assistant, last spring.",
     ("Tavrin", "develops", "Osprey"), ("Tavrin", "develops", "Osprey AI")),
    ("Tavrin, maker of the Osprey AI agent, opened an office in Paris.",
     ("Tavrin", "develops", "Osprey"), None),
])
def test_an_acronym_before_a_product_noun_is_no_company_name(text: str, expected: tuple[str, str, str],
                                                            absent: tuple[str, str, str] | None) -> None:
    found = facts(text)
    assert expected in found
    assert absent is None or absent not in found
    assert mentions(text).get("Osprey AI") is None


def test_a_capitalised_name_before_a_restriction_noun_is_its_name() -> None:
    text = ("Indonesia said the Strategic Goods Licence requirement starts in March. The licence requirement "
            "applies to the H100 and the B200.")
    found = facts(text)
    assert ("H100", "subjectTo", "Strategic Goods Licence requirement") in found
    assert ("B200", "subjectTo", "Strategic Goods Licence requirement") in found
    # a title-case headline's capitalised noun is no such name
    assert not any("Tightens" in name for name in mentions("Indonesia Tightens Chip Rules\n\nThe rules hit Nvidia."))


@pytest.mark.parametrize("text, expected", [
    ("Washington put Pellucid Micro, a Xi'an chip designer, on the Entity List in June, along with Megvii and "
     "SenseTime.", {("Megvii", "subjectTo", "Entity List"), ("SenseTime", "subjectTo", "Entity List"),
                 ("Pellucid Micro", "subjectTo", "Entity List")}),
    ("Pellucid Micro was placed on the Entity List together with Megvii.",
     {("Megvii", "subjectTo", "Entity List"), ("Pellucid Micro", "subjectTo", "Entity List")}),
])
def test_companies_listed_along_with_the_one_added(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert expected <= facts(text)


def test_a_brand_before_a_listed_noun_is_not_what_the_rule_covers() -> None:
    found = facts("The Dutch licence requirement now covers Nvidia products such as the H100 and the H20.")
    assert ("Nvidia", "subjectTo", "Dutch licence requirement") not in found
    assert ("H20", "subjectTo", "Dutch licence requirement") in found
    # with no list the brand is what the noun stands for
    assert any(s == "ASML" and p == "subjectTo" for s, p, _ in facts(
        "The Dutch licence requirement now covers ASML products sold to China."))


@pytest.mark.parametrize("text, expected", [
    ("Pellucid Micro, a Xi'an chip designer, has been part of Lenovo since 2022.",
     ("Pellucid Micro", "subsidiaryOf", "Lenovo")),
    ("Corvane, a US wafer maker, sells in Japan through its subsidiary Shenzhen Lumeng Optics Technology.",
     ("Shenzhen Lumeng Optics Technology", "subsidiaryOf", "Corvane")),
])
def test_part_of_and_a_place_led_company_name(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_part_of_something_else_is_no_subsidiary() -> None:
    assert not any(p == "subsidiaryOf" for _, p, _ in facts("Lenovo sold part of Pellucid Micro, a Xi'an chip "
                                                             "designer, to Xiaomi."))
    assert not any(p == "subsidiaryOf" for _, p, _ in facts("Pellucid Micro, a Xi'an chip designer, is part of a "
                                                             "group of firms that supply Lenovo."))


def test_a_numbered_name_a_company_possesses_is_typed_by_the_names_it_resembles() -> None:
    found = mentions("Nvidia's H35 line, which is built by TSMC, ships in May.")
    assert found.get("H35") == ("H35", "Chip")
    assert ("TSMC", "manufactures", "H35") in facts("Nvidia's H35 line, which is built by TSMC, ships in May.")
    # without a number the possessed name is left to other cues
    assert mentions("Tencent's Marlow Chen said the company would invest more.").get("Marlow Chen", ("", ""))[1] \
        != "Chip"


def test_a_known_company_name_ending_in_an_acronym_before_a_product_noun_is_the_product() -> None:
    assert mentions("Downloads of the Manus AI agent doubled in May.").get("Manus") == ("Manus", "Product")
    assert mentions("Manus AI moved its headquarters to Singapore.").get("Manus AI") == ("Manus AI", "Company")
