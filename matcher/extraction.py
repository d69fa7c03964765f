"""Document -> skill mentions, with evidence spans, context and modality.

Steps, all driven by taxonomy data (``Skill.aliases``, ``Skill.ambiguity``):

1. A spaCy ``PhraseMatcher`` (attr ``LOWER``) over every name and alias of the taxonomy, plus
   spacing/hyphen variants ("Tensor RT" / "TensorRT" / "Tensor-RT"); longest match wins, so
   "JAX-WS" is JAX-WS and never JAX, "TensorRT-LLM" is not TensorRT.
2. Ambiguous names (Go, R, C, Spark, Beam, Ray, Airflow, Docker, Flask ...) must earn their place
   with evidence: exact capitalization when the taxonomy asks for it, no rejecting neighbour
   ("beam search", "spark ignition", "go-to"), and, when ``needs_context``, a confirming qualifier
   ("Apache Spark"), a skills section / keyword list, or another unambiguous skill nearby.
3. Modality: a clause that denies ("I have not used", "no prior ... experience") or only wishes
   ("currently learning", "want to learn") turns the mention into ``negated``/``aspiration``:
   recorded, never evidence.
4. Each mention records its section, position and source (position / skills_list / project / text).
5. Names as written carry versions, editions, vendor prefixes and slash pairs: ``normalize_name``
   ("TFS 2012" -> TFS with version "2012", "C/C++" -> C and C++, "MS Excel" -> Excel, "SQL Server BI"
   -> SQL Server) and ``normalize_key`` (the key an unresolved name is grouped by) read them off;
   ``version_after`` finds the version written right after a matched name ("Python 3.11").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from .nlp import build_nlp
from .sections import position_at, section_at
from .text import HARD_BULLETS
from .taxonomy import alias_key
from .types import Document, Modality, Position, Section, SkillMention
from .vocab.names import EDITION_WORDS, SLASH_NAMES, VENDOR_PREFIXES, VERSION_WORDS

if TYPE_CHECKING:
    from .taxonomy import Ambiguity, Taxonomy

#: Sections whose lines are lists of skills rather than prose.
SKILL_LIST_SECTIONS = frozenset({"skills"})
#: Sections where a mention is only an interest, never evidence.
INTEREST_SECTIONS = frozenset({"interests"})

_KEYWORD_LINE = re.compile(  # used with .match(text, line_start): no "^"
    r"\W*(?:key\s*words?|keywords|technologies|technical skills|tech(?:nology)?\s*stack|stack|tools"
    r"|skills|languages|frameworks|libraries|platforms|software|environment|technical environment"
    r"|tools\s*(?:&|and)\s*technologies|operating\s+systems?|o/?s|databases?|rdbms|ides?|ide\s*/\s*tools"
    r"|(?:web|application|app)\s+servers?|version\s+control|source\s+control|(?:testing|test|automation)\s+tools"
    r"|(?:programming|scripting)(?:\s+languages)?|web\s+technologies|computer\s+skills|it\s+skills|packages"
    r"|utilities|frameworks?|technologies\s*/\s*(?:frameworks|frmwks)|social\s+media|reporting\s+tools"
    r"|bug\s+tracking(?:\s+tools)?|cloud(?:\s+platforms?)?|big\s+data(?:\s+ecosystem)?|etl\s+tools)\s*[:\-–|]",
    re.IGNORECASE,
)

# A clause ends at sentence punctuation, a semicolon, a bullet, a blank line or a new bulleted line
# (a plain line break inside a wrapped paragraph does not end it), or a contrast word.
_CLAUSE_BOUNDARY = re.compile(
    rf"[.!?](?=\s)|[;{HARD_BULLETS}]|\n[ \t]*\n|\n(?=[ \t]*[-*{HARD_BULLETS}])|(?<=[.!?:;])[ \t]*\n"
    r"|\b(?:but|however|although|though|whereas|while)\b",
    re.IGNORECASE,
)
_NEGATION_CUES = re.compile(
    r"\b(?:not|never|haven't|hasn't|didn't|don't|do not|have not|has not|did not)\b(?:\s+\w+){0,2}?\s+"
    r"(?:used|use|using|worked|work|touched|experience|experienced|familiar|exposure|knowledge)\b"
    r"|\bno\s+(?:prior|previous|professional|hands[- ]on|real|practical|production)?\s*"
    r"(?:experience|exposure|knowledge|background)\b"
    r"|\bno\s+(?:prior|previous|professional|hands[- ]on)\b"
    r"|\bunfamiliar\s+with\b|\bnot\s+(?:yet\s+)?familiar\b|\black(?:ing)?\s+(?:of\s+)?(?:experience|exposure)\b"
    r"|\bwithout\s+(?:any\s+)?(?:experience|exposure|knowledge)\b"
    r"|\bnot\s+yet\s*:|\bno\s+(?:exposure|experience)\s+(?:to|with)\b",
    re.IGNORECASE,
)
_ASPIRATION_CUES = re.compile(
    r"\b(?:currently|now|still|am|i'm|presently)\s+(?:learning|studying|exploring|picking up)\b"
    r"|\b(?:want|wants|wanting|would like|'d like|hope|hoping|plan|planning|aim|aiming|eager|keen"
    r"|looking|aspire|aspiring|intend|intending)\s+(?:to\s+)?(?:learn|study|explore|try|pick up"
    r"|gain|get|become|master|dive|work)\b"
    r"|\binterested\s+in\s+(?:learning|exploring|trying|studying)?"
    r"|\b(?:learning|to learn|wish ?list|goals?)\s*:"
    r"|\bto\s+gain\s+(?:exposure|experience)\b"
    r"|\b(?:hope|hoping|plan|planning|want|wanting|looking)\s+to\s+(?:move|transition|switch|pivot|grow)\s+(?:into|toward|towards|to)\b",
    re.IGNORECASE,
)
_AFTER_CUES = re.compile(  # used with .match(text, end): no "^"
    r"\s*[(\[]\s*(?:(?P<asp>currently\s+learning|learning|in progress|self[- ]study|beginner|planned)"
    r"|(?P<neg>not used|none|no experience|never used)|[^()\n]{0,40}\bplanning\s+to\s+(?P<asp2>start|learn|take))"
    r"|\s+(?:was|were|is|are|has been|have been)\s+(?P<neg2>not|never)\b",
    re.IGNORECASE,
)
# "teams of Go and Kubernetes engineers", "Python/PyTorch researchers", "Java and .NET contract
# roles": the skill describes other people (hires, reports, roles), not the candidate.
_OTHER_PEOPLE = re.compile(
    r"(?:\s*(?:,|/|and|&|or)\s*[\w.#+/-]+){0,4}\s+(?:[a-z-]+\s+)?"
    r"(?:engineers|developers|researchers|scientists|roles|candidates|hires|positions|talent|recruits|"
    r"contractors|specialists|consultants|openings|requisitions|reqs)\b"
)
_PAREN_AFTER = re.compile(r"\s*\(([^()\n]{1,30})\)")
#: Neighbours from these categories don't make a technical context for an ambiguous name
#: ("Airflow balancing reports in Microsoft Excel" is HVAC, not Apache Airflow).
WEAK_CONTEXT_CATEGORIES = frozenset({"office_productivity", "enterprise_apps", "project_management", "design_media"})
PROFICIENCY_WORDS = frozenset({
    "basic", "fluent", "native", "advanced", "intermediate", "expert", "beginner", "proficient",
    "conversational", "working", "professional", "good", "elementary", "bilingual",
})
_NAME_INTRO = frozenset({"to", "with", "by", "from", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "and"})
_WINDOW = 160
#: "Label: item, item, item" — a short label, a colon or dash, then at least three short items.
_LABELLED_LIST = re.compile(r"\W*[A-Za-z][\w &/().-]{0,30}?\s*[:–|-]\s*(?:[^,;:\n]{1,40}[,;|]\s*){2,}[^,;:\n]{1,40}$")
_LIST_GAP = re.compile(r"\s*(?:,|/|&|\band\b|,\s*and\b|-)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class SkillMatcher:
    """A taxonomy compiled for matching: the pipeline and its phrase matcher. Build once, reuse."""

    taxonomy: Taxonomy
    nlp: Language
    phrase_matcher: PhraseMatcher
    exact_forms: dict[str, frozenset[str]]  # skill id -> forms a case-sensitive match must equal


def _variants(form: str) -> set[str]:
    out = {form}
    if "-" in form:
        out |= {form.replace("-", " "), form.replace("-", "")}
    if " " in form and len(form.split()) <= 3:
        out |= {form.replace(" ", ""), form.replace(" ", "-")}
    return {v.strip() for v in out if v.strip()}


def build_skill_matcher(taxonomy: Taxonomy, nlp: Language | None = None) -> SkillMatcher:
    """Compile every surface form of ``taxonomy`` into a PhraseMatcher (about a second for the bundled one)."""
    nlp = nlp or build_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    forms_by_skill: dict[str, set[str]] = {}
    for form, skill_id in taxonomy.surface_forms():
        forms_by_skill.setdefault(skill_id, set()).add(form)
    seen: dict[str, str] = {}
    exact: dict[str, frozenset[str]] = {}
    for skill_id in sorted(forms_by_skill):
        forms = forms_by_skill[skill_id]
        # Case-sensitive skills accept their canonical name and their forms with capitals as written
        # ("Spark"), never an all-lowercase alias outside a list.
        exact[skill_id] = frozenset({f for f in forms if not f.islower()} | {taxonomy[skill_id].name})
        patterns: list[str] = []
        for form in sorted(forms):
            for variant in sorted(_variants(form)):
                key = variant.lower()
                if seen.setdefault(key, skill_id) != skill_id:
                    continue  # first claim wins; the loader already rejects true alias collisions
                patterns.append(variant)
        if patterns:
            matcher.add(skill_id, list(nlp.tokenizer.pipe(patterns)))
    return SkillMatcher(taxonomy=taxonomy, nlp=nlp, phrase_matcher=matcher, exact_forms=exact)


@dataclass(frozen=True)
class _Candidate:
    skill_id: str
    start_token: int
    end_token: int
    start: int
    end: int
    text: str


def _candidates(doc: Doc, sm: SkillMatcher) -> list[_Candidate]:
    """The phrase matcher's longest hits, computed once per Doc and matcher (kept in ``doc.user_data``
    so that the mention detector, running on the same Doc, does not match again)."""
    key = ("skillmatch.candidates", id(sm.phrase_matcher))
    cached = doc.user_data.get(key)
    if cached is None:
        cached = doc.user_data[key] = _match_candidates(doc, sm)
    return cached


def _match_candidates(doc: Doc, sm: SkillMatcher) -> list[_Candidate]:
    strings = sm.nlp.vocab.strings
    matches = sm.phrase_matcher(doc)
    if not matches:
        return []
    ids = {(s, e): strings[m] for m, s, e in matches}
    out = []
    for span in filter_spans([doc[s:e] for _, s, e in matches]):
        out.append(
            _Candidate(
                skill_id=ids[(span.start, span.end)],
                start_token=span.start,
                end_token=span.end,
                start=span.start_char,
                end=span.end_char,
                text=span.text,
            )
        )
    return out


@dataclass(frozen=True)
class PhraseHits:
    """The phrase matcher's hits in a Doc before the ambiguity rules: every hit's character
    ``spans`` (where the taxonomy has the last word) and the ``anchors``, start offsets of the
    unambiguous technical ones (context that a nearby name is technical)."""

    spans: tuple[tuple[int, int], ...]
    anchors: tuple[int, ...]


def phrase_hits(doc: Doc, sm: SkillMatcher) -> PhraseHits:
    cands = _candidates(doc, sm)
    ambs = [sm.taxonomy.ambiguity_for(c.skill_id, c.text) for c in cands]
    return PhraseHits(tuple((c.start, c.end) for c in cands), tuple(_anchors(cands, ambs, sm.taxonomy)))


def technical_context(text: str, start: int, end: int, section: str, anchors: Sequence[int]) -> bool:
    """Whether ``text[start:end]`` stands where tools are named: a skills section, a keyword line
    ("Environment: ..."), a line with another unambiguous technical skill on it, or a labelled list
    ("Social Media: LinkedIn, Facebook, Twitter")."""
    if section in SKILL_LIST_SECTIONS or _is_keyword_line(text, start):
        return True
    ls, le = _line_bounds(text, start, end)
    if any(ls <= a <= le and not (start <= a < end) for a in anchors):
        return True
    return bool(_LABELLED_LIST.match(text, ls, le))


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, (len(text) if le < 0 else le)


def modality_at(text: str, start: int, end: int, section: str) -> Modality:
    """How the name at ``text[start:end]`` is meant: asserted, negated ("I have not used"),
    or aspiration ("currently learning", an interests section)."""
    if section in INTEREST_SECTIONS:
        return "aspiration"
    lo = max(0, start - _WINDOW)
    before = text[lo:start]
    cut = 0
    for m in _CLAUSE_BOUNDARY.finditer(before):
        cut = m.end()
    clause = before[cut:]
    # A line like "Learning: JAX" puts the cue before a colon on the same line: look at the line too.
    ls = text.rfind("\n", 0, start) + 1
    line_head = text[ls:start] if start - ls < _WINDOW else ""
    if _NEGATION_CUES.search(clause):
        return "negated"
    if _ASPIRATION_CUES.search(clause) or (_ASPIRATION_CUES.search(line_head) and ":" in line_head):
        return "aspiration"
    after = _AFTER_CUES.match(text, end, min(len(text), end + 40))
    if after:
        return "aspiration" if (after.group("asp") or after.group("asp2")) else "negated"
    return "asserted"


def _about_others(text: str, end: int) -> bool:
    return bool(_OTHER_PEOPLE.match(text, end, min(len(text), end + 80)))


def _acronym_definition(text: str, start: int, end: int) -> bool:
    """"statistical analysis plan (SAP)": the parenthesised letters spell the words before them."""
    if start == 0 or text[start - 1] != "(" or text[end : end + 1] != ")":
        return False
    letters = text[start:end]
    if not (letters.isupper() and 2 <= len(letters) <= 6):
        return False
    words = re.findall(r"[A-Za-z][\w-]*", text[max(0, start - 80) : start - 1])
    initials = "".join(w[0] for w in words[-len(letters) :]).upper()
    return initials == letters


#: Longer "lines" are flattened paragraphs (some exports lose their line breaks), not a name,
#: contact or school line.
PERSONAL_LINE_MAX = 200
_SCHOOL = re.compile(
    r"\b(?:university|college|institute|academy|school|polytechnic|universidad|universit[éeà]|hochschule|iit|mit)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"@|https?://|www\.|linkedin|github\.com|\+?\d[\d ().-]{7,}\d|\b\d{1,5}\s+\w+\s+(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|blvd|way)\b"
    r"|\b[A-Z]{2}\s+\d{5}\b|\b(?:date of birth|born|nationality|citizen|pronouns|address)\b",
    re.IGNORECASE,
)


def _personal_line(text: str, start: int, sections: Sequence[Section]) -> bool:
    """Name and contact lines at the top (the first line, and header lines with an e-mail, phone,
    URL, street address or personal detail) are about the person, never skills: "Ray Kotlin",
    "12 Swift Street, Scala Heights" must not move a score."""
    if sections and sections[0].kind == "header" and start >= sections[0].end:
        return False
    ls, le = _line_bounds(text, start, start)
    line = text[ls:le].strip()
    if not text[:ls].strip() and "\n" in text.strip():
        words = line.split()
        if 1 < len(words) <= 5 and all(w[:1].isupper() for w in words) and not any(c in line for c in ",:;|") \
                and not line.endswith("."):
            return True  # the first line, shaped like a name: "Ray Kotlin", "DAVID A. KESSLER"
    return le - ls <= PERSONAL_LINE_MAX and bool(_CONTACT.search(text, ls, le))


def excluded_context(text: str, start: int, end: int, section: str, sections: Sequence[Section]) -> bool:
    """Whether a name at ``text[start:end]`` is about the person, not a skill: an acronym's
    definition ("statistical analysis plan (SAP)"), a name or contact line of the header, a
    school's name in education ("Julia Academy of Rust")."""
    if _acronym_definition(text, start, end) or (section == "header" and _personal_line(text, start, sections)):
        return True
    lb = _line_bounds(text, start, end)
    return section == "education" and lb[1] - lb[0] <= PERSONAL_LINE_MAX and bool(_SCHOOL.search(text, *lb))


def _is_keyword_line(text: str, start: int) -> bool:
    ls = text.rfind("\n", 0, start) + 1
    return bool(_KEYWORD_LINE.match(text, ls, min(len(text), ls + 60)))


def _ambiguity_ok(
    cand: _Candidate,
    amb: Ambiguity | None,
    doc: Doc,
    text: str,
    list_context: bool,
    anchors: Sequence[int],
    exact_forms: frozenset[str],
    covered: frozenset[int] = frozenset(),
    relax_case: bool | None = None,
    peers: Sequence[tuple[int, int]] = (),
    confirmed: bool = False,
) -> bool:
    """Whether an ambiguous name earned its place. ``list_context``: the line is a list of skills
    or a requirement, which is technical context; ``relax_case`` (default: same as list_context)
    lets "airflow" stand for "Airflow" in a résumé's skills list; ``peers``: spans of unambiguous
    tools of the candidate's own weak category (office, enterprise ...), context when listed beside it;
    ``confirmed``: the same name, written the same way, earned its place elsewhere in the document
    (one sense per document: "dbt" in the skills list makes "Own the dbt project" the tool too)."""
    if amb is None:
        return True
    prev_tok = doc[cand.start_token - 1] if cand.start_token > 0 else None
    next_tok = doc[cand.end_token] if cand.end_token < len(doc) else None
    prev_low = prev_tok.lower_ if prev_tok is not None else ""
    next_low = next_tok.lower_ if next_tok is not None else ""
    if relax_case is None:
        relax_case = list_context
    if cand.text.islower() and cand.text in PROFICIENCY_WORDS:
        return False  # "English (fluent)", "Python (basic)": a level, not BASIC or ANSYS Fluent
    if amb.case_sensitive and not relax_case and cand.text not in exact_forms:
        return False
    if prev_low in amb.reject_before or next_low in amb.reject_after:
        return False
    # Hyphenated compounds of an ordinary word: "go-to", "spark-ignited", "three-beam".
    if next_tok is not None and next_tok.text in {"-", "–"} and next_tok.whitespace_ == "" and not cand.text[-1:].isspace():
        if cand.end_token + 1 < len(doc) and doc[cand.end_token + 1].is_alpha and doc[cand.end_token].idx == cand.end:
            return False
    if prev_tok is not None and prev_tok.text in {"-", "–"} and prev_tok.idx + 1 == cand.start and cand.start_token >= 2:
        if doc[cand.start_token - 2].is_alpha and doc[cand.start_token - 2].whitespace_ == "":
            return False
    # Person names and proper nouns: "reported to Ray Chen", "designer Ray Donovan", "the Snowflake Gala".
    if next_tok is not None and next_tok.is_title and next_tok.is_alpha and not list_context:
        if prev_low in _NAME_INTRO or (amb.case_sensitive and next_tok.i not in covered):
            return False
    # "Go/No-Go": glued by a slash to a word that is no skill.
    if next_tok is not None and next_tok.text == "/" and next_tok.whitespace_ == "" and cand.end_token + 1 < len(doc):
        if doc[cand.end_token + 1].i not in covered and doc[cand.end_token + 1].is_alpha:
            return False
    first = doc[cand.start_token]
    if prev_low in amb.qualifiers or first.lower_ in amb.qualifiers:
        return True  # "Apache Spark", "apache Beam"
    if cand.end_token - cand.start_token > 1 and sum(t.is_alpha for t in doc[cand.start_token : cand.end_token]) > 1:
        return True  # a multi-word name ("Spark Streaming", "Ray Serve") is no ordinary word
    if not amb.needs_context:
        return True
    if list_context or confirmed:
        return True
    # Another unambiguous technical skill on the same line is context.
    ls, le = _line_bounds(text, cand.start, cand.end)
    return any(ls <= a <= le and not (cand.start <= a < cand.end) for a in anchors) or _listed_with(cand, text, peers)


def _listed_with(cand: _Candidate, text: str, peers: Sequence[tuple[int, int]]) -> bool:
    """"Microsoft Word, Excel, and PowerPoint": an office tool written bare, in a list right beside an
    unambiguous tool of the same kind, is that tool (the list is the context)."""
    for s, e in peers:
        if e <= cand.start and _LIST_GAP.fullmatch(text, e, cand.start):
            return True
        if s >= cand.end and _LIST_GAP.fullmatch(text, cand.end, s):
            return True
    return False


def _qualified(cand: _Candidate, text: str, taxonomy: Taxonomy) -> str:
    """"Triton (OpenAI)" is OpenAI Triton: a parenthesised qualifier that names another skill."""
    m = _PAREN_AFTER.match(text, cand.end)
    if m:
        inner = m.group(1).strip()
        for form in (f"{inner} {cand.text}", f"{cand.text} {inner}"):
            other = taxonomy.resolve(form)
            if other is not None and other.id != cand.skill_id and cand.text.lower() in other.name.lower().split():
                return other.id
    return cand.skill_id


def _anchors(cands: Sequence[_Candidate], ambs: Sequence[Ambiguity | None], taxonomy: Taxonomy) -> list[int]:
    """Offsets of unambiguous, technical mentions: the context an ambiguous name can lean on."""
    return [
        c.start for c, a in zip(cands, ambs)
        if a is None and taxonomy[c.skill_id].category not in WEAK_CONTEXT_CATEGORIES
    ]


def match_skills(
    text: str, sm: SkillMatcher, *, list_context: bool = False, relax_case: bool | None = None
) -> list[tuple[str, int, int, str]]:
    """Plain matching for short texts (hidden text, job description lines): ``(id, start, end, surface)``.

    Ambiguity rules apply; no sections, positions or modality. A job's requirement line is
    technical context (``list_context=True``) but keeps case rules (``relax_case=False``).
    """
    doc = sm.nlp.make_doc(text)
    cands = _candidates(doc, sm)
    ambs = [sm.taxonomy.ambiguity_for(c.skill_id, c.text) for c in cands]
    anchors = _anchors(cands, ambs, sm.taxonomy)
    covered = frozenset(i for c in cands for i in range(c.start_token, c.end_token))
    out = []
    for c, amb in zip(cands, ambs):
        if _ambiguity_ok(
            c, amb, doc, text, list_context, anchors, sm.exact_forms.get(c.skill_id, frozenset()), covered, relax_case
        ):
            out.append((c.skill_id, c.start, c.end, c.text))
    return out


def extract_mentions(
    document: Document,
    sections: Sequence[Section],
    positions: Sequence[Position],
    sm: SkillMatcher,
    *,
    doc: Doc | None = None,
) -> tuple[SkillMention, ...]:
    """Every skill mention in ``document.text`` (asserted, negated or aspirational), in text order."""
    text = document.text
    doc = doc if doc is not None else sm.nlp.make_doc(text)
    cands = _candidates(doc, sm)
    taxonomy = sm.taxonomy
    ambs = [taxonomy.ambiguity_for(c.skill_id, c.text) for c in cands]
    anchors = _anchors(cands, ambs, sm.taxonomy)
    covered = frozenset(i for c in cands for i in range(c.start_token, c.end_token))
    weak: dict[str, list[tuple[int, int]]] = {}
    for c, a in zip(cands, ambs):
        if a is None and (cat := taxonomy[c.skill_id].category) in WEAK_CONTEXT_CATEGORIES:
            weak.setdefault(cat, []).append((c.start, c.end))
    where = [_where(text, c, sections, positions) for c in cands]

    def ok(c: _Candidate, amb: Ambiguity | None, list_context: bool, confirmed: bool = False) -> bool:
        peers = weak.get(taxonomy[c.skill_id].category, ()) if amb is not None else ()
        return _ambiguity_ok(c, amb, doc, text, list_context, anchors, sm.exact_forms.get(c.skill_id, frozenset()),
                             covered, peers=peers, confirmed=confirmed)

    first = [ok(c, amb, w[3]) for c, amb, w in zip(cands, ambs, where)]
    sure = {(c.skill_id, c.text) for c, amb, good in zip(cands, ambs, first) if good and amb is not None}
    mentions: list[SkillMention] = []
    for c, amb, good, (sec, kind, pos, list_context) in zip(cands, ambs, first, where):
        if not good and not ((c.skill_id, c.text) in sure and ok(c, amb, list_context, confirmed=True)):
            continue
        if excluded_context(text, c.start, c.end, kind, sections):
            continue
        skill_id = _qualified(c, text, taxonomy)
        if pos is not None:
            source = "position"
        elif list_context:
            source = "skills_list"
        elif kind == "projects":
            source = "project"
        else:
            source = "text"
        modality = modality_at(text, c.start, c.end, kind)
        if modality == "asserted" and _about_others(text, c.end):
            modality = "other"
        mentions.append(
            SkillMention(
                skill_id=skill_id,
                text=c.text,
                start=c.start,
                end=c.end,
                section=kind,
                position=pos.index if pos is not None else None,
                source=source,
                modality=modality,
                version=version_after(text, c.end) or split_version(c.text)[1],
            )
        )
    return tuple(mentions)


def _where(text: str, c: _Candidate, sections: Sequence[Section], positions: Sequence[Position]):
    """(section, its kind, the position, whether the line is a list of skills) at a candidate."""
    sec = section_at(sections, c.start)
    kind = sec.kind if sec is not None else "header"
    return sec, kind, position_at(positions, c.start), kind in SKILL_LIST_SECTIONS or _is_keyword_line(text, c.start)


def skills_in_texts(texts: Iterable[str], sm: SkillMatcher) -> list[str]:
    """Distinct skill ids found in ``texts`` (used for hidden text), in first-seen order."""
    seen: dict[str, None] = {}
    for t in texts:
        for skill_id, *_ in match_skills(t, sm, list_context=True):
            seen.setdefault(skill_id, None)
    return list(seen)


# --------------------------------------------------------------------------------------------
# Names as written: versions, editions, vendor prefixes, slash pairs

_VERSION_TOKEN = (
    r"(?:v(?:er(?:sion)?)?\.?\s?)?(?:\d+(?:\.\d+)*(?:\.?x|[a-z](?![a-z]))?|\.x|"
    + "|".join(sorted((re.escape(w) for w in VERSION_WORDS), key=len, reverse=True))
    + ")"
)
#: A trailing version: "2012", "3.11", "11g", "4x", "10.x", "XP", "95/98/NT/2000/XP", "2007, XP, 8".
_TRAILING_VERSION = re.compile(
    rf"[\s\-(]+(?P<v>{_VERSION_TOKEN}(?:\s*(?:/|,|and|&)\s*{_VERSION_TOKEN})*)\)?\s*$", re.IGNORECASE
)
_TRAILING_PAREN = re.compile(r"\s*\(([^()]{1,40})\)\s*$")
_PAREN_VERSION = re.compile(
    rf"(?:version\s+)?(?P<v>{_VERSION_TOKEN}(?:\s*(?:/|,|and|&)\s*{_VERSION_TOKEN})*)(?:\s+versions?)?", re.IGNORECASE
)
_GLUED_VERSION = re.compile(r"(?<=[a-z])(?P<v>\d+(?:\.\d+)+)$", re.IGNORECASE)  # "Logix1000" stays, "Java1.8" splits
#: A version written right after a matched name ("Python 3.11", "TFS 2012", "Java 8"), not a
#: duration ("Python 3 years"), a count or a date range ("Java 2019 - 2021").
_VERSION_AFTER = re.compile(
    r"[ \t]*(?P<v>(?:v(?:er(?:sion)?)?\.?\s?)?\d+(?:\.\d+)*(?:\.?x|[a-z](?![a-z]))?)(?![\w+%]|\.\w)"
    r"(?![ \t]*(?:\+|years?|yrs?|months?|mos?|hours?|days?|weeks?|%|[-–—][ \t]*\d|to[ \t]+\d|\)?[ \t]*(?:years?|yrs?)))",
    re.IGNORECASE,
)
_OUTER = " \t\n\r,;:.()[]{}\"'•*-–—|"


@dataclass(frozen=True)
class NormalizedName:
    """One tool named in a surface form: its ``name`` as written without version, edition or
    slash partner, the ``key`` it is grouped by (``normalize_key``), and the ``version`` and
    ``edition`` read off it (None when absent)."""

    name: str
    key: str
    version: str | None = None
    edition: str | None = None


def split_version(surface: str) -> tuple[str, str | None]:
    """``"TFS 2012" -> ("TFS", "2012")``, ``"Windows 95/98/NT" -> ("Windows", "95/98/NT")``,
    ``"Oracle 11g" -> ("Oracle", "11g")``, ``"WebLogic (11g and 12c Version)" -> ("WebLogic", "11g and
    12c")``; a trailing parenthesis that is no version is dropped ("C++ (MFC)" -> "C++"); a name that
    is only a version stays whole ("365")."""
    text = " ".join(surface.split()).strip(_OUTER.replace(")", ""))
    paren = _TRAILING_PAREN.search(text)
    if paren and text[: paren.start()].strip(_OUTER):
        inner = _PAREN_VERSION.fullmatch(paren.group(1).strip())
        return text[: paren.start()].strip(_OUTER), (inner.group("v") if inner else None)
    text = text.strip(_OUTER)
    m = _TRAILING_VERSION.search(text)
    if m and text[: m.start()].strip(_OUTER):
        return text[: m.start()].strip(_OUTER), m.group("v")
    g = _GLUED_VERSION.search(text)
    if g and text[: g.start()].strip(_OUTER):
        return text[: g.start()], g.group("v")
    return text, None


def _without_vendor(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[0].lower() in VENDOR_PREFIXES:
        return " ".join(words[1:])
    return name


def normalize_key(surface: str) -> str:
    """The key a name is grouped by when the taxonomy does not know it: lower case, without
    version, vendor prefix, spaces, hyphens or dots (``taxonomy.alias_key``):
    ``"MS Visio 2010" -> "visio"``, ``"Win Runner 7.6" -> "winrunner"``, ``"jboss 7.1" -> "jboss"``."""
    name, _version = split_version(surface)
    return alias_key(_without_vendor(name)) or alias_key(name)


def _slash_parts(name: str) -> list[str]:
    if "/" not in name or alias_key(name).replace(" ", "") in SLASH_NAMES or name.lower() in SLASH_NAMES:
        return [name]
    words = name.split()
    # "Oracle PL/SQL", "SAP FI/CO": the slash is inside the last word; split only when the parts
    # are names on their own ("C/C++", "HTML/CSS", "Java/J2EE").
    parts = [p.strip() for p in name.split("/")]
    if len(words) > 1 and "/" in words[-1] and words[-1].lower() in SLASH_NAMES:
        return [name]
    return [p for p in parts if p and any(c.isalnum() for c in p)]


def normalize_name(surface: str, taxonomy: Taxonomy | None = None) -> tuple[NormalizedName, ...]:
    """The tools a surface form names, in order. With a ``taxonomy``, a form it resolves stays whole
    ("PL/SQL", "SAP FI/CO", "A/B testing") and an edition word is dropped only when what remains
    resolves ("SQL Server BI" -> SQL Server; "Power BI" stays Power BI)."""
    name, version = split_version(surface)
    if not name:
        return ()
    if taxonomy is not None and taxonomy.resolve(name) is not None:
        parts = [name]
    else:
        parts = _slash_parts(name)
    out = []
    for part in parts:
        part_name, part_version = split_version(part) if len(parts) > 1 else (part, None)
        edition = None
        words = part_name.split()
        if taxonomy is not None and len(words) > 1 and words[-1].lower() in EDITION_WORDS \
                and taxonomy.resolve(part_name) is None and taxonomy.resolve(" ".join(words[:-1])) is not None:
            part_name, edition = " ".join(words[:-1]), words[-1]
        out.append(NormalizedName(part_name, normalize_key(part_name), version or part_version, edition))
    return tuple(out)


def resolve_name(surface: str, taxonomy: Taxonomy) -> tuple[str | None, ...]:
    """The taxonomy skill id of each tool ``normalize_name`` reads in ``surface`` (None where the
    taxonomy knows none): the whole form first ("Java 8" is an alias), then the name without its
    version, edition or vendor prefix."""
    whole = taxonomy.resolve(surface.strip(_OUTER))
    if whole is not None:
        return (whole.id,)
    paren = _TRAILING_PAREN.search(surface)
    if paren is not None and not _PAREN_VERSION.fullmatch(paren.group(1).strip()):
        inner = taxonomy.resolve(paren.group(1).strip(_OUTER))  # "Oracle Data Integrator (ODI)"
        if inner is not None and taxonomy.resolve(surface[: paren.start()].strip(_OUTER)) is None:
            return (inner.id,)
    out: list[str | None] = []
    for n in normalize_name(surface, taxonomy):
        skill = taxonomy.resolve(n.name) or taxonomy.resolve(_without_vendor(n.name))
        out.append(skill.id if skill is not None else None)
    return tuple(out)


def version_after(text: str, end: int) -> str | None:
    """The version written right after a name that ends at ``end`` ("Python 3.11" -> "3.11",
    "TFS 2012" -> "2012", "Java 8" -> "8"), or None ("Python 3 years", "Java 2019 - 2021")."""
    m = _VERSION_AFTER.match(text, end, min(len(text), end + 24))
    if m is None or (m.start("v") == end and text[end - 1 : end].isalpha() and not text[end:end + 1].isdigit()):
        return None
    return m.group("v")
