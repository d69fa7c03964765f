"""The spaCy pipeline: a blank English pipeline whose tokenizer keeps tech tokens whole.

No model is downloaded or loaded: ``spacy.blank("en")`` plus tokenizer rules. The same tokenizer
tokenizes the taxonomy's patterns and the résumé text, so a pattern matches whenever the text is
tokenized the same way, whatever the rules are; the rules below only make the splits sensible:

- ``C++/CUDA`` -> ``C++`` ``/`` ``CUDA``; ``PyTorch/TensorFlow`` -> three tokens
- ``C#``, ``F#``, ``.NET``, ``Node.js``, ``ASP.NET`` stay one token
- ``k8s,`` -> ``k8s`` ``,``; bullets glued to a word (``•Kubernetes``) are split off
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex

from .text import TOKEN_PREFIX_BULLETS


#: Tokens that must survive as one token in any capitalization.
_SPECIAL = ["C#", "F#", "J#", "C++", "A#", ".NET", "ASP.NET", "VB.NET", "ADO.NET", "Objective-C"]


def build_nlp() -> Language:
    """A blank English pipeline with a tech-aware tokenizer (no model; well under a second)."""
    nlp = spacy.blank("en")
    # No parser or NER runs, so spaCy's 1M-character guard (memory of those components) does not
    # apply; documents are bounded by ReadLimits.max_chars instead.
    nlp.max_length = 10**8
    prefixes = list(nlp.Defaults.prefixes) + [rf"\{b}" if b in "*+?." else b for b in TOKEN_PREFIX_BULLETS]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    infixes = list(nlp.Defaults.infixes) + [
        r"(?<=[+#])/(?=[.\w])",  # C++/CUDA, C#/.NET
        r"(?<=\w)/(?=[.\w])",  # PyTorch/TensorFlow, Java/.NET
        r"(?<=[a-z])\|(?=[A-Za-z])",
    ]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for special in _SPECIAL:
        for form in {special, special.lower(), special.upper()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    return nlp
