"""What the JSON API and the web pages do, one module a use case; routes and pages only adapt
HTTP (or HTML) to these functions.

    inputs.py       read a request: a résumé, a role, a match or a batch (limits, label cleaning)
    parsing.py      parse in the worker processes (résumé -> profile, job description -> role)
    candidates.py   a candidate or 404, views, store an upload, the scored profile, corrections
    roles.py        a role or 404, views, create from any input, save a spec (API PUT and the editor)
    ranking.py      fit reports; the ranking with its cached, vectorized scores; the whole ranking
    matching.py     stateless match of one or many résumés against one role
    idempotency.py  Idempotency-Key: replay a stored response, or create once and store it
"""
