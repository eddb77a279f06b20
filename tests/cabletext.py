"""Hand-written cable texts for tests, in the Cablegate ``.txt`` form."""

from __future__ import annotations

from cables.parsing.months import MONTH_ABBREVIATIONS


def cable_text(
    *,
    station: str = "OTTAWA",
    fm: str | None = None,
    serial: int = 492,
    year: int = 2008,
    month: int = 2,
    day: int = 19,
    banner: str = "C O N F I D E N T I A L",
    tags: str = "PREL MARR CA",
    subject: str = "MISSILE DEFENSE CONSULTATIONS",
    refs: str = "",
    paragraphs: tuple[str, ...] = (
        "(C) Summary: Canada will decide soon. End summary.",
        "(C) Officials told us the cabinet will meet on Tuesday.",
        "(U) COMMENT: Ottawa remains cautious. END COMMENT.",
    ),
    signer: str = "WILKINS",
) -> str:
    yy = f"{year % 100:02d}"
    fm = fm or f"AMEMBASSY {station}"
    header = (
        "VZCZCXRO1234\n"
        "OO RUEHDE\n"
        f"DE RUEHOT #{serial:04d}/01 0501523\n"
        "ZNY CCCCC ZZH\n"
        f"O {day:02d}1523Z {MONTH_ABBREVIATIONS[month - 1]} {yy}\n"
        f"FM {fm}\n"
        "TO RUEHC/SECSTATE WASHDC IMMEDIATE 7212\n"
        "INFO RUEHLO/AMEMBASSY LONDON PRIORITY 0759\n"
    )
    body = [
        f"{banner} {station} {serial:06d}",
        "",
        "SIPDIS",
        "",
        f"E.O. 12958: DECL: {month:02d}/{day:02d}/{year + 10}",
        f"TAGS: {tags}",
        f"SUBJECT: {subject}",
        "",
    ]
    if refs:
        body += [f"REF: {refs}", ""]
    body += ["Classified By: Ambassador David Wilkins, reasons 1.4 (b) and (d).", ""]
    for number, text in enumerate(paragraphs, start=1):
        body += [f"¶{number}. {text}", ""]
    body.append(signer)
    return header + "\n" + "\n".join(body) + "\n"
