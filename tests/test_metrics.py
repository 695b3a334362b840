"""Metric extraction (ingest/metrics.py) on sentences written for these tests, each with near-miss variants:
whose figure a number is, its unit, its sign, and what is not a reported figure.

None of these sentences comes from the evaluation corpus. Where a test needs a company the text alone names
plainly ("X employs ...") it uses one the knowledge base knows (Xiaomi); the other names are made up.
"""

from __future__ import annotations

import pytest

from ingest.extract import extract
from ingest.metrics import find_period
from ingest.model import Article

Row = tuple[str, float, str]


def rows(text: str, title: str = "", date: str | None = "2025-08-30") -> set[Row]:
    ex = extract(Article("test", title, text, date=date))
    return {(m.company.label, m.value, m.unit) for m in ex.metrics}


def owners(text: str, value: float) -> set[str]:
    return {c for c, v, _ in rows(text) if v == value}


# --- amounts and their units ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Xiaomi said its first-half net loss was 720m yuan.", ("Xiaomi", 720_000_000, "CNY")),
    ("Xiaomi said its first-half net loss was 720m RMB.", ("Xiaomi", 720_000_000, "CNY")),
    ("Xiaomi said its first-half net loss was $720m.", ("Xiaomi", 720_000_000, "USD")),
])
def test_a_short_scale_with_a_currency_after_it_is_money(text: str, expected: Row) -> None:
    assert expected in rows(text)


def test_a_short_scale_without_a_currency_is_no_money() -> None:
    assert not any(u in ("USD", "CNY") for _, _, u in rows("Quillmark's new fab sits 450 m from the river."))


@pytest.mark.parametrize("text, expected", [
    ("Xiaomi employs about 1,300 people in four cities.", ("Xiaomi", 1300, "employees")),
    ("Xiaomi, which employed roughly 950 staff last year, is hiring again.", ("Xiaomi", 950, "employees")),
    ("Quillmark's coding assistant has been used by more than 3 million developers.",
     ("Quillmark", 3_000_000, "users")),
    ("Quillmark's reading app was downloaded over 8 million times in its first month.",
     ("Quillmark", 8_000_000, "downloads")),
])
def test_a_count_takes_its_unit_from_the_verb(text: str, expected: Row) -> None:
    assert expected in rows(text)


@pytest.mark.parametrize("text", [
    "Xiaomi met about 1,300 people at the fair.",  # meeting people counts no employees
    "Xiaomi said the chip uses about 700 watts.",  # "uses" is not "used by"
])
def test_a_count_without_such_a_verb_is_not_one(text: str) -> None:
    found = rows(text)
    assert not any(u in ("employees", "users") for _, _, u in found)


def test_a_figure_a_change_starts_from_has_the_unit_of_the_figure_before() -> None:
    found = rows("Xiaomi now has about 410 employees, down from more than 520 in January.")
    assert ("Xiaomi", 410, "employees") in found
    assert ("Xiaomi", 520, "employees") in found
    # a year after "up from" is no count
    assert not any(v == 2023 for _, v, _ in rows("Xiaomi now has 410 employees, up from 2023 levels."))


def test_a_rate_per_month_is_one_unit() -> None:
    assert ("Quillmark", 52_000, "wafers per month") in rows(
        "Quillmark's capacity will reach about 52,000 wafers a month by December.")
    assert ("Quillmark", 52_000, "wafers per month") in rows(
        "Quillmark's capacity will reach about 52,000 wafers per month by December.")
    assert ("Xiaomi", 52_000, "wafers per month") in rows("Xiaomi's monthly capacity is about 52,000 wafers.")
    # a count whose own name says monthly is no rate
    assert ("Xiaomi", 52_000_000, "users") in rows("Xiaomi's monthly active users reached 52 million users.")


def test_a_clusters_size_in_named_chips_is_no_count() -> None:
    assert not any(u == "chips" for _, _, u in rows("Xiaomi trained it on a cluster of roughly 9,000 Nvidia A800 "
                                                    "chips."))


@pytest.mark.parametrize("text", [
    "Xiaomi cut the price of its model to 0.0006 yuan per 1,000 tokens.",
    "Xiaomi cut the price of its model to $0.14 per 1 million tokens.",
    "Xiaomi said the new price was 97.5% below the industry average.",
    "Xiaomi said its price was 40% lower than that of its rivals.",
])
def test_a_unit_price_or_a_comparison_is_no_figure(text: str) -> None:
    assert not rows(text)


@pytest.mark.parametrize("text", [
    "Xiaomi says its new rack can link up to 4,000 accelerators.",
    "Xiaomi holds less than 5% of the market.",
    "Xiaomi's pod packs 6,144 chips per rack.",
    "Xiaomi said holdings of $3 million or less in its funds are exempt.",
    "Xiaomi's rule covers units it owns 50% or more.",
])
def test_a_bound_or_a_products_make_up_is_no_figure(text: str) -> None:
    assert not rows(text)


@pytest.mark.parametrize("text, expected", [
    ("Xiaomi booked charges of up to $800m.", ("Xiaomi", 800_000_000, "USD")),  # an amount: the figure given
    ("Xiaomi holds more than 5% of the market.", ("Xiaomi", 5, "percent")),  # "more than X" is X
    ("Xiaomi's fab turns out 52,000 wafers per month.", ("Xiaomi", 52_000, "wafers per month")),
])
def test_near_bounds_that_are_figures(text: str, expected: Row) -> None:
    assert expected in rows(text)


@pytest.mark.parametrize("text, expected", [
    ("Xiaomi earned $1.08 a diluted share in the quarter.", ("Xiaomi", 1.08, "USD")),
    ("Xiaomi's gross margin was 22.5%, above 20% a year earlier.", ("Xiaomi", 22.5, "percent")),
])
def test_a_share_and_a_figure_compared_with_its_past_are_figures(text: str, expected: Row) -> None:
    assert expected in rows(text)


# --- changes: direction and wording -----------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("Quillmark's revenue came to $3.1 billion, ahead of forecasts and up 7% from the previous quarter.", 7),
    ("Quillmark's revenue came to $3.1 billion, ahead of forecasts and down 7% from the previous quarter.", -7),
    ("Quillmark's revenue came to $3.1 billion, up 7% from the previous quarter.", 7),
])
def test_and_up_after_a_figure_is_its_change(text: str, value: float) -> None:
    assert ("Quillmark", value, "percent") in rows(text)


@pytest.mark.parametrize("text, value", [
    ("Xiaomi shares fell by the 10% daily limit on Monday.", -10),
    ("Xiaomi shares rose by the 10% daily limit on Monday.", 10),
    ("Xiaomi, which sells servers to banks, edged down 0.7%.", -0.7),
    ("Xiaomi, which sells servers to banks, edged up 0.7%.", 0.7),
])
def test_share_moves(text: str, value: float) -> None:
    assert ("Xiaomi", value, "percent") in rows(text)


@pytest.mark.parametrize("text, value", [
    ("Quillmark expects its revenue to reach $5 billion next year, about 12% more than this year.", 12),
    ("Quillmark expects its revenue to reach $5 billion next year, about 12% less than this year.", -12),
])
def test_more_or_less_than_a_year_before_is_a_change(text: str, value: float) -> None:
    assert ("Quillmark", value, "percent") in rows(text)


# --- whose figure -----------------------------------------------------------------------------------------

def test_the_company_that_says_it_owns_the_figure_not_one_further_on() -> None:
    text = ("Xiaomi had a strong half. Xiaomi's shares rose.\n\nFor the first half, revenue reached 2.2 billion yuan "
            "and net profit 310 million yuan, according to a filing to the Shenzhen Stock Exchange.")
    found = rows(text)
    assert ("Xiaomi", 2_200_000_000, "CNY") in found
    assert not any(c == "Shenzhen Stock Exchange" for c, *_ in found)
    # named just before "said", the company is the owner
    assert owners("Revenue reached 2.2 billion yuan in the half, Xiaomi said.", 2_200_000_000) == {"Xiaomi"}


def test_a_paragraph_that_opens_without_a_company_keeps_the_article_topic() -> None:
    text = ("Xiaomi said sales hit a record on Tuesday. Xiaomi's chief executive called demand strong.\n\n"
            "Revenue from phones climbed 31% to $2 billion. Revenue from tablets grew 12% from the first quarter, "
            "the finance chief said, as Lenovo and Dell cut prices. Revenue from wearables rose 9% to $400 million.")
    found = rows(text)
    assert ("Xiaomi", 400_000_000, "USD") in found
    assert ("Xiaomi", 12, "percent") in found
    assert not any(c in ("Lenovo", "Dell Technologies") for c, *_ in found)


def test_a_paragraph_that_opens_with_a_company_gives_it_the_figures() -> None:
    text = ("Xiaomi had a quiet quarter.\n\n"
            "Lenovo was the stand-out. Revenue rose 18% to $17 billion.")
    assert ("Lenovo", 17_000_000_000, "USD") in rows(text)
    # "At X, ...": a frame naming whose the paragraph is
    text = ("Xiaomi had a quiet quarter. Xiaomi's shares fell.\n\n"
            "At Lenovo, revenue rose 5% to $1 billion. Net profit fell 2% to $90 million.")
    assert {c for c, v, _ in rows(text) if v in (1_000_000_000, 90_000_000)} == {"Lenovo"}
    # not a company after a preposition that opens the paragraph
    text = ("Xiaomi had a quiet quarter. Xiaomi's shares fell.\n\n"
            "In a filing to Lenovo, the board said so. Revenue rose 18% to $17 billion.")
    assert ("Xiaomi", 17_000_000_000, "USD") in rows(text)


@pytest.mark.parametrize("text", [
    "Tencent led a $400 million round in Quillmark in May that valued the start-up at $3 billion.",
    "Tencent led a $400 million round in Quillmark in May that valued the company at about $3 billion.",
    "Tencent led Quillmark's $400 million round in May, which valued it at $3 billion.",
])
def test_a_valuation_is_the_funded_companys(text: str) -> None:
    assert owners(text, 3_000_000_000) == {"Quillmark"}


def test_an_investor_that_joined_a_round_is_not_valued() -> None:
    text = "Quillmark raised money again in June. Tencent joined the round, which lifted the valuation to $4 billion."
    assert "Tencent" not in owners(text, 4_000_000_000)


@pytest.mark.parametrize("text, holder", [
    ("Quillmark's largest shareholder is Brightwater Capital, an investment firm controlled by a state fund, "
     "which held about 17.2% at the end of June.", "Brightwater Capital"),
    ("Brightwater Capital, the Dutch investor that owns about 31% of Quillmark, fell 4% in Amsterdam.",
     "Brightwater Capital"),
])
def test_a_holder_in_an_apposition_owns_the_stake(text: str, holder: str) -> None:
    value = 17.2 if "17.2" in text else 31
    assert owners(text, value) == {holder}


def test_a_persons_stake_is_no_company_figure() -> None:
    assert not owners("Xiaomi listed in Hong Kong in 2018. Its founder Lei Jun himself owns about 26%.", 26)
    assert owners("Xiaomi listed in Hong Kong in 2018. Brightwater Capital owns about 26%.", 26) == {
        "Brightwater Capital"}


def test_the_company_is_the_one_named_before_it_in_the_sentence() -> None:
    text = ("Brightwater Capital sold its stake last year. It said the unit accounted for 40% of Quillmark's "
            "revenue in the quarter, when the company's sales reached $1.2 billion.")
    assert owners(text, 1_200_000_000) == {"Quillmark"}


def test_a_rival_named_in_apposition_owns_its_figure() -> None:
    text = ("Quillmark had a good year. The company's closest rival at the leading edge, Velloria Foundry, the "
            "contract arm of Velloria Group, won a $9 billion order from Tesla in May.")
    assert owners(text, 9_000_000_000) == {"Velloria Foundry"}


def test_a_brand_or_a_place_after_a_preposition_is_not_the_subject() -> None:
    text = ("Xiaomi trained its new model last year. The model was trained on a cluster of Nvidia H800 chips at a "
            "cost of about $2.3 million.")
    assert owners(text, 2_300_000) == {"Xiaomi"}
    # the company itself the subject: its figure
    assert owners("Xiaomi trained its model. Nvidia booked a cost of about $2.3 million.", 2_300_000) == {"Nvidia"}


@pytest.mark.parametrize("text, expected", [
    ("Xiaomi makes about 35% of its phones in India.", ("Xiaomi", 35, "percent")),
    ("India generated 18% of Xiaomi's $50bn of revenue last year.", ("Xiaomi", 18, "percent")),
])
def test_a_part_of_the_owners_whole(text: str, expected: Row) -> None:
    assert expected in rows(text)


def test_a_percentage_of_nothing_owned_is_no_part() -> None:
    assert not rows("Xiaomi said about 35% of phones in India are imported.") & {("Xiaomi", 35, "percent")}


def test_an_outlook_repeats_the_name_of_the_figure_before() -> None:
    text = ("Xiaomi reported revenue of $12.5bn for the quarter ended June 30, up 30% from a year earlier, and "
            "expects about $14bn in the current quarter.")
    ex = extract(Article("test", "", text, date="2025-08-30"))
    assert [m.name for m in ex.metrics if m.value == 14_000_000_000] == ["revenue guidance"]
    # with no figure before it, an amount after such a verb keeps its own name, or is nothing
    ex = extract(Article("test", "", "Xiaomi expects about $14bn of new orders.", date="2025-08-30"))
    assert [m.name for m in ex.metrics] == ["orders"]
    assert not rows("Xiaomi said it expects about $14bn.")


@pytest.mark.parametrize("text, found", [
    ("Xiaomi, which put $1.5bn into the Abu Dhabi fund Brightwater last year, said so.", True),
    ("Xiaomi poured another $1.5bn into Brightwater.", True),
    ("Xiaomi put $1.5bn aside for Brightwater.", False),  # no "into": not an investment
])
def test_an_amount_put_into_a_company_is_an_investment(text: str, found: bool) -> None:
    assert (("Xiaomi", 1_500_000_000, "USD") in rows(text)) is found


# --- goals and conditions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Xiaomi aims to double revenue to 100 billion yuan by 2027.",
    "Xiaomi has set a goal of 50 million users by 2026.",
    "Xiaomi is targeting revenue of $5bn in 2026.",
    "Xiaomi said revenue would rise 20% if the deal closes.",
    "Xiaomi expects revenue of between $5bn and $5.5bn.",
])
def test_a_goal_a_condition_or_a_range_is_no_figure(text: str) -> None:
    assert not rows(text)


@pytest.mark.parametrize("text, expected", [
    ("Xiaomi plans to raise $2bn in its listing.", ("Xiaomi", 2_000_000_000, "USD")),  # a plan is annotated
    ("A broker raised its target price for Xiaomi's shares to HK$60.", ("Xiaomi", 60, "HKD")),
    ("Xiaomi's revenue rose 20%, and it may rise further if demand holds.", ("Xiaomi", 20, "percent")),
])
def test_near_goals_that_are_figures(text: str, expected: Row) -> None:
    assert expected in rows(text)


# --- periods ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, date, period", [
    ("in the September quarter", "2025-11-20", "2025-Q3"),
    ("in the December quarter", "2025-11-20", "2024-Q4"),  # not yet ended: the last one
    ("in the June quarter of 2024", "2025-11-20", "2024-Q2"),
    ("in the three months to September", "2025-11-20", "2025-Q3"),
    ("for the first nine months of 2024", "2025-11-20", "2024-9M"),
    ("in the first nine months", "2025-11-20", "2025-9M"),
    ("in the first nine months", "2026-01-15", "2025-9M"),
    ("in the first three quarters", "2025-11-20", "2025-9M"),
])
def test_periods_the_text_gives(text: str, date: str, period: str) -> None:
    assert find_period(text, date) == period


@pytest.mark.parametrize("text, owner", [
    ("Alibaba Group said revenue at its cloud division rose 34% in the quarter.", "Alibaba Cloud"),
    ("Tencent said its cloud unit's revenue rose 12% in the quarter.", "Tencent Cloud"),
    # no company of that name: the group's own figure
    ("Alibaba Group said revenue at its retail division rose 34% in the quarter.", "Alibaba Group"),
    ("Alibaba Group said revenue rose 34% in the quarter.", "Alibaba Group"),
])
def test_a_units_figure_is_the_units_when_the_knowledge_base_names_it(text: str, owner: str) -> None:
    assert owners(text, 34 if "34%" in text else 12) == {owner}


@pytest.mark.parametrize("text, name", [
    ("Xiaomi sold $17bn of phones into Europe last year.", "sales"),
    ("Xiaomi has taken 500 million yuan from Brightwater Capital.", "funding"),
    ("Xiaomi took a $4.5bn charge in the quarter.", "charge"),  # a name of its own wins
])
def test_a_verb_names_an_amount_no_metric_name_names(text: str, name: str) -> None:
    ex = extract(Article("test", "", text, date="2025-08-30"))
    assert [m.name for m in ex.metrics if m.company.label == "Xiaomi"] == [name]


def test_an_amount_not_just_after_the_verb_is_not_named_by_it() -> None:
    ex = extract(Article("test", "", "Xiaomi sold its drone unit for $900 million.", date="2025-08-30"))
    assert not [m for m in ex.metrics if m.name == "sales"]
