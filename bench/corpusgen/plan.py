"""The plan of the synthetic corpus: who sends what when, and who cites whom.

Everything here is small per cable (a few ints), so a plan for Cablegate's 251,287
cables fits in a few dozen MB; the text is produced later, one cable at a time.
"""

from __future__ import annotations

import calendar
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from cables.parsing import read_known_ids, split_id

from .stations import fallback
from .templates import StationInfo, Template

# the citation graph
P_SAME_STATION = 0.40  # cite an earlier cable of one's own station
P_STATE = 0.30  # cite a Department (STATE) cable
P_HUB = 0.35  # pick by citations received (else by recency)
MAX_REFS = 4


@dataclass(frozen=True)
class Station:
    code: str
    spelling: str  # as the banner and REF lines write it: "BUENOS AIRES"
    fm: str  # the FM line: "AMEMBASSY BUENOS AIRES"
    origin: str  # as the site and the dump write it: "Embassy Buenos Aires"
    ri: str | None = None  # routing indicator of the DE line: "RUEHOT"


@dataclass
class Plan:
    stations: list[Station]
    station: list[int]  # per cable, index into stations (chronological order)
    year: list[int]
    month: list[int]
    day: list[int]
    hour: list[int]
    minute: list[int]
    serial: list[int]
    template: list[int]  # index into the template list
    cites: list[tuple[int, ...]]  # earlier cables (indices) each cable cites
    excluded_share: float  # share of real ids whose station we do not sample

    def ident(self, i: int) -> str:
        return f"{self.year[i] % 100:02d}{self.stations[self.station[i]].code}{self.serial[i]}"


def _identity(code: str, info: StationInfo | None) -> Station | None:
    fixed = fallback(code)
    if info is None or not info.spelling:
        return Station(code, *fixed) if fixed else None
    spelling = info.spelling.most_common(1)[0][0]
    origin = info.origin.most_common(1)[0][0]
    if info.fm:
        fm = info.fm.most_common(1)[0][0]
    elif fixed:
        fm = fixed[1]
    else:
        kind = "AMCONSUL" if origin.startswith("Consulate") else "AMEMBASSY"
        fm = f"{kind} {spelling}"
    ri = info.ri.most_common(1)[0][0] if info.ri else None
    return Station(code, spelling, fm, origin, ri)


def _real_ids(corpus: Path):
    """``(year, station, serial, month)`` of each year+station+serial shaped known id."""
    for ident, month in read_known_ids(corpus / "cablegate-ids" / "cable2month.csv.gz"):
        parts = split_id(ident)
        if parts is not None:
            yield (*parts, month)


def _pools(templates: list[Template], years: set[int]) -> dict[tuple[int, bool, bool], list[int]]:
    """Templates for each (year, is STATE, partial): the same year's, widened to the
    nearest years until there are enough to vary."""
    by_year: dict[tuple[int, bool, bool], list[int]] = defaultdict(list)
    for i, template in enumerate(templates):
        by_year[template.year, template.station == "STATE", template.partial].append(i)
    pools = {}
    for year in years:
        for state in (False, True):
            for partial in (False, True):
                enough = (10 if partial else 40) // (4 if state else 1)
                pool: list[int] = []
                for width in range(60):
                    pool = [
                        i
                        for y in range(year - width, year + width + 1)
                        for i in by_year.get((y, state, partial), ())
                    ]
                    if len(pool) >= enough:
                        break
                pools[year, state, partial] = pool
    return pools


def _serials(rng: random.Random, need: int, real: list[int]) -> list[int]:
    """``need`` ascending serials in the real range of a station-year, none of them a
    real Cablegate serial (so generated ids never collide with real ones)."""
    taken = set(real)
    top = max(max(real, default=0), 2 * (need + len(taken)), 10)
    drawn = [s for s in rng.sample(range(1, top + 1), need + len(taken)) if s not in taken]
    return sorted(drawn[:need])


class _Pool:
    """Earlier cables of a station (or all): ``nodes`` in time order, and an urn that
    holds each cable once plus once per citation it received."""

    __slots__ = ("nodes", "urn")

    def __init__(self) -> None:
        self.nodes: list[int] = []
        self.urn: list[int] = []

    def pick(self, rng: random.Random, recent: float, window: int) -> int:
        if rng.random() < P_HUB:
            # preferential attachment among the recently active: the urn's tail
            return self.urn[len(self.urn) - 1 - rng.randrange(min(window, len(self.urn)))]
        back = int(rng.expovariate(1.0 / recent))  # recency: the last cables
        return self.nodes[len(self.nodes) - 1 - back % len(self.nodes)]


def make_plan(
    count: int,
    seed: int,
    corpus: Path,
    templates: list[Template],
    info: dict[str, StationInfo],
) -> Plan:
    rng = random.Random(seed)
    stations: list[Station] = []
    station_index: dict[str, int] = {}
    skipped: set[str] = set()
    draws: list[tuple[int, int, int]] = []  # (year, station index, month) of real ids
    real_serials: dict[tuple[int, int], list[int]] = defaultdict(list)
    excluded = total = 0
    for year, code, serial, month in _real_ids(corpus):
        total += 1
        index = station_index.get(code)
        if index is None and code not in skipped:
            station = _identity(code, info.get(code))
            if station is None:
                skipped.add(code)
            else:
                index = station_index[code] = len(stations)
                stations.append(station)
        if index is None:
            excluded += 1
            continue
        draws.append((year, index, month))
        real_serials[year, index].append(serial)

    # who and when: the joint (station, year, month) distribution of Cablegate
    rows = []
    for n in range(count):
        year, index, month = draws[rng.randrange(len(draws))]
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        hour, minute = rng.randrange(24), rng.randrange(60)
        rows.append((year, month, day, hour, minute, n, index))
    rows.sort()

    # serials ascending with time within each station-year
    per_key: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        per_key[row[0], row[6]].append(i)
    serial = [0] * count
    for key in sorted(per_key):
        for i, s in zip(
            per_key[key], _serials(rng, len(per_key[key]), real_serials[key]), strict=True
        ):
            serial[i] = s

    # which real cable lends its text
    years = {row[0] for row in rows}
    pools = _pools(templates, years)
    state_index = station_index.get("STATE")
    # partial extracts as often as among the real cables, whatever the year
    partial_share = sum(t.partial for t in templates) / len(templates)
    template = []
    for row in rows:
        pool = pools[row[0], row[6] == state_index, rng.random() < partial_share]
        template.append(rng.choice(pool or pools[row[0], row[6] == state_index, False]))

    # the citation graph: preferential attachment (an urn holding each cable once plus
    # once per citation), locality (own station, the Department), recency (urn tail)
    everyone = _Pool()
    by_station: dict[int, _Pool] = defaultdict(_Pool)
    cites: list[tuple[int, ...]] = []
    for i, row in enumerate(rows):
        index = row[6]
        want = min(MAX_REFS, templates[template[i]].refs)
        own = by_station[index]
        state = by_station[state_index] if state_index is not None else own
        chosen: list[int] = []
        for _ in range(want * 3):
            if len(chosen) >= want or not everyone.nodes:
                break
            roll = rng.random()
            if roll < P_SAME_STATION and own.nodes:
                target = own.pick(rng, 40, 400)
            elif roll < P_SAME_STATION + P_STATE and state.nodes:
                target = state.pick(rng, 300, 3000)
            else:
                target = everyone.pick(rng, 3000, 30000)
            if target not in chosen:
                chosen.append(target)
        chosen.sort(key=lambda t: (rows[t][:5], t), reverse=True)  # A. is the most recent
        cites.append(tuple(chosen))
        for target in chosen:
            everyone.urn.append(target)
            by_station[rows[target][6]].urn.append(target)
        for pool in (everyone, own):
            pool.nodes.append(i)
            pool.urn.append(i)

    return Plan(
        stations=stations,
        station=[row[6] for row in rows],
        year=[row[0] for row in rows],
        month=[row[1] for row in rows],
        day=[row[2] for row in rows],
        hour=[row[3] for row in rows],
        minute=[row[4] for row in rows],
        serial=serial,
        template=template,
        cites=cites,
        excluded_share=excluded / max(total, 1),
    )


def degree_summary(plan: Plan) -> str:
    indegree = Counter(t for c in plan.cites for t in c)
    edges = sum(len(c) for c in plan.cites)
    top = max(indegree.values(), default=0)
    return f"{edges} REF links, most cited cable cited {top} times"
