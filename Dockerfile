# Cable Archive: the production image.
#
#   docker build -t cable-archive .
#   docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=archive.example.org \
#     -e DATABASE_URL=postgres://user:pass@db:5432/cables -v cables-data:/data -p 8000:8000 cable-archive
#
# Code and collected static files live in the image (read-only to the app user); the
# search index (and a SQLite database, when DATABASE_URL is not set) on the /data volume.
# compose.yaml runs it with PostgreSQL; README.md "Operating" says how to ingest.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.txt /tmp/requirements.txt
# The runtime dependencies only: requirements.txt above its "Development and tests" block.
RUN sed '/^# Development and tests/,$d' /tmp/requirements.txt > /tmp/requirements-runtime.txt \
 && python -m venv /venv \
 && /venv/bin/pip install -r /tmp/requirements-runtime.txt


FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=0 \
    CABLES_VAR_DIR=/data \
    SEARCH_INDEX_DIR=/data/index \
    STATIC_ROOT=/app/staticfiles \
    GUNICORN_BIND=0.0.0.0:8000

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
 && mkdir /data && chown app:app /data

COPY --from=build /venv /venv
WORKDIR /app
COPY . /app
# Hashed, compressed static files for WhiteNoise, built once here. The key and host only
# let the settings load: nothing is signed or served at build time.
RUN SECRET_KEY=build-time-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && python -m compileall -q cables search config

USER app
VOLUME ["/data"]
EXPOSE 8000
# /healthz is exempt from the HTTPS redirect; the Host header must be an allowed host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-c", "import os, urllib.request as r; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'; port = os.environ.get('GUNICORN_BIND', ':8000').rsplit(':', 1)[-1]; r.urlopen(r.Request(f'http://127.0.0.1:{port}/healthz', headers={'Host': host}), timeout=4)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
