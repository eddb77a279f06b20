"""A small limiter of failed log-ins, kept in Django's cache (shared by every worker).

Failures are counted per client address and per account name in fixed windows of
``LOGIN_RATE_WINDOW`` seconds; at ``LOGIN_RATE_LIMIT`` failures either key is blocked
until its window ends, and a blocked attempt is refused before the password is
checked. A cache that is down never blocks anyone (the log-in still works).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _limit() -> int:
    return int(getattr(settings, "LOGIN_RATE_LIMIT", 10))


def _window() -> int:
    return int(getattr(settings, "LOGIN_RATE_WINDOW", 15 * 60))


def client_ip(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or the header named by ``LOGIN_RATE_IP_HEADER`` (set by the
    reverse proxy, which must strip it from clients): its last address."""
    header = getattr(settings, "LOGIN_RATE_IP_HEADER", "")
    if header:
        value = request.headers.get(header, "")
        if value.strip():
            return value.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _keys(*, ip: str, username: str) -> list[str]:
    keys = []
    for kind, value in (("ip", ip), ("user", username.strip().lower())):
        if value:
            digest = hashlib.sha256(value.encode()).hexdigest()[:32]
            keys.append(f"login-fail:{kind}:{digest}")
    return keys


def login_blocked_minutes(*, ip: str, username: str) -> int:
    """0 when a log-in may be tried, else the minutes until it may."""
    keys = _keys(ip=ip, username=username)
    try:
        found = cache.get_many([f"{k}:n" for k in keys] + [f"{k}:start" for k in keys])
    except Exception:
        logger.warning("login rate limiter: cache unavailable", exc_info=True)
        return 0
    now = time.time()
    waits = [
        found[f"{key}:start"] + _window() - now
        for key in keys
        if f"{key}:start" in found and found.get(f"{key}:n", 0) >= _limit()
    ]
    wait = max(waits, default=0)
    return max(1, math.ceil(wait / 60)) if wait > 0 else 0


def login_failure_record(*, ip: str, username: str) -> None:
    window = _window()
    try:
        for key in _keys(ip=ip, username=username):
            # ``:start`` marks the window; the count belongs to it (``incr`` may
            # outlive it on some backends, so a new window always restarts the count).
            if cache.add(f"{key}:start", time.time(), timeout=window):
                cache.set(f"{key}:n", 1, timeout=window)
                continue
            try:
                cache.incr(f"{key}:n")
            except ValueError:
                cache.set(f"{key}:n", 1, timeout=window)
    except Exception:
        logger.warning("login rate limiter: cache unavailable", exc_info=True)


def login_failures_clear(*, username: str) -> None:
    """After a successful log-in: the account's count starts again (the address's
    count stays, so one good account does not reset a guessing client)."""
    try:
        cache.delete_many(
            [f"{k}{suffix}" for k in _keys(ip="", username=username) for suffix in (":n", ":start")]
        )
    except Exception:
        logger.warning("login rate limiter: cache unavailable", exc_info=True)
