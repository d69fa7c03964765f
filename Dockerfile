# skillmatch engine image: the `matcher` command with the bundled taxonomy; nothing downloads at run time.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY matcher ./matcher
COPY api ./api
COPY taxonomies ./taxonomies
RUN pip install . && useradd --system --uid 10001 app
USER app
ENTRYPOINT ["matcher"]
CMD ["--help"]
