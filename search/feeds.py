"""An Atom 1.0 feed of any search: ``/search.atom?<the search page's query string>``.

Django's syndication framework writes the XML (:class:`~django.contrib.syndication.
views.Feed` over :class:`~django.utils.feedgenerator.Atom1Feed`); this module says
what goes in it. The entries are the newest :data:`~search.selectors.FEED_SIZE`
matching cables, newest first whatever the page's sort; each links its cable page
and carries its tags, post and classification as categories. A query string the
archive cannot read answers 400 with a plain message (a feed reader shows the
status; a person pasting the URL reads the text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import slugify

from cables.dates import date_of
from cables.models import Classification
from cables.parsing.months import MONTH_NAMES
from search.filters import SearchParams
from search.links import search_url
from search.selectors import FEED_SIZE, SearchResult, search_feed_run

CLASSIFICATION_LABELS = dict(Classification.choices)
SUMMARY_CHARS = 600
# What XML 1.0 cannot carry (a cable's form feed, a pasted NUL): dropped everywhere.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def search_describe(params: SearchParams) -> str:
    """A search in words: ``cables tagged KNNP from TEHRAN in February 2008``."""
    parts = ["cables"]
    if params.q:
        q = params.q if len(params.q) <= 120 else params.q[:119] + "…"
        parts.append(f"matching “{q}”")
    if params.tags:
        parts.append(f"tagged {_and(list(params.tags))}")
    if params.xtags:
        parts.append(f"not tagged {_and(list(params.xtags))}")
    if params.post:
        parts.append(f"from {params.post}")
    if params.classification:
        label = CLASSIFICATION_LABELS.get(params.classification, params.classification)
        parts.append(f"classified {label.lower()}")
    if params.caveat:
        parts.append(f"with caveat {params.caveat}")
    if params.by:
        parts.append(f"classified by {params.by}")
    if params.pclasses:
        parts.append(f"with paragraphs marked {_and(list(params.pclasses))}")
    if params.year and params.month:
        parts.append(f"in {MONTH_NAMES[params.month - 1]} {params.year}")
    elif params.year:
        parts.append(f"in {params.year}")
    if params.date_from and params.date_to:
        parts.append(f"dated {params.date_from:%Y-%m-%d} to {params.date_to:%Y-%m-%d}")
    elif params.date_from:
        parts.append(f"dated {params.date_from:%Y-%m-%d} or later")
    elif params.date_to:
        parts.append(f"dated {params.date_to:%Y-%m-%d} or earlier")
    if len(parts) == 1:
        return "all cables"
    return " ".join(parts)


def search_filename(params: SearchParams, ext: str = "csv") -> str:
    """A file name that names the search: ``cables-tagged-knnp-from-tehran.csv``
    (ASCII letters, digits and hyphens, at most 100 characters before the extension)."""
    name = slugify(search_describe(params))[:100].strip("-") or "cables"
    return f"{name}.{ext}"


def feed_title(params: SearchParams) -> str:
    return f"Cable Archive: {search_describe(params)}"


def feed_url(params: SearchParams) -> str:
    """The feed's canonical URL: the search's filters, not its sort or expanded facet."""
    return search_url(params, fmt="atom", sort="", more="")


class ArchiveAtomFeed(Atom1Feed):
    """Atom whose categories carry a scheme and a label, and whose ``updated`` is the
    newest cable's date or, with no dated entry, the archive's last change (never
    "now": a stored copy of the feed must not change by itself). An undated cable's
    entry is dated by when the archive ingested it (Atom requires a date)."""

    def latest_post_date(self) -> datetime:
        dates = [item["cable_date"] for item in self.items if item["cable_date"]]
        return max(dates) if dates else self.feed["fallback_updated"]

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "categories": ()})
        for category in item["atom_categories"]:
            handler.addQuickElement("category", "", category)


@dataclass(frozen=True)
class FeedState:
    params: SearchParams
    result: SearchResult
    absolute: Callable[[str], str]  # request.build_absolute_uri
    changed_at: datetime


def _post_link(absolute: Callable[[str], str], code: str) -> str | None:
    try:
        return absolute(reverse("cables:post_detail", args=[code]))
    except NoReverseMatch:  # a code the post pages cannot name
        return None


class SearchFeed(Feed):
    feed_type = ArchiveAtomFeed

    def title(self, state: FeedState) -> str:
        return xml_text(feed_title(state.params))

    def link(self, state: FeedState) -> str:
        return search_url(state.params, sort="", more="")

    def feed_url(self, state: FeedState) -> str:
        return feed_url(state.params)

    def feed_guid(self, state: FeedState) -> str:
        return state.absolute(feed_url(state.params))

    def subtitle(self, state: FeedState) -> str:
        total = state.result.total
        if not total:
            text = "No cable matches this search yet."
        elif total <= FEED_SIZE:
            text = (
                f"All {total:,} cable{'' if total == 1 else 's'} this search finds, newest first."
            )
        else:
            text = f"The newest {FEED_SIZE:,} of the {total:,} cables this search finds."
        return xml_text(" ".join([text, *state.result.messages]))

    def author_name(self, state: FeedState) -> str:
        return "Cable Archive"

    def feed_extra_kwargs(self, state: FeedState) -> dict:
        return {"fallback_updated": state.changed_at}

    def items(self, state: FeedState) -> list[dict]:
        absolute = state.absolute
        schemes = {
            "tag_scheme": absolute(reverse("cables:tag_list")),
            "post_scheme": absolute(reverse("cables:post_list")),
        }
        return [
            {**row, **schemes, "post_link": _post_link(absolute, row["post"])}
            for row in state.result.rows
        ]

    def item_title(self, row: dict) -> str:
        return xml_text(row["subject"] or row["reference_id"])

    def item_link(self, row: dict) -> str:
        return row["url"]

    def item_pubdate(self, row: dict) -> datetime | None:
        return row["created"] or row["ingested_at"]

    def item_updateddate(self, row: dict) -> datetime | None:
        return row["created"] or row["ingested_at"]

    def item_author_name(self, row: dict) -> str:
        return xml_text(row["post_name"] or row["post"])

    def item_author_link(self, row: dict) -> str | None:
        return row["post_link"]

    def item_description(self, row: dict) -> str:
        """HTML (Atom ``type="html"``): every value escaped here, once more by the XML."""
        if any(s["mark"] for s in row["segments"]) or not row["summary"]:
            text = row["snippet_html"]  # the passage the query matched, or the opening
        else:
            summary = row["summary"]
            if len(summary) > SUMMARY_CHARS:
                summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
            text = str(escape(summary))
        facts = [row["reference_id"], CLASSIFICATION_LABELS.get(row["classification"], "")]
        facts.append(row["post_name"] or row["post"])
        if row["created"]:
            facts.append(date_of(row).iso()[:10])
        if row["signer"]:
            facts.append(f"signed {row['signer']}")
        if row["tags"]:
            facts.append("tags " + ", ".join(row["tags"]))
        meta = " · ".join(str(escape(fact)) for fact in facts if fact)
        return xml_text(f"<p>{text}</p><p>{meta}</p>" if text else f"<p>{meta}</p>")

    def item_categories(self, row: dict) -> tuple:
        return ()

    def item_extra_kwargs(self, row: dict) -> dict:
        categories = [
            {
                "term": xml_text(code),
                "scheme": row["tag_scheme"],
                "label": xml_text(code),
            }
            for code in row["tags"]
        ]
        post = {"term": xml_text(row["post"]), "scheme": row["post_scheme"]}
        if row["post_name"]:
            post["label"] = xml_text(row["post_name"])
        categories.append(post)
        if row["classification"]:
            label = CLASSIFICATION_LABELS.get(row["classification"], row["classification"])
            categories.append(
                {
                    "term": xml_text(row["classification"]),
                    "label": xml_text(f"Classification: {label}"),
                }
            )
        return {"atom_categories": categories, "cable_date": row["created"]}


def _plain(status: int, lines: list[str]) -> HttpResponse:
    return HttpResponse(
        "\n".join(lines) + "\n", status=status, content_type="text/plain; charset=utf-8"
    )


def search_feed_response(request: HttpRequest, params: SearchParams, changed_at: datetime):
    """The feed of ``params``, or a plain 400 when its query string had values the
    archive could not read (the feed would not follow the search its subscriber
    wrote) or when the query is over a limit and not run, or a plain 503 while the
    index is missing."""
    search_page = request.build_absolute_uri(search_url(params, sort="", more=""))
    if params.messages:
        return _plain(
            400,
            [
                "This feed's query string has values the archive cannot read:",
                *(f"- {m}" for m in params.messages),
                "",
                "The same search without them:",
                search_page,
            ],
        )
    result = search_feed_run(params=params)
    if result.index_missing:
        return _plain(503, ["The search index has not been built yet; try again later."])
    if result.refused:
        return _plain(
            400,
            [
                "This feed's search is over a limit of the archive, so it is not run:",
                *(f"- {m}" for m in result.messages),
                "",
                "See how to search: " + request.build_absolute_uri(reverse("search:search_help")),
            ],
        )
    if params.q and result.parsed.is_empty:
        return _plain(
            400,
            [
                "This feed's search has nothing the archive can search for:",
                *(f"- {m}" for m in result.messages),
                "",
                "See how to search: " + request.build_absolute_uri(reverse("search:search_help")),
            ],
        )
    state = FeedState(params, result, request.build_absolute_uri, changed_at)
    feed = SearchFeed().get_feed(state, request)
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response
