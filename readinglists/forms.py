from __future__ import annotations

from django import forms

from readinglists.models import ReadingList

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
NOTE_MAX = 4000


class ListForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(
        max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(
        required=False,
        label="Public",
        help_text="Anyone with the link can read a public list and its notes, and export it.",
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddForm(forms.Form):
    """Which list the cables go to: one of the user's, or a new one by its title."""

    reading_list = forms.ModelChoiceField(
        queryset=ReadingList.objects.none(),
        required=False,
        label="Reading list",
        empty_label="(a new list)",
    )
    new_title = forms.CharField(max_length=TITLE_MAX, required=False, label="New list")
    note = forms.CharField(
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added to each cable that is new to the list.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reading_list"].queryset = ReadingList.objects.filter(owner=user)

    def clean(self):
        data = super().clean()
        if not data.get("reading_list") and not (data.get("new_title") or "").strip():
            raise forms.ValidationError("Choose one of your lists, or give the new list a title.")
        return data
