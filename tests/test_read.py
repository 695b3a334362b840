"""Reading articles from files: every format, every encoding, and every way a file can be bad."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.model import Article, InputError
from ingest.read import MAX_BYTES, SUFFIXES, iter_files, parse_date, read_file, read_paths

DATA = Path(__file__).parent / "data" / "read"
DEV = Path("/work/shared/corpus/dev/articles")


def one(path: Path) -> Article:
    articles = list(read_file(path))
    assert len(articles) == 1
    return articles[0]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def reason(excinfo: pytest.ExceptionInfo[InputError]) -> str:
    return excinfo.value.reason


# --- plain text ------------------------------------------------------------------------------------------


def test_txt_title_line_and_body() -> None:
    a = one(DATA / "headline.txt")
    assert a.title == "Halvard Foundry starts 22 nm risk production"
    assert a.text == (
        "Halvard Foundry said on Monday it had started risk production on its 22 nm line in Leipzig, six "
        "weeks ahead of plan.\n\n"
        "The first customer is Orrin Micro, which will use the line for motor-control chips."
    )
    assert a.date is None and a.url is None
    assert a.path == str(DATA / "headline.txt")
    assert a.id.startswith("doc:headline.txt:")  # file name, title and date: stable across edits of the body


def test_txt_without_title_line_uses_first_sentence_and_whole_text() -> None:
    a = one(DATA / "one_paragraph.txt")
    assert a.text.startswith("Brannock Assembly, the packaging contractor,")
    assert a.text.endswith("did not give a cost for the expansion.")
    assert a.title.startswith("Brannock Assembly, the packaging contractor")
    assert a.title.endswith("…") and len(a.title) <= 81


def test_txt_wrapped_paragraph_is_not_a_title(tmp_path: Path) -> None:
    path = write(tmp_path, "wrapped.txt",
                 "Ostmark Tools shipped ten lithography scanners.\nIt expects more orders.\n")
    a = one(path)
    assert a.title == "Ostmark Tools shipped ten lithography scanners"
    assert a.text == "Ostmark Tools shipped ten lithography scanners.\nIt expects more orders."


def test_txt_normalises_line_ends_trailing_space_and_blank_runs(tmp_path: Path) -> None:
    raw = ("Sunvale expands  \r\n\r\n\r\n\r\nSunvale Silicon will build a new hall.   \r\n"
           "It opens in 2026.\t\r\n\r\n\r\nEnd.\r\n")
    a = one(write(tmp_path, "crlf.txt", raw))
    assert a.title == "Sunvale expands"
    assert a.text == "Sunvale Silicon will build a new hall.\nIt opens in 2026.\n\nEnd."


# --- Markdown --------------------------------------------------------------------------------------------


def test_markdown_front_matter_and_stripping() -> None:
    a = one(DATA / "article.md")
    assert a.title == "Korvane Materials raises wafer prices for the third time this year"
    assert a.date == "2024-09-30"
    assert a.source == "Wafer Weekly"
    assert a.url == a.id == "https://waferweekly.example.com/2024/09/30/korvane-prices"
    assert a.text == "\n\n".join([
        "Korvane Materials, the largest supplier of silicon wafers in Europe, said on Monday it would raise "
        "prices by 6% from January.",
        "The increase follows similar moves by Sunvale Silicon and Tamura Crystal, and will hit chip makers "
        "such as Lumen Semiconductor that buy on short contracts.",
        "Why prices are rising",
        "Polysilicon costs have climbed since the spring.",
        "Demand for 300 mm wafers from AI chip makers is strong.",
        "Inventories at fabs are low back to normal.",
        '"We have no spare capacity until 2026," said a Korvane spokesperson.',
        "Analysts call it the tightest market since 2021* and expect more rises.",
        "Brightwater Research estimate.",
    ])
    for markup in ("#", "**", "__", "](", "![", "```", "price_index", "~~", "[^1]", "> "):
        assert markup not in a.text


def test_markdown_setext_title_and_reference_links() -> None:
    a = one(DATA / "untitled.md")
    assert a.title == "Setext titled chip note"
    assert a.text == (
        "Halvard Foundry will start risk production on its 22 nm line in May. The line was built with "
        "equipment bought from Ostmark Tools.\n\nSecond section\n\n"
        "Volume production is planned for the autumn."
    )


def test_markdown_title_from_first_heading_and_datetime_in_front_matter(tmp_path: Path) -> None:
    md = ("---\ndate: 2024-02-01T08:00:00Z\nauthor: Staff\n---\n\n"
          "# Tamura Crystal *expands*\n\nTamura grows crystals.\n")
    a = one(write(tmp_path, "a.markdown", md))
    assert (a.title, a.date, a.text) == ("Tamura Crystal expands", "2024-02-01", "Tamura grows crystals.")


def test_markdown_without_heading_uses_first_line(tmp_path: Path) -> None:
    a = one(write(tmp_path, "plain.md", "Ferrant Logic warns\n\nFerrant Logic cut its forecast on Tuesday."))
    assert (a.title, a.text) == ("Ferrant Logic warns", "Ferrant Logic cut its forecast on Tuesday.")


def test_markdown_bad_front_matter_names_file_line_and_reason() -> None:
    with pytest.raises(InputError) as excinfo:
        list(read_file(DATA / "bad_front_matter.md"))
    err = excinfo.value
    assert err.path == str(DATA / "bad_front_matter.md")
    assert err.line == 4
    assert "front matter is not valid YAML" in err.reason and "']'" in err.reason
    assert str(err).startswith(f"{DATA / 'bad_front_matter.md'}:4: ")
    assert "\n" not in str(err)


def test_markdown_unclosed_or_non_mapping_front_matter(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no closing"):
        list(read_file(write(tmp_path, "a.md", "---\ntitle: x\n\nBody text.\n")))
    with pytest.raises(InputError, match="not a mapping") as excinfo:
        list(read_file(write(tmp_path, "b.md", "---\n- just\n- a list\n---\nBody text.\n")))
    assert excinfo.value.line == 2


@pytest.mark.parametrize("value, reason", [
    ("2001-13-45", "'2001-13-45' is not a valid timestamp (month must be in 1..12)"),  # looks like a date: YAML
    ("2001-02-30", "'2001-02-30' is not a valid timestamp (day is out of range for month)"),  # makes it one
    ('!!int "abc"', "'abc' is not a valid int (invalid literal for int() with base 10: 'abc')"),
    ('!!timestamp "x"', "'x' is not a valid timestamp"),
    ('!!bool "maybe"', "'maybe' is not a valid bool"),
    ('!!float ""', "'' is not a valid float"),
    ("2001-02-03 25:00:00", "'2001-02-03 25:00:00' is not a valid timestamp (hour must be in 0..23)"),
])
def test_markdown_front_matter_value_that_cannot_be_built(tmp_path: Path, value: str, reason: str) -> None:
    """PyYAML's constructors raise ValueError, AttributeError, KeyError, IndexError for these: each is the file's
    InputError at the value's line."""
    path = write(tmp_path, "a.md", f"---\ntitle: Sunvale grows\ndate: {value}\n---\n\nSunvale Silicon grew.\n")
    with pytest.raises(InputError) as excinfo:
        list(read_file(path))
    assert str(excinfo.value) == f"{path}:3: front matter is not valid YAML: {reason}"


def test_markdown_front_matter_only_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article text found"):
        list(read_file(write(tmp_path, "a.md", "---\ntitle: Nothing else\n---\n\n")))


# --- HTML ------------------------------------------------------------------------------------------------


def test_html_article_page_metadata_and_main_text() -> None:
    a = one(DATA / "article_page.html")
    assert a.title == "Lumen Semiconductor opens a second fab in Dresden"
    assert a.date == "2024-11-05"
    assert a.url == a.id == "https://waferweekly.example.com/2024/11/05/lumen-dresden-fab"
    assert a.source == "Wafer Weekly"
    assert a.text == "\n\n".join([
        "Lumen Semiconductor on Tuesday opened its second wafer fab in Dresden, a plant that will make power "
        "chips for electric cars.",
        "The company said the site would employ about 900 engineers and reach full output in 2026.",
        "Subsidies and supply",
        "Saxony contributed part of the cost. Lumen buys its silicon wafers from Korvane Materials, which "
        "supplies most European fabs.",
        "Output: 40,000 wafers a month",
        "Process: 90 nm power devices",
        '"Dresden gives us engineers and customers in one place," said chief executive Mira Holt.',
    ])


@pytest.mark.parametrize("boilerplate", [
    "Foundries", "Ada Kowalski", "5 November 2024", "Share on social", "Korvane raises wafer prices again",
    "The Fab Letter", "weekly digest", "Copyright", "cookies", "dataLayer", "trackPageView", "font-family",
])
def test_html_boilerplate_dropped(boilerplate: str) -> None:
    assert boilerplate not in one(DATA / "article_page.html").text


def test_html_without_article_element_uses_fallback() -> None:
    a = one(DATA / "div_soup.html")
    assert a.title == "Orrin Micro wins Tesla-free EV chip order"  # " - Chip Ledger" stripped
    assert a.source == "Chip Ledger"
    assert a.date == "2023-06-12"
    assert a.url == "https://chipledger.example.org/orrin-ev-order"
    assert a.text.startswith("Orrin Micro, a fabless designer of motor-control chips, said on Monday")
    assert a.text.count("\n\n") == 2
    assert "consolidating their supplier lists." in a.text
    for boilerplate in ("Most popular", "Five foundries", "Jobs", "Sign up", "morning briefing", "cookie",
                        "Ledger Media", "Tesla-free"):
        assert boilerplate not in a.text


def test_html_table_layout_with_br_paragraphs() -> None:
    a = one(DATA / "table_layout.html")
    assert a.title == "Pinecrest Memory cuts capex"
    assert a.text.split("\n\n")[0].startswith("Pinecrest Memory will cut capital spending")
    assert a.text.endswith("Shares of Pinecrest fell 4% in early trading.")
    assert "Home" not in a.text and "Copyright" not in a.text


def test_html_without_any_article_text() -> None:
    with pytest.raises(InputError) as excinfo:
        list(read_file(DATA / "no_article.html"))
    assert reason(excinfo) == "no article text found"


def test_html_malformed_still_parses() -> None:
    a = one(DATA / "malformed.html")
    assert a.title == "Broken page"
    assert a.text.startswith("Valtrex Devices shipped its first gallium nitride charger chip")
    assert "it opens a new market" in a.text


@pytest.mark.parametrize("head, title, source", [
    ("<title>Quillon beats forecasts | Fab Times</title>", "Quillon beats forecasts", "Fab Times"),
    ("<title>Quillon beats forecasts - Fab Times</title>", "Quillon beats forecasts", "Fab Times"),
    ("<title>Quillon - the quiet winner of the chip boom</title>",
     "Quillon - the quiet winner of the chip boom", None),
    ('<meta property="og:site_name" content="FT Chips"><title>Quillon beats forecasts — FT Chips</title>',
     "Quillon beats forecasts", "FT Chips"),
    ("", "Quillon beats forecasts", None),  # from the <h1>
])
def test_html_title_suffix(tmp_path: Path, head: str, title: str, source: str | None) -> None:
    page = (f"<html><head>{head}</head><body><article><h1>{title}</h1>"
            "<p>Quillon Systems reported higher sales of network chips.</p></article></body></html>")
    a = one(write(tmp_path, "t.htm", page))
    assert (a.title, a.source) == (title, source)
    assert a.text == "Quillon Systems reported higher sales of network chips."  # the <h1> repeats the title


def test_html_date_from_time_element_and_itemprop(tmp_path: Path) -> None:
    page = ('<html><body><article><time datetime="2023-02-14T10:00:00-05:00">Feb 14</time>'
            "<p>Norvik Photonics reported higher revenue.</p></article></body></html>")
    assert one(write(tmp_path, "a.html", page)).date == "2023-02-14"
    page = ('<html><body><div itemprop="articleBody"><p>Norvik Photonics reported higher revenue.</p>'
            '<span itemprop="datePublished" content="2023-02-15"></span></div></body></html>')
    assert one(write(tmp_path, "b.html", page)).date == "2023-02-15"


def test_html_fragment_with_one_short_paragraph(tmp_path: Path) -> None:
    a = one(write(tmp_path, "frag.html", "<p>Sunvale makes wafers.</p>"))
    assert (a.title, a.text) == ("Sunvale makes wafers", "Sunvale makes wafers.")


def test_html_body_wrapper_with_a_byline_like_class_is_kept(tmp_path: Path) -> None:
    para = "Tamura Crystal said its sapphire substrate sales rose for a third quarter in a row, led by LEDs."
    page = (f'<html><body><article><div class="byline">By Kenji Aoyama</div><div class="paywall">'
            f"<p>{para}</p><p>{para}</p></div></article></body></html>")
    assert one(write(tmp_path, "a.html", page)).text == f"{para}\n\n{para}"


DEEP_PARAGRAPH = "Sunvale Silicon will add a fourth crystal-growing hall in Oregon, the company said on Monday."


@pytest.mark.parametrize("depth", [300, 3000, 100_000])
def test_html_deeply_nested_divs_keep_their_text(tmp_path: Path, depth: int) -> None:
    """libxml2 stops at 256 nested elements (2048 with XML_PARSE_HUGE) and drops the rest of the page: the
    article inside 100,000 <div>s gave "no article text found"."""
    page = ("<html><head><title>Sunvale expands</title></head><body>" + "<div>" * depth
            + "<script>var hidden = 'SCRIPT TEXT';</script><nav><a href='/'>Home</a> NAV LINKS</nav>"
            + f"<p>{DEEP_PARAGRAPH}</p><p>The hall opens in 2026 and will double output.</p>" + "</div>" * depth
            + "</body></html>")
    a = one(write(tmp_path, "deep.html", page))
    assert a.title == "Sunvale expands"
    assert a.text == f"{DEEP_PARAGRAPH}\n\nThe hall opens in 2026 and will double output."


def test_jsonl_html_body_nested_deeply_keeps_its_text(tmp_path: Path) -> None:
    body = "<div>" * 5000 + f"<p>{DEEP_PARAGRAPH}</p>" + "</div>" * 5000
    a = one(write(tmp_path, "a.jsonl", json.dumps({"title": "Deep", "text": body}) + "\n"))
    assert a.text == DEEP_PARAGRAPH


def test_html_utf16_label_without_bom_means_utf8(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="utf-16"></head>'
            "<body><p>Café Semiconductors ships chips.</p></body></html>")
    a = one(write(tmp_path, "a.html", page))
    assert (a.text, a.warnings) == ("Café Semiconductors ships chips.", ())


# --- JSON Lines ------------------------------------------------------------------------------------------


def test_jsonl_good_lines_kept_bad_lines_reported_with_line_numbers() -> None:
    errors: list[InputError] = []
    articles = list(read_file(DATA / "articles.jsonl", on_error=errors.append))
    assert [a.path for a in articles] == [f"{DATA / 'articles.jsonl'}#{n}" for n in (1, 2, 7)]
    first, second, third = articles
    assert (first.id, first.title, first.date) == ("cl-1001", "Sunvale Silicon adds capacity", "2024-03-04")
    assert first.text == ("Sunvale Silicon will add a fourth crystal-growing hall in Oregon.\n\n"
                          "The hall will double its output of 300 mm ingots.")
    assert second.id == second.url == "https://chipledger.example.org/tamura-ceo"
    assert second.date == "2024-03-04"
    assert second.text == "Tamura Crystal appointed Kenji Aoyama as chief executive."
    assert third.text == "Ferrant Logic cut its forecast.\n\nOrders from PC makers were weak."
    assert (third.date, third.source) == ("2024-03-06", "Chip Ledger")
    assert third.title == "Ferrant Logic cut its forecast"
    assert third.id.startswith("doc:articles.jsonl:")
    assert [(e.line, e.path) for e in errors] == [(n, str(DATA / "articles.jsonl")) for n in (3, 5, 6)]
    assert "not valid JSON" in errors[0].reason
    assert "JSON object" in errors[1].reason
    assert "no text" in errors[2].reason


def test_jsonl_without_on_error_raises_first_error_after_good_lines() -> None:
    seen: list[str] = []
    with pytest.raises(InputError) as excinfo:
        for article in read_file(DATA / "articles.jsonl"):
            seen.append(article.title)
    assert len(seen) == 3
    assert excinfo.value.line == 3


def test_jsonl_lone_surrogate_escape_is_that_lines_error(tmp_path: Path) -> None:
    """``"\\udfff"`` decodes to a str no UTF-8 text can hold (it ended in a UnicodeEncodeError while hashing);
    an escaped pair (an emoji) is one character and fine."""
    path = write(tmp_path, "a.jsonl", '{"text": "Sunvale Silicon grew."}\n'
                 '{"title": "T", "text": "Tamura \\udfff Crystal grew."}\n'
                 '{"title": "Lone high", "text": "Ferrant \\ud83d Logic"}\n'
                 '{"title": "Pair \\ud83d\\ude00", "text": "Orrin Micro grew."}\n')
    errors: list[InputError] = []
    articles = list(read_file(path, on_error=errors.append))
    assert [a.title for a in articles] == ["Sunvale Silicon grew", "Pair \U0001F600"]
    assert [str(e) for e in errors] == [
        f"{path}:2: the line holds a lone surrogate \\udfff (an invalid \\u escape)",
        f"{path}:3: the line holds a lone surrogate \\ud83d (an invalid \\u escape)"]


@pytest.mark.parametrize("nested", ["[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000,
                                    '{"text": "x", "extra": ' + "[" * 3000 + "]" * 3000 + "}"])
def test_jsonl_deeply_nested_line_is_that_lines_error(tmp_path: Path, nested: str) -> None:
    path = write(tmp_path, "a.jsonl", nested + '\n{"text": "Sunvale Silicon grew."}\n')
    errors: list[InputError] = []
    articles = list(read_file(path, on_error=errors.append))
    assert [a.text for a in articles] == ["Sunvale Silicon grew."]
    assert [str(e) for e in errors] == [f"{path}:1: not valid JSON: nested too deeply"]


def test_jsonl_integer_of_thousands_of_digits_is_that_lines_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"text": "x", "id": ' + "9" * 5000 + '}\n{"text": "Sunvale grew."}\n')
    errors: list[InputError] = []
    assert [a.text for a in read_file(path, on_error=errors.append)] == ["Sunvale grew."]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}:1: not valid JSON: ValueError: ")


# --- feeds -----------------------------------------------------------------------------------------------


def test_rss_feed() -> None:
    errors: list[InputError] = []
    articles = list(read_file(DATA / "feed.rss", on_error=errors.append))
    assert [a.title for a in articles] == ["Orrin Micro wins EV chip order", "Pinecrest Memory cuts capex",
                                           "Brannock Assembly will add a third packaging line in Penang"]
    orrin, pinecrest, brannock = articles
    # content:encoded (not the description), its share widget dropped
    assert orrin.text == ("Orrin Micro said it had won an order from a European carmaker.\n\n"
                          "The chips will be made by Halvard Foundry.")
    assert orrin.date == "2023-06-12"  # as written, not converted to UTC
    assert orrin.url == orrin.id == "https://chipledger.example.org/orrin-ev-order"
    assert {a.source for a in articles} == {"Chip Ledger"}
    assert pinecrest.text == "Pinecrest Memory will cut capital spending by a fifth next year."
    assert pinecrest.date == "2023-06-15"
    assert brannock.id == "chipledger-4411" and brannock.url is None
    assert [a.path for a in articles] == [f"{DATA / 'feed.rss'}#{i}" for i in (1, 2, 4)]
    assert len(errors) == 1 and errors[0].path == f"{DATA / 'feed.rss'}#3" and "no text" in errors[0].reason


def test_atom_feed() -> None:
    first, second = read_file(DATA / "feed.atom")
    assert (first.title, first.date, first.source) == ("Lumen Semiconductor opens a second fab", "2024-11-05",
                                                       "Wafer Weekly")
    assert first.text == ("Lumen Semiconductor opened its second wafer fab in Dresden.\n\n"
                          "It will make power chips.")
    assert first.url == "https://waferweekly.example.com/2024/11/05/lumen-dresden-fab"
    assert second.date == "2024-09-30"
    assert second.text == "Korvane Materials will raise wafer prices by 6% from January."


def test_rss1_feed() -> None:
    (a,) = read_file(DATA / "feed_rdf.xml")
    assert (a.title, a.date, a.source, a.url) == ("Notes on chiplet packaging", "2024-03-03", "Quarry Blog",
                                                  "https://quarry.example.net/chiplets")
    assert a.text == "Tessaro Labs pairs a 5 nm compute die with an older I/O die."


def test_xml_that_is_not_a_feed() -> None:
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        list(read_file(DATA / "not_a_feed.xml"))


def test_broken_feed(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a readable feed"):
        list(read_file(write(tmp_path, "broken.rss", "<rss version='2.0'><channel><title>x</titl")))


# --- encodings -------------------------------------------------------------------------------------------

TEXT = "Siliçon Übergang\n\nCafé Semiconductors ships 3 nm chips — finally.\n"


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_encodings(tmp_path: Path, bom: bytes, encoding: str) -> None:
    a = one(write(tmp_path, "bom.txt", bom + TEXT.encode(encoding)))
    assert a.title == "Siliçon Übergang"
    assert a.text == "Café Semiconductors ships 3 nm chips — finally."
    assert a.warnings == ()


def test_utf16_markdown_with_front_matter(tmp_path: Path) -> None:
    md = "---\ntitle: Café chips\n---\nCafé Semiconductors ships chips.\n"
    a = one(write(tmp_path, "u16.md", codecs.BOM_UTF16_LE + md.encode("utf-16-le")))
    assert (a.title, a.text) == ("Café chips", "Café Semiconductors ships chips.")


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    raw = b"Bad byte\n\nKorvane\xff\xfe ships wafers.\n"
    a = one(write(tmp_path, "bad.txt", raw))
    assert a.text == "Korvane\ufffd\ufffd ships wafers."
    assert a.warnings == ("invalid UTF-8 at byte 17: replaced undecodable bytes",)


def test_invalid_utf8_in_jsonl_and_html_warns(tmp_path: Path) -> None:
    line = b'{"title": "T", "text": "Ostmark \xc3 ships tools."}\n'
    (a,) = read_file(write(tmp_path, "a.jsonl", line))
    assert a.warnings and a.warnings[0].startswith("invalid UTF-8 at byte 32")
    page = b"<html><body><article><p>Ostmark \xe9 ships tools.</p></article></body></html>"
    assert one(write(tmp_path, "a.html", page)).warnings[0].startswith("invalid UTF-8 at byte ")


def test_html_meta_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="iso-8859-1"><title>Caf\u00e9 chips</title></head>'
            "<body><article><p>Caf\u00e9 Semiconductors ships chips.</p></article></body></html>")
    a = one(write(tmp_path, "latin.html", page.encode("latin-1")))
    assert (a.title, a.text, a.warnings) == ("Café chips", "Café Semiconductors ships chips.", ())
    page = page.replace('<meta charset="iso-8859-1">', '<meta http-equiv="Content-Type" '
                        'content="text/html; charset=windows-1252">').replace("chips.<", "chips \u2013 ok.<")
    a = one(write(tmp_path, "cp1252.html", page.encode("cp1252")))
    assert a.text == "Café Semiconductors ships chips – ok."


def test_feed_in_latin1(tmp_path: Path) -> None:
    feed = ('<?xml version="1.0" encoding="ISO-8859-1"?>'
            '<rss version="2.0"><channel><title>Caf\u00e9 News</title>'
            "<item><title>Caf\u00e9</title><description>Caf\u00e9 ships chips.</description></item>"
            "</channel></rss>")
    (a,) = read_file(write(tmp_path, "latin.xml", feed.encode("latin-1")))
    assert (a.source, a.title, a.text) == ("Café News", "Café", "Café ships chips.")


# --- bad files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b"\n \n"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl", ".rss"])
def test_empty_file(tmp_path: Path, content: bytes, suffix: str) -> None:
    with pytest.raises(InputError) as excinfo:
        list(read_file(write(tmp_path, "empty" + suffix, content)))
    assert reason(excinfo) == "empty file"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl", ".xml"])
def test_binary_file(tmp_path: Path, suffix: str) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(InputError) as excinfo:
        list(read_file(write(tmp_path, "image" + suffix, png)))
    assert reason(excinfo) == "binary file, not text"
    assert excinfo.value.path == str(tmp_path / ("image" + suffix))


def test_oversize_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_BYTES == 50 * 1024 * 1024
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(2 * 1024 * 1024 + 1)  # sparse: 2 MiB of nothing on disk
    monkeypatch.setenv("KG_MAX_FILE_MB", "1")

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversize file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputError) as excinfo:
        list(read_file(path))
    assert reason(excinfo) == "file is 2.1 MB, over the 1 MB limit"


def test_size_limit_env_var_must_be_a_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_FILE_MB", "lots")
    with pytest.raises(InputError, match="KG_MAX_FILE_MB"):
        list(read_file(write(tmp_path, "a.txt", "Title\n\nBody.")))


def test_vanished_file(tmp_path: Path) -> None:
    write(tmp_path, "1.txt", "First\n\nBody text.")
    gone = write(tmp_path, "2.txt", "Second\n\nBody text.")
    errors: list[InputError] = []
    for article in read_paths([tmp_path], on_error=errors.append):
        assert article.title == "First"
        gone.unlink()  # after the directory was listed, before 2.txt is read
    assert [(e.path, e.reason) for e in errors] == [(str(gone), "file disappeared before it could be read")]
    with pytest.raises(InputError, match="disappeared"):
        list(read_file(gone))


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", "Title\n\nBody text.")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)  # chmod does not stop root, who may run the tests
    with pytest.raises(InputError) as excinfo:
        list(read_file(path))
    assert reason(excinfo) == "permission denied" and excinfo.value.path == str(path)


def test_unsupported_suffix_in_read_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type"):
        list(read_file(write(tmp_path, "a.pdf", "x")))


# --- walking directories ---------------------------------------------------------------------------------


def test_iter_files_sorted_recursive_skips_unknown_and_hidden(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "sub/c.html", "sub/deeper/d.JSONL", "notes.pdf", ".hidden.txt",
                 ".git/config.txt", "sub/README"):
        write(tmp_path, name, "x")
    skipped: list[tuple[Path, str]] = []
    files = list(iter_files([tmp_path], on_skip=lambda p, why: skipped.append((p, why))))
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.txt", "b.md", "sub/c.html",
                                                                   "sub/deeper/d.JSONL"]
    assert [(p.name, why) for p, why in skipped] == [("notes.pdf", "unsupported file type '.pdf'"),
                                                      ("README", "no file extension")]


def test_iter_files_symlink_loop_terminates(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write(tmp_path, "a/b/story.txt", "Title\n\nBody.")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    os.symlink(tmp_path / "a" / "b", tmp_path / "a" / "again")
    skipped: list[tuple[Path, str]] = []
    files = list(iter_files([tmp_path, tmp_path / "a"], on_skip=lambda p, why: skipped.append((p, why))))
    assert [f.name for f in files] == ["story.txt"]
    assert skipped and all("already visited" in why for _, why in skipped)


def test_iter_files_explicit_file_and_broken_link(tmp_path: Path) -> None:
    path = write(tmp_path, "story.md", "x")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    skipped: list[tuple[Path, str]] = []
    files = list(iter_files([path, path, tmp_path / "dangling.txt"],
                            on_skip=lambda p, w: skipped.append((p, w))))
    assert files == [path]
    assert skipped == [(tmp_path / "dangling.txt", "broken symbolic link")]


def test_read_paths_continues_after_a_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "1.txt", "First\n\nSunvale grows.")
    write(tmp_path, "2.txt", b"\x00\x01binary")
    write(tmp_path, "3.md", "# Third\n\nTamura grows.")
    write(tmp_path, "4.doc", "ignored")
    errors: list[InputError] = []
    skipped: list[tuple[Path, str]] = []
    titles = [a.title for a in read_paths([tmp_path], on_error=errors.append,
                                          on_skip=lambda p, w: skipped.append((p, w)))]
    assert titles == ["First", "Third"]
    assert [e.path for e in errors] == [str(tmp_path / "2.txt")]
    assert [p.name for p, _ in skipped] == ["4.doc"]
    seen: list[str] = []
    with pytest.raises(InputError, match="binary"):
        for a in read_paths([tmp_path]):
            seen.append(a.title)
    assert seen == ["First", "Third"]


def test_iter_files_directory_nested_deeper_than_the_recursion_limit(tmp_path: Path) -> None:
    """A folder nested 1,200 deep: listing it used to recurse once per level (RecursionError)."""
    levels = [tmp_path / "top"]
    for _ in range(1200):  # one level at a time, here and below: mkdir(parents=True) and rmtree recurse too
        levels.append(levels[-1] / "d")
    for level in levels:
        level.mkdir()
    story = write(levels[-1], "story.txt", "Title\n\nBody.")
    try:
        assert list(iter_files([tmp_path])) == [story]
    finally:  # pytest's own clean-up of old temporary folders is shutil.rmtree
        story.unlink()
        for level in reversed(levels):
            level.rmdir()


def test_a_readers_unexpected_failure_is_the_files_input_error(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a reader raises (here: the HTML parser, made to fail) is that file's one-line InputError, and
    read_paths goes on with the next file."""
    import ingest.read

    def broken(text: str) -> None:
        raise RuntimeError("parser state corrupt\nsecond line")

    monkeypatch.setattr(ingest.read, "parse_page", broken)
    write(tmp_path, "1.html", "<p>Sunvale grows.</p>")
    write(tmp_path, "2.txt", "Second\n\nTamura grows.")
    errors: list[InputError] = []
    assert [a.title for a in read_paths([tmp_path], on_error=errors.append)] == ["Second"]
    assert [str(e) for e in errors] == [f"{tmp_path / '1.html'}: cannot read file: RuntimeError: parser state corrupt"]


def test_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom"} == set(SUFFIXES)


# --- ids and dates ---------------------------------------------------------------------------------------


def test_an_edited_article_keeps_its_id(tmp_path: Path) -> None:
    text = "Orrin wins order\n\nOrrin Micro won an order from a carmaker."
    versions = [text, text.replace("\n", "\r\n") + "\n\n", text + " It is large."]  # a phrase added: the same
    ids = []
    for i, version in enumerate(versions):
        (tmp_path / f"v{i}").mkdir()
        ids.append(one(write(tmp_path / f"v{i}", "a.txt", version)).id)
    assert len(set(ids)) == 1
    assert one(write(tmp_path, "b.txt", text)).id != ids[0]  # another file: another article (a series)
    d = one(write(tmp_path / "v0", "a.txt", text.replace("Orrin wins", "Orrin Micro wins")))  # a new title
    e = one(write(tmp_path / "v1", "a.txt", text.replace("\n\n", "\n\nBERLIN, May 6, 2025 - ")))  # a date
    assert e.date == "2025-05-06" and len({ids[0], d.id, e.id}) == 3
    md = "---\nurl: https://chipledger.example.org/orrin\n---\nOrrin Micro won an order."
    assert one(write(tmp_path, "d.md", md)).id == "https://chipledger.example.org/orrin"
    assert one(write(tmp_path, "e.md", md.replace("won", "has won"))).id == "https://chipledger.example.org/orrin"


@pytest.mark.parametrize("value, expected", [
    ("2025-01-16", "2025-01-16"), ("2025-01-16T23:30:00-08:00", "2025-01-16"), ("2025/1/6", "2025-01-06"),
    ("Thu, 16 Jan 2025 08:30:00 GMT", "2025-01-16"), ("16 January 2025", "2025-01-16"),
    ("January 16, 2025", "2025-01-16"), ("Sept. 3, 2024", "2024-09-03"), ("3rd March 2024", "2024-03-03"),
    ("20250116", "2025-01-16"), ("2025-02-30", None), ("yesterday", None), ("", None), (None, None),
    ("Q1 2025", None),
])
def test_parse_date(value: str | None, expected: str | None) -> None:
    assert parse_date(value) == expected


# --- robustness ------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from(sorted(SUFFIXES)))
def test_any_bytes_give_articles_or_input_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / ("fuzz" + suffix)
    path.write_bytes(data)
    try:
        for a in read_file(path, on_error=lambda e: None):
            assert a.title and a.text and a.text == a.text.strip()
            assert "\r" not in a.text
    except InputError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400))
def test_text_markup_never_crashes(tmp_path: Path, text: str) -> None:
    for suffix in (".txt", ".md", ".html"):
        path = tmp_path / ("t" + suffix)
        path.write_text(text, encoding="utf-8")
        try:
            for a in read_file(path):
                assert a.text and not a.text.startswith("\n") and not a.text.endswith((" ", "\n"))
        except InputError:
            pass


# --- the dev corpus --------------------------------------------------------------------------------------


@pytest.mark.skipif(not DEV.is_dir(), reason="dev corpus not present")
@pytest.mark.parametrize("path", sorted(DEV.glob("*")) if DEV.is_dir() else [], ids=lambda p: p.name)
def test_dev_corpus_file_parses(path: Path) -> None:
    a = one(path)
    assert a.title.strip() and a.text.strip()
    assert a.warnings == ()
    if path.suffix == ".html":
        for boilerplate in ("Subscribe", "Get the Chips Briefing", "Terms of use", "We use cookies",
                            "Sponsored: Samsung", "By Helen Zhou"):
            assert boilerplate not in a.text
        assert a.text.startswith("The US Commerce Department on Wednesday added Zhipu AI")
        assert a.date == "2025-01-16" and a.source == "The Circuit Review"
