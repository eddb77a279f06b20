"""The query language, checked without a database."""

from __future__ import annotations

import pytest

from search.engine.query import MAX_QUERY_LENGTH, cable_id_in_query, query_parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03OTTAWA492", "03OTTAWA492"),
        ("03 OTTAWA 492", "03OTTAWA492"),
        ("03ottawa492", "03OTTAWA492"),
        ("  03OTTAWA000492 ", "03OTTAWA492"),
        ("missile defense", None),
        ("03 492", None),
        ("", None),
    ],
)
def test_cable_id_in_query(text, expected):
    assert cable_id_in_query(text) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "missile defense",
            "(subject:missil^2.0 OR text:missil) AND (subject:defens^2.0 OR text:defens)",
        ),
        ('"missile defense"', '(subject:"missil defens" OR text:"missil defens")'),
        ("iran OR syria", "(subject:iran^2.0 OR text:iran OR subject:syria^2.0 OR text:syria)"),
        ("oil -nigeria", "NOT (subject:nigeria^2.0 OR text:nigeria)"),
        ("oil NOT nigeria", "NOT (subject:nigeria^2.0 OR text:nigeria)"),
        ("negotiat*", "subject:negotiat*"),
        ("SUBJECT:Election", "subject:elect"),
        ("Tag:MARR", "tag:marr"),
        ("post:ottawa", "post:ottawa"),
        ("ref:03OTTAWA492", "ref:03ottawa492"),
        ("classification:SECRET", "classification:secret"),
        ("classification:UNCLASSIFIED//FOUO", "classification:unclassified-fouo"),
        ("signer:CELLUCCI", "signer:cellucci"),
        ('by:"Brian Flora"', 'classified_by:"brian flora"'),
        ("by:Flora", "classified_by:flora"),
        ('person:"GATES, ROBERT"', 'person:"gates robert"'),
        ("person:Gate*", "person:gate*"),
        ("pclass:S/NF", "paragraph_classification:s/nf"),
        ("pclass:(c)", "paragraph_classification:c"),
        ('tag:"GATES, ROBERT M."', "tag:gates, robert m."),
        ('tag:"HUMAN   RIGHTS"', "tag:human rights"),
    ],
)
def test_query_language(text, shown):
    parsed = query_parse(text)
    assert not parsed.messages
    assert shown in parsed.display


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"missile defense', "quotation mark was not closed"),
        ("(iran OR syria", "opening parenthesis"),
        ("iran OR syria)", "closing parenthesis"),
        ("colour:red", "There is no field “colour:”"),
        ("OR iran", "needs a word on each side"),
        ("iran NOT", "needs a word on each side"),
        ("*ssile", "Only a trailing *"),
        ("subject:", "needs a value"),
        ("classification:purple", "Unknown classification"),
        ('caveat:"NOFORN SIPDIS"', "takes one value"),
        ("pclass:SECRETISH", "is not a paragraph marking"),
        ('by:""', "names nobody"),
    ],
)
def test_mistakes_are_explained_and_read_plainly(text, message):
    parsed = query_parse(text)
    assert any(message in m for m in parsed.messages), parsed.messages
    assert parsed.query is not None or text in (
        "subject:",
        "classification:purple",
        "pclass:SECRETISH",
        'by:""',
    )


def test_over_long_query_is_cut_with_a_message():
    parsed = query_parse("word " * 2_000)
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert "10,000 characters" in parsed.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "(((",
        ")))",
        "NOT",
        "- -",
        ":",
        "a:b:c",
        '"(" )"',
        "\\",
        "\x00",
        "*",
        "^2 [a TO b]",
        "pclass:()",
        "pclass:(",
        'by:"\\" signer:*',
        'person:"" -person:',
        'post:"" caveat:"a b"',
        "by:-- person:'",
    ],
)
def test_junk_never_raises(text):
    query_parse(text)
