"""OpenAPI request-body documentation shared by the routes that take a file or JSON."""

from __future__ import annotations

RESUME_TEXT_EXAMPLE = (
    "Jane Doe\nMachine Learning Engineer\n\nEXPERIENCE\nSenior ML Engineer - Acme\n2021-03 - Present\n"
    "- Built recommendation models in PyTorch, served on Kubernetes\n\nSKILLS\nPython, PyTorch, Docker, SQL\n"
)

JSON_RESUME_EXAMPLE = {
    "basics": {"name": "Jane Doe", "label": "ML Engineer"},
    "work": [{"name": "Acme", "position": "ML Engineer", "startDate": "2021-03-01",
              "highlights": ["Trained ranking models with PyTorch on Kubernetes"]}],
    "skills": [{"name": "ML", "keywords": ["Python", "PyTorch"]}],
}

ROLE_SPEC_EXAMPLE = {
    "title": "ML Engineer",
    "level": "senior",
    "min_years": 5,
    "requirements": [
        {"any_of": ["PyTorch", "TensorFlow"], "required": True},
        {"any_of": ["Kubernetes"], "required": True, "min_years": 2},
        {"any_of": ["JAX"], "required": False},
    ],
}


#: What a résumé upload may say besides the résumé itself, as a form field or a JSON key alike.
RESUME_FIELDS = {
    "name": {"type": "string"},
    "external_id": {"type": "string"},
    "as_of": {"type": "string", "format": "date"},
}


def resume_body(extra_fields: dict | None = None, json_extra: dict | None = None) -> dict:
    props = {
        "file": {"type": "string", "format": "binary", "description": "PDF, DOCX, text or Markdown résumé"},
        **RESUME_FIELDS,
        **(extra_fields or {}),
    }
    json_props = {
        "text": {"type": "string"},
        "resume": {"type": "object", "description": "JSON Resume document"},
        **RESUME_FIELDS,
        **(json_extra or {}),
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": props}},
                "application/json": {
                    "schema": {"type": "object", "properties": json_props},
                    "examples": {
                        "text": {"summary": "résumé text", "value": {"text": RESUME_TEXT_EXAMPLE, **_json_role(json_extra)}},
                        "json_resume": {"summary": "JSON Resume", "value": {"resume": JSON_RESUME_EXAMPLE, **_json_role(json_extra)}},
                    },
                },
            },
        }
    }


def _json_role(json_extra: dict | None) -> dict:
    return {"role_spec": ROLE_SPEC_EXAMPLE} if json_extra and "role_spec" in json_extra else {}


ROLE_INPUT_JSON = {
    "role_id": {"type": "string"},
    "role_spec": {"type": "object", "description": "A role spec (see POST /v1/roles)"},
    "job_text": {"type": "string", "description": "A job description: text or Markdown, with or without line "
                 "breaks; HTML (also entity-escaped) is detected"},
    "job_html": {"type": "string", "description": "A job description as HTML"},
    "job": {"type": "object", "description": "An ATS job object (Greenhouse, Lever, USAJOBS, or {title, description})"},
}
ROLE_INPUT_FORM = {
    "role_id": {"type": "string"},
    "role_spec": {"type": "string", "description": "A role spec as JSON or YAML"},
    "job_text": {"type": "string"},
    "job_html": {"type": "string"},
    "job": {"type": "string", "description": "An ATS job object as JSON"},
    "job_file": {"type": "string", "format": "binary",
                 "description": "A job description file (PDF, DOCX, text, HTML, or an ATS job object as .json)"},
}
