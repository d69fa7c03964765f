"""The skills taxonomy: canonical skills, their surface forms, implications and similarities.

The data lives in ``taxonomies/skills.json`` (built by ``python -m taxonomies.build``, documented in
``taxonomies/README.md``). This module validates it on load and answers the questions the engine
asks of it:

* ``resolve("Tensor RT")`` -> the TensorRT skill (by canonical name or any alias, via ``alias_key``);
* ``surface_forms()`` -> every (form, skill id) pair, for building a matcher;
* ``implied("pyspark")`` -> ``{"apache-spark": 0.9, "python": 0.6, ...}`` (transitive parents);
* ``related("pytorch")`` -> ``{"tensorflow": 0.6, "jax": 0.6, ...}`` (partial credit, symmetric);
* ``search("tens")`` -> autocomplete.

Importing this module is cheap: nothing is read and pydantic is not imported until a taxonomy is
loaded. Any problem with the data (malformed JSON, a schema violation, a dangling link, a cycle, an
alias that names two skills ...) raises :class:`matcher.errors.TaxonomyError` naming the skill and
the field.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from matcher.errors import TaxonomyError

__all__ = [
    "Ambiguity",
    "Skill",
    "SkillLink",
    "Taxonomy",
    "alias_key",
    "default_taxonomy",
    "load_taxonomy",
    "normalize_surface",
]

#: The schema versions this loader reads.
SUPPORTED_SCHEMA_VERSIONS = (1,)

_MAX_REPORTED_PROBLEMS = 10

# --------------------------------------------------------------------------------------------
# Surface normalization
# --------------------------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRANSLATE = {
    **{ord(c): "-" for c in _DASHES},
    **{ord(c): "'" for c in _SINGLE_QUOTES},
    **{ord(c): '"' for c in _DOUBLE_QUOTES},
    **{ord(c): None for c in _INVISIBLE},
}
_WS = re.compile(r"\s+")
# A dot between two letters/digits ("node.js", "asp.net", "vue.js") is dropped by alias_key; a
# leading dot (".net") and "+", "#", "/", "&" are kept: they tell "c", "c++", "c#" and ".net" apart.
_INNER_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W_])")
_KEY_DROP = re.compile(r"[\s\-_'\"]+")


def normalize_surface(text: str) -> str:
    """Casefold, unify unicode dashes/quotes, drop invisible characters, collapse whitespace.

    Punctuation that carries meaning in skill names (``+ # . & /``) is kept as it is:
    ``normalize_surface("C++") == "c++"``, ``normalize_surface(" .NET ") == ".net"``.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
        text = unicodedata.normalize("NFKC", text.casefold())
    else:
        text = text.casefold()
    return _WS.sub(" ", text).strip()


def alias_key(text: str) -> str:
    """The lookup key of a surface form: ``normalize_surface`` without spaces, hyphens,
    underscores, quotes, dots between letters and trailing dots.

    ``"Tensor RT" -> "tensorrt"``, ``"ML Flow" -> "mlflow"``, ``"apache-spark" -> "apachespark"``,
    ``"Node.js" -> "nodejs"``; ``"c++"``, ``"c#"``, ``"c"`` and ``".net"`` stay distinct.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
        text = unicodedata.normalize("NFKC", text.casefold())
    else:
        text = text.casefold()
    key = _KEY_DROP.sub("", _INNER_DOT.sub("", text))
    if not key.isascii():
        key = unicodedata.normalize("NFKC", key)
    stripped = key.rstrip(".")
    return stripped if stripped else key


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillLink:
    """A weighted link to another skill (a parent implication or a related skill)."""

    id: str
    weight: float


@dataclass(frozen=True)
class Ambiguity:
    """How an extractor must treat surface forms that are also ordinary words or names.

    ``case_sensitive``: only the form's exact capitalization, as written in the taxonomy, counts.
    ``needs_context``: even then, a technical context is needed (a skills list, a neighbouring
    unambiguous skill, or a qualifier). ``qualifiers``: words that, right before the form,
    confirm it ("apache" Spark, "microsoft" Word). ``reject_before`` / ``reject_after``: words
    that, right before / after the form, rule it out ("spark plug", "beam search").
    ``applies_to``: the surface forms (as written in the taxonomy) these rules are for; empty
    means every form of the skill. Multi-word forms such as "Apache Spark" are normally left out.
    """

    case_sensitive: bool = False
    needs_context: bool = False
    qualifiers: tuple[str, ...] = ()
    reject_before: tuple[str, ...] = ()
    reject_after: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()

    def covers(self, surface: str) -> bool:
        """Whether the rules apply to ``surface`` (compared by ``alias_key``)."""
        if not self.applies_to:
            return True
        key = alias_key(surface)
        return any(alias_key(form) == key for form in self.applies_to)


@dataclass(frozen=True)
class Skill:
    """One canonical skill."""

    id: str
    name: str
    category: str
    aliases: tuple[str, ...]
    parents: tuple[SkillLink, ...]
    related: tuple[SkillLink, ...]
    hot: bool
    sources: tuple[str, ...]
    ambiguity: Ambiguity | None


# --------------------------------------------------------------------------------------------
# Schema (pydantic models are built lazily: importing this module stays cheap)
# --------------------------------------------------------------------------------------------


@functools.cache
def _models() -> Any:
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field, StringConstraints

    Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    CategoryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:_[a-z0-9]+)*$")]
    Text = Annotated[str, StringConstraints(min_length=1)]

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)

    class LinkModel(_Strict):
        id: Id
        weight: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]

    class AmbiguityModel(_Strict):
        case_sensitive: bool = False
        needs_context: bool = False
        qualifiers: list[Text] = []
        reject_before: list[Text] = []
        reject_after: list[Text] = []
        applies_to: list[Text] = []

    class SkillModel(_Strict):
        id: Id
        name: Text
        category: CategoryId
        aliases: list[Text] = []
        parents: list[LinkModel] = []
        related: list[LinkModel] = []
        hot: bool = False
        sources: list[Text] = []
        ambiguity: AmbiguityModel | None = None

    class TaxonomyModel(_Strict):
        schema_version: int
        version: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{1,2}\.\d+$")]
        attribution: list[Text] = []
        categories: dict[CategoryId, Text]
        skills: list[SkillModel]

    return TaxonomyModel


def _where(loc: tuple[Any, ...], raw: Any) -> str:
    """Turn a pydantic error location into 'skill 12 ('pytorch'): parents[0].weight'."""
    parts: list[str] = []
    i = 0
    if len(loc) >= 2 and loc[0] == "skills" and isinstance(loc[1], int):
        index = loc[1]
        skill_id = None
        try:
            candidate = raw["skills"][index]
            if isinstance(candidate, dict):
                skill_id = candidate.get("id")
        except (KeyError, IndexError, TypeError):
            pass
        label = f"skill #{index}" + (f" ({skill_id!r})" if isinstance(skill_id, str) else "")
        parts.append(label)
        i = 2
    path = ""
    for item in loc[i:]:
        if isinstance(item, int):
            path += f"[{item}]"
        else:
            path += ("." if path else "") + str(item)
    if path:
        parts.append(f"field {path!r}")
    return ", ".join(parts) if parts else "top level"


def _fail(source: str, problems: list[str]) -> TaxonomyError:
    shown = problems[:_MAX_REPORTED_PROBLEMS]
    more = len(problems) - len(shown)
    text = "; ".join(shown) + (f"; ... and {more} more" if more > 0 else "")
    return TaxonomyError(f"invalid taxonomy {source}: {text}")


# --------------------------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------------------------


class Taxonomy:
    """A validated, read-only taxonomy. Build it with :func:`load_taxonomy`."""

    version: str
    schema_version: int
    categories: Mapping[str, str]
    attribution: tuple[str, ...]

    def __init__(
        self,
        *,
        version: str,
        schema_version: int,
        categories: Mapping[str, str],
        skills: list[Skill],
        attribution: tuple[str, ...] = (),
        source: str = "<memory>",
    ) -> None:
        self.version = version
        self.schema_version = schema_version
        self.categories = MappingProxyType(dict(categories))
        self.attribution = tuple(attribution)
        self._skills: dict[str, Skill] = {}
        self._by_key: dict[str, str] = {}
        self._related: dict[str, dict[str, float]] = {}
        self._implied_cache: dict[str, dict[str, float]] = {}
        # (key of a form, skill id, form is the canonical name) for search.
        self._search_index: list[tuple[str, str, bool]] = []
        self._validate(skills, source)

    # -- validation ---------------------------------------------------------------------------

    def _validate(self, skills: list[Skill], source: str) -> None:
        problems: list[str] = []
        for skill in skills:
            if skill.id in self._skills:
                problems.append(f"duplicate skill id {skill.id!r}")
                continue
            self._skills[skill.id] = skill
        for skill in self._skills.values():
            where = f"skill {skill.id!r}"
            if skill.category not in self.categories:
                problems.append(f"{where}: unknown category {skill.category!r}")
            for field_name, links in (("parents", skill.parents), ("related", skill.related)):
                seen: set[str] = set()
                for link in links:
                    if link.id == skill.id:
                        problems.append(f"{where}: {field_name} links the skill to itself")
                    elif link.id not in self._skills:
                        problems.append(f"{where}: {field_name} names unknown skill {link.id!r}")
                    if link.id in seen:
                        problems.append(f"{where}: {field_name} lists {link.id!r} twice")
                    seen.add(link.id)
                    if not (0.0 < link.weight <= 1.0):
                        problems.append(
                            f"{where}: {field_name} weight for {link.id!r} must be in (0, 1], "
                            f"got {link.weight}"
                        )
            # Surface forms: every alias key names exactly one skill.
            own_keys: set[str] = set()
            for n, form in enumerate((skill.name, *skill.aliases)):
                key = alias_key(form)
                self._search_index.append((key, skill.id, n == 0))
                if not key:
                    problems.append(f"{where}: surface form {form!r} is empty after normalization")
                    continue
                other = self._by_key.get(key)
                if other is not None and other != skill.id:
                    problems.append(
                        f"{where}: alias collision: {form!r} (key {key!r}) already names "
                        f"skill {other!r}"
                    )
                    continue
                self._by_key[key] = skill.id
                own_keys.add(key)
            if skill.ambiguity is not None:
                for form in skill.ambiguity.applies_to:
                    if alias_key(form) not in own_keys:
                        problems.append(
                            f"{where}: ambiguity.applies_to names {form!r}, which is neither "
                            "its name nor one of its aliases"
                        )
        if problems:
            raise _fail(source, problems)
        # Related links are symmetric: store both directions, refuse contradictory weights.
        for skill in self._skills.values():
            for link in skill.related:
                for a, b in ((skill.id, link.id), (link.id, skill.id)):
                    current = self._related.setdefault(a, {}).get(b)
                    if current is not None and abs(current - link.weight) > 1e-9:
                        problems.append(
                            f"skill {skill.id!r}: related weight to {link.id!r} is "
                            f"{link.weight} one way and {current} the other"
                        )
                    self._related[a][b] = link.weight
        problems.extend(self._cycles())
        if problems:
            raise _fail(source, problems)

    def _cycles(self) -> list[str]:
        """Report parent cycles (implications must form a DAG)."""
        white, grey, black = 0, 1, 2
        color = dict.fromkeys(self._skills, white)
        problems: list[str] = []
        for root in self._skills:
            if color[root] != white:
                continue
            stack: list[tuple[str, Iterator[SkillLink]]] = [
                (root, iter(self._skills[root].parents))
            ]
            path = [root]
            color[root] = grey
            while stack:
                node, links = stack[-1]
                nxt = next(links, None)
                if nxt is None:
                    color[node] = black
                    stack.pop()
                    path.pop()
                    continue
                if color[nxt.id] == grey:
                    cycle = path[path.index(nxt.id) :] + [nxt.id]
                    problems.append("parent cycle: " + " -> ".join(cycle))
                elif color[nxt.id] == white:
                    color[nxt.id] = grey
                    path.append(nxt.id)
                    stack.append((nxt.id, iter(self._skills[nxt.id].parents)))
        return problems

    # -- container protocol -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._skills)

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills.values())

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._skills

    def __getitem__(self, skill_id: str) -> Skill:
        try:
            return self._skills[skill_id]
        except KeyError:
            raise KeyError(skill_id) from None

    def __repr__(self) -> str:
        return f"<Taxonomy {self.version} ({len(self)} skills)>"

    def get(self, skill_id: str) -> Skill | None:
        return self._skills.get(skill_id)

    # -- lookups ------------------------------------------------------------------------------

    def resolve(self, surface: str) -> Skill | None:
        """The skill whose canonical name or alias has the same ``alias_key`` as ``surface``."""
        skill_id = self._by_key.get(alias_key(surface))
        return self._skills[skill_id] if skill_id is not None else None

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Every (form as written, skill id): each skill's name, then its aliases."""
        for skill in self._skills.values():
            yield skill.name, skill.id
            for alias in skill.aliases:
                yield alias, skill.id

    def ambiguity_for(self, skill_id: str, surface: str) -> Ambiguity | None:
        """The ambiguity rules that apply when ``surface`` was matched for ``skill_id``."""
        ambiguity = self[skill_id].ambiguity
        if ambiguity is None or not ambiguity.covers(surface):
            return None
        return ambiguity

    def implied(self, skill_id: str) -> dict[str, float]:
        """Transitive parents of a skill: weight is the product along a path, max over paths.

        The skill itself is not included.
        """
        if skill_id not in self._skills:
            raise KeyError(skill_id)
        return dict(self._implied(skill_id))

    def _implied(self, skill_id: str) -> dict[str, float]:
        cached = self._implied_cache.get(skill_id)
        if cached is not None:
            return cached
        result: dict[str, float] = {}
        for link in self._skills[skill_id].parents:
            if link.weight > result.get(link.id, 0.0):
                result[link.id] = link.weight
            for ancestor, weight in self._implied(link.id).items():
                w = link.weight * weight
                if w > result.get(ancestor, 0.0):
                    result[ancestor] = w
        result.pop(skill_id, None)
        self._implied_cache[skill_id] = result
        return result

    def related(self, skill_id: str) -> dict[str, float]:
        """Directly related skills, in both directions (the relation is symmetric)."""
        if skill_id not in self._skills:
            raise KeyError(skill_id)
        return dict(self._related.get(skill_id, {}))

    def search(self, query: str, limit: int = 10) -> list[Skill]:
        """Autocomplete: exact name/alias matches first, then prefix, then substring matches.

        Within a tier, hot skills come first, then matches on the canonical name, then shorter
        names.
        """
        key = alias_key(query)
        if not key or limit <= 0:
            return []
        best: dict[str, tuple[int, int]] = {}
        for form_key, skill_id, is_name in self._search_index:
            if form_key == key:
                tier = 0
            elif form_key.startswith(key):
                tier = 1
            elif key in form_key:
                tier = 2
            else:
                continue
            rank = (tier, 0 if is_name else 1)
            if skill_id not in best or rank < best[skill_id]:
                best[skill_id] = rank

        def order(skill_id: str) -> tuple[int, int, int, int, str]:
            tier, on_alias = best[skill_id]
            skill = self._skills[skill_id]
            return (tier, 0 if skill.hot else 1, on_alias, len(skill.name), skill.name.casefold())

        return [self._skills[i] for i in sorted(best, key=order)[:limit]]


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _from_model(model: Any) -> list[Skill]:
    skills = []
    for s in model.skills:
        amb = s.ambiguity
        skills.append(
            Skill(
                id=s.id,
                name=s.name,
                category=s.category,
                aliases=tuple(s.aliases),
                parents=tuple(SkillLink(link.id, float(link.weight)) for link in s.parents),
                related=tuple(SkillLink(link.id, float(link.weight)) for link in s.related),
                hot=s.hot,
                sources=tuple(s.sources),
                ambiguity=None
                if amb is None
                else Ambiguity(
                    case_sensitive=amb.case_sensitive,
                    needs_context=amb.needs_context,
                    qualifiers=tuple(amb.qualifiers),
                    reject_before=tuple(amb.reject_before),
                    reject_after=tuple(amb.reject_after),
                    applies_to=tuple(amb.applies_to),
                ),
            )
        )
    return skills


def parse_taxonomy(data: bytes | str, source: str = "<memory>") -> Taxonomy:
    """Validate taxonomy JSON text and build a :class:`Taxonomy`."""
    from pydantic import ValidationError

    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(
            f"invalid taxonomy {source}: malformed JSON at line {exc.lineno} column {exc.colno}: "
            f"{exc.msg}"
        ) from None
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"invalid taxonomy {source}: not UTF-8 text ({exc.reason})") from None
    if not isinstance(raw, dict):
        raise TaxonomyError(
            f"invalid taxonomy {source}: the top level must be a JSON object, "
            f"not {type(raw).__name__}"
        )
    schema_version = raw.get("schema_version")
    if schema_version not in SUPPORTED_SCHEMA_VERSIONS:
        raise TaxonomyError(
            f"invalid taxonomy {source}: unsupported schema_version {schema_version!r} "
            f"(this loader reads {', '.join(map(str, SUPPORTED_SCHEMA_VERSIONS))})"
        )
    try:
        model = _models().model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_where(tuple(e['loc']), raw)}: {e['msg']}" for e in exc.errors()]
        raise _fail(source, problems) from None
    return Taxonomy(
        version=model.version,
        schema_version=model.schema_version,
        categories=model.categories,
        skills=_from_model(model),
        attribution=tuple(model.attribution),
        source=source,
    )


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; ``None`` loads the bundled ``taxonomies/skills.json``."""
    if path is None:
        from importlib import resources

        try:
            data = resources.files("taxonomies").joinpath("skills.json").read_bytes()
        except (FileNotFoundError, ModuleNotFoundError) as exc:
            raise TaxonomyError(f"bundled taxonomy not found: {exc}") from None
        return parse_taxonomy(data, source="taxonomies/skills.json")
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise TaxonomyError(f"cannot read taxonomy {p}: {exc.strerror or exc}") from None
    return parse_taxonomy(data, source=str(p))


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy, loaded once per process."""
    return load_taxonomy()
