"""Sign-up and a rate-limited log-in; the rest is Django's own auth views (see urls).

Every page here is private: ``never_cache`` sends ``Cache-Control: private, no-store``
(they carry the CSRF token and the session, so no shared cache may keep them).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from accounts import ratelimit
from accounts.forms import EmailAuthenticationForm, SignupForm


def signup_enabled() -> bool:
    return bool(getattr(settings, "SIGNUP_ENABLED", True))


class RateLimitedLoginView(LoginView):
    """Django's LoginView; after ``LOGIN_RATE_LIMIT`` failures from one address or
    for one account within ``LOGIN_RATE_WINDOW`` seconds it answers 429 without
    checking the password."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "signup_enabled": signup_enabled()}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        ip = ratelimit.client_ip(request)
        username = request.POST.get("username", "")
        minutes = ratelimit.login_blocked_minutes(ip=ip, username=username)
        if minutes:
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                f"Too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.login_failure_record(
            ip=ratelimit.client_ip(self.request), username=self.request.POST.get("username", "")
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        ratelimit.login_failures_clear(username=form.get_user().get_username())
        return super().form_valid(form)


@never_cache
@csrf_protect
def signup(request: HttpRequest) -> HttpResponse:
    if not signup_enabled():
        return render(request, "registration/signup_closed.html", status=403)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
