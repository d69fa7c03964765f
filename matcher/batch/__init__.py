"""Bulk parse and rank on Apache Spark (``matcher batch parse`` / ``matcher batch rank``), for talent
pools bigger than one machine. Needs the ``spark`` extra (``pip install -e ".[spark]"``) and Java 17.

``tables.py`` holds the rows (no Spark), ``jobs.py`` the Spark jobs. The schemas (``docs/scale.md``
shows them with examples):

**Profile table** (``batch parse`` output; ``skillmatch-api batch export`` writes the same), one row per résumé:

==================  ===============  ==========================================================
id                  string           the file's path under the input folder, or the table's id
source              string           the file's path (or the table's id)
error_code          string, null     null when parsed; else the engine's code (``no_text_layer``,
                                     ``unsupported_format`` ...) or ``internal_error``
error_message       string, null     what went wrong, for a person
profile_json        string, null     the ``matcher parse --json`` object of the file
experience_years    double, null     total experience in years
experience10        int, null        the same in tenths, as scoring reads it
as_of               string, null     YYYY-MM-DD the years and recency were computed for
taxonomy_version    string, null     the taxonomy the profile was parsed with
scoring_version     string, null     the scoring version its skill features were computed for
skills              list<struct>     one struct per skill (``explode`` gives the flat skill rows):
                                     skill_id, name, category, years (double), last_used (YYYY-MM),
                                     sources (list<string>), and the features scoring reads:
                                     bits, years10, months (int)
==================  ===============  ==========================================================

**Ranking table** (``batch rank`` output), one row per profile, best first:

========================  ============  ===================================================
rank                      long          1 = best; ties by id; unparsed rows last
id, source                string        from the profile table
score                     double, null  0-100, the number ``matcher rank`` prints (null: not parsed)
all_required_met          bool, null    every required group's status is ``met``
groups                    list<struct>  label, required (bool), status (met / partial / missing)
error_code                string, null  the profile row's error
role_title, role_digest   string        the role, and a fingerprint of its spec
scoring_version           string        the scoring that made the score
taxonomy_version          string        the taxonomy the role was resolved with
profile_taxonomy_version  string        the taxonomy the profile was parsed with
========================  ============  ===================================================
"""

from __future__ import annotations

from .tables import (
    PROFILE_COLUMNS,
    RANKING_COLUMNS,
    SCORING_FIELDS,
    error_record,
    profile_record,
    profile_schema,
    ranking_schema,
    role_digest,
    score_batch,
    score_codes,
    scored_schema,
)

__all__ = ["PROFILE_COLUMNS", "RANKING_COLUMNS", "SCORING_FIELDS", "error_record", "profile_record", "profile_schema", "ranking_schema",
           "role_digest", "score_batch", "score_codes", "scored_schema"]
