"""Page breaks of the telegram formats, removed before any field is read.

Two forms occur in the release: the old telegram page header (a classification line,
then ``PAGE 02 ROME 03067 211833Z``), and the newer page marker run into the text
(``CAIRO 00002027 001.2 OF 003``).
"""

from __future__ import annotations

import re

PAGE_MARKER_RE = re.compile(r"\b[A-Z][A-Z ]{1,30}?\s+\d{8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b")
