"""Vocabulary of job descriptions: the cue phrases that open a section (required, preferred, or
noise such as responsibilities and benefits), the phrases that make one requirement preferred, and
the words that start a requirement when a list has lost its line breaks.

Each entry is a regular-expression fragment matched case-insensitively at word boundaries; longer
phrases come first where one phrase starts another. ``roles.py`` (headings of line-structured text)
and ``job_structure.py`` (section cues found inside one-paragraph text) both read these tables.
"""

from __future__ import annotations

#: A heading or inline cue that opens the must-have requirements.
REQUIRED_CUES: tuple[str, ...] = (
    r"minimum required skills", r"minimum (?:required )?qualifications?", r"basic qualifications?",
    r"required qualifications?", r"required skills?(?: (?:&|and) (?:qualifications|experience))?",
    r"skills required(?: for (?:the|this) (?:position|role|job))?", r"required experience", r"experience required",
    r"job requirements", r"essential (?:skills|requirements|criteria|qualifications)", r"key skills",
    r"technical skills", r"knowledge,? skills,? (?:and|&) abilities", r"skills?\s*(?:&|and)\s*(?:qualifications|experience)",
    r"must[- ]haves?", r"requirements?", r"qualifications?", r"what we(?:'|’)?re looking for",
    r"what you(?:'|’)?ll need", r"what you need(?: to succeed)?", r"what you(?:'|’)?ll bring", r"what you bring",
    r"experience we need", r"you should have", r"you have", r"you bring", r"about you", r"who you are",
    r"your profile", r"your background", r"we(?:'|’)?re looking for", r"ideal candidate", r"skills", r"required",
    r"we(?:'|’)?ll evaluate you(?: based)? on", r"how we(?:'|’)?ll evaluate you", r"evaluation criteria",
    r"what we(?:'|’)?re evaluating", r"you(?:'|’)?ll be evaluated on", r"selection criteria",
    r"you(?:'|’)?re an? (?:excellent|great|good|ideal|strong) (?:candidate|fit) if(?: you(?:'|’)?re| you are| you have)?",
    r"you are an? (?:excellent|great|good|ideal|strong) (?:candidate|fit) if(?: you(?:'|’)?re| you are| you have)?",
    r"you(?:'|’)?(?:ll|d) be a (?:great|good|strong) fit if(?: you(?:'|’)?re| you are| you have)?",
    r"you (?:might|may) be a (?:great|good) fit if(?: you(?:'|’)?re| you are| you have)?", r"ideal candidates?",
    r"an? (?:excellent|ideal|great|strong|successful|good) candidate (?:will|would|should) (?:be|have)",
    r"we(?:'|’)?re interested in (?:people|candidates|someone|applicants) who", r"we(?:'|’)?d love to hear from you if",
    r"you(?:'|’)?ll thrive (?:here )?if", r"you(?:'|’)?ll succeed (?:here )?if", r"to succeed in this role",
    r"what it takes", r"what you(?:'|’)?ll need to (?:succeed|be successful)",
    r"(?:all )?(?:candidates|applicants) will be (?:evaluated|assessed) (?:based )?on(?: their experiences?)?",
    r"specialized experience(?: requirements?)?",
)

#: Noise cues that count only as a whole heading or a clause before a colon ("You will:"), never
#: inside running text, where they are ordinary words ("You will join a team ...").
NOISE_HEADINGS_ONLY: tuple[str, ...] = (
    r"you will", r"you(?:'|’)?ll", r"you will be", r"you(?:'|’)?ll be", r"we offer", r"what we do", r"the role",
)

#: A heading or inline cue that opens the nice-to-have requirements (checked before the required ones:
#: "Preferred qualifications" is preferred although it names qualifications).
PREFERRED_CUES: tuple[str, ...] = (
    r"nice[- ]to[- ]haves?", r"bonus(?: points)?", r"preferred(?: qualifications?| skills?| experience)?",
    r"desired(?: qualifications?| skills?| experience)?", r"additional (?:qualifications?|skills?)(?: \(not required\))?",
    r"asset qualifications?", r"assets", r"pluses", r"plus", r"good[- ]to[- ]have", r"extra credit",
    r"would be great", r"not required", r"desirable", r"ideally", r"great to have", r"even better", r"optional",
    r"(?:or )?(?:a )?desire to learn", r"some of the following", r"(?:would|will) set you apart",
    r"(?:you(?:'|’)?ll )?stand out", r"extra points", r"it(?:'|’)?s a plus",
)

#: A heading or inline cue that opens a part whose skills are never requirements.
NOISE_CUES: tuple[str, ...] = (
    r"key responsibilities", r"responsibilities", r"duties(?: and responsibilities)?", r"what you(?:'|’)?ll do",
    r"what you will do", r"a day in the life", r"about the (?:role|job|position|team|company)", r"about us",
    r"who we are", r"our stack(?: today)?", r"the team", r"benefits", r"perks(?: and benefits)?", r"what we offer",
    r"compensation(?: and benefits)?", r"salary(?: range)?", r"equal (?:employment )?opportunity", r"eeo statement",
    r"how to apply", r"application process", r"interview process", r"job description", r"overview",
    r"role overview", r"position summary", r"summary", r"(?:primarily |you(?:'|’)?ll be |you will be )?responsible for",
    r"you(?:'|’)?ll need to accomplish", r"in this role,? you(?:'|’)?ll", r"in this role,? you will", r"your role",
    r"your responsibilities", r"what you(?:'|’)?ll be doing", r"the work", r"conditions of employment",
    r"how you will be evaluated", r"major duties", r"(?:key )?objectives", r"role summary", r"basic information",
    r"(?:travel|physical|security|citizenship|residency|clearance|language|legal|work authori[sz]ation|system|"
    r"technical|hardware|application|business|customer|user|functional|policy|project|program|product)"
    r" requirements?",
)

#: Single-word cues that read as a heading inside a paragraph only after a sentence end or before a
#: colon ("... our customers. Requirements: ..."), never in the middle of prose ("Strong Communication Skills").
BARE_CUES: frozenset[str] = frozenset({
    "requirements", "requirement", "qualifications", "qualification", "skills", "required", "plus", "assets",
    "optional", "ideally", "overview", "summary", "benefits", "responsibilities", "duties", "salary",
})

#: Inside one requirement: phrases that make it preferred ("Go is a plus", "Kafka is optional").
PREFERRED_PHRASES: tuple[str, ...] = (
    r"(?:is|are|would be|as)\s+an?\s+(?:big\s+|huge\s+|strong\s+|definite\s+)?(?:plus|bonus|asset)",
    r"nice[- ]to[- ]haves?", r"bonus", r"preferred", r"preferably", r"ideally", r"desirable", r"desired", r"a plus",
    r"(?:is|are)\s+optional", r"an asset", r"not required", r"(?:able|willing(?:ness)?|desire) to learn",
)

#: Clauses inside a required sentence that start its preferred tail ("Kubernetes, ideally with Kubeflow").
PREFERRED_CLAUSES: tuple[str, ...] = (
    r"ideally", r"preferably", r"bonus (?:points )?(?:if|for)", r"even better(?: if)?",
    r"examples of (?:qualifying |specialized |such )?experience (?:include|are|may include|could include)",
)

#: Words that start a requirement; a list whose line breaks were lost is cut before them
#: ("Expert in C#, JavaScript, MSSQL 2012 or above Proficient with MVC, Angular").
REQUIREMENT_STARTERS: tuple[str, ...] = (
    r"Experience", r"Experienced", r"Strong", r"Solid", r"Deep", r"Proven", r"Demonstrated", r"Knowledge",
    r"Working knowledge", r"Understanding", r"Familiarity", r"Familiar", r"Proficiency", r"Proficient", r"Expert",
    r"Expertise", r"Hands-on", r"Ability", r"Bachelor(?:'|’)?s?", r"Master(?:'|’)?s?", r"Degree", r"BS", r"BA",
    r"MS", r"PhD", r"Excellent", r"Comfortable", r"Fluent", r"Fluency", r"Background", r"Prior", r"At least",
    r"Minimum of", r"Must", r"Should", r"You have", r"You(?:'|’)ve", r"Knowledgeable", r"Skilled", r"Competence",
    r"Good knowledge", r"Good understanding", r"Exposure",
)

#: Articles and prepositions that make a following cue word prose, not a heading ("the requirements of").
PROSE_BEFORE: frozenset[str] = frozenset({
    "the", "a", "an", "our", "your", "their", "its", "of", "these", "those", "this", "that", "all", "any", "and",
    "or", "with", "for", "to", "in", "on", "at", "by", "meet", "meets", "no", "other", "job", "business", "customer",
    "user", "technical", "communication", "soft", "interpersonal", "analytical", "excellent", "strong", "good",
    "is", "are", "be", "as", "not", "very", "also", "great", "will", "would", "who", "what", "which",
    "particularly", "especially", "specifically", "notably", "mainly", "mostly", "preferably", "ideally", "like",
    "via", "including", "from", "into", "about", "across", "within", "than", "both", "either", "between",
})

#: Abbreviations whose full stop ends no sentence ("(e.g. ElasticSearch, Solr)").
ABBREVIATIONS: tuple[str, ...] = ("e.g.", "i.e.", "etc.", "vs.", "incl.", "approx.", "esp.", "cf.", "Dr.", "Mr.",
                                  "Ms.", "Mrs.", "Sr.", "Jr.", "St.", "No.", "Inc.", "Ltd.", "Co.")

#: Words that qualify the tool named right after them ("production Python", "modern JavaScript"):
#: a flattened list is never cut between them.
TOOL_MODIFIERS: frozenset[str] = frozenset({
    "production", "modern", "advanced", "expert", "professional", "commercial", "idiomatic", "native", "fluent",
    "proficient", "large-scale", "distributed", "cloud", "data", "web", "mobile", "backend", "frontend", "back-end",
    "front-end", "full-stack", "enterprise", "relational", "managed", "hosted", "vanilla", "core", "recent",
    "current", "latest", "deep", "basic", "intermediate", "senior", "junior", "applied", "practical", "real-world",
    "scalable", "secure", "automated", "serverless", "containerized", "open-source", "open", "source", "native",
})

#: Phrases after which a requirement names tools ("Experience with Zorbix or Flumewave"): a
#: capitalised word the taxonomy doesn't know, in the list right after one, is a free-text requirement.
#: Only tool-specific cues: "experience in", "such as" alone also introduce fields ("in Finance").
TOOL_CUES: tuple[str, ...] = (
    r"(?:hands-on |working |practical |prior |professional |production )?experience (?:with|using|on)",
    r"(?:hands-on|working|experienced|comfortable|familiar) with", r"familiarity with", r"working knowledge of",
    r"knowledge of", r"proficiency (?:in|with)", r"proficient (?:in|with)", r"expertise (?:in|with)",
    r"skilled (?:in|with)", r"fluency (?:in|with)", r"using",
    r"(?:tools|platforms|frameworks|libraries|languages|technologies|software|systems|databases|products)"
    r",? (?:such as|like|including|e\.g\.)",
)

#: Capitalised words that are ordinary words, fields, soft skills or credentials, never a free-text
#: tool requirement from job text ("Experience with Finance", "Knowledge of Accounting"); matched
#: in lower case. Places and spoken languages come from ``vocab.resume``.
NOT_TOOL_WORDS: frozenset[str] = frozenset("""
communication communications leadership teamwork collaboration management teams team people customers customer
clients client stakeholders stakeholder partners users user excellence integrity ownership creativity
problem solving analytics analysis research design engineering science sciences mathematics math statistics
physics chemistry biology economics finance financial accounting banking insurance healthcare health medical
pharma retail ecommerce e-commerce marketing sales operations logistics manufacturing education government
legal compliance security privacy hospitality media gaming energy telecom automotive aerospace defense fintech
agile software hardware computer computers technology technologies tech internet cloud web mobile data
bachelor bachelors bachelor's master masters master's degree degrees diploma phd mba bs ba ms msc bsc gpa
certification certified license licensed clearance citizenship us usa uk eu
english spanish french german office windows
monday tuesday wednesday thursday friday saturday sunday
hr ai ml it qa ui ux api apis crm crms digital modeling modelling alarms alerts monitoring dashboards reporting
startup startups enterprise enterprises company companies industry industries saas b2b b2c
""".split())
