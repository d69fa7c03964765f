"""Vocabulary of résumés: section headings, the words around job titles and employers, places.

Data only, read by the résumé section reader (``matcher.headings``, ``matcher.job_header``,
``matcher.positions``). Heading phrases are *normalized* the way ``matcher.text.fold`` folds a
line: lower case, no accents, "&" and "+" -> "and", hyphens -> spaces, single spaces.
"""

from __future__ import annotations

from pathlib import Path

import yaml

# --------------------------------------------------------------------------------------------
# Section headings
# --------------------------------------------------------------------------------------------

#: Section kind -> the heading phrases that name it (English, then es / fr / de / pt), kept in
#: ``section_phrases.yaml`` beside this module (a long word list reads and diffs best as data).
SECTION_PHRASES: dict[str, tuple[str, ...]] = {
    kind: tuple(phrases)
    for kind, phrases in yaml.safe_load((Path(__file__).parent / "section_phrases.yaml").read_text("utf-8")).items()
}


#: Leading words that don't change a heading's kind ("Relevant Work Experience" = "Experience").
HEADING_MODIFIERS = frozenset(
    "professional work relevant selected personal key technical core academic additional other "
    "recent industry research teaching my previous prior employment career related notable major "
    "significant main general it computer software leadership international overall detailed "
    "functional select list current past full complete".split()
)
#: Trailing words that don't change a heading's kind ("Experience Details").
HEADING_TRAILERS = frozenset(
    "details section info information list overview record records selected".split()
)
#: The last word of a short capitalized phrase that makes it a heading ("ICT Related Experience").
HEAD_NOUNS = {
    "experience": "experience", "experiences": "experience", "employment": "experience",
    "skills": "skills", "competencies": "skills", "projects": "projects",
    "certifications": "certifications", "certificates": "certifications",
    "publications": "publications", "awards": "awards", "honors": "awards", "honours": "awards",
    "interests": "interests",
}
#: First words that make a phrase ending in a head noun a sentence ("Describe your experience").
NOT_HEAD_PREFIX = frozenset(
    "the a an use describe possess excellent good your my our his her their strong great total "
    "last years possessing proven demonstrated".split()
)
#: Sub-headings that, inside an experience section, belong to the current job.
WEAK_IN_EXPERIENCE = frozenset(
    "achievements|key achievements|accomplishments|key accomplishments|technologies|technology|"
    "tools|tech stack|technical stack|stack|highlights|career highlights|summary|overview|profile|"
    "key skills|recognition|skills|key projects|software|platforms|frameworks|knowledge|"
    "programming languages|languages|language|strengths|expertise|notable achievements|"
    "major achievements|key qualifications|project highlights|major projects|research".split("|")
)
#: Section kinds whose headings may also be sub-headings inside a job.
WEAK_KINDS = frozenset({"skills", "awards", "projects", "summary", "languages", "other",
                        "publications"})
#: Section kinds whose repeated headings ("Frameworks", "Tools" under "Skills") make one list.
MERGE_KINDS = frozenset({"skills", "languages", "interests", "awards", "publications",
                         "certifications", "projects"})
#: Lower-case lines that are headings ("experience"); other lower-case phrases are sentence tails.
LOWERCASE_HEADINGS = frozenset(
    "experience|work experience|professional experience|employment|employment history|"
    "work history|education|skills|technical skills|projects|certifications|certification|"
    "references|interests|hobbies|languages|summary|objective|profile|achievements|awards|"
    "publications|training|trainings|internships|internship|volunteering|volunteer experience|"
    "career objective|professional summary|academic background|qualifications|"
    "educational qualifications|personal details|personal information|activities|"
    "extracurricular activities|certificates|courses|workshops|references available upon request"
    .split("|")
)
#: Spoken languages and proficiency words: a "Languages:" line naming one lists spoken languages.
SPOKEN_LANGUAGES = (
    "english|spanish|french|german|portuguese|italian|dutch|russian|arabic|hindi|urdu|"
    "bengali|tamil|telugu|kannada|malayalam|marathi|gujarati|punjabi|mandarin|chinese|"
    "cantonese|japanese|korean|turkish|polish|swedish|norwegian|danish|finnish|greek|hebrew|"
    "persian|farsi|vietnamese|thai|indonesian|malay|swahili|ukrainian|czech|romanian|"
    "hungarian|catalan|basque|galician|español|ingles|inglés|francés|alemán|anglais|"
    "allemand|englisch|deutsch|native|fluent|bilingual"
)

# --------------------------------------------------------------------------------------------
# Job titles, employers, places
# --------------------------------------------------------------------------------------------


#: Words that make a header fragment a job title (a regex alternation, matched on lower case).
TITLE_WORDS = (
    "engineer|engineers|developer|scientist|analyst|manager|intern|internship|lead|leader|"
    "architect|consultant|director|researcher|specialist|administrator|admin|officer|assistant|"
    "associate|head|president|vp|svp|evp|founder|co-founder|cofounder|cto|ceo|cfo|coo|cio|ciso|"
    "owner|designer|technician|coordinator|supervisor|executive|representative|programmer|"
    "tester|teacher|professor|lecturer|instructor|tutor|trainee|apprentice|fellow|postdoc|"
    "student|advisor|adviser|accountant|editor|writer|nurse|physician|attorney|counsel|clerk|"
    "agent|partner|principal|member|volunteer|contractor|freelancer|sre|devops|qa|operator|"
    "strategist|marketer|recruiter|advertiser|auditor|economist|statistician|mathematician|"
    "chemist|biologist|physicist|technologist|chief|staff|expert|trainer|mentor|coach|"
    "translator|interpreter|linguist|secretary|receptionist|cashier|salesman|salesperson|"
    "planner|buyer|controller|treasurer|bookkeeper|paralegal|lawyer|pharmacist|therapist|"
    "surgeon|doctor|dentist|technical lead|tech lead|team lead|scrum master|product owner|"
    "generalist|craftsman|mechanic|electrician|welder|driver|chef|cook|waiter|server|"
    "steward|pilot|inspector|investigator|evangelist|advocate|ambassador|producer|"
    "photographer|journalist|reporter|copywriter|illustrator|animator|modeler|modeller|"
    "hacker|webmaster|dba|sdet|swe|sde|ml engineer|"
    # es / fr / de / pt
    "ingeniero|ingeniera|desarrollador|desarrolladora|analista|gerente|jefe|jefa|director|"
    "directora|consultor|consultora|ingenieur|ingénieur|développeur|developpeur|"
    "développeuse|chef|responsable|stagiaire|entwickler|entwicklerin|berater|beraterin|"
    "leiter|leiterin|werkstudent|praktikant|desenvolvedor|engenheiro|engenheira|estagiario|"
    "estagiário|gerente|coordenador|becario|practicante"
)
#: Words that make a header fragment an organization (a regex alternation, lower case).
ORG_WORDS = (
    r"university|universidad|université|universite|universität|universitat|"
    r"universidade|universities|colleges?|institutes?|institut|instituto|schools?|academy|labs?|laboratory|"
    r"laboratories|technologies|technology|tech|solutions?|systems|software|consulting|"
    r"consultancy|services|bank|hospital|clinic|agency|studios?|partners|foundation|ventures|"
    r"capital|networks|media|games|analytics|global|international|enterprises|industries|"
    r"associates|group|holdings|infotech|infosystems|telecom|communications|pharma|"
    r"pharmaceuticals|motors|airlines|insurance|bancorp|financial|logistics|retail|markets|"
    r"digital|interactive|ministry|department|government|council|society|association|"
    r"organization|organisation|ngo|trust|firm|store|stores|restaurant|hotel|"
    r"startup|start-up|center|centre|gmbh|empresa|société|societe|firma"
)
#: US states and codes, Canadian provinces, Indian states, countries, regions, work modes.
REGIONS = frozenset(
    # US states and codes, Canadian provinces, Indian states
    "alabama|al|alaska|ak|arizona|az|arkansas|ar|california|ca|colorado|co|connecticut|ct|"
    "delaware|de|florida|fl|georgia|ga|hawaii|hi|idaho|id|illinois|il|indiana|in|iowa|ia|kansas|"
    "ks|kentucky|ky|louisiana|la|maine|me|maryland|md|massachusetts|ma|michigan|mi|minnesota|mn|"
    "mississippi|ms|missouri|mo|montana|mt|nebraska|ne|nevada|nv|new hampshire|nh|new jersey|nj|"
    "new mexico|nm|new york|ny|north carolina|nc|north dakota|nd|ohio|oh|oklahoma|ok|oregon|or|"
    "pennsylvania|pa|rhode island|ri|south carolina|sc|south dakota|sd|tennessee|tn|texas|tx|"
    "utah|ut|vermont|vt|virginia|va|washington|wa|west virginia|wv|wisconsin|wi|wyoming|wy|"
    "dc|d.c.|washington dc|washington d.c.|ontario|on|quebec|qc|british columbia|bc|alberta|ab|"
    "manitoba|mb|saskatchewan|sk|nova scotia|ns|new brunswick|nb|newfoundland|nl|"
    "karnataka|maharashtra|telangana|tamil nadu|kerala|andhra pradesh|uttar pradesh|gujarat|"
    "west bengal|rajasthan|punjab|haryana|bihar|odisha|orissa|madhya pradesh|goa|assam|"
    "jharkhand|uttarakhand|himachal pradesh|chhattisgarh|"
    # countries and regions
    "usa|us|u.s.|u.s.a.|united states|united states of america|uk|u.k.|united kingdom|england|"
    "scotland|wales|ireland|northern ireland|india|in|canada|australia|new zealand|germany|"
    "france|spain|portugal|italy|netherlands|belgium|switzerland|austria|sweden|norway|denmark|"
    "finland|poland|czech republic|czechia|hungary|romania|bulgaria|greece|turkey|russia|"
    "russian federation|ukraine|israel|uae|united arab emirates|saudi arabia|qatar|kuwait|"
    "bahrain|oman|egypt|nigeria|kenya|south africa|ghana|ethiopia|morocco|brazil|brasil|mexico|"
    "méxico|argentina|chile|colombia|peru|venezuela|uruguay|china|japan|south korea|korea|"
    "s.korea|taiwan|hong kong|singapore|malaysia|indonesia|philippines|thailand|vietnam|"
    "pakistan|bangladesh|sri lanka|nepal|emea|apac|latam|europe|asia|africa|middle east|"
    "remote|hybrid|on-site|onsite|worldwide|global".split("|")
)
#: Cities, lower case.
CITIES = frozenset(
    "bengaluru|bangalore|bangalore urban|"
    "hyderabad|chennai|pune|mumbai|delhi|new delhi|noida|gurgaon|gurugram|kolkata|ahmedabad|"
    "mysore|mysuru|kochi|cochin|coimbatore|trivandrum|thiruvananthapuram|indore|jaipur|"
    "lucknow|chandigarh|nagpur|patna|bhubaneswar|vizag|visakhapatnam|secunderabad|mangalore|"
    # cities
    "new york city|nyc|san francisco|sf|bay area|san jose|mountain view|palo alto|menlo park|"
    "sunnyvale|cupertino|santa clara|redwood city|oakland|berkeley|los angeles|la|san diego|"
    "seattle|redmond|bellevue|portland|boston|cambridge|austin|dallas|houston|chicago|denver|"
    "atlanta|miami|philadelphia|pittsburgh|detroit|minneapolis|phoenix|salt lake city|"
    "raleigh|durham|charlotte|nashville|baltimore|toronto|vancouver|montreal|ottawa|calgary|"
    "halifax|london|manchester|edinburgh|glasgow|birmingham|leeds|bristol|dublin|cork|paris|"
    "lyon|berlin|munich|münchen|hamburg|frankfurt|cologne|köln|stuttgart|madrid|barcelona|"
    "valencia|lisbon|lisboa|porto|rome|milan|amsterdam|rotterdam|brussels|zurich|zürich|geneva|"
    "vienna|wien|stockholm|oslo|copenhagen|helsinki|warsaw|krakow|prague|budapest|bucharest|"
    "athens|istanbul|moscow|kyiv|kiev|tel aviv|dubai|abu dhabi|doha|riyadh|cairo|lagos|nairobi|"
    "cape town|johannesburg|são paulo|sao paulo|rio de janeiro|buenos aires|santiago|bogotá|"
    "bogota|lima|mexico city|beijing|shanghai|shenzhen|tokyo|osaka|seoul|taipei|manila|jakarta|"
    "kuala lumpur|bangkok|hanoi|ho chi minh city|sydney|melbourne|brisbane|perth|auckland|"
    "lahore|karachi|islamabad|dhaka|colombo|kathmandu|coventry|aberdeen|addis ababa".split("|")
)
#: Places that say how, not where, one works.
WORK_MODES = frozenset("remote|hybrid|on-site|onsite|worldwide|global".split("|"))

# --------------------------------------------------------------------------------------------
# Labelled lines and fillers inside a job's header
# --------------------------------------------------------------------------------------------

#: Labels of a job's title, employer and dates ("Designation: ...", "Company : ...").
LABEL_TITLE = frozenset("role|designation|position|title|job title|job role|position held|"
                         "current role|current designation|post|cargo|puesto|poste|rolle".split("|"))
LABEL_ORG = frozenset("company|employer|organization|organisation|company name|"
                       "organization name|firm|empresa|entreprise|unternehmen|arbeitgeber|"
                       "institution|hospital|school".split("|"))
LABEL_DATE = frozenset("duration|period|dates|date|tenure|from|worked from|periodo|période|"
                        "zeitraum|time period|timeline|working period".split("|"))
#: Words ending in -ed that are adjectives, not a sentence's first verb ("Applied Scientist").
NOT_VERBS = frozenset(
    "united limited advanced applied integrated associated allied accredited distributed "
    "embedded certified licensed registered automated unified combined consolidated federated "
    "interested experienced seasoned detailed dedicated motivated talented skilled qualified "
    "contracted seconded retired self-employed speed breed".split()
)

#: Header fragments that are neither a title nor an employer (joining words, job types).
HEADER_FILLER = frozenset(
    "and|or|to|of|the|from|with|for|in|at|a|an|y|et|und|e|de|del|la|le|present|current|"
    "till|until|since|now|today|date|to date|till date|onwards|continued|cont|contd|"
    "full time|full-time|part time|part-time|contract|internship|freelance|permanent|"
    "temporary|self-employed|self employed|remote".split("|")
)

#: Abbreviations that keep their final dot ("Acme Inc.").
ABBREVIATIONS = frozenset("inc co corp ltd jr sr bros assoc dept univ intl mfg".split())

#: Lines that open a résumé but name the document, not the person ("CURRICULUM VITAE", "Bio
#: Data", "Resume"): a name is looked for below them. Compared after folding case, dots and dashes.
DOCUMENT_TITLES = frozenset(
    "resume|résumé|cv|curriculum vitae|curriculam vitae|curriculum vitate|bio data|biodata|"
    "bio-data|personal resume|my resume|profile|personal profile|personal details|"
    "personal information|contact|contact details|contact information|affix photograph|"
    "photo|address for correspondence|lebenslauf|curriculum".split("|")
)
#: Words of a postal address line ("NADUKKARA HOUSE THALAKODE P.O"), never part of a name.
ADDRESS_WORDS = frozenset(
    "house|road|rd|street|st|nagar|colony|sector|district|dist|distt|village|vill|po|p.o|post|"
    "pin|pincode|flat|apartment|apt|near|opp|block|floor|lane|taluk|tehsil|mandal|avenue|"
    "address|mob|mobile|phone|tel|email|e-mail".split("|")
)

#: Company suffixes, any case, an optional final dot ("Inc", "L.L.C.", "GmbH", "S.p.A").
ORG_SUFFIXES = (
    "inc", "llc", "l.l.c", "ltd", "limited", "corp", "corporation", "company", "gmbh", "plc", "pvt", "pty", "llp",
    "sarl", "s.a.r.l", "s.a", "s.r.l", "s.p.a", "b.v", "e.v", "bhd", "sdn", "pte",
)
#: Short company suffixes that are words too ("as", "co", "se"): only in these spellings.
ORG_SUFFIXES_CASED = (
    "Co.", "CO.", "AG", "SA", "SAS", "S.A.", "BV", "NV", "KG", "SRL", "SpA", "SPA", "Oy", "AB", "AS", "A/S", "KK",
    "SL", "SE", "UG", "LP",
)
