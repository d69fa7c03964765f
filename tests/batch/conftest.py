"""One local Spark session (``local[2]``) for every batch test in this process; the tests share one
xdist group so a run starts one JVM. Needs the spark extra and Java 17 (scripts/test.sh installs both)."""

from __future__ import annotations

import pytest

from tests.conftest import REPO

RANKING = REPO / "tests" / "data" / "ranking"
JOBS = REPO / "tests" / "data" / "jobs"
PDFS = REPO / "tests" / "data" / "resume-pdfs"


@pytest.fixture(scope="session")
def spark():
    from matcher.batch.jobs import spark_session

    session = spark_session("local[2]", memory="1g")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

