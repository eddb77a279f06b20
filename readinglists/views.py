"""Reading-list pages. Thin: a selector or a service call, then render or redirect.

Two kinds of page, never mixed:

- **Private pages** (the owner's): ``login_required`` and ``never_cache``
  (``Cache-Control: private, no-store``), a CSRF token in every POST form. Anyone but
  the owner gets a 404 for a private list, never a 403: a list's existence is
  private too. A signed-in reader who opens the owner page of someone else's *public*
  list is sent to its permalink.
- **The public permalink** of a public list (``/lists/<id>/public/``) and the exports
  of a public list: the same for every reader, nothing from the session, no form.
  They answer conditional GETs with an ETag made of the release, the archive
  generation (cable subjects may change) and the list's ``updated`` time, and
  ``Cache-Control: settings.PAGE_CACHE_CONTROL``. They are not stored in the page
  cache: ``archive_page`` validates by the archive generation alone, which a list
  edit does not move.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from cables.pagecache import release, request_generation
from readinglists import exports, selectors, services
from readinglists.forms import AddForm, ListForm, NoteForm
from readinglists.models import ListEntry, ReadingList


def _not_found_uncached(view: Callable) -> Callable:
    """A 404 that no cache keeps: whether a list exists for this reader depends on who
    asks and may change (a list made public)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            response = render(request, "404.html", {"exception": str(exc)}, status=404)
            add_never_cache_headers(response)
            return response

    return wrapper


def private(view: Callable) -> Callable:
    """The owner's pages: log in first; never stored by any cache, 404s included."""
    return never_cache(login_required(_not_found_uncached(view)))


def _owned(request: HttpRequest, pk: int) -> ReadingList:
    reading_list = selectors.list_get_for_owner(user=request.user, pk=pk)
    if reading_list is None:
        raise Http404("No such reading list.")
    return reading_list


def _entry(reading_list: ReadingList, entry: int) -> ListEntry:
    found = selectors.entry_get(reading_list=reading_list, pk=entry)
    if found is None:
        raise Http404("No such entry.")
    return found


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"indent": 2, "ensure_ascii": False})


# -- the owner's lists ---------------------------------------------------------------------


@private
@require_safe
def list_index(request: HttpRequest) -> HttpResponse:
    lists = selectors.lists_for_owner(user=request.user)
    return render(request, "readinglists/list_index.html", {"lists": lists, "form": ListForm()})


@private
@require_safe
def list_index_json(request: HttpRequest) -> HttpResponse:
    lists = selectors.lists_for_owner(user=request.user)
    return _json(
        {
            "lists": [
                {
                    "id": rl.pk,
                    "title": rl.title,
                    "public": rl.public,
                    "count": rl.entry_count,
                    "updated": rl.updated.isoformat(),
                    "url": request.build_absolute_uri(rl.get_absolute_url()),
                    "json_url": request.build_absolute_uri(
                        reverse("readinglists:export_json", args=[rl.pk])
                    ),
                }
                for rl in lists
            ]
        }
    )


@private
def list_create(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reading_list = services.reading_list_create(owner=request.user, **form.cleaned_data)
        messages.success(request, f"Created “{reading_list.title}”.")
        return redirect(reading_list)
    status = 400 if request.method == "POST" else 200
    return render(request, "readinglists/list_form.html", {"form": form}, status=status)


@never_cache
@require_safe
@_not_found_uncached
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reading_list = selectors.list_get_for_owner(user=request.user, pk=pk)
    if reading_list is None:
        other = selectors.list_get(pk=pk)
        if other is not None and other.public:
            return redirect(other.get_public_url())
        raise Http404("No such reading list.")
    return _owner_page(request, reading_list)


def _owner_page(
    request: HttpRequest, reading_list: ReadingList, *, form: ListForm | None = None, status=200
) -> HttpResponse:
    form = form or ListForm(
        initial={
            "title": reading_list.title,
            "description": reading_list.description,
            "public": reading_list.public,
        }
    )
    context = {
        "reading_list": reading_list,
        "entries": list(selectors.list_entries(reading_list=reading_list)),
        "form": form,
    }
    return render(request, "readinglists/list_detail.html", context, status=status)


@private
@require_POST
def list_update(request: HttpRequest, pk: int) -> HttpResponse:
    reading_list = _owned(request, pk)
    form = ListForm(request.POST)
    if not form.is_valid():
        return _owner_page(request, reading_list, form=form, status=400)
    was_public = reading_list.public
    services.reading_list_update(reading_list=reading_list, **form.cleaned_data)
    if reading_list.public and not was_public:
        messages.success(request, "The list is public now: anyone with its link can read it.")
    elif was_public and not reading_list.public:
        messages.success(request, "The list is private now.")
    else:
        messages.success(request, "Saved.")
    return redirect(reading_list)


@private
def list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reading_list = _owned(request, pk)
    if request.method == "POST":
        title = reading_list.title
        services.reading_list_delete(reading_list=reading_list)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("readinglists:index")
    count = reading_list.entries.count()
    return render(
        request, "readinglists/list_delete.html", {"reading_list": reading_list, "count": count}
    )


# -- entries -------------------------------------------------------------------------------


@private
@require_POST
def entry_note(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    reading_list = _owned(request, pk)
    row = _entry(reading_list, entry)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The note was not saved: {form.errors['note'][0]}")
    else:
        services.list_entry_note_set(entry=row, note=form.cleaned_data["note"])
        messages.success(request, f"Note saved for {row.cable.reference_id}.")
    return redirect(f"{reading_list.get_absolute_url()}#e{row.pk}")


@private
@require_POST
def entry_remove(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    reading_list = _owned(request, pk)
    row = _entry(reading_list, entry)
    reference_id = row.cable.reference_id
    services.list_entry_remove(entry=row)
    messages.success(request, f"Removed {reference_id}.")
    return redirect(reading_list)


@private
@require_POST
def entry_move(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    reading_list = _owned(request, pk)
    row = _entry(reading_list, entry)
    direction = request.POST.get("direction", "")
    if direction not in {"up", "down"}:
        messages.error(request, "Move up or down.")
    else:
        services.list_entry_move(entry=row, direction=direction)
    return redirect(f"{reading_list.get_absolute_url()}#e{row.pk}")


# -- adding cables (from a cable page or search results) ---------------------------------


@private
def cables_add(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    ids = [i for i in data.getlist("cable") if i.strip()]
    resolved = selectors.cables_resolve(ids=ids)
    too_many = len(ids) > selectors.MAX_CABLES_PER_ADD
    form = AddForm(request.POST or None, user=request.user)
    if request.method == "POST" and resolved.cables and form.is_valid():
        reading_list = form.cleaned_data["reading_list"] or services.reading_list_create(
            owner=request.user, title=form.cleaned_data["new_title"]
        )
        result = services.list_entries_add(
            reading_list=reading_list, cables=resolved.cables, note=form.cleaned_data["note"]
        )
        if result.added:
            messages.success(request, f"Added {', '.join(result.added)} to “{reading_list.title}”.")
        if result.already:
            messages.info(request, f"Already in the list: {', '.join(result.already)}.")
        return redirect(reading_list)
    if not form.is_bound:  # the list used last, or a first list
        latest = selectors.lists_for_owner(user=request.user).first()
        form.initial.update(
            {"reading_list": latest.pk} if latest else {"new_title": "My reading list"}
        )
    context = {
        "form": form,
        "cables": resolved.cables,
        "unknown": resolved.unknown,
        "too_many": too_many,
        "limit": selectors.MAX_CABLES_PER_ADD,
        "asked": bool(ids),
    }
    status = 200 if resolved.cables and not (form.is_bound and form.errors) else 400
    return render(request, "readinglists/add.html", context, status=status)


# -- the public permalink and the exports ---------------------------------------------------


def _validators(request: HttpRequest, reading_list: ReadingList) -> tuple[str, datetime]:
    generation = request_generation(request)
    stamp = int(reading_list.updated.timestamp() * 1_000_000)
    etag = f'W/"{release()[0]}-{generation.token}-l{reading_list.pk}-{stamp}"'
    last_modified = max(reading_list.updated, generation.changed_at, release()[1])
    return etag, last_modified.astimezone(UTC)


def _public(
    request: HttpRequest, reading_list: ReadingList, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """Answer for everyone alike: a 304 when the reader's copy is current."""
    etag, last_modified = _validators(request, reading_list)
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if response is None:
        response = render_page()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
    return response


@require_safe
@_not_found_uncached
def list_public(request: HttpRequest, pk: int) -> HttpResponse:
    reading_list = selectors.list_get(pk=pk)
    if reading_list is None or not reading_list.public:
        raise Http404("No such public reading list.")

    def page() -> HttpResponse:
        context = {
            "reading_list": reading_list,
            "entries": list(selectors.list_entries(reading_list=reading_list)),
        }
        return render(request, "readinglists/list_public.html", context)

    return _public(request, reading_list, page)


def _export(request: HttpRequest, reading_list: ReadingList, fmt: str) -> HttpResponse:
    entries = list(selectors.list_entries(reading_list=reading_list))
    absolute = request.build_absolute_uri
    filename = f"reading-list-{reading_list.pk}"
    if fmt == "json":
        body = json.dumps(
            exports.list_json(reading_list, entries, absolute), indent=2, ensure_ascii=False
        )
        return HttpResponse(body, content_type="application/json")
    if fmt == "csv":
        response = HttpResponse(
            exports.list_csv(entries, absolute), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.list_bibtex(reading_list, entries, absolute),
            content_type="application/x-bibtex; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
@_not_found_uncached
def list_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A public list's exports are public; a private list's are its owner's alone."""
    reading_list = selectors.list_get(pk=pk)
    if reading_list is not None and reading_list.public:
        return _public(request, reading_list, lambda: _export(request, reading_list, fmt))
    return _private_export(request, pk=pk, fmt=fmt)


@private
def _private_export(request: HttpRequest, *, pk: int, fmt: str) -> HttpResponse:
    return _export(request, _owned(request, pk), fmt)
