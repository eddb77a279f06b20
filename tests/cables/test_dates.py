"""The one rule for a cable's date and its precision (cables.dates)."""

from __future__ import annotations

from datetime import UTC, datetime

from cables.dates import cable_date_decide, date_of, known_date, parsed_month


def test_the_text_date_wins_to_the_minute():
    created = datetime(2010, 2, 24, 10, 51, tzinfo=UTC)
    known = cable_date_decide(created=created, known_month=(2010, 3))
    assert known.precision == "minute" and known.value == created
    assert known.short() == "24 Feb 2010"
    assert known.long() == "24 February 2010, 10:51 UTC"
    assert known.iso() == "2010-02-24T10:51:00+00:00"


def test_a_month_from_the_id_list_is_the_month_start():
    known = cable_date_decide(created=None, known_month=parsed_month("2003-02"))
    assert known.value == datetime(2003, 2, 1, tzinfo=UTC) and known.precision == "month"
    assert (known.short(), known.long(), known.iso()) == ("Feb 2003", "February 2003", "2003-02")


def test_unknown_and_stored_dates():
    assert not cable_date_decide(created=None, known_month=None)
    assert not cable_date_decide(created=None, known_month=(2003, 13))
    assert parsed_month(None) is None and parsed_month("x-y") is None
    stored = known_date(datetime(2003, 2, 1, tzinfo=UTC), "month")
    assert date_of({"created": stored.value, "date_precision": "month"}) == stored
    assert known_date(None, "month").iso() == ""
