"""One search of the mix as SQL over ``peer_cable``, with our facet semantics.

Semantics copied from ``search.selectors``: the tag facet counts within all filters;
the post, classification and caveat facets within all filters but their own; years
within all filters but year and month; months (when a year is chosen) within all but
month. Facets that share a filter set are counted in one scan (``GROUPING SETS``).
The page: the top 20 by ``ts_rank`` (text queries) or newest first, with a
``ts_headline`` snippet of the body for text queries.
"""

# SQL is assembled from this module's constants only; values are always parameters.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field

from .build import TABLE

PER_PAGE = 20
TAG_IN = (
    "p.id IN (SELECT ct.cable_id FROM cables_cabletag ct JOIN cables_tag t "
    "ON t.id = ct.tag_id WHERE t.code = %s)"
)


@dataclass
class Clause:
    group: str  # the facet whose own filter this is ("" for the text query)
    sql: str
    args: list = field(default_factory=list)


def clauses(query: dict) -> list[Clause]:
    found: list[Clause] = []
    if query.get("q"):
        found.append(Clause("", "p.document @@ websearch_to_tsquery('english', %s)", [query["q"]]))
    for code in query.get("tag") or []:
        found.append(Clause("tag", TAG_IN, [code]))
    if query.get("post"):
        found.append(
            Clause(
                "post",
                "p.origin_id = (SELECT id FROM cables_post WHERE code = %s)",
                [query["post"]],
            )
        )
    if query.get("classification"):
        found.append(Clause("classification", "p.classification = %s", [query["classification"]]))
    if query.get("caveat"):
        found.append(Clause("caveat", "%s = ANY(p.caveats)", [query["caveat"]]))
    if query.get("from"):
        found.append(Clause("range", "p.created >= %s::date", [query["from"]]))
    if query.get("to"):
        found.append(Clause("range", "p.created < %s::date + 1", [query["to"]]))
    if query.get("year"):
        found.append(Clause("year", "p.year = %s", [int(query["year"])]))
    return found


def where(found: list[Clause], without: tuple[str, ...] = ()) -> tuple[str, list]:
    kept = [c for c in found if c.group not in without]
    if not kept:
        return "TRUE", []
    return " AND ".join(f"({c.sql})" for c in kept), [a for c in kept for a in c.args]


# facet -> the filter groups its counts ignore
SINGLE_FACETS = {
    "post": ("post",),
    "classification": ("classification",),
    "year": ("year", "month"),
}
GROUP_COLUMN = {"post": "p.origin_id", "classification": "p.classification", "year": "p.year"}


def statements(query: dict) -> list[tuple[str, str, list]]:
    """``(purpose, sql, args)``: what one search of the peer sends, in order."""
    found = clauses(query)
    groups = {c.group for c in found}
    out: list[tuple[str, str, list]] = []
    # Facets sharing a WHERE (their own filter unset) are one GROUPING SETS scan;
    # the set with every filter also yields the total (the empty grouping set).
    by_where: dict[tuple[str, ...], list[str]] = {}
    for name, own in SINGLE_FACETS.items():
        key = tuple(sorted(set(own) & groups))
        by_where.setdefault(key, []).append(name)
    if query.get("year"):
        by_where.setdefault((), []).append("month")  # no month filter in the mix
    by_where.setdefault((), [])
    for without, names in by_where.items():
        cond, args = where(found, without)
        cols = [GROUP_COLUMN.get(n, "p.month") for n in names]
        sets = ", ".join(f"({c})" for c in cols)
        sets = f"{sets}, ()" if not without and sets else (sets or "()")
        select = ", ".join(f"grouping({c}) AS g{i}, {c} AS v{i}" for i, c in enumerate(cols))
        select = f"{select}, count(*)" if select else "count(*)"
        out.append(
            (
                "facets " + (",".join(names) or "total"),
                f"SELECT {select} FROM {TABLE} p WHERE {cond} GROUP BY GROUPING SETS ({sets})",
                args,
            )
        )
    cond, args = where(found)
    out.append(
        (
            "facet tag",
            "SELECT t.code, count(*) FROM cables_cabletag ct JOIN cables_tag t ON t.id = ct.tag_id"
            f" WHERE ct.cable_id IN (SELECT p.id FROM {TABLE} p WHERE {cond})"
            " GROUP BY t.code ORDER BY count(*) DESC, t.code LIMIT %s",
            [*args, 12 + len(query.get("tag") or []) + 1],
        )
    )
    cond_c, args_c = where(found, ("caveat",))
    out.append(
        (
            "facet caveat",
            f"SELECT cav, count(*) FROM {TABLE} p, unnest(p.caveats) AS cav WHERE {cond_c}"
            " GROUP BY cav ORDER BY count(*) DESC LIMIT 9",
            args_c,
        )
    )
    if query.get("q"):
        tsq = "websearch_to_tsquery('english', %s)"
        page = (
            f"SELECT p.reference_id, p.subject, p.created, p.classification,"
            f" ts_headline('english', c.body, {tsq}, 'MaxFragments=2, MaxWords=30')"
            f" FROM (SELECT p.id, p.reference_id, p.subject, p.created, p.classification,"
            f" ts_rank(p.document, {tsq}) AS rank FROM {TABLE} p WHERE {cond}"
            f" ORDER BY rank DESC, p.created DESC LIMIT {PER_PAGE}) p"
            " JOIN cables_cable c ON c.id = p.id ORDER BY p.rank DESC, p.created DESC"
        )
        out.append(("page", page, [query["q"], query["q"], *args]))
    else:
        page = (
            f"SELECT p.reference_id, p.subject, p.created, p.classification, left(c.body, 240)"
            f" FROM {TABLE} p JOIN cables_cable c ON c.id = p.id WHERE {cond}"
            f" ORDER BY p.created DESC NULLS LAST LIMIT {PER_PAGE}"
        )
        out.append(("page", page, args))
    return out


def run(conn, query: dict) -> dict:
    """Send one search; returns hits, rows and facet sizes (for the report's sanity)."""
    hits, facet_values, rows = None, 0, 0
    for purpose, sql, args in statements(query):
        result = conn.execute(sql, args).fetchall()
        if purpose.startswith("facets"):
            for row in result:
                flags = row[0:-1:2]
                if all(flags):  # the empty grouping set: the total
                    hits = row[-1]
                else:
                    facet_values += 1
        elif purpose.startswith("facet "):
            facet_values += len(result)
        else:
            rows = len(result)
    return {"hits": hits, "rows": rows, "facet_values": facet_values}
