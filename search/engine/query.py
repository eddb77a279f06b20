"""The query language: what a reader types, checked and cleaned, then parsed by Whoosh.

Whoosh's parser quietly "repairs" many mistakes, so :func:`query_parse` checks the
text itself first (length, quotes, parentheses, fields, dangling operators, wildcards)
and says in plain words what it did; what reaches Whoosh is always well formed.

Every step before Whoosh is a scan of the text or of its tokens, with no recursion
and no regular expression that can backtrack far, so checking a query takes time
linear in its length (``tests/search/test_hostile.py``). A query over a limit of
:mod:`search.engine.limits` (too many words, parentheses too deep, a word too long)
is refused before Whoosh reads it: ``refusal`` says why, and there is no query.
Whoosh's parser recurses into groups and prefix operators, so what it is given is
small and shallow: at most ``MAX_QUERY_LENGTH`` characters, ``MAX_WORDS`` words,
``MAX_DEPTH`` levels of parentheses, and never two ``NOT`` in a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import query as wq
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.qparser.plugins import BoostPlugin, EveryPlugin, RangePlugin, SingleQuotePlugin

from cables.parsing.ids import ID_RE, normalize_id
from search.engine.limits import (
    MAX_DEPTH,
    MAX_MESSAGES,
    MAX_QUERY_LENGTH,
    MAX_WORD_LENGTH,
    MAX_WORDS,
    MIN_PREFIX,
    query_cut,
)
from search.engine.schema import (
    CLASSIFICATION_SLUGS,
    DEFAULT_FIELDS,
    FIELD_BOOSTS,
    NAME_QUERY_FIELDS,
    QUERY_FIELDS,
    SCHEMA,
    classification_query_term,
    classification_slug,
    tag_term,
)

# What a reader types before the colon -> the index field it searches.
FIELDS = QUERY_FIELDS
_FIELD_NAMES = ", ".join(sorted(FIELDS))
PCLASS_RE = re.compile(r"^[A-Z]{1,4}(?:/{1,2}[A-Z]{1,6}){0,2}$")
OPERATORS = {"AND", "OR", "NOT"}
BINARY = {"AND", "OR"}

_ID_SEPARATORS_RE = re.compile(r"[\s.'-]+")
# ``pclass:(S)``: a paragraph marking may be typed with its parentheses.
_TOKEN_RE = re.compile(r'(?i:pclass):\([^()\s"]*\)|"[^"]*"|\(|\)|[^\s()"]+')
_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\\]")
# A name's words: letters and digits, joined by dots, apostrophes or hyphens.
_NAME_WORD_RE = re.compile(r"[^\W_]+(?:[.'’-]+[^\W_]+)*\*?")
# Counting a token's words: a field name before its colon is not one.
_FIELD_PREFIX_RE = re.compile(r"(?<![^\s(])[a-z_]+:")
_WORD_RE = re.compile(r'[^\s"()]+')


def cable_id_in_query(text: str) -> str | None:
    """The canonical cable id when the whole query is one (``03 OTTAWA 492``,
    ``03ottawa492``, ``03OTTAWA000492``), else None: the archive's one id rule
    (:mod:`cables.parsing.ids`) on the query without spaces and separators."""
    if not text or len(text) > 64:
        return None
    squeezed = _ID_SEPARATORS_RE.sub("", text).upper()
    if not ID_RE.match(squeezed):
        return None
    return normalize_id(squeezed)


@dataclass
class ParsedQuery:
    raw: str
    text: str = ""
    query: wq.Query | None = None
    messages: list[str] = field(default_factory=list)
    # Why the query was not run (over a limit of search.engine.limits), or "".
    refusal: str = ""

    @property
    def is_empty(self) -> bool:
        return self.query is None

    @property
    def display(self) -> str:
        return str(self.query) if self.query is not None else ""


@lru_cache(maxsize=1)
def _parser() -> MultifieldParser:
    # The one place the field boosts are applied (see search.engine.schema).
    parser = MultifieldParser(
        list(DEFAULT_FIELDS), SCHEMA, fieldboosts=FIELD_BOOSTS, group=AndGroup
    )
    for plugin in (SingleQuotePlugin, RangePlugin, BoostPlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    return parser


def _clean_word(word: str, messages: list[str]) -> str:
    """Wildcards: only a trailing ``*`` after at least two letters is kept."""
    if "*" not in word and "?" not in word:
        return word
    stem = word.rstrip("*")
    if "*" not in stem and "?" not in stem and len(stem) >= MIN_PREFIX and word.endswith("*"):
        return stem + "*"
    cleaned = word.replace("*", "").replace("?", "")
    messages.append(
        f"Only a trailing * after at least {MIN_PREFIX} letters is supported "
        f"(like milit*); searched for “{cleaned or word}” instead."
    )
    return cleaned


def _field_value(name: str, value: str, messages: list[str]) -> str | None:
    if name == "pclass":
        marking = value.strip('"').strip().strip("()").upper()
        if not PCLASS_RE.match(marking):
            messages.append(
                f"“{value}” is not a paragraph marking (like S, C, S/NF, SBU or U); ignored it."
            )
            return None
        return marking.lower()
    if name in NAME_QUERY_FIELDS:
        # A name is searched as a phrase of its words (one word: that word), whatever
        # its punctuation; a quotation mark inside a name is not part of it.
        words = _NAME_WORD_RE.findall(value.strip('"'))
        if not words:
            messages.append(f"“{name}:{value}” names nobody; ignored it.")
            return None
        if len(words) == 1 and words[0].endswith("*") and not value.startswith('"'):
            return words[0]
        return '"' + " ".join(w.rstrip("*") for w in words) + '"'
    if name == "tag" and value.startswith('"'):
        return '"' + tag_term(value.strip('"')) + '"'
    if name == "classification":
        slug = classification_slug(value.strip('"'))
        if slug not in CLASSIFICATION_SLUGS:
            known = ", ".join(sorted(CLASSIFICATION_SLUGS))
            messages.append(f"Unknown classification “{value}”; ignored it. Known: {known}.")
            return None
        return classification_query_term(slug)
    if name == "ref" and not value.startswith('"'):
        return re.sub(r"[^A-Za-z0-9]", "", value)
    return value


def _tokens(text: str, messages: list[str]) -> list[str]:
    """Split into phrases, parentheses and words; rewrite fields and ``-word``."""
    raw_tokens = _TOKEN_RE.findall(text)
    out: list[str] = []
    i = 0
    while i < len(raw_tokens):
        tok = raw_tokens[i]
        i += 1
        negate = False
        if tok not in ("(", ")") and not tok.startswith('"') and tok[0] in "+-":
            negate = tok.startswith("-")
            tok = tok.lstrip("+-")
            if not tok:
                if i < len(raw_tokens) and raw_tokens[i].startswith('"'):
                    tok = raw_tokens[i]
                    i += 1
                else:
                    continue
        if negate:
            out.append("NOT")
        if tok in ("(", ")") or tok.startswith('"'):
            out.append(tok)
            continue
        match = _FIELD_RE.match(tok)
        if match:
            name, value = match.group(1).lower(), match.group(2)
            if name not in FIELDS:
                messages.append(
                    f"There is no field “{match.group(1)}:”; searched for the words instead. "
                    f"Fields: {_FIELD_NAMES}."
                )
                words = [w for w in (match.group(1), *value.split(":")) if w]
                out.extend(_clean_word(w, messages) for w in words)
                continue
            if not value and i < len(raw_tokens) and raw_tokens[i].startswith('"'):
                value = raw_tokens[i]
                i += 1
            if not value:
                messages.append(f"“{name}:” needs a value right after the colon; ignored it.")
                if negate:
                    out.pop()
                continue
            value = value.replace(":", " ").strip()
            cleaned = _field_value(name, value, messages)
            if cleaned is None or not cleaned:
                if negate:
                    out.pop()
                continue
            if not cleaned.startswith('"'):
                cleaned = _clean_word(cleaned, messages)
            elif not SCHEMA[FIELDS[name]].format.supports("positions") and name != "tag":
                # post, ref, caveat...: one code each, no phrases; several are all required
                words = cleaned.strip('"').split()
                if not words:
                    messages.append(f"“{name}:” needs a value right after the colon; ignored it.")
                    if negate:
                        out.pop()
                    continue
                if len(words) > 1:
                    messages.append(
                        f"“{name}:” takes one value; searched for cables with each of "
                        f"{', '.join(words)}."
                    )
                cleaned = "(" + " ".join(f"{FIELDS[name]}:{w}" for w in words) + ")"
                out.append(cleaned if len(words) > 1 else f"{FIELDS[name]}:{words[0]}")
                continue
            out.append(f"{FIELDS[name]}:{cleaned}")
            continue
        if ":" in tok:
            words = (_clean_word(w, messages) for w in tok.split(":") if w)
            out.extend(w for w in words if w)
            continue
        cleaned = _clean_word(tok, messages)
        if cleaned:
            out.append(cleaned)
    return out


def _balance_parens(tokens: list[str], messages: list[str]) -> list[str]:
    """Drop unmatched parentheses and empty groups (one pass each, no recursion)."""
    depth, unmatched_close = 0, 0
    opens: list[int] = []
    drop: set[int] = set()
    for index, tok in enumerate(tokens):
        if tok == "(":
            opens.append(index)
            depth += 1
        elif tok == ")":
            if depth == 0:
                unmatched_close += 1
                drop.add(index)
                continue
            depth -= 1
            opens.pop()
    if unmatched_close:
        messages.append(f"Ignored {unmatched_close} closing parenthesis without an opening one.")
    if opens:
        drop.update(opens)
        messages.append(f"Ignored {len(opens)} opening parenthesis that was never closed.")
    # empty groups
    cleaned: list[str] = []
    for index, tok in enumerate(tokens):
        if index in drop:
            continue
        if tok == ")" and cleaned and cleaned[-1] == "(":
            cleaned.pop()
            continue
        cleaned.append(tok)
    return cleaned


def _fix_operators(tokens: list[str], messages: list[str]) -> list[str]:
    """Drop operators without a word on each side; ``NOT NOT x`` is ``x`` (Whoosh
    nests one query per ``NOT``)."""
    out: list[str] = []
    dropped: list[str] = []
    for tok in tokens:
        if tok in BINARY and (not out or out[-1] in OPERATORS or out[-1] == "("):
            dropped.append(tok)
            continue
        if tok == "NOT" and out and out[-1] == "NOT":
            out.pop()
            continue
        if tok == ")" and out and out[-1] in OPERATORS:
            dropped.append(out.pop())
        out.append(tok)
    while out and out[-1] in OPERATORS:
        dropped.append(out.pop())
    if dropped:
        names = ", ".join(f"“{d}”" for d in dict.fromkeys(dropped))
        messages.append(f"{names} needs a word on each side; ignored it.")
    return out


def _refusal(tokens: list[str]) -> str:
    """Why the query (its balanced tokens) is over a limit, or ""."""
    words, longest, depth, deepest = 0, 0, 0, 0
    for tok in tokens:
        if tok == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif tok == ")":
            depth -= 1
        elif tok not in OPERATORS:
            found = _WORD_RE.findall(_FIELD_PREFIX_RE.sub(" ", tok))
            words += max(1, len(found))  # an empty phrase counts too
            for word in found:
                longest = max(longest, len(word))
    help_note = "The search help lists the limits."
    if words > MAX_WORDS:
        return (
            f"This query was not run: it has {words:,} words, and the limit is {MAX_WORDS:,} "
            f"(each word of a phrase counts). Search for fewer words at once. {help_note}"
        )
    if deepest > MAX_DEPTH:
        return (
            f"This query was not run: its parentheses nest {deepest:,} deep, and the limit "
            f"is {MAX_DEPTH:,}. {help_note}"
        )
    if longest > MAX_WORD_LENGTH:
        return (
            f"This query was not run: it has a word of {longest:,} characters, and the "
            f"limit is {MAX_WORD_LENGTH:,}. {help_note}"
        )
    return ""


def _capped(messages: list[str]) -> list[str]:
    """At most ``MAX_MESSAGES`` notes (a query of a thousand mistakes is not a page
    of a thousand notes)."""
    if len(messages) <= MAX_MESSAGES:
        return messages
    more = len(messages) - (MAX_MESSAGES - 1)
    return [*messages[: MAX_MESSAGES - 1], f"… and {more:,} more notes like these."]


def _plain_reading(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def query_parse(raw: str | None, *, max_length: int | None = MAX_QUERY_LENGTH) -> ParsedQuery:
    """Check, clean and parse a query. Never raises on user input: problems become
    ``messages`` and the query is read as plainly as possible; a query over a limit
    (:mod:`search.engine.limits`) is not parsed, and ``refusal`` says why. Only the
    first ``max_length`` characters are read (None: all of them, for tests)."""
    raw = raw or ""
    messages: list[str] = []
    text = _CONTROL_RE.sub(" ", raw)
    text, cut = query_cut(text, max_length=max_length)
    if cut:
        messages.append(cut)
    text = text.strip()
    if not text:
        return ParsedQuery(raw=raw, messages=messages)
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
        messages.append("A quotation mark was not closed; ignored it.")
    tokens = _tokens(text, messages)
    tokens = _balance_parens(tokens, messages)
    tokens = _fix_operators(tokens, messages)
    refusal = _refusal(tokens)
    if refusal:
        return ParsedQuery(raw=raw, messages=_capped(messages), refusal=refusal)
    cleaned = " ".join(tokens)
    if not cleaned:
        return ParsedQuery(raw=raw, messages=_capped(messages))
    try:
        parsed = _parser().parse(cleaned)
    except Exception:  # Whoosh's parser has no error type of its own
        cleaned = _plain_reading(cleaned)
        messages.append(f"Could not read the query; searched for the words “{cleaned}”.")
        parsed = _parser().parse(cleaned) if cleaned else None
    if parsed is not None and parsed is wq.NullQuery:
        messages.append("Every word in the query is too common to search for.")
    return ParsedQuery(raw=raw, text=cleaned, query=parsed, messages=_capped(messages))
