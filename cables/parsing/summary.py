"""The summary: the text between SUMMARY and END SUMMARY."""

from __future__ import annotations

import re

SUMMARY_RE = re.compile(r"\bSUMMARY\b(?:\s+AND\s+COMMENT\b)?\s*[:.\-]*\s*", re.I)
_LEADING_PARA_RE = re.compile(r"^(?:-+\s*)?(?:\d{1,3}\s*\.\s*)?(?:\([A-Za-z/]{1,8}\)\s*)?")
END_SUMMARY_RE = re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.I)


def find_summary(body: str, start: int) -> str | None:
    for match in SUMMARY_RE.finditer(body, start, start + 60_000):
        before = body[max(0, match.start() - 8) : match.start()].upper()
        if re.search(r"END\s*(?:OF\s*)?$", before):
            continue
        end = END_SUMMARY_RE.search(body, match.end(), match.end() + 20_000)
        if not end:
            return None
        text = " ".join(body[match.end() : end.start()].split()).rstrip(" (-")
        text = re.sub(r"\s*¶\s*(?=\d)", " ", text).strip()
        text = _LEADING_PARA_RE.sub("", text)  # "-------- 1. (U) Public sector ..."
        return text or None
    return None
