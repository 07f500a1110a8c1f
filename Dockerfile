# syntax=docker/dockerfile:1
# Kansenagenda: one image for web, worker, beat and migrations; the role is the command
# (scripts/entrypoint: web | worker | beat | migrate | check). See docs/deploy.md.

ARG PYTHON_VERSION=3.11

# --- build: wheels into a virtual environment (compilers stay in this stage) ---------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

# --- runtime: the app, Pango and fonts for WeasyPrint, a non-root user ---------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
# System packages: WeasyPrint's libraries (the same list scripts/_env.sh checks for) and fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 kansenagenda \
 && useradd --system --uid 10001 --gid kansenagenda --home-dir /tmp --shell /usr/sbin/nologin kansenagenda
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=kansenagenda.settings.production \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache \
    TMPDIR=/tmp \
    PORT=8000
WORKDIR /app
COPY --chown=root:root . /app
# Static files at build time (WhiteNoise serves them); a throw-away key only for this command.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
    python manage.py collectstatic --noinput -v0
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["/app/scripts/entrypoint"]
CMD ["web"]
