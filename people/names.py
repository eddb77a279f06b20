"""People's names: one normal form for every name the parser reads, and the merge rule.

Pure Python, no Django. A cable names people in three places: its signer
(``CELLUCCI``, ``van Voorst``, ``BRENNAN FOR GROSSMAN``), its classifier (``Brian
Flora``, ``Robert O. Blake, Jr.``, ``Martinez, Vilma``) and its person tags
(``GATES, ROBERT M.``, or a bare ``CLINTON`` that the TAGS glossary names). Each name
becomes a :class:`Name`:

* **display**, surname first: the surname in capitals, the given names as words
  (``CELLUCCI, Paul``, ``GATES, Robert M.``, ``BLAKE, Robert O., Jr.``); a bare
  surname is just ``CELLUCCI``;
* **key**, which decides who is the same person: case folded, accents folded,
  punctuation dropped, titles and honorifics stripped (``Ambassador``, ``DCM``,
  ``Charge d'Affaires a.i.``, ``Mr.``, ``Dr.``: the vocabulary of
  :mod:`cables.parsing.titles`), the surname (particles kept: ``van-voorst``), then
  ``_`` and the first given name that is not an initial. Middle names and initials
  and suffixes (``Jr.``) are not part of the key: ``Robert M. Gates`` and ``GATES,
  ROBERT`` are one person; ``E. Anthony Wayne`` is ``wayne_anthony``. A name of
  initials only keys on its first initial (``carter_l``); a bare surname on the
  surname alone (``cellucci``). The key is also the person's URL slug.

**The merge rule** (:func:`assign`). A full name (a given name that is not an
initial) is always its own person, by its key. A *partial* name (a bare surname, or
initials only) is merged into a full name only when the evidence is unambiguous:
exactly one full-name key with the same surname (and, for initials, a first given
name with that initial) occurs on cables **from the same post** in a year **at most
one year apart** (a cable without a date matches any year). Otherwise it stays its own
person (``CELLUCCI``). The decision depends only on which full names of its surname
occur at its post and when, so it is re-decided per (surname, post) whenever cables
arrive there, and the result does not depend on the order in which cables were
ingested.

Not merged (no evidence in the text): nicknames (``Chris``/``Christopher``), two full
names that differ in the first given name, and a run-together user name such as
``RTUTTLE``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from cables.glossary import lookup
from cables.parsing import tag_vocab
from cables.parsing.titles import PARTICLES, SUFFIXES, fold, is_title_word

SIGNED, CLASSIFIED, TAGGED = "signed", "classified", "tagged"
ROLES = (SIGNED, CLASSIFIED, TAGGED)

#: Honorifics and ranks written before a name (titles proper are in parsing.titles).
_HONORIFICS_TEXT = """MR MRS MS MISS DR SIR DAME HON HONORABLE PROF REV AMB GEN LTG MG BG COL LTC
    MAJ CAPT ADM RADM VADM SEN REP"""
HONORIFICS = frozenset(_HONORIFICS_TEXT.split())
_REDACTED_RE = re.compile(r"X{4,}", re.I)
_DOT_JOIN_RE = re.compile(r"(?<![A-Za-z])([A-Za-z])\.(?=[A-Za-z]{2})")  # W.Brafman
_INITIALS_RUN_RE = re.compile(r"([A-Z]{1,2})([A-Z][a-z]{2,})")  # TLManlowe, RBlau
_GIVEN_RUN_RE = re.compile(r"([A-Z][a-z]+)([A-Z])([A-Z][a-z]{2,})")  # VilmaSMartinez
_SIGNER_SPLIT_RE = re.compile(r"\s*/\s*|\s+(?:FOR|for|AND|and|&)\s+")
_CLASSIFIER_SPLIT_RE = re.compile(r"\s+(?:and|AND|&)\s+")
_VOWELS = frozenset("AEIOUY")


@dataclass(frozen=True, slots=True)
class Name:
    """One person's name in normal form: ``surname`` in capitals (``VAN VOORST``),
    ``given`` names as written in words (``("Robert", "M.")``), ``suffix`` (``Jr.``)."""

    surname: str
    given: tuple[str, ...] = ()
    suffix: str = ""

    @property
    def surname_key(self) -> str:
        return "-".join(k for k in (_key(w) for w in self.surname.split()) if k)

    @property
    def first_given(self) -> str:
        """The first given name that is not an initial, folded; else ""."""
        for word in self.given:
            key = _key(word)
            if len(key) > 1:
                return key
        return ""

    @property
    def initial(self) -> str:
        """The first letter of the first given name (folded), else ""."""
        for word in self.given:
            key = _key(word)
            if key:
                return key[0]
        return ""

    @property
    def is_full(self) -> bool:
        return bool(self.first_given)

    @property
    def key(self) -> str:
        given = self.first_given or self.initial
        return f"{self.surname_key}_{given}" if given else self.surname_key

    @property
    def display(self) -> str:
        if not self.given:
            return self.surname
        text = f"{self.surname}, {' '.join(self.given)}"
        return f"{text}, {self.suffix}" if self.suffix else text


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as one cable writes it in one role: ``written`` is the fragment as on
    the cable (stored, and read again by :func:`mention_name`)."""

    role: str
    written: str
    name: Name


_NOT_KEY_RE = re.compile(r"[^A-Z0-9]")


@lru_cache(maxsize=65536)  # the same words, over and over
def _key(word: str) -> str:
    return _NOT_KEY_RE.sub("", fold(word)).lower()


def name_key_word(word: str) -> str:
    """One word as keys hold it: ``Muñoz`` -> ``munoz``, ``O'BRIEN`` -> ``obrien``."""
    return _key(word)


def _given_word(word: str) -> str:
    """``ROBERT`` -> ``Robert``, ``M`` -> ``M.``, ``JEAN-PIERRE`` -> ``Jean-Pierre``."""
    bare = word.strip(".")
    if len(bare) == 1 and bare.isalpha():
        return f"{bare.upper()}."
    if word.isupper() or word.islower():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def _surname_text(words: Sequence[str]) -> str:
    return " ".join(w.strip(".,'\"") for w in words).upper()


def _plausible_surname(surname: str) -> bool:
    letters = [ch for ch in fold(surname) if ch.isalpha()]
    return (
        len(letters) >= 2
        and any(ch in _VOWELS for ch in letters)
        and len(set(letters)) > 1
        and not any(ch.isdigit() for ch in surname)
    )


def _tokens(text: str) -> list[str]:
    """Words of a name with run-together forms opened up: ``W.Brafman`` -> ``W.
    Brafman``, ``TLManlowe`` -> ``T. L. Manlowe``, ``VilmaSMartinez`` -> ``Vilma S.
    Martinez``."""
    text = _DOT_JOIN_RE.sub(r"\1. ", text)
    words: list[str] = []
    alone = len(text.split()) == 1  # a user name: "TLManlowe", never "ADam Ereli"
    for word in text.split():
        run = _GIVEN_RUN_RE.fullmatch(word)
        if run:
            words += [run.group(1), f"{run.group(2)}.", run.group(3)]
            continue
        run = _INITIALS_RUN_RE.fullmatch(word) if alone else None
        if run:
            words += [f"{ch}." for ch in run.group(1)] + [run.group(2)]
            continue
        words.append(word)
    return words


def _is_title(word: str) -> bool:
    bare = fold(word).rstrip(".")
    return bare in HONORIFICS or is_title_word(word)


def _strip_titles(words: list[str]) -> list[str]:
    """Titles and honorifics before a name (``Ambassador``, ``DCM``, ``Charge
    d'Affaires a.i.``, ``Mr.``), never the last word left. Only in front: after a name
    a title is behind a comma (``Brian Flora, DCM``), and a surname may look like an
    office (``Das``)."""
    while len(words) > 1 and _is_title(words[0]):
        words = words[1:]
    return words


def _all_titles(part: str) -> bool:
    words = part.split()
    return bool(words) and all(_is_title(w) for w in words)


def _dedupe(words: list[str]) -> list[str]:
    """``CRETZ CRETZ``, ``SHANNON Shannon``: a word written twice in a row, once."""
    out: list[str] = []
    for word in words:
        if not out or _key(out[-1]) != _key(word):
            out.append(word)
    return out


def _split_suffix(words: list[str]) -> tuple[list[str], str]:
    if len(words) > 1 and fold(words[-1]).rstrip(".") in {s.rstrip(".") for s in SUFFIXES}:
        suffix = words[-1].rstrip(".")
        suffix = suffix if suffix.upper() in {"II", "III", "IV"} else suffix.title() + "."
        return words[:-1], suffix
    return words, ""


def parse_name(text: str) -> Name | None:
    """One name, in any of the archive's forms, or None when it is no name
    (a redaction, a lone title, a stray letter).

    ``"Ambassador Paul Cellucci"`` -> ``CELLUCCI, Paul``; ``"GATES, ROBERT M."`` ->
    ``GATES, Robert M.``; ``"Robert O. Blake, Jr."`` -> ``BLAKE, Robert O., Jr.``;
    ``"van Voorst"`` -> ``VAN VOORST``."""
    text = " ".join((text or "").replace("\u2019", "'").split()).strip(" ,;:\"'()[]")
    if not text or _REDACTED_RE.search(text):
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    parts = parts[:1] + [p for p in parts[1:] if not _all_titles(p)]  # "Brian Flora, DCM"
    suffix = ""
    while len(parts) > 1 and fold(parts[-1]).rstrip(".") in {s.rstrip(".") for s in SUFFIXES}:
        _, suffix = _split_suffix(["x", parts.pop()])
    if len(parts) > 1:  # surname first: "GATES, ROBERT M.", "Martinez, Vilma"
        surname_words = _strip_titles(_dedupe(_tokens(parts[0])))
        given = _strip_titles(_tokens(" ".join(parts[1:])))
        given, more = _split_suffix(given) if given else (given, "")
        suffix = suffix or more
    else:
        words = _strip_titles(_dedupe(_tokens(parts[0]))) if parts else []
        words, more = _split_suffix(words)
        suffix = suffix or more
        cut = len(words) - 1
        while cut > 0 and fold(words[cut - 1]).rstrip(".") in PARTICLES:
            cut -= 1  # "Carol van Voorst", "LA LIME"
        surname_words, given = words[cut:], words[:cut]
    surname = _surname_text(surname_words)
    if not surname or not _plausible_surname(surname):
        return None
    if not given and (len(surname) < 3 or all(_is_title(w) for w in surname_words)):
        return None  # a stray word ("Cl") or a lone title ("Ambassador")
    return Name(
        surname=surname,
        given=tuple(_given_word(w) for w in given if _key(w)),
        suffix=suffix if given else "",
    )


def _signer_parts(signer: str) -> list[str]:
    """The names of a signer line: ``SMITH/JONES``, ``BRENNAN FOR GROSSMAN``; an
    upper-case line of several surnames (``POLASCHIK CRETZ``) is one name each unless it
    starts with a known given name (``JOHN SMITH``) or holds a particle (``LA LIME``)."""
    parts = []
    for part in _SIGNER_SPLIT_RE.split(signer or ""):
        words = _strip_titles(_dedupe(part.split())) if part.split() else []
        if (
            len(words) > 1
            and part.isupper()
            and words[0].strip(".") not in tag_vocab.GIVEN_NAMES
            and not any(fold(w) in PARTICLES for w in words)
            and not any(len(w.strip(".")) == 1 for w in words)
        ):
            parts += words
        elif words:
            parts.append(" ".join(words))
    return parts


def is_person_tag(code: str) -> bool:
    """A person tag as the TAGS reader writes it (``GATES, ROBERT M.``) or one the
    glossary lists as a person (``CLINTON``). Stricter than the glossary's guess from
    a token's shape, which also calls unknown codes (``WWARD``) persons."""
    info = lookup(code)
    if info is not None:
        return info.kind == "person"
    return tag_vocab.is_person(code)


@lru_cache(maxsize=65536)  # a surname's stored mentions are read again with every batch
def mention_name(role: str, written: str) -> Name | None:
    """The name a stored mention stands for. A bare person tag that the glossary
    names (``CLINTON``: Hillary Clinton) takes the glossary's full name."""
    name = parse_name(written)
    if name is not None and role == TAGGED and not name.given:
        info = lookup(written)
        if info is not None and info.kind == "person":
            full = parse_name(info.meaning)
            if full is not None and full.surname_key == name.surname_key:
                return full
    return name


def cable_mentions(
    *, signer: str = "", classified_by: str = "", tags: Iterable[str] = ()
) -> list[Mention]:
    """Every person a cable names, each (role, name key) once."""
    found: list[Mention] = []
    seen: set[tuple[str, str]] = set()

    def add(role: str, written: str) -> None:
        written = " ".join(written.split())
        name = mention_name(role, written)
        if name is None or (role, written) in seen:
            return
        seen.add((role, written))
        found.append(Mention(role, written, name))

    for part in _signer_parts(signer):
        add(SIGNED, part)
    for part in _CLASSIFIER_SPLIT_RE.split(classified_by or ""):
        if part.strip():
            add(CLASSIFIED, part)
    for code in tags:
        if is_person_tag(code):
            add(TAGGED, code)
    return found


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A name on a cable from ``post`` in ``year`` (None: undated)."""

    name: Name
    post: object
    year: int | None


def _close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


def assign(occurrences: Sequence[Occurrence]) -> list[str]:
    """The person key of each occurrence (same order): see the module for the rule.
    Pass every occurrence of the surnames concerned; the answer depends on nothing
    else, and not on their order."""
    full_by_post: dict[tuple[str, object], list[Occurrence]] = defaultdict(list)
    for occ in occurrences:
        if occ.name.is_full:
            full_by_post[(occ.name.surname_key, occ.post)].append(occ)
    keys = []
    for occ in occurrences:
        name = occ.name
        if name.is_full:
            keys.append(name.key)
            continue
        candidates = {
            other.name.key
            for other in full_by_post.get((name.surname_key, occ.post), ())
            if _close(other.year, occ.year)
            and (not name.initial or other.name.first_given.startswith(name.initial))
        }
        keys.append(candidates.pop() if len(candidates) == 1 else name.key)
    return keys


def display_for(names: Iterable[Name]) -> str:
    """A person's display name from the names assigned to it: the commonest full
    form, the one with more given names (a middle initial) on a tie, then the first
    alphabetically; a bare surname only when there is nothing fuller."""
    return display_choose(Counter(n.display for n in names))


def display_choose(counts: Mapping[str, int]) -> str:
    """:func:`display_for` from the number of mentions of each display form."""
    counts = {display: n for display, n in counts.items() if n > 0}
    if not counts:
        return ""
    fullness = {}
    for display in counts:
        fullness[display] = display.count(" ") + display.count(",")
    best = min(counts, key=lambda d: (-(", " in d), -counts[d], -fullness[d], d))
    return best


__all__ = [
    "CLASSIFIED",
    "ROLES",
    "SIGNED",
    "TAGGED",
    "Mention",
    "Name",
    "Occurrence",
    "assign",
    "cable_mentions",
    "display_choose",
    "display_for",
    "is_person_tag",
    "mention_name",
    "name_key_word",
    "parse_name",
]
