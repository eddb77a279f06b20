"""Snippets on real paragraphs (issue 14): a phrase shown whole, the paragraph with
the most of the query's words, never the banner block."""

from __future__ import annotations

from search.engine.highlight import _term_of, paragraph_snippet

# 08WARSAW953: its only unnumbered block is the banner and the header fields
WARSAW_BANNER = (
    "S E C R E T SECTION 01 OF 02 WARSAW 000953 SIPDIS STATE FOR A/S FRIED, U/S ROOD "
    "E.O. 12958: DECL: 08/13/2018 TAGS: PREL MARR PARM NATO KCFE RU GG PL SUBJECT: "
    "TFGG01: POLAND'S CHOD ON GEORGIA, UKRAINE, AND MISSILE DEFENSE"
)
# 09STATE97244 ¶5, its talking points (the page break removed by the parser)
TALKING = (
    "GENERAL\n\n- NATO leaders have all agreed that ballistic missile\n"
    "proliferation poses an increasing threat to Allies' forces,\n"
    "territory, and populations.\n\n- As a result, NATO has noted the significant "
    "contribution to\nAlliance security by those Allies who possess, or are\n"
    "acquiring, missile defense capabilities."
)
EARLIER = "The threat from Iran is increasing, the Allies agree; forces are at risk."


def _query(text: str) -> tuple[set[str], tuple[str, ...]]:
    terms = tuple(t for t in (_term_of(w) for w in text.split()) if t)
    return set(terms), terms


def test_a_phrase_is_shown_whole_where_it_stands_whole():
    terms, phrase = _query("increasing threat to allies forces territory")
    paragraphs = [(0, 1, EARLIER), (1, 5, TALKING)]
    segments, anchor = paragraph_snippet(paragraphs, terms, (phrase,))
    assert anchor == "p5"  # not ¶1, which has the words but not the phrase
    marked = [text for text, mark in segments if mark]
    assert marked[0] == "increasing threat to Allies' forces, territory"


def test_words_choose_the_paragraph_with_the_most_distinct_terms():
    terms, _ = _query("missile defense allies")
    many_of_one = (0, 1, "Missile missile missile missile: the word again and again.")
    all_three = (1, 2, "Allies discussed missile defense.")
    segments, anchor = paragraph_snippet([many_of_one, all_three], terms)
    assert anchor == "p2"
    assert {t.lower() for t, mark in segments if mark} == {"allies", "missile", "defense"}


def test_the_banner_block_is_never_the_snippet():
    terms, phrase = _query("missile defense")
    text = (2, 1, "(S) The Chief of Defense spoke of Georgia.")
    segments, anchor = paragraph_snippet([(0, None, WARSAW_BANNER), text], terms, (phrase,))
    assert anchor == "p1" and "S E C R E T" not in "".join(t for t, _ in segments)
    assert paragraph_snippet([(0, None, WARSAW_BANNER)], terms, (phrase,)) == ([], "")
    assert paragraph_snippet([(0, None, WARSAW_BANNER)], set()) == ([], "")


def test_a_phrase_snippet_stays_short_in_a_long_paragraph():
    terms, phrase = _query("missile defense")
    text = "Filler words here. " * 2000 + "They spoke of missile defense. " + "More. " * 2000
    segments, _ = paragraph_snippet([(0, 1, text)], terms, (phrase,))
    assert ("missile defense", True) in segments
    assert sum(len(t) for t, _ in segments) < 400
