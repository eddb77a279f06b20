"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py config.wsgi``.

This is the one production command: the Dockerfile's CMD runs it, and
``tests/deploy/test_gunicorn.py`` runs the same command and checks they agree.
Every value can be overridden from the environment (``GUNICORN_WORKERS`` ...) or the
command line. Serve it behind a TLS-terminating proxy that sets ``X-Forwarded-Proto``.
"""

import os
from pathlib import Path


def cpu_count() -> int:
    """CPUs this process may really use: its CPU affinity, capped by a cgroup v2 quota
    (a container limited to 2 CPUs on a 64-core host must not start 129 workers)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    count = count or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            count = min(count, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return count


def env_int(name: str, default: int) -> int:
    """An integer from the environment; unset or empty means the default."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
# (2 x CPUs) + 1 sync workers: requests are short and mostly CPU (search) or DB bound.
# GUNICORN_THREADS > 1 switches to the threaded worker.
workers = env_int("GUNICORN_WORKERS", cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 1)
# A search that runs this long is a bug or an attack: the worker is killed and replaced.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# The application is imported once, in the master; a worker is a fork of it, so a
# new worker (at start, or recycled) serves at once instead of importing Django for a
# second of CPU while the others serve. Nothing opens a connection at import (Django's
# database and cache connections are opened per worker, on first use). A code change
# therefore needs a restart of the master, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip() not in ("0", "false", "no")
# Recycle workers now and then so no process grows without bound (every cache a worker
# keeps is bounded). At 1,500-2,100 warm pages a second on two cores, 5,000 requests
# recycled some worker every 3 s; 20,000 is a recycle every ~12 s at that rate.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 20_000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 2_000)
# Refuse absurd request lines and headers early (search URLs stay well under this).
limit_request_line = env_int("GUNICORN_LIMIT_REQUEST_LINE", 8190)
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# client, request line, status, bytes, milliseconds, user agent
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Which proxies may set X-Forwarded-* for gunicorn itself (Django reads
# X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER: the proxy must set or strip it).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The workers' heartbeat files in memory, not on a possibly slow disk.
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", _SHM if os.path.isdir(_SHM) else None)
