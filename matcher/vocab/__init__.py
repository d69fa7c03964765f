"""Language data, kept apart from the code that reads it (the way spaCy keeps ``spacy/lang/en/``):
cue phrases, headings and word lists, defined once and imported wherever a rule needs them."""
