"""Hostile inputs for the parser: mutations of real cables. Pure Python, no Django.

Shared by the CI-sized fuzzer (``tests/parsing/test_fuzz.py``) and the long run
(``bench/fuzz.py``). :func:`make_case` turns a seed text into one :class:`Case`: a
mutation kind (``long_run``, ``labels``, ``header_flood``, ``short_lines``, ``many_refs``,
``reencode`` ...) and the text to parse. Case ``i`` of a run depends only on the run's
seed, ``i``, the seed texts and the list of mutations (adding one changes every case), so
a run is reproducible whatever the number of workers.

The rule a parse must keep (:func:`check`): raise nothing but ``CableParseError`` and
take at most :func:`budget` CPU seconds (20 ms per KB of text, 20 ms at least); an input
over budget is timed once more before it counts, so that a moment of load on a shared
machine does not make a failure.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cables.parsing import CableParseError, parse_cable
from cables.sources.base import decode_text

MS_PER_KB = 20.0  # the budget: CPU milliseconds per KB of text ...
MIN_MS = 20.0  # ... and never less than this

# Runs of one thing, as padding, OCR debris and pasted tables leave them.
FILLERS = (
    " ",
    "\t",
    ".",
    "-",
    "=",
    "_",
    "*",
    "X",
    "A",
    "a",
    "0",
    "1",
    "\\",
    '"',
    "'",
    "¶",
    "/",
    "(",
    ":",
    ",",
    "\u00a0",
    " .",
    ". ",
    "- ",
    "A ",
    "1 ",
    " \t",
    "\\ ",
    "<br>",
    "www.",
    "0 ",
    "AB",
)
# Every other punctuation character, for very long lines of each.
PUNCTUATION = tuple(c for c in "!#$%&)+;<>?@[]^`{|}~§°·«»–—‘’“”…•" if c not in FILLERS)
# Header labels and other words the field readers look for.
LABELS = (
    "SUBJECT: ",
    "SUBJ ",
    "Subject: ",
    "TAGS ",
    "TAGS: ",
    "tags ",
    "REF: ",
    "REF ",
    "REFTEL ",
    "REF: A. ",
    "CLASSIFIED BY ",
    "Classified By: ",
    "classified by ",
    "E.O. 12958: ",
    "E.O.",
    "DECL: ",
    "SUMMARY: ",
    "SUMMARY ",
    "END SUMMARY ",
    "¶1. (C) ",
    "1. ",
    "(C) ",
    "PAGE 02 ",
    "PAGE 02 ROME 03067 211833Z ",
    "SECTION 02 OF 03 ",
    "CAIRO 00002027 001.2 OF 003 ",
    "FM ",
    "TO ",
    "INFO ",
    "CONFIDENTIAL ",
    "C O N F I D E N T I A L ",
    "SECRET ",
    "LIMITED OFFICIAL USE ",
    "NNNN ",
    "BT ",
    "SIPDIS ",
    "O 241051Z FEB 10 ",
    "DE RUEHOT #0492 ",
    "ZNY CCCCC ",
    "STATE 1234 ",
    "http://",
    "<br>",
    "A. ",
    "(U) ",
    "REASONS 1.4 (B) AND (D) ",
    "IMMEDIATE ",
    "NIACT IMMEDIATE ",
)
CONTROLS = (
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\r",
    "\r\n",
)
MARKS = (
    "\u200f",  # right-to-left mark
    "\u200e",
    "\u202e",  # right-to-left override
    "\u202c",
    "\u2066",
    "\u200b",  # zero width space
    "\u200d",
    "\u0301",  # combining acute
    "\u0308",
    "\u0332",  # combining low line
    "\u05d0",  # Hebrew alef
    "\u0627",  # Arabic alef
    "\uff21",  # fullwidth A
    "\U0001f600",
    "\udc80",  # a lone surrogate (surrogateescape debris)
)
# Header lines with their content, for thousands of them in a row (each reader's label).
HEADER_LINES = (
    "TAGS: PREL PGOV",
    "TAGS:",
    "TAGS",
    "SUBJECT: MEETING WITH THE MINISTER",
    "SUBJECT:",
    "SUBJ:",
    "REF: A. STATE 1234 B. 05 LIMA 567",
    "REF:",
    "REF A",
    "A. STATE 1234",
    "(A) 08 OTTAWA 492",
    "Classified By: Ambassador John Smith, reasons 1.4 (b) and (d)",
    "Classified By:",
    "CLASSIFIED BY",
    "E.O. 12958: DECL: 02/19/2018",
    "E.O.",
    "E.O. 12958:",
    "DECL:",
    "¶1. (C)",
    "¶1. (C) Officials told us the cabinet will meet.",
    "¶",
    "1. (C)",
    "1.",
    "(C)",
    "(SBU) ",
    "SUMMARY:",
    "END SUMMARY",
    "COMMENT:",
    "END COMMENT",
    "PAGE 02 ROME 03067 211833Z",
    "SECTION 01 OF 02",
    "FM AMEMBASSY ROME",
    "TO SECSTATE WASHDC IMMEDIATE 1234",
    "INFO AMEMBASSY PARIS PRIORITY",
    "O 241051Z FEB 10",
    "CONFIDENTIAL",
    "C O N F I D E N T I A L ROME 000123",
    "SIPDIS",
    "NNNN",
    "BT",
    "SMITH",
)
# Short lines, thousands of them.
SHORT_LINES = ("", " ", "x", ".", "-", "1.", "A.", "\\", "(", "¶", "XX", "a b", "(C)", "\t", "=")
STATIONS = ("STATE", "LIMA", "OTTAWA", "ROME", "CAIRO", "SAN JOSE", "BAGHDAD", "USNATO")


@dataclass(frozen=True)
class Case:
    kind: str  # the mutation(s), e.g. "long_run[' ' x40000 inline]+truncate"
    text: object  # what parse_cable gets: a str, or bytes / None for the non-text cases


@dataclass(frozen=True)
class Outcome:
    seconds: float  # CPU seconds of the parse (the better of two when timed twice)
    error: str | None  # "ExcType: message" when the parse raised anything else
    over_budget: bool


def size_of(text: object) -> int:
    return len(text) if isinstance(text, str | bytes) else 0


def budget(text: object) -> float:
    """CPU seconds a parse of ``text`` may take."""
    return max(MIN_MS, MS_PER_KB * size_of(text) / 1024) / 1000


def _timed_parse(text: object) -> tuple[float, str | None]:
    start = time.process_time()
    error = None
    try:
        parse_cable(text)  # type: ignore[arg-type]
    except CableParseError:
        pass
    except Exception as exc:  # any other error is what the fuzzer looks for
        error = f"{type(exc).__name__}: {exc}"[:500]
    return time.process_time() - start, error


def check(text: object) -> Outcome:
    """Parse ``text``, timed; one more timing when the first is over budget."""
    seconds, error = _timed_parse(text)
    if error is None and seconds > budget(text):
        again, error = _timed_parse(text)
        seconds = min(seconds, again)
    return Outcome(seconds, error, seconds > budget(text))


# ------------------------------------------------------------------------ seeds
def fixture_seeds() -> list[str]:
    """Cables built from the hand-written fixtures and the gold snippets (for a checkout
    without the shared corpus)."""
    from tests.cabletext import cable_text
    from tests.parsing.snippets import wrap_closing, wrap_header

    seeds = [
        cable_text(),
        cable_text(station="LIMA", banner="UNCLAS", refs="A. LIMA 1234 B. STATE 56789"),
        cable_text(station="SAN JOSE", banner="SECRET//NOFORN", tags="OVIP (CLINTON, HILLARY)"),
    ]
    gold = Path(__file__).parent / "gold"
    for path in sorted(gold.glob("*.txt")):
        if path.name == "known_failures.txt":
            continue
        blocks = path.read_text(encoding="utf-8").split("\n### ")[1:]
        wrap = wrap_closing if path.name == "signer.txt" else wrap_header
        for block in blocks:
            snippet = block.split("\n", 1)[-1].split("--- expect", 1)[0]
            seeds.append(wrap(snippet))
    return seeds


def corpus_seeds(txt_dir: Path, limit: int | None = None, rng_seed: int = 0) -> list[str]:
    """Real cables: every ``*.txt`` of ``txt_dir`` (a sample of ``limit`` of them)."""
    paths = sorted(txt_dir.glob("*.txt"))
    if limit is not None and limit < len(paths):
        paths = sorted(random.Random(rng_seed).sample(paths, limit))
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


# -------------------------------------------------------------------- helpers
def as_source_would(data: bytes) -> str:
    """Bytes decoded as the readers do (UTF-8, else cp1252); what they refuse (NUL
    bytes, bytes cp1252 does not map) decoded as the CSV reader does (UTF-8, replace)."""
    try:
        return decode_text(data)[0]
    except ValueError:
        return data.decode("utf-8", errors="replace")


def _size(rng: random.Random, max_size: int) -> int:
    """A run length, log-uniform from 10 to ``max_size``."""
    return max(1, min(max_size, int(10 ** rng.uniform(1, 6.3))))


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _header_line_index(rng: random.Random, lines: list[str]) -> int:
    """A line near the top (routing header, banner, header fields), else anywhere."""
    if lines and rng.random() < 0.7:
        return rng.randrange(min(len(lines), 40))
    return rng.randrange(len(lines)) if lines else 0


# ------------------------------------------------------------------ mutations
def m_byte_flips(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    data = bytearray(text.encode("utf-8", errors="surrogatepass"))
    if not data:
        return "byte_flips", text
    count = rng.choice((1, 4, 32, 256))
    for _ in range(count):
        pos = rng.randrange(len(data))
        if rng.random() < 0.5:
            data[pos] ^= 1 << rng.randrange(8)
        else:
            data[pos] = rng.randrange(256)
    return f"byte_flips[{count}]", as_source_would(bytes(data))


def m_truncate(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    if not text:
        return "truncate", text
    cut = rng.randrange(len(text))
    how = rng.choice(("head", "tail", "middle"))
    if how == "head":
        return "truncate[head]", text[:cut]
    if how == "tail":
        return "truncate[tail]", text[cut:]
    end = min(len(text), cut + rng.randrange(1, 2000))
    return "truncate[middle]", text[:cut] + text[end:]


def m_duplicate_lines(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    lines = _lines(text)
    i = _header_line_index(rng, lines)
    line = lines[i] if lines else ""
    times = rng.choice((2, 3, 10, 100, 1000, 10000))
    times = max(1, min(times, max_size // (len(line) + 1)))
    lines[i : i + 1] = [line] * times
    return f"duplicate_lines[x{times}]", "\n".join(lines)


def m_delete_lines(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    lines = _lines(text)
    count = rng.randint(1, max(1, len(lines) // 3))
    for _ in range(count):
        if len(lines) <= 1:
            break
        del lines[_header_line_index(rng, lines) % len(lines)]
    return f"delete_lines[{count}]", "\n".join(lines)


def m_shuffle_header(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    lines = _lines(text)
    start = rng.randrange(max(1, min(len(lines), 30)))
    end = min(len(lines), start + rng.randint(2, 25))
    part = lines[start:end]
    rng.shuffle(part)
    lines[start:end] = part
    return "shuffle_header", "\n".join(lines)


def m_long_run(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """A very long run of one thing: its own line, inside a line, or ending a line."""
    filler = rng.choice(FILLERS)
    n = max(1, _size(rng, max(10, max_size - len(text))) // len(filler))
    run = filler * n
    lines = _lines(text)
    i = _header_line_index(rng, lines)
    line = lines[i] if lines else ""
    where = rng.choice(("line", "inline", "end", "before_last_word"))
    if where == "line":
        lines.insert(i, run)
    elif where == "inline":
        pos = rng.randrange(len(line) + 1)
        lines[i] = line[:pos] + run + line[pos:]
    elif where == "end":
        lines[i] = line + run
    else:  # the reported case: "TO SECSTATE WASHDC" + blanks + "X"
        head, _, last = line.rpartition(" ")
        lines[i] = (head + run + last) if head else (line + run + "X")
    return f"long_run[{filler!r} x{n} {where}]", "\n".join(lines)


def m_labels(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """A header label repeated: ``SUBJECT: SUBJECT: ...``, ``TAGS`` x1000, a line of
    each, or the label then a long run."""
    label = rng.choice(LABELS)
    times = rng.choice((2, 10, 100, 1000, 5000))
    times = max(1, min(times, max_size // len(label)))
    lines = _lines(text)
    i = _header_line_index(rng, lines)
    how = rng.choice(("one_line", "lines", "line_start", "then_run"))
    if how == "one_line":
        lines.insert(i, label * times)
    elif how == "lines":
        lines[i:i] = [label.strip()] * times
    elif how == "line_start":
        lines[i] = label * times + (lines[i] if lines else "")
    else:
        filler = rng.choice(FILLERS)
        lines.insert(i, label + filler * max(1, _size(rng, max_size) // len(filler)) + "X")
        times = 1
    return f"labels[{label.strip()!r} x{times} {how}]", "\n".join(lines)


def m_header_flood(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """A header line of each reader (TAGS, SUBJECT, REF, Classified By, E.O., paragraph
    markers ...) repeated thousands of times: one per line, between blank lines, CR LF,
    or run together on one line."""
    line = rng.choice(HEADER_LINES)
    how, sep = rng.choice(
        (("lines", "\n"), ("blank", "\n\n"), ("crlf", "\r\n"), ("one_line", " "), ("cr", "\r"))
    )
    times = rng.choice((100, 1000, 5000, 20000))
    times = max(1, min(times, max_size // (len(line) + len(sep))))
    lines = _lines(text)
    i = _header_line_index(rng, lines)
    lines.insert(i, sep.join([line] * times))
    return f"header_flood[{line!r} x{times} {how}]", "\n".join(lines)


def m_punctuation_run(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """A very long line of one punctuation character: its own line, in a line or at
    its end."""
    char = rng.choice(PUNCTUATION + FILLERS[2:])
    run = char * max(1, _size(rng, max_size) // len(char))
    lines = _lines(text)
    i = _header_line_index(rng, lines)
    line = lines[i] if lines else ""
    where = rng.choice(("line", "inline", "end"))
    if where == "line":
        lines.insert(i, run)
    elif where == "inline":
        pos = rng.randrange(len(line) + 1)
        lines[i] = line[:pos] + run + line[pos:]
    else:
        lines[i] = line + run
    return f"punctuation_run[{char!r} x{len(run)} {where}]", "\n".join(lines)


def m_short_lines(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """Thousands of short lines (empty, a dot, a number, a pilcrow ...)."""
    line = rng.choice(SHORT_LINES)
    times = rng.choice((1000, 10000, 100000))
    times = max(1, min(times, max_size // (len(line) + 1)))
    lines = _lines(text)
    i = _header_line_index(rng, lines)
    lines[i:i] = [line] * times
    return f"short_lines[{line!r} x{times}]", "\n".join(lines)


def m_many_refs(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """Thousands of REF items: lettered lines, one long line, or serials of one station."""
    count = rng.choice((30, 300, 3000, 10000))
    how = rng.choice(("lettered", "one_line", "serials", "unlettered"))
    items = []
    for k in range(count):
        letter = chr(ord("A") + k % 26)
        station = rng.choice(STATIONS)
        items.append((letter, station, rng.randrange(1, 400000), rng.randrange(66, 112) % 100))
    if how == "lettered":
        block = "REF: " + "\n".join(f"{a}. {y:02d} {s} {n}" for a, s, n, y in items)
    elif how == "one_line":
        block = "REF: " + " ".join(f"({a}) {s} {n};" for a, s, n, _ in items)
    elif how == "serials":
        block = "REF: STATE " + ", ".join(str(n) for _, _, n, _ in items)
    else:
        block = "REFS:\n" + "\n".join(f"{s} {n}" for _, s, n, _ in items)
    block = block[:max_size]
    lines = _lines(text)
    subject = next((k for k, line in enumerate(lines[:80]) if "SUBJ" in line.upper()), None)
    i = subject + 1 if subject is not None else _header_line_index(rng, lines)
    lines.insert(i, block)
    return f"many_refs[{how} x{count}]", "\n".join(lines)


def m_controls(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    chars = list(text)
    if rng.random() < 0.3:
        control = rng.choice(CONTROLS)
        pos = rng.randrange(len(chars) + 1)
        chars[pos:pos] = [control * rng.choice((1, 10, 1000))]
        return f"controls[run {control!r}]", "".join(chars)
    count = rng.choice((1, 10, 100))
    for _ in range(count):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(CONTROLS))
    return f"controls[{count}]", "".join(chars)


def m_marks(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """Right-to-left and combining marks, zero-width and wide characters."""
    if rng.random() < 0.3 and text:
        # a mark after every character of a stretch ("S\u0301E\u0301C\u0301...")
        mark = rng.choice(MARKS)
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randrange(1, 5000))
        marked = "".join(ch + mark for ch in text[start:end])
        return f"marks[after each {mark!r}]", text[:start] + marked + text[end:]
    chars = list(text)
    count = rng.choice((1, 10, 100, 1000))
    for _ in range(count):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(MARKS))
    return f"marks[{count}]", "".join(chars)


def m_reencode(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    """cp1252 / latin-1 bytes, UTF-8 read as cp1252 (mojibake), a BOM: decoded back as
    the sources would."""
    how = rng.choice(("cp1252", "latin-1", "mojibake", "bom", "utf-16"))
    if how in ("cp1252", "latin-1"):
        data = text.encode(how, errors="replace")
    elif how == "mojibake":
        data = text.encode("utf-8", errors="replace").decode("cp1252", errors="replace")
        data = data.encode("utf-8", errors="replace")
    elif how == "bom":
        data = b"\xef\xbb\xbf" + text.encode("utf-8", errors="replace")
    else:
        data = text.encode("utf-16", errors="replace")
    return f"reencode[{how}]", as_source_would(data)


def m_empty(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    n = rng.choice((1, 10, 1000, 100000))
    return "empty", rng.choice(("", " ", "\n", "\n" * n, " " * n, "\t\n" * n, "\ufeff", "\r\n" * n))


def m_binary(rng: random.Random, text: str, max_size: int) -> tuple[str, object]:
    size = min(max_size, rng.choice((1, 16, 1000, 50000)))
    data = rng.randbytes(size)
    how = rng.choice(("source", "latin-1", "bytes", "none"))
    if how == "source":
        return "binary[as source]", as_source_would(data)
    if how == "latin-1":
        return "binary[latin-1]", data.decode("latin-1")
    if how == "bytes":
        return "binary[bytes object]", data
    return "binary[None]", None


def m_splice(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    if not text:
        return "splice", text
    a, b = sorted(rng.randrange(len(text)) for _ in range(2))
    how = rng.choice(("swap", "repeat"))
    if how == "swap":
        return "splice[swap]", text[b:] + text[:a] + text[a:b]
    return "splice[repeat]", text[:b] + text[a:]


def m_noise(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabc 0123456789.,:;/()[]#¶-\n\t\"'\\é中"
    size = min(max_size, rng.choice((10, 100, 2000, 20000)))
    noise = "".join(rng.choices(alphabet, k=size))
    if rng.random() < 0.5:
        return "noise", noise
    pos = rng.randrange(len(text) + 1)
    return "noise[inserted]", text[:pos] + noise + text[pos:]


def m_line_ends(rng: random.Random, text: str, max_size: int) -> tuple[str, str]:
    how = rng.choice(("crlf", "cr", "flatten", "blank_lines", "mixed"))
    if how == "mixed":  # every line end its own: LF, CR LF, CR, LF CR, CR CR LF
        ends = ("\n", "\r\n", "\r", "\n\r", "\r\r\n")
        parts = text.split("\n")
        mixed = "".join(part + rng.choice(ends) for part in parts[:-1]) + parts[-1]
        return "line_ends[mixed]", mixed
    if how == "crlf":
        return "line_ends[crlf]", text.replace("\n", "\r\n")
    if how == "cr":
        return "line_ends[cr]", text.replace("\n", "\r")
    if how == "flatten":  # a flattened extract: the lines run together
        return "line_ends[flatten]", text.replace("\n", rng.choice((" ", "  ", "")))
    return "line_ends[blank_lines]", text.replace("\n", "\n\n" * rng.choice((1, 5, 50)))


MUTATIONS = (
    (m_byte_flips, 8),
    (m_truncate, 8),
    (m_duplicate_lines, 8),
    (m_delete_lines, 5),
    (m_shuffle_header, 6),
    (m_long_run, 20),
    (m_labels, 14),
    (m_many_refs, 6),
    (m_header_flood, 10),
    (m_punctuation_run, 6),
    (m_short_lines, 4),
    (m_controls, 6),
    (m_marks, 6),
    (m_reencode, 6),
    (m_empty, 1),
    (m_binary, 2),
    (m_splice, 4),
    (m_noise, 3),
    (m_line_ends, 4),
)
_FUNCTIONS = [m for m, _ in MUTATIONS]
_WEIGHTS = [w for _, w in MUTATIONS]


def make_case(seeds: Sequence[str], run_seed: int, index: int, max_size: int = 200_000) -> Case:
    """Case ``index`` of the run ``run_seed``: one to three mutations of one seed text."""
    rng = random.Random(f"{run_seed}:{index}")
    text: object = seeds[rng.randrange(len(seeds))]
    kinds = []
    for step in range(rng.choice((1, 1, 1, 2, 2, 3))):
        if not isinstance(text, str):
            break
        mutation = rng.choices(_FUNCTIONS, _WEIGHTS)[0]
        if step and mutation in (m_empty, m_binary):
            continue
        kind, text = mutation(rng, text, max_size)
        kinds.append(kind)
    return Case("+".join(kinds), text)
