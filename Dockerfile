# One image for web (gunicorn), worker and beat (Celery); see docker-compose.yml and README.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# WeasyPrint's system libraries, and fonts for the PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin portal

WORKDIR /app

# Dependencies in their own layer, rebuilt only when pyproject.toml or the pins change. The
# portal itself is not pip-installed: it runs from /app (PYTHONPATH), where its templates,
# static files and fixtures are.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install --constraint constraints.txt --requirement /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The code stays owned by root (read-only for the app); only collected static files and uploads
# are writable.
COPY . .
RUN mkdir -p /app/staticfiles /app/media \
 && chown portal:portal /app/staticfiles /app/media
USER portal

# Static files are collected (hashed and compressed for whitenoise) at build time. The dummy key
# exists only for this command; a running container must get its own SECRET_KEY (and
# TOTP_ENCRYPTION_KEY).
RUN DEBUG=false SECRET_KEY=build-only-dummy-key-never-used-at-run-time ALLOWED_HOSTS=localhost \
    TOTP_ENCRYPTION_KEY=YnVpbGQtb25seS1kdW1teS1rZXktbmV2ZXItdXNlZCE= \
    python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "kerkrade_pa.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
