# skillmatch image: the HTTP service (and the `matcher` command) with the bundled taxonomy;
# nothing downloads at run time. DATABASE_URL selects PostgreSQL; default is a SQLite file.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY matcher ./matcher
COPY api ./api
COPY taxonomies ./taxonomies
RUN pip install . && useradd --system --create-home --uid 10001 app
USER app
WORKDIR /home/app
EXPOSE 8000
# Behind TLS the session cookie is Secure (the default). For plain-HTTP use on a host other than
# localhost (a browser drops Secure cookies there), run with -e SKILLMATCH_WEB_COOKIE_SECURE=false.
# /healthz answers from the event loop without touching the database or the parse workers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["skillmatch-api"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
