"""A taxonomy grown by additions of one's own: aliases for existing skills and new skills.

A company's internal tools ("Lighthouse CI", "acme-deploy") are not in the bundled taxonomy; a
tenant of the service adds them, and other names for skills the taxonomy has ("k8" for Kubernetes),
as :class:`TaxonomyAdditions`. :func:`extend_taxonomy` checks them against the base and builds the
derived :class:`~matcher.taxonomy.Taxonomy`, whose ``version`` records the base's and a digest of
the additions (``2026.11.1+t.3f9a1c2b7d40``): the same additions in any order give the same version,
other additions another one. :func:`extend_engine` builds an engine (the phrase matcher) on it.

The JSON form (:func:`additions_to_dict` / :func:`additions_from_dict`, a file read by
:func:`load_additions`; ``skillmatch-api batch export`` writes it for ``matcher batch rank
--additions``) is one object with two lists, both optional, and no other keys::

    {"skills":  [{"name": "Gantry Shipper", "category": "devops_ci", "aliases": ["gs-ship"]}],
     "aliases": [{"skill_id": "kubernetes", "alias": "kubbo"}]}

(a skill's ``aliases`` is optional; ``category`` is one of the base's categories; ``skill_id`` is a
bundled skill's id or an added one's, ``x-<name>``). A file that is not that shape is a
:class:`~matcher.errors.TaxonomyAdditionError` naming the file and the place; whether each addition
fits a taxonomy is checked when it is applied, as for additions made any other way.

Added forms carry no ambiguity rules, so a form that is an ordinary English word ("go", "make"),
a single character, a number, or a word the base's ambiguity rules use to confirm or reject a name
("apache", "plug") is refused, and so is a form that already names a skill (an alias collision):
:class:`~matcher.errors.TaxonomyAdditionError` / :class:`~matcher.errors.TaxonomyConflict` say which.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import TaxonomyAdditionError, TaxonomyConflict
from .taxonomy import Skill, Taxonomy, alias_key

if TYPE_CHECKING:
    from .pipeline import Engine

#: Longest name or alias, in characters.
MAX_FORM = 80
#: Most skills and aliases one set of additions holds (each alias of a new skill counts).
MAX_ADDITIONS = 2000
#: Ids of added skills start with this (no bundled skill id does), so a new base never takes them.
ADDED_ID_PREFIX = "x-"
#: Where an added skill says it came from (``Skill.sources``).
ADDED_SOURCE = "added"

#: Largest additions file :func:`load_additions` reads (MAX_ADDITIONS names take well under this).
MAX_FILE_BYTES = 2_000_000

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, order=True)
class AliasAddition:
    """Another name for an existing skill (a bundled one, or one added in the same additions)."""

    skill_id: str
    alias: str


@dataclass(frozen=True, order=True)
class SkillAddition:
    """A new skill: its canonical name, one of the base's categories, and other names for it."""

    name: str
    category: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "aliases", tuple(sorted(self.aliases)))

    @property
    def id(self) -> str:
        """``x-`` and the name's letters and digits: "Acme Deploy" -> ``x-acme-deploy``."""
        return added_skill_id(self.name)


@dataclass(frozen=True)
class TaxonomyAdditions:
    """A set of additions. Order does not matter: they are kept sorted, so equal sets are equal values."""

    skills: tuple[SkillAddition, ...] = field(default=())
    aliases: tuple[AliasAddition, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "skills", tuple(sorted(self.skills)))
        object.__setattr__(self, "aliases", tuple(sorted(self.aliases)))

    def __bool__(self) -> bool:
        return bool(self.skills or self.aliases)

    @functools.cached_property
    def digest(self) -> str:
        """12 hex digits of sha256 over the additions as written (order-free)."""
        blob = json.dumps({"skills": [[s.name, s.category, list(s.aliases)] for s in self.skills],
                           "aliases": [[a.skill_id, a.alias] for a in self.aliases]},
                          ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def version_on(self, base_version: str) -> str:
        """The derived taxonomy's version: the base's with ``+t.<digest>``, or the base's when empty."""
        return f"{base_version}+t.{self.digest}" if self else base_version


def added_skill_id(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return ADDED_ID_PREFIX + _SLUG_DROP.sub("-", folded).strip("-")


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@functools.cache
def _rule_words(base: Taxonomy) -> dict[str, str]:
    """alias key -> the skill whose ambiguity rules use the word as a qualifier or rejecting neighbour."""
    words: dict[str, str] = {}
    for skill in base:
        amb = skill.ambiguity
        if amb is not None:
            for word in (*amb.qualifiers, *amb.reject_before, *amb.reject_after):
                words.setdefault(alias_key(word), skill.id)
    return words


def check_form(form: str, what: str = "alias") -> str:
    """``form`` stripped, or :class:`TaxonomyAdditionError` when it can't name a skill on its own."""
    text = " ".join(form.split())
    if not text:
        raise TaxonomyAdditionError(f"the {what} is empty")
    if len(text) > MAX_FORM:
        raise TaxonomyAdditionError(f"the {what} {text[:20]!r}... is longer than {MAX_FORM} characters")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise TaxonomyAdditionError(f"the {what} {text!r} holds control characters")
    key = alias_key(text)
    if len(key) < 2 or key.isdigit():
        raise TaxonomyAdditionError(f"the {what} {text!r} is too short or only a number to name a skill reliably")
    if text.casefold() in _stop_words():
        raise TaxonomyAdditionError(f"the {what} {text!r} is an ordinary English word: it would match everywhere")
    return text


def _claim(owners: dict[str, str], form: str, skill_id: str, base: Taxonomy, what: str) -> None:
    """Record that ``form`` names ``skill_id``; refuse a form that names another skill or is a rule word."""
    key = alias_key(form)
    owner = owners.get(key)
    if owner is not None:
        named = base.get(owner)
        label = f"{named.name!r} ({owner})" if named is not None else repr(owner)
        if owner == skill_id:
            raise TaxonomyConflict(f"the {what} {form!r} already names {label}")
        raise TaxonomyConflict(f"the {what} {form!r} already names another skill, {label}")
    rule_owner = _rule_words(base).get(key)
    if rule_owner is not None:
        raise TaxonomyConflict(f"the {what} {form!r} is a word the ambiguity rules of {rule_owner!r} use "
                               "to confirm or reject that skill; it can't name a skill of its own")
    owners[key] = skill_id


def _skill(base: Taxonomy, s: SkillAddition, owners: dict[str, str], taken: dict[str, Skill]) -> Skill:
    name = check_form(s.name, "skill name")
    if s.category not in base.categories:
        raise TaxonomyAdditionError(f"unknown category {s.category!r} for {name!r} (one of: "
                                    f"{', '.join(sorted(base.categories))})")
    skill_id = added_skill_id(name)
    if skill_id in taken or skill_id in base:
        raise TaxonomyConflict(f"the skill name {name!r} gives the id {skill_id!r}, which is taken")
    forms = tuple(check_form(a) for a in s.aliases)
    trial = dict(owners)
    for form, what in ((name, "skill name"), *((f, "alias") for f in forms)):
        _claim(trial, form, skill_id, base, what)
    owners.update(trial)
    return Skill(id=skill_id, name=name, category=s.category, aliases=forms, parents=(), related=(), hot=False,
                 sources=(ADDED_SOURCE,), ambiguity=None)


def _checked(base: Taxonomy, additions: TaxonomyAdditions, dropped: list[str] | None
             ) -> tuple[dict[str, Skill], dict[str, list[str]], TaxonomyAdditions]:
    """(new skills by id, added aliases by skill id, the additions kept). With ``dropped`` (a list),
    an addition that fails is left out and its reason appended; without it, the first failure raises."""
    owners = {alias_key(form): skill_id for form, skill_id in base.surface_forms()}
    new: dict[str, Skill] = {}
    extra: dict[str, list[str]] = {}
    kept_skills, kept_aliases = [], []
    for s in additions.skills:
        try:
            skill = _skill(base, s, owners, new)
        except TaxonomyAdditionError as exc:
            if dropped is None:
                raise
            dropped.append(exc.message)
            continue
        new[skill.id] = skill
        kept_skills.append(s)
    for a in additions.aliases:
        try:
            if a.skill_id not in base and a.skill_id not in new:
                raise TaxonomyAdditionError(f"unknown skill id {a.skill_id!r} for the alias {a.alias!r}")
            form = check_form(a.alias)
            _claim(owners, form, a.skill_id, base, "alias")
        except TaxonomyAdditionError as exc:
            if dropped is None:
                raise
            dropped.append(exc.message)
            continue
        extra.setdefault(a.skill_id, []).append(form)
        kept_aliases.append(a)
    return new, extra, TaxonomyAdditions(tuple(kept_skills), tuple(kept_aliases))


def extend_taxonomy(base: Taxonomy, additions: TaxonomyAdditions) -> Taxonomy:
    """The taxonomy ``base`` plus ``additions``, validated; ``base`` itself when there are none.

    Raises :class:`TaxonomyAdditionError` (a bad name, an unknown category or skill id, too many
    additions) or :class:`TaxonomyConflict` (a form that already names a skill), naming the form."""
    if not additions:
        return base
    count = len(additions.aliases) + sum(1 + len(s.aliases) for s in additions.skills)
    if count > MAX_ADDITIONS:
        raise TaxonomyAdditionError(f"{count} additions: at most {MAX_ADDITIONS} names and aliases may be added")
    new, extra, _ = _checked(base, additions, None)
    skills = [dataclasses.replace(s, aliases=(*s.aliases, *extra[s.id])) if s.id in extra else s
              for s in (*base, *new.values())]
    return Taxonomy(version=additions.version_on(base.version), schema_version=base.schema_version,
                    categories=base.categories, skills=skills, attribution=base.attribution, source="additions")


def extend_engine(engine: Engine, additions: TaxonomyAdditions) -> Engine:
    """``engine`` on :func:`extend_taxonomy` of its taxonomy: a new phrase matcher on the same spaCy
    pipeline (its vocabulary and tokenizer cache are shared: ~0.65 s in all for the bundled taxonomy,
    against ~1.7 s on a fresh one, on the shared 2-core dev machine), the same limits and detector;
    ``engine`` itself when there are no additions."""
    from .extraction import build_skill_matcher

    if not additions:
        return engine
    taxonomy = extend_taxonomy(engine.taxonomy, additions)
    return dataclasses.replace(engine, taxonomy=taxonomy, skill_matcher=build_skill_matcher(taxonomy, engine.skill_matcher.nlp))


def usable_additions(base: Taxonomy, additions: TaxonomyAdditions) -> tuple[TaxonomyAdditions, tuple[str, ...]]:
    """The additions that still fit ``base`` (say, after an upgrade of the bundled taxonomy took one of
    their names), and why each of the others does not: an addition that fails is left out, alone."""
    dropped: list[str] = []
    kept = _checked(base, additions, dropped)[2]
    return kept, tuple(dropped)


# ------------------------------------------------------------------ the JSON form

def additions_to_dict(additions: TaxonomyAdditions) -> dict[str, Any]:
    """The JSON form (see the module's docstring); :func:`additions_from_dict` gives the same value back."""
    return {"skills": [{"name": s.name, "category": s.category, "aliases": list(s.aliases)} for s in additions.skills],
            "aliases": [{"skill_id": a.skill_id, "alias": a.alias} for a in additions.aliases]}


def _record(value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """``value`` as an object with the ``required`` keys (strings) and no keys but those and ``optional``."""
    if not isinstance(value, dict):
        raise TaxonomyAdditionError(f"{where} must be an object, not {type(value).__name__}")
    unknown = sorted(set(value) - {*required, *optional})
    if unknown:
        raise TaxonomyAdditionError(f"{where} has unknown field(s) {', '.join(map(repr, unknown))} "
                                    f"(known: {', '.join((*required, *optional))})")
    for key in required:
        if not isinstance(value.get(key), str):
            raise TaxonomyAdditionError(f"{where} needs {key!r} as a string")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyAdditionError(f"{where} must be a list of strings")
    return tuple(value)


def _items(data: dict[str, Any], key: str) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise TaxonomyAdditionError(f"{key!r} must be a list, not {type(items).__name__}")
    return items


def additions_from_dict(data: Any) -> TaxonomyAdditions:
    """The value of the JSON form, or :class:`TaxonomyAdditionError` saying where it is not that shape
    (an unknown field, a missing name, more than ``MAX_ADDITIONS`` names). The additions themselves
    are checked against a taxonomy when applied (:func:`extend_taxonomy`, :func:`usable_additions`)."""
    data = _record(data, "the additions object", (), ("skills", "aliases"))
    skills = []
    for i, item in enumerate(_items(data, "skills")):
        where = f"skills[{i}]"
        item = _record(item, where, ("name", "category"), ("aliases",))
        skills.append(SkillAddition(item["name"], item["category"], _strings(item.get("aliases", []), f"{where}.aliases")))
    aliases = []
    for i, item in enumerate(_items(data, "aliases")):
        item = _record(item, f"aliases[{i}]", ("skill_id", "alias"))
        aliases.append(AliasAddition(item["skill_id"], item["alias"]))
    count = len(aliases) + sum(1 + len(s.aliases) for s in skills)
    if count > MAX_ADDITIONS:
        raise TaxonomyAdditionError(f"{count} additions: at most {MAX_ADDITIONS} names and aliases may be added")
    return TaxonomyAdditions(tuple(skills), tuple(aliases))


def load_additions(path: str | Path) -> TaxonomyAdditions:
    """The additions in a JSON file (:func:`additions_from_dict`), or :class:`TaxonomyAdditionError`
    naming the file and what is wrong: unreadable, too big, not JSON, or not the JSON form."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise TaxonomyAdditionError(f"cannot read the additions file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise TaxonomyAdditionError(f"the additions file {path} is over {MAX_FILE_BYTES:,} bytes")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise TaxonomyAdditionError(f"the additions file {path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise TaxonomyAdditionError(f"the additions file {path} is not JSON: {exc.msg} at line {exc.lineno} "
                                    f"column {exc.colno}") from None
    except RecursionError:
        raise TaxonomyAdditionError(f"the additions file {path} is nested too deeply to be additions") from None
    try:
        return additions_from_dict(parsed)
    except TaxonomyAdditionError as exc:
        raise TaxonomyAdditionError(f"the additions file {path}: {exc.message}") from None


def unresolved_suggestions(profiles: Iterable[tuple[Mapping[str, Any], str, str | None]], limit: int,
                           taxonomy: Taxonomy | None = None) -> list[dict[str, Any]]:
    """The tools outside the taxonomy that the most résumés mention, most first: from (profile as
    ``profile_to_dict`` gives it, its text, where it came from) each, the ``unresolved`` mentions
    grouped by key, with their spellings, counts, the most common spelling as ``name`` and up to three
    example lines. With ``taxonomy``, names it now resolves (an alias added since) are left out."""
    found: dict[str, dict[str, Any]] = {}
    for profile, text, source in profiles:
        for u in profile.get("unresolved", ()):
            entry = found.setdefault(u["key"], {"key": u["key"], "resumes": 0, "mentions": 0, "spellings": {},
                                                "examples": []})
            entry["resumes"] += 1
            entry["mentions"] += len(u["evidence"])
            for e in u["evidence"]:
                entry["spellings"][e["text"]] = entry["spellings"].get(e["text"], 0) + 1
                if len(entry["examples"]) < 3 and text:
                    ls, le = text.rfind("\n", 0, e["start"]) + 1, text.find("\n", e["end"])
                    entry["examples"].append({"source": source, "line": text[ls:le if le >= 0 else None].strip()[:200]})
    for x in found.values():
        x["name"] = max(x["spellings"], key=lambda n: (x["spellings"][n], n))
    kept = (x for x in found.values() if taxonomy is None or taxonomy.resolve(x["name"]) is None)
    return sorted(kept, key=lambda x: (-x["resumes"], -x["mentions"], x["key"]))[:limit]
