"""Accounts use the e-mail address as their user name: lower-cased, unique whatever
the case it is typed in."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


def email_normalize(email: str) -> str:
    """The account name of an address: trimmed and lower-cased."""
    return email.strip().lower()


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label="E-mail", max_length=150, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    class Meta:
        model = get_user_model()
        fields = ("email",)

    def clean_email(self) -> str:
        email = email_normalize(self.cleaned_data["email"])
        user_model = get_user_model()
        if (
            user_model.objects.filter(username__iexact=email).exists()
            or user_model.objects.filter(email__iexact=email).exists()
        ):
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email

    def _post_clean(self) -> None:
        # The password validators compare the password with the user's attributes.
        if "email" in self.cleaned_data:
            self.instance.username = self.cleaned_data["email"]
        super()._post_clean()

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.username = user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.CharField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return email_normalize(self.cleaned_data["username"])
