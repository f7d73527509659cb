# A Django application of a compose sample: system libraries for Postgres
# and images, a wheel builder, a collectstatic stage and a gunicorn runtime
# whose entrypoint waits for the database.
FROM python:3.11-slim AS python-base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv
ENV PATH="$VIRTUAL_ENV/bin:$PATH"

FROM python-base AS builder
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        libjpeg62-turbo-dev \
        zlib1g-dev \
        libwebp-dev \
        libffi-dev \
        gettext \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    python -m venv "$VIRTUAL_ENV"
COPY requirements/ /tmp/requirements/
RUN --mount=type=cache,target=/root/.cache/pip \
    set -eux; \
    pip install --upgrade pip wheel setuptools; \
    for req in base production; do \
        test -f "/tmp/requirements/${req}.txt" || continue; \
        pip wheel --wheel-dir=/wheels -r "/tmp/requirements/${req}.txt"; \
    done; \
    pip install --no-index --find-links=/wheels /wheels/*.whl; \
    find "$VIRTUAL_ENV" -name '__pycache__' -type d -prune -exec rm -rf '{}' +; \
    find "$VIRTUAL_ENV" -name '*.pyc' -delete

FROM builder AS static
WORKDIR /app
COPY . /app
RUN set -eux; \
    DJANGO_SETTINGS_MODULE=config.settings.build \
    SECRET_KEY=build-only-not-secret \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py collectstatic --noinput --clear; \
    python manage.py compilemessages --ignore "$VIRTUAL_ENV" || true; \
    find /app/staticfiles -type f \( -name '*.css' -o -name '*.js' -o -name '*.svg' \) -size +1k \
        -exec gzip -9 --keep '{}' ';'; \
    du -sh /app/staticfiles

FROM python-base AS runtime
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        libpq5 \
        libjpeg62-turbo \
        libwebp7 \
        netcat-openbsd \
        gettext \
    ; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old; \
    addgroup --system --gid 1000 django; \
    adduser --system --uid 1000 --ingroup django --home /app --shell /usr/sbin/nologin django
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY --chown=django:django . /app
COPY --from=static --chown=django:django /app/staticfiles /app/staticfiles
COPY --chmod=0755 <<'ENTRY' /usr/local/bin/entrypoint
#!/bin/bash
set -o errexit
set -o pipefail
set -o nounset

postgres_ready() {
python << END
import sys
import psycopg2
try:
    psycopg2.connect(
        dbname="${POSTGRES_DB}",
        user="${POSTGRES_USER}",
        password="${POSTGRES_PASSWORD}",
        host="${POSTGRES_HOST}",
        port="${POSTGRES_PORT}",
    )
except psycopg2.OperationalError:
    sys.exit(-1)
sys.exit(0)
END
}

tries=0
until postgres_ready; do
  tries=$((tries + 1))
  if [ "$tries" -gt 30 ]; then
    >&2 echo 'PostgreSQL did not become available'
    exit 1
  fi
  >&2 echo 'Waiting for PostgreSQL to become available...'
  sleep 1
done
>&2 echo 'PostgreSQL is available'

case "${1:-}" in
  migrate)
    shift
    exec python manage.py migrate --noinput "$@"
    ;;
  web|"")
    exec gunicorn config.wsgi --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" --access-logfile -
    ;;
  *)
    exec "$@"
    ;;
esac
ENTRY
RUN <<'CHECK' bash
set -euo pipefail
python -c 'import django, gunicorn; print(django.get_version())'
if ! command -v nc >/dev/null; then
  echo "netcat missing" >&2
  exit 1
fi
mkdir -p /app/media && chown django:django /app/media
CHECK
USER django
EXPOSE 8000
ENTRYPOINT ["/usr/local/bin/entrypoint"]
CMD ["web"]
