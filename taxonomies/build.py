"""Build ``taxonomies/skills.json`` from O*NET, Stack Overflow tags and the hand-written entries.

    python -m taxonomies.build                      # reads taxonomies/sources (vendored in the repo)
    python -m taxonomies.build --data /path/to/data --out taxonomies/skills.json
    python -m taxonomies.build --check              # build in memory, compare with the file

Inputs (all under ``--data``, default ``taxonomies/sources/``; see its README.md for sources and licences):

* ``onet/Technology Skills.txt`` (O*NET 29.2, tab-separated): the technology examples, their
  UNSPSC commodity, occupations and the Hot Technology flag;
* ``stackoverflow/Tags_stackoverflow.csv`` (tag name, question count) and
  ``stackoverflow/TagSynonyms.csv`` (source tag -> target tag);
* ``resumes-dotin/train/545_cvs_train_v2/*.xml`` (Dotin résumés): which words are used as ordinary
  lowercase words;
* ``taxonomies/src/manual.yaml`` (in this repository): categories, the hand-written skills
  (authoritative), the O*NET cleaning rules, implications, related groups and the common-word
  list used to flag ambiguous surface forms.

The output is deterministic: the same inputs always give byte-identical JSON. Skill ids are slugs
of canonical names and are never renumbered; the build refuses to drop an id present in the
previous ``skills.json`` unless ``--allow-removals`` is given (ids are referenced by stored scores).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from matcher.taxonomy import alias_key, parse_taxonomy

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_DATA = HERE / "sources"
DEFAULT_OUT = HERE / "skills.json"
MANUAL = HERE / "src" / "manual.yaml"
#: Files the build reads under ``--data`` (plus the Dotin résumés, ``DOTIN/*.xml``).
DOTIN = Path("resumes-dotin", "train", "545_cvs_train_v2")
INPUTS = (
    Path("onet", "Technology Skills.txt"),
    Path("stackoverflow", "Tags_stackoverflow.csv"),
    Path("stackoverflow", "TagSynonyms.csv"),
    DOTIN,
)

SCHEMA_VERSION = 1

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.2 booleans only ('on', 'no', 'yes', 'off' stay strings: they are words here), and
    duplicate mapping keys are an error instead of a silent overwrite."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_YamlLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)  # noqa: S506


def slugify(name: str) -> str:
    """Stable kebab-case id of a canonical name: ``C++ -> c-plus-plus``, ``.NET -> dot-net``."""
    s = name.strip()
    if s.startswith("."):
        s = "dot " + s[1:]
    s = s.replace("&", " and ").replace("+", " plus ").replace("#", " sharp ")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def read_ordinary_words(data: Path) -> set[str]:
    """Words the Dotin résumés use as ordinary lowercase words (outside Tech Tools labels).

    A word counts when it appears lowercase at least 3 times and at least half as often as
    capitalized. Used to keep generated aliases and vendor-less remainders from being plain
    English ("Debugging", "Accounting"); hand-written forms are flagged by ``common_words``.
    """
    folder = data / DOTIN
    low: Counter[str] = Counter()
    cap: Counter[str] = Counter()
    for f in sorted(folder.glob("*.xml")):
        text = f.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r'<label type="Tech Tools">.*?</label>', " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text):
            if w.islower():
                low[w] += 1
            else:
                cap[w.lower()] += 1
    return {w for w, c in low.items() if c >= 3 and c >= 0.5 * cap[w]}


def so_spaced(tag: str) -> str:
    return tag.replace("-", " ")


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-_.]+", text.lower()) if w)


def looks_like_name_of(source: str, target: str, name: str) -> bool:
    """Whether a Stack Overflow synonym is a spelling of the target, not a sub-topic of it.

    'golang' ~ 'go', 'nodejs' ~ 'node.js', 'ror' ~ 'ruby-on-rails' (initials), 'k8s' (listed by
    hand); 'box-model' ~ 'css' or 'thread' ~ 'multithreading' are not.
    """
    from difflib import SequenceMatcher

    s = alias_key(source)
    for other in (alias_key(target), alias_key(name)):
        if not other:
            continue
        if other in s or s in other:
            return True
        m = SequenceMatcher(None, s, other).find_longest_match(0, len(s), 0, len(other))
        if m.size >= 4 or m.size >= min(len(s), len(other)) - 1 >= 2:
            return True
    letters = re.sub(r"[^a-z]", "", source.lower())
    return bool(letters) and letters in {_initials(target), _initials(name)}


def dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def single_token(form: str) -> bool:
    return " " not in form.strip()


# --------------------------------------------------------------------------------------------
# Working representation
# --------------------------------------------------------------------------------------------


@dataclass
class Draft:
    id: str
    name: str
    category: str
    manual: bool = False
    aliases: list[str] = field(default_factory=list)  # in preference order
    manual_aliases: set[str] = field(default_factory=set)
    parents: dict[str, float] = field(default_factory=dict)
    related: dict[str, float] = field(default_factory=dict)
    hot: bool = False
    sources: list[str] = field(default_factory=list)
    ambiguity: dict[str, Any] | None = None
    so_tags: list[str] = field(default_factory=list)
    trusted: set[str] = field(default_factory=set)  # hand-written forms besides the name
    popularity: int = 0  # max Stack Overflow question count of its tags
    occupations: int = 0  # technical O*NET occupations listing it

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]

    def add_alias(self, alias: str, *, manual: bool = False) -> None:
        alias = " ".join(alias.split())
        if not alias or alias == self.name:
            return
        if alias not in self.aliases:
            self.aliases.append(alias)
        if manual:
            self.manual_aliases.add(alias)

    def add_source(self, source: str) -> None:
        if source not in self.sources:
            self.sources.append(source)


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass
class OnetItem:
    example: str
    commodities: dict[str, str] = field(default_factory=dict)  # code -> title
    occupations: set[str] = field(default_factory=set)
    hot: bool = False


def read_onet(path: Path) -> dict[str, OnetItem]:
    items: dict[str, OnetItem] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            ex = row["Example"].strip()
            item = items.setdefault(ex, OnetItem(ex))
            item.commodities[row["Commodity Code"]] = row["Commodity Title"]
            item.occupations.add(row["O*NET-SOC Code"])
            item.hot |= row["Hot Technology"].strip().upper() == "Y"
    return items


def read_so(data: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    tags: dict[str, int] = {}
    with (data / "stackoverflow" / "Tags_stackoverflow.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                tags[row["TagName"]] = int(row["Count"] or 0)
            except ValueError:
                tags[row["TagName"]] = 0
    synonyms: list[tuple[str, str]] = []
    with (data / "stackoverflow" / "TagSynonyms.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            synonyms.append((row["SourceTagName"], row["TargetTagName"]))
    synonyms.sort()
    return tags, synonyms


# --------------------------------------------------------------------------------------------
# O*NET name cleaning
# --------------------------------------------------------------------------------------------

_SOFTWARE_SUFFIX = re.compile(r"\s+(?:software|Software)$")


def _acronym_letters(tok: str) -> list[str] | None:
    letters = [c for c in tok if c.isalpha()]
    uppers = [c for c in letters if c.isupper()]
    if not letters or len(tok) > 10:
        return None
    has_digit = any(c.isdigit() for c in tok)
    if len(uppers) < 2 and not (uppers and has_digit):
        return None
    if len(uppers) / len(letters) < 0.5:
        return None
    return uppers


def split_acronym(words: list[str]) -> tuple[list[str], str] | None:
    """'Structured query language SQL' -> (['Structured', 'query', 'language'], 'SQL')."""
    if len(words) < 2:
        return None
    tok = words[-1]
    letters = _acronym_letters(tok)
    if letters is None:
        return None
    prev = words[:-1]
    for start in range(len(prev)):
        if not prev[start][:1].isalpha() or prev[start][0].upper() != letters[0]:
            continue
        pool = "".join(c.upper() for w in prev[start:] for c in w if c.isalpha())
        it = iter(pool)
        if all(ch in it for ch in letters):
            return prev, tok
    return None


def sentence_case(words: list[str]) -> bool:
    """'Structured query language' (a description, not a product name)."""
    if not words:
        return False
    for w in words[1:]:
        core = w.strip("(),/-")
        if not core:
            continue
        if core[0].isupper() and not (core.isupper() and len(core) <= 5):
            return False
    return True


@dataclass
class Cleaned:
    name: str
    aliases: list[str]
    generic: bool
    category: str | None = None
    trusted: bool = False  # hand-written (a `rename` entry)


def clean_onet_name(example: str, rules: dict[str, Any], common: set[str]) -> Cleaned:
    aliases: list[str] = []
    s = example.strip()
    m = re.search(r"\s*\(([^)]*)\)\s*", s)
    if m:
        inner = m.group(1).strip()
        s = (s[: m.start()] + " " + s[m.end() :]).strip()
        if _acronym_letters(inner):
            aliases.append(inner)
    had_suffix = bool(_SOFTWARE_SUFFIX.search(s))
    s = _SOFTWARE_SUFFIX.sub("", s).strip()
    if s.lower().startswith("the "):
        s = s[4:]
    words = s.split()
    generic = False
    acr = split_acronym(words)
    if acr:
        long_words, acronym = acr
        long_name = " ".join(long_words)
        if sentence_case(long_words):
            name = acronym
            aliases.append(long_name)
        else:
            name = long_name
            aliases.append(acronym)
    else:
        name = s
        if len(words) >= 2 and sentence_case(words):
            generic = True
        elif len(words) == 1 and had_suffix and s.lower() in common:
            generic = True  # "Debugging software", "Spreadsheet software"
    # Vendor prefixes.
    for vendor in rules["vendors_strip"] + rules["vendors_keep"]:
        if name.startswith(vendor + " ") and len(name) > len(vendor) + 1:
            rest = name[len(vendor) + 1 :].strip()
            if not distinctive(rest, common):
                if vendor in rules["vendors_strip"] and len(rest.split()) == 1:
                    generic = True  # "Rockwell Automation", "Quest Central"
                break
            if vendor in rules["vendors_strip"]:
                aliases.append(name)
                name = rest
            else:
                aliases.append(rest)
            break
    if example != name:
        plain = _SOFTWARE_SUFFIX.sub("", example.strip())
        if "(" not in plain and plain != name:
            aliases.append(plain)
    return Cleaned(name=name, aliases=dedupe(a for a in aliases if a != name), generic=generic)


_GENERIC_WORDS = {
    "software", "system", "systems", "suite", "server", "database", "cloud", "enterprise",
    "platform", "manager", "management", "professional", "tools", "applications", "online",
    "office", "studio", "pro", "analytics", "reports", "designer", "developer",
}


def distinctive(rest: str, common: set[str]) -> bool:
    """Whether a vendor-less remainder still names the product ('AutoCAD' yes, 'Database' no)."""
    words = rest.split()
    if not words:
        return False
    if len(words) == 1:
        w = words[0]
        low = w.lower()
        if low in _GENERIC_WORDS or low in common:
            return False
        if len(w) <= 2:
            return False
        return True
    if all(w.lower() in _GENERIC_WORDS or w.lower() in common for w in words):
        return False
    return True


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


class BuildError(Exception):
    pass


class Builder:
    def __init__(self, data: Path, manual_path: Path = MANUAL, *, verbose: bool = False):
        self.data = data
        self.verbose = verbose
        self.manual = load_yaml(manual_path)
        self.rules = self.manual["onet"]
        self.skills: dict[str, Draft] = {}
        self.key_owner: dict[str, str] = {}  # alias_key of a canonical name -> id
        self.report: list[str] = []
        from spacy.lang.en.stop_words import STOP_WORDS

        self.stop_words = {w.lower() for w in STOP_WORDS}
        self.common = {w.lower() for w in self.manual["common_words"]} | self.stop_words
        self.ordinary = read_ordinary_words(data)
        self.english = self.common | self.ordinary  # for generated forms only
        self.never_alias = {alias_key(a) for a in self.manual.get("never_alias", [])}

    def log(self, msg: str) -> None:
        self.report.append(msg)
        if self.verbose:
            print(msg, file=sys.stderr)

    # -- manual ------------------------------------------------------------------------------

    def load_manual(self) -> None:
        cats = self.manual["categories"]
        for category, entries in self.manual["skills"].items():
            if category not in cats:
                raise BuildError(f"manual.yaml: skills under unknown category {category!r}")
            for entry in entries:
                self._manual_entry(category, entry)

    def _manual_entry(self, category: str, e: dict[str, Any]) -> None:
        name = e["name"]
        sid = e.get("id") or slugify(name)
        if sid in self.skills:
            raise BuildError(f"manual.yaml: duplicate id {sid!r} ({name})")
        d = Draft(id=sid, name=name, category=e.get("category", category), manual=True)
        for a in e.get("aliases", []) or []:
            d.add_alias(str(a), manual=True)
            d.trusted.add(str(a))
        for pid, w in (e.get("parents") or {}).items():
            d.parents[pid] = float(w)
        for rid, w in (e.get("related") or {}).items():
            d.related[rid] = float(w)
        d.so_tags = list(e.get("so", []) or [])
        if "ambiguity" in e and e["ambiguity"] is not None:
            d.ambiguity = dict(e["ambiguity"])
            d.ambiguity.setdefault("explicit", True)
        d.add_source("manual")
        d.hot = bool(e.get("hot", False))
        self.skills[sid] = d
        for onet_name in e.get("onet", []) or []:
            self.rules.setdefault("map", {})[onet_name] = sid

    def form_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for d in self.skills.values():
            for f in d.forms():
                index.setdefault(alias_key(f), d.id)
        for d in self.skills.values():  # canonical names win
            index[alias_key(d.name)] = d.id
        return index

    # -- O*NET ------------------------------------------------------------------------------

    def load_onet(self, so_tags: dict[str, int]) -> None:
        items = read_onet(self.data / "onet" / "Technology Skills.txt")
        tech_prefixes = tuple(self.rules["technical_occupations"])
        skip_commodities = set(self.rules["skip_commodities"])
        commodity_cat = self.rules["commodity_categories"]
        mapping: dict[str, str | None] = self.rules.get("map", {}) or {}
        renames: dict[str, Any] = self.rules.get("rename", {}) or {}
        so_keys: dict[str, int] = {}
        for tag, count in so_tags.items():
            k = alias_key(tag)
            so_keys[k] = max(so_keys.get(k, 0), count)
        min_so = int(self.rules["min_so_questions"])
        index = self.form_index()
        kept = dropped = merged = 0
        for ex in sorted(items):
            item = items[ex]
            tech_occ = {o for o in item.occupations if o.startswith(tech_prefixes)}
            codes = sorted(item.commodities)
            sources = [f"onet:{c}" for c in codes]
            if ex in mapping:
                target = mapping[ex]
                if target is None:
                    dropped += 1
                    continue
                if target not in self.skills:
                    raise BuildError(f"manual.yaml onet map: {ex!r} -> unknown skill {target!r}")
                self._merge_onet(self.skills[target], item, sources, tech_occ, aliases=[])
                merged += 1
                continue
            if not item.hot and not tech_occ:
                continue
            if ex in renames:
                r = renames[ex]
                if r is None:
                    dropped += 1
                    continue
                cleaned = Cleaned(name=r["name"], aliases=list(r.get("aliases", [])), generic=False)
                cleaned.category = r.get("category")
                cleaned.trusted = True
                if r.get("keep_original", True):
                    plain = _SOFTWARE_SUFFIX.sub("", ex)
                    if plain != cleaned.name:
                        cleaned.aliases.append(plain)
            else:
                cleaned = clean_onet_name(ex, self.rules, self.english)
            # Does it name a skill we already have (by its cleaned name or any derived form)?
            target_id = None
            for form in [cleaned.name, *cleaned.aliases, ex]:
                hit = index.get(alias_key(form))
                if hit is not None:
                    target_id = hit
                    break
            if target_id is not None:
                self._merge_onet(self.skills[target_id], item, sources, tech_occ, cleaned.aliases)
                merged += 1
                continue
            if cleaned.generic:
                dropped += 1
                continue
            if not item.hot:
                if skip_commodities.issuperset(item.commodities.values()):
                    dropped += 1
                    continue
                popular = max(
                    (so_keys.get(alias_key(f), 0) for f in [cleaned.name, *cleaned.aliases]),
                    default=0,
                )
                if len(tech_occ) < int(self.rules["min_occupations"]) and popular < min_so:
                    dropped += 1
                    continue
            sid = slugify(cleaned.name)
            if not sid or len(cleaned.name) < 2:
                dropped += 1
                continue
            if sid in self.skills:
                self._merge_onet(self.skills[sid], item, sources, tech_occ, cleaned.aliases)
                merged += 1
                continue
            category = cleaned.category
            for code in codes if category is None else []:
                title = item.commodities[code]
                if title in commodity_cat:
                    category = commodity_cat[title]
                    break
            d = Draft(id=sid, name=cleaned.name, category=category or "other_software")
            if cleaned.trusted:
                d.trusted.update(cleaned.aliases)
            self.skills[sid] = d
            self._merge_onet(d, item, sources, tech_occ, cleaned.aliases)
            for f in d.forms():
                index.setdefault(alias_key(f), sid)
            index[alias_key(d.name)] = sid
            kept += 1
        self.log(f"O*NET: {kept} new skills, {merged} merged into existing, {dropped} dropped")

    def _merge_onet(
        self, d: Draft, item: OnetItem, sources: list[str], tech_occ: set[str], aliases: list[str]
    ) -> None:
        self.log(f"onet-merge: {item.example!r} -> {d.id}")
        d.hot |= item.hot
        d.occupations = max(d.occupations, len(tech_occ))
        for s in sources:
            d.add_source(s)
        for a in aliases:
            self._add_generated_alias(d, a)
        plain = _SOFTWARE_SUFFIX.sub("", item.example)
        if "(" not in plain:
            self._add_generated_alias(d, plain)

    def _add_generated_alias(self, d: Draft, alias: str) -> None:
        alias = " ".join(alias.split())
        key = alias_key(alias)
        if not key or key in self.never_alias:
            return
        if len(key) <= 2 or key in self.stop_words:
            return
        if single_token(alias) and key in self.english:
            # a generated one-word alias that is an ordinary word ("workbook", "debug")
            return
        d.add_alias(alias)

    # -- Stack Overflow -----------------------------------------------------------------------

    def load_so(self, tags: dict[str, int], synonyms: list[tuple[str, str]]) -> None:
        by_key: dict[str, list[str]] = defaultdict(list)
        for tag in tags:
            by_key[alias_key(tag)].append(tag)
        tag_owner: dict[str, str] = {}
        blocked_tags = set(self.manual["stackoverflow"].get("block_tags", []) or [])
        # Explicit tags first, then tags whose key equals one of a skill's forms.
        for d in self._by_priority():
            for tag in d.so_tags:
                if tag not in tags:
                    self.log(f"SO: tag {tag!r} of {d.id} is not in the tag export")
                tag_owner.setdefault(tag, d.id)
        for d in self._by_priority():
            # Only hand-written forms: a generated acronym ("ADS", "PEAR") would pull in the
            # synonyms of an unrelated tag.
            for form in [d.name, *sorted(d.trusted)]:
                for tag in by_key.get(alias_key(form), []):
                    if tag in blocked_tags or tag in tag_owner:
                        continue
                    tag_owner[tag] = d.id
        for tag, sid in sorted(tag_owner.items()):
            d = self.skills[sid]
            d.add_source(f"so:{tag}")
            d.popularity = max(d.popularity, tags.get(tag, 0))
            if "-" in tag:
                # Hyphenated tags are written both ways.
                self._add_generated_alias(d, tag)
                self._add_generated_alias(d, so_spaced(tag))
            elif alias_key(tag) not in {alias_key(f) for f in d.forms()}:
                self._add_generated_alias(d, tag)
        sub_ok = tuple(self.manual["stackoverflow"]["synonym_suffixes_ok"])
        blocked = set(self.manual["stackoverflow"].get("block_synonyms", []) or [])
        added = 0
        for source, target in synonyms:
            sid = tag_owner.get(target)
            if sid is None or source in blocked:
                continue
            if source.startswith(target + "-") and not source.endswith(sub_ok):
                continue  # a sub-topic ("javascript-alert"), not a name
            if not looks_like_name_of(source, target, self.skills[sid].name):
                continue  # a related topic ("box-model" -> css), not a spelling
            if re.search(r"\.(?:cs|py|js)-file$|^\.", source) and source not in (".net",):
                continue
            d = self.skills[sid]
            before = len(d.aliases)
            self._add_generated_alias(d, source)
            if len(d.aliases) > before:
                self.log(f"so-synonym: {source!r} -> {sid}")
            if "-" in source:
                self._add_generated_alias(d, so_spaced(source))
            added += len(d.aliases) - before
        self.log(f"Stack Overflow: {len(tag_owner)} tags mapped, {added} synonym aliases")

    def _by_priority(self) -> list[Draft]:
        return sorted(
            self.skills.values(),
            key=lambda d: (not d.manual, not d.hot, -d.popularity, -d.occupations, d.id),
        )

    # -- relations ---------------------------------------------------------------------------

    def load_relations(self) -> None:
        for group in self.manual.get("related_groups", []) or []:
            w = float(group["weight"])
            ids = group["ids"]
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    for x, y in ((a, b), (b, a)):
                        if x not in self.skills:
                            raise BuildError(f"related group names unknown skill {x!r}")
                        cur = self.skills[x].related.get(y, 0.0)
                        self.skills[x].related[y] = max(cur, w)
        for child, parents in (self.manual.get("implications", {}) or {}).items():
            if child not in self.skills:
                raise BuildError(f"implications: unknown skill {child!r}")
            for pid, w in parents.items():
                self.skills[child].parents[pid] = float(w)
        # Symmetrize related links (max of both directions).
        for d in self.skills.values():
            for rid, w in list(d.related.items()):
                if rid not in self.skills:
                    raise BuildError(f"{d.id}: related names unknown skill {rid!r}")
                other = self.skills[rid]
                w2 = max(w, other.related.get(d.id, 0.0))
                d.related[rid] = w2
                other.related[d.id] = w2
        for d in self.skills.values():
            for pid in d.parents:
                if pid not in self.skills:
                    raise BuildError(f"{d.id}: parent names unknown skill {pid!r}")
            d.parents.pop(d.id, None)
            d.related.pop(d.id, None)

    # -- collisions and ambiguity ------------------------------------------------------------

    def resolve_collisions(self) -> None:
        priority = {d.id: i for i, d in enumerate(self._by_priority())}
        owner: dict[str, str] = {}
        for d in self.skills.values():  # names first: a name always keeps its key
            k = alias_key(d.name)
            if k in owner and owner[k] != d.id:
                raise BuildError(
                    f"canonical names collide: {d.id!r} and {owner[k]!r} ({d.name!r}); "
                    "merge them in manual.yaml"
                )
            owner[k] = d.id
        claims: dict[str, list[tuple[int, bool, str, str]]] = defaultdict(list)
        for d in self.skills.values():
            for a in d.aliases:
                k = alias_key(a)
                if owner.get(k, d.id) != d.id:
                    claims[k].append((-1, False, d.id, a))  # loses to a canonical name
                    if a in d.manual_aliases and self.skills[owner[k]].manual:
                        self.log(f"warning: manual alias {a!r} of {d.id} is the name of {owner[k]}")
                else:
                    claims[k].append((priority[d.id], a in d.manual_aliases, d.id, a))
        removed = 0
        manual_problems: list[str] = []
        for k, cs in sorted(claims.items()):
            if k in owner:
                winner = owner[k]
            else:
                manual_claims = [c for c in cs if c[1]]
                pool = manual_claims or cs
                winner = min(pool, key=lambda c: c[0])[2]
                manual_losers = {c[2] for c in manual_claims if c[2] != winner}
                if manual_losers:
                    manual_problems.append(
                        f"manual aliases collide on {k!r}: {sorted(manual_losers | {winner})}"
                    )
                    continue
            for _, _, sid, alias in cs:
                if sid != winner:
                    self.skills[sid].aliases.remove(alias)
                    removed += 1
                    self.log(f"collision: {alias!r} kept for {winner}, removed from {sid}")
        if manual_problems:
            raise BuildError("; ".join(manual_problems))
        self.log(f"collisions: {removed} aliases removed")

    def apply_ambiguity(self) -> None:
        defaults = self.manual.get("ambiguity_defaults", {}) or {}
        for d in self.skills.values():
            # Keep one spelling per normalized surface (case variants only where case matters).
            amb = d.ambiguity
            auto_forms = []
            for f in d.forms():
                k = alias_key(f)
                if single_token(f) and (k in self.common or len(k) == 1):
                    auto_forms.append(f)
            if amb is None and not auto_forms:
                continue
            if amb is None:
                amb = {"case_sensitive": True, "needs_context": True}
                self.log(f"ambiguity (auto): {d.id} {auto_forms}")
            explicit = amb.pop("explicit", False)
            applies = list(amb.get("applies_to", []) or [])
            if not applies and not explicit:
                applies = auto_forms
            elif not applies and explicit:
                # explicit rules without applies_to: the one-word forms, or everything
                one_word = [f for f in d.forms() if single_token(f)]
                applies = auto_forms or one_word
            else:
                applies = dedupe(applies + [f for f in auto_forms if f not in applies])
            for f in applies:
                if alias_key(f) not in {alias_key(x) for x in d.forms()}:
                    raise BuildError(f"{d.id}: ambiguity.applies_to {f!r} is not a form of it")
            out = {
                "case_sensitive": bool(amb.get("case_sensitive", defaults.get("case_sensitive", False))),
                "needs_context": bool(amb.get("needs_context", defaults.get("needs_context", False))),
                "qualifiers": list(amb.get("qualifiers", []) or []),
                "reject_before": list(amb.get("reject_before", []) or []),
                "reject_after": list(amb.get("reject_after", []) or []),
                "applies_to": applies,
            }
            d.ambiguity = out

    # -- output ------------------------------------------------------------------------------

    def finalize(self) -> dict[str, Any]:
        skills_out = []
        for d in sorted(self.skills.values(), key=lambda d: d.id):
            if d.category not in self.manual["categories"]:
                raise BuildError(f"{d.id}: unknown category {d.category!r}")
            aliases = self._final_aliases(d)
            skills_out.append(
                {
                    "id": d.id,
                    "name": d.name,
                    "category": d.category,
                    "aliases": aliases,
                    "parents": [
                        {"id": k, "weight": round(v, 3)} for k, v in sorted(d.parents.items())
                    ],
                    "related": [
                        {"id": k, "weight": round(v, 3)} for k, v in sorted(d.related.items())
                    ],
                    "hot": d.hot,
                    "sources": self._sorted_sources(d.sources),
                    "ambiguity": d.ambiguity,
                }
            )
        return {
            "schema_version": SCHEMA_VERSION,
            "version": str(self.manual["version"]),
            "attribution": list(self.manual["attribution"]),
            "categories": dict(self.manual["categories"]),
            "skills": skills_out,
        }

    def _final_aliases(self, d: Draft) -> list[str]:
        """Drop aliases that repeat the name or another alias after normalize-casefold, unless
        case matters for that form (ambiguous case-sensitive forms keep their spelling)."""
        from matcher.taxonomy import normalize_surface

        keep_case = set()
        if d.ambiguity and d.ambiguity.get("case_sensitive"):
            keep_case = set(d.ambiguity.get("applies_to") or [])
        seen = {normalize_surface(d.name)}
        out = []
        for a in d.aliases:
            n = normalize_surface(a)
            if a in keep_case or a in d.manual_aliases:
                if a not in out and a != d.name:
                    out.append(a)
                seen.add(n)
                continue
            if n in seen:
                continue
            seen.add(n)
            out.append(a)
        return out

    @staticmethod
    def _sorted_sources(sources: list[str]) -> list[str]:
        order = {"onet": 0, "so": 1, "manual": 2}
        return sorted(dedupe(sources), key=lambda s: (order.get(s.split(":")[0], 3), s))

    def build(self) -> dict[str, Any]:
        tags, synonyms = read_so(self.data)
        self.load_manual()
        self.load_onet(tags)
        self.load_relations()
        self.load_so(tags, synonyms)
        self.resolve_collisions()
        self.apply_ambiguity()
        out = self.finalize()
        # Validate with the engine's own loader before writing anything.
        parse_taxonomy(json.dumps(out), source="<build>")
        return out


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m taxonomies.build", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="source data dir (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output file (default: %(default)s)")
    ap.add_argument("--manual", type=Path, default=MANUAL, help="hand-written entries (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the output differs")
    ap.add_argument("--allow-removals", action="store_true", help="allow ids of the previous file to disappear")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the build report")
    args = ap.parse_args(argv)

    missing = [str(args.data / rel) for rel in INPUTS if not (args.data / rel).exists()]
    if not missing and not any((args.data / DOTIN).glob("*.xml")):
        missing.append(str(args.data / DOTIN / "*.xml"))
    if missing:  # a partial data dir would silently give a different taxonomy
        print(f"error: missing inputs under {args.data}: {', '.join(missing)}", file=sys.stderr)
        return 2
    builder = Builder(args.data, args.manual, verbose=args.verbose)
    try:
        data = builder.build()
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = dump(data)
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    if previous is not None:
        old_ids = {s["id"] for s in json.loads(previous).get("skills", [])}
        gone = sorted(old_ids - {s["id"] for s in data["skills"]})
        if gone and not args.allow_removals:
            print(
                f"error: {len(gone)} skill ids would disappear (ids are referenced by stored "
                f"scores): {', '.join(gone[:20])}{' ...' if len(gone) > 20 else ''}; "
                "keep them (e.g. as aliases of a manual entry) or pass --allow-removals",
                file=sys.stderr,
            )
            return 1
    n_alias = sum(len(s["aliases"]) for s in data["skills"])
    n_amb = sum(1 for s in data["skills"] if s["ambiguity"])
    summary = (
        f"{len(data['skills'])} skills, {n_alias} aliases, {len(data['categories'])} categories, "
        f"{n_amb} ambiguous, {sum(1 for s in data['skills'] if s['hot'])} hot"
    )
    if args.check:
        if previous != text:
            print(f"{args.out} is out of date ({summary})", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({summary})")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
