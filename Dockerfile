FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# The share card's PNG (CairoSVG): the cairo library and a font.
RUN apt-get update && apt-get install -y --no-install-recommends libcairo2 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN DJANGO_ENV_FILE= SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
    && useradd --system --uid 1000 app
USER app

EXPOSE 8000
# Threads, not sync workers: a client that sends its body slowly holds one thread, not a whole worker,
# so a few of them cannot starve the API even without the proxy (bench/slowclients.py). The proxy
# (the stage below) is what holds against many.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", "--threads", "8", "--timeout", "30", "--access-logfile", "-"]

# docker-compose's `proxy`: nginx buffering every request before it reaches gunicorn, serving
# /static/ from the files collectstatic gathered above (deploy/nginx/app.conf.template).
FROM nginx:1.28.0 AS proxy
COPY --from=app /app/staticfiles /srv/static
COPY deploy/nginx/app.conf.template /etc/nginx/templates/default.conf.template

# A plain `docker build .` builds the app.
FROM app
