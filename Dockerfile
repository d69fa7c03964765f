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
ENTRYPOINT ["skillmatch-api"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
