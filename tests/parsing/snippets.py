"""Wrap a real header or closing snippet in a minimal cable, as the held-out checks do.

A snippet is a few lines copied from a real cable (the TAGS line, the SUBJECT, the REF
block, the Classified By line, the summary paragraph, or the closing lines with the
signer). ``wrap_header`` puts a routing header and a banner before it and one last
paragraph after it; ``wrap_closing`` puts the snippet at the end of a cable instead.
"""

from __future__ import annotations

from cables.parsing import ParsedCable, parse_cable
from cables.parsing.months import MONTH_ABBREVIATIONS


def _routing(station: str, serial: int, year: int, month: int) -> str:
    return (
        "VZCZCXYZ0000\n"
        "RR RUEHWEB\n\n"
        f"DE RUEHXX #{serial % 10000:04d} 0101200\n"
        "ZNY CCCCC ZZH\n"
        f"R 101200Z {MONTH_ABBREVIATIONS[month - 1]} {year % 100:02d}\n"
        f"FM AMEMBASSY {station}\n"
        "TO RUEHC/SECSTATE WASHDC 0001\n"
    )


def wrap_header(
    snippet: str, *, station: str = "LIMA", serial: int = 123, year: int = 2009, month: int = 6
) -> str:
    """A cable whose body is the banner, the snippet, and one last paragraph."""
    return (
        _routing(station, serial, year, month)
        + f"\nC O N F I D E N T I A L {station} {serial:06d}\n\n"
        + snippet.strip("\n")
        + "\n\n¶9. (U) The last paragraph of the cable.\n"
    )


def wrap_closing(
    snippet: str, *, station: str = "LIMA", serial: int = 123, year: int = 2009, month: int = 6
) -> str:
    """A cable that ends with the snippet (its closing lines: the signer)."""
    return (
        _routing(station, serial, year, month)
        + f"\nC O N F I D E N T I A L {station} {serial:06d}\n\n"
        + "SIPDIS\n\nE.O. 12958: DECL: 06/10/2019\nTAGS: PREL\n"
        + "SUBJECT: A SUBJECT\n\nClassified By: Ambassador A. Name for reasons 1.4 (d).\n\n"
        + "¶1. (C) A paragraph of the cable.\n\n"
        + snippet.strip("\n")
        + "\n"
    )


def parse_header_snippet(snippet: str, **kwargs) -> ParsedCable:
    return parse_cable(wrap_header(snippet, **kwargs))


def parse_closing_snippet(snippet: str, **kwargs) -> ParsedCable:
    return parse_cable(wrap_closing(snippet, **kwargs))
