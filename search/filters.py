"""The search page's query string, declared once with django-filter.

:class:`SearchFilterSet` is both the validator of ``request.GET`` (its form) and, over
a ``Cable`` queryset, the database's own reading of the same filters (``.qs``): the
tests compare the index's facet counts against it. Full-text ``q`` has no database
reading; it is left to the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from cables.models import Cable, Classification, Paragraph
from search.engine.limits import query_cut

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_./&'-]{0,39}$")
# Tags also include person tags (``GATES, ROBERT M.``) and free text (``HUMAN RIGHTS``).
TAG_RE = re.compile(r"^[A-Z0-9][A-Z0-9_./&'(), -]{0,39}$")
# A paragraph marking, without its parentheses: ``S``, ``C``, ``S/NF``, ``SBU``, ``U``.
PCLASS_RE = re.compile(r"^[A-Z]{1,4}(?:/{1,2}[A-Z]{1,6}){0,2}$")
# Control characters (NUL among them) in a query are read as spaces.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
MAX_TAGS = 12
MAX_NAME = 200
SORTS = [("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")]
FACET_NAMES = ("tag", "post", "classification", "pclass", "caveat", "by", "year", "month")


class MultipleValueField(forms.Field):
    """A repeatable parameter (``?tag=A&tag=B``), as a list of stripped strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [str(v).strip() for v in value if str(v).strip()]


class MultipleValueFilter(django_filters.Filter):
    field_class = MultipleValueField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class QueryField(forms.CharField):
    """The full-text query: control characters (NUL among them) are read as spaces,
    as the query language reads them, instead of the whole query being dropped."""

    def to_python(self, value):
        return CONTROL_RE.sub(" ", super().to_python(value)).strip()


class QueryFilter(django_filters.CharFilter):
    field_class = QueryField


class SearchForm(forms.Form):
    """Base form: collects readable warnings for values it drops itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []

    def _codes(
        self, name: str, label: str, pattern: re.Pattern = TAG_RE, what: str = ""
    ) -> list[str]:
        what = what or f"a {label} code"
        kept = []
        for value in self.cleaned_data.get(name) or []:
            code = " ".join(value.upper().split())
            if pattern.match(code):
                if code not in kept:
                    kept.append(code)
            else:
                self.warnings.append(f"“{value[:80]}” is not {what}; ignored it.")
        if len(kept) > MAX_TAGS:
            self.warnings.append(f"At most {MAX_TAGS} {label}s at once; ignored the rest.")
            kept = kept[:MAX_TAGS]
        return kept

    def clean_tag(self):
        return self._codes("tag", "tag")

    def clean_xtag(self):
        return self._codes("xtag", "tag")

    def clean_pclass(self):
        return self._codes(
            "pclass",
            "paragraph marking",
            PCLASS_RE,
            "a paragraph marking (like S, C, S/NF, SBU or U)",
        )

    def clean_by(self):
        value = (self.cleaned_data.get("by") or "").strip()
        if len(value) > MAX_NAME:
            raise forms.ValidationError(f"a name is at most {MAX_NAME} characters.")
        return value

    def _code(self, name: str, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if value and not CODE_RE.match(value.upper()):
            raise forms.ValidationError(f"“{value[:80]}” is not a {label} code.")
        return value.upper()

    def clean_post(self):
        return self._code("post", "post")

    def clean_caveat(self):
        return self._code("caveat", "caveat")

    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("year"):
            self.warnings.append("A month needs a year; ignored the month.")
            data["month"] = None
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.warnings.append("The “from” date was after the “to” date; swapped them.")
            data["from"], data["to"] = end, start
        return data


class SearchFilterSet(django_filters.FilterSet):
    q = QueryFilter(label="Search", method="filter_text", strip=True)
    tag = MultipleValueFilter(label="Tag", method="filter_tags")
    xtag = MultipleValueFilter(label="Excluded tag", method="filter_xtags")
    post = django_filters.CharFilter(label="Post", method="filter_post")
    classification = django_filters.ChoiceFilter(
        label="Classification", choices=Classification.choices, field_name="classification"
    )
    caveat = django_filters.CharFilter(label="Caveat", method="filter_caveat")
    by = django_filters.CharFilter(label="Classified by", field_name="classified_by_name")
    pclass = MultipleValueFilter(label="Paragraph marking", method="filter_pclass")
    date_from = django_filters.DateFilter(
        label="From", field_name="created", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(label="To", field_name="created", lookup_expr="date__lte")
    year = IntegerFilter(
        label="Year", field_name="created", lookup_expr="year", min_value=1900, max_value=2100
    )
    month = IntegerFilter(
        label="Month", field_name="created", lookup_expr="month", min_value=1, max_value=12
    )
    sort = django_filters.ChoiceFilter(label="Sort", choices=SORTS, method="filter_nothing")
    page = IntegerFilter(label="Page", method="filter_nothing", min_value=1)
    more = django_filters.ChoiceFilter(
        label="More", choices=[(n, n) for n in FACET_NAMES], method="filter_nothing"
    )

    class Meta:
        model = Cable
        fields: list[str] = []
        form = SearchForm

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_text(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # full text is the index's job

    def filter_tags(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        for code in value:
            queryset = queryset.filter(pk__in=Cable.objects.by_tag(code).values("pk"))
        return queryset

    def filter_xtags(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.exclude(tags__code__in=value) if value else queryset

    def filter_pclass(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        for marking in value:
            queryset = queryset.filter(
                pk__in=Paragraph.objects.filter(classification=marking).values("cable_id")
            )
        return queryset

    def filter_post(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.by_post(value) if value else queryset

    def filter_caveat(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Q(caveats=value)
            | Q(caveats__startswith=f"{value} ")
            | Q(caveats__endswith=f" {value}")
            | Q(caveats__contains=f" {value} ")
        )


# ``from`` and ``to`` are Python keywords; the query string uses them all the same.
for _old, _new in (("date_from", "from"), ("date_to", "to")):
    SearchFilterSet.base_filters[_new] = SearchFilterSet.base_filters.pop(_old)


@dataclass(frozen=True)
class SearchParams:
    """A validated search state: exactly what the query string can say."""

    q: str = ""
    tags: tuple[str, ...] = ()
    xtags: tuple[str, ...] = ()
    post: str = ""
    classification: str = ""
    caveat: str = ""
    by: str = ""
    pclasses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None
    month: int | None = None
    sort: str = ""
    more: str = ""
    messages: tuple[str, ...] = field(default=(), compare=False)

    @property
    def effective_sort(self) -> str:
        if self.sort in ("newest", "oldest"):
            return self.sort
        return "relevance" if self.q.strip() and self.sort != "newest" else "newest"

    @property
    def has_filters(self) -> bool:
        return bool(
            self.tags
            or self.xtags
            or self.post
            or self.classification
            or self.caveat
            or self.by
            or self.pclasses
            or self.date_from
            or self.date_to
            or self.year
        )

    def items(self) -> list[tuple[str, str]]:
        """The canonical query string, as pairs (no ``page``: a new state starts at 1)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        pairs += [("tag", t) for t in self.tags]
        pairs += [("xtag", t) for t in self.xtags]
        for name in ("post", "classification", "caveat", "by"):
            if getattr(self, name):
                pairs.append((name, getattr(self, name)))
        pairs += [("pclass", m) for m in self.pclasses]
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.year:
            pairs.append(("year", str(self.year)))
        if self.month:
            pairs.append(("month", str(self.month)))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.more:
            pairs.append(("more", self.more))
        return pairs

    def querystring(self, **changes) -> str:
        """``?q=...&tag=...`` of this state with ``changes``; links are built from it by
        :func:`search.links.search_url` only."""
        state = self
        if changes:  # a cheap ``dataclasses.replace``: facets build dozens of these
            unknown = set(changes) - set(self.__dataclass_fields__)
            if unknown:
                raise TypeError(f"unknown search parameters: {sorted(unknown)}")
            state = object.__new__(SearchParams)
            state.__dict__.update(self.__dict__, **changes)
        pairs = state.items()
        return "?" + urlencode(pairs) if pairs else ""


# What a reader is told when a value of the query string cannot be read: each names
# what the parameter accepts (the validators' own wording names none of it).
FIELD_ERRORS = {
    "from": "use a real date written YYYY-MM-DD",
    "to": "use a real date written YYYY-MM-DD",
    "classification": "a classification is one of "
    + ", ".join(value for value, _ in Classification.choices)
    + ".",
    "sort": "sort by " + ", ".join(value for value, _ in SORTS) + ".",
    "more": "only the list of " + ", ".join(FACET_NAMES) + " can be shown in full.",
    "page": "a page is a whole number, 1 or more.",
    "year": "a year is written with four digits, from 1900 to 2100.",
    "month": "a month is a number from 1 to 12.",
}


def search_params_from(data) -> tuple[SearchParams, int | None]:
    """Validate a query string. Returns the params (invalid values dropped, each with a
    message in ``params.messages``) and the page number (None when absent)."""
    filterset = SearchFilterSet(data, queryset=Cable.objects.none())
    form = filterset.form
    form.is_valid()
    messages = list(form.warnings)
    labels = {"from": "From date", "to": "To date"}
    for name, errors in form.errors.items():
        raw = data.get(name, "") if hasattr(data, "get") else ""
        label = labels.get(name, form.fields[name].label if name in form.fields else name)
        for error in errors:
            # The archive's own words, not the form validator's ("Select a valid
            # choice. foo is not one of the available choices.").
            error = FIELD_ERRORS.get(name, error)
            messages.append(f"{label} “{str(raw)[:80]}” was ignored: {error}")
    cleaned = form.cleaned_data
    # An over-long query is cut here, so that every link of its page carries the
    # query that was searched (and not a 100 KB one).
    q, cut = query_cut((cleaned.get("q") or "").strip())
    if cut:
        messages.append(cut)
    params = SearchParams(
        q=q.strip(),
        tags=tuple(cleaned.get("tag") or ()),
        xtags=tuple(t for t in cleaned.get("xtag") or () if t not in (cleaned.get("tag") or ())),
        post=cleaned.get("post") or "",
        classification=cleaned.get("classification") or "",
        caveat=cleaned.get("caveat") or "",
        by=cleaned.get("by") or "",
        pclasses=tuple(cleaned.get("pclass") or ()),
        date_from=cleaned.get("from"),
        date_to=cleaned.get("to"),
        year=cleaned.get("year"),
        month=cleaned.get("month") if cleaned.get("year") else None,
        sort=cleaned.get("sort") or "",
        more=cleaned.get("more") or "",
        messages=tuple(messages),
    )
    return params, cleaned.get("page")


def filterset_queryset(params: SearchParams, queryset: QuerySet | None = None) -> QuerySet:
    """The database's reading of ``params``' filters (``q`` aside)."""
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for key, value in params.items():
        if key != "q":
            qd.appendlist(key, value)
    filterset = SearchFilterSet(
        qd, queryset=queryset if queryset is not None else Cable.objects.all()
    )
    return filterset.qs
