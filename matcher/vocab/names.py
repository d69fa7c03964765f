"""Words around a tool's name that are not the name: versions, editions and vendor prefixes.

Read by ``matcher.extraction.normalize_name`` ("TFS 2012" -> TFS, version 2012; "MS Excel" -> Excel;
"C/C++" -> C and C++; "SQL Server BI" -> SQL Server, edition BI) and so by the mention detector.
"""

from __future__ import annotations

#: Words that name a release rather than the product ("Windows XP", "Office 365", "Oracle 11g").
VERSION_WORDS = frozenset(
    "xp vista nt me ce rt 365 lts ga beta alpha rc sp sp1 sp2 sp3 r2 x64 x86 64-bit 32-bit".split()
)
#: Edition words stripped from the end of a name when what remains is a known skill
#: ("SQL Server BI", "Mule Server EE", "Visual Studio Professional"); never on their own.
EDITION_WORDS = frozenset(
    "bi ee se ce me enterprise professional pro express standard community ultimate premium edition "
    "server developer desktop suite studio cloud online platform tool tools framework".split()
)
#: Vendor words dropped from the front of a name for its key ("MS Excel", "Microsoft Visio",
#: "IBM WebSphere"), only when a name remains. Not "Oracle", "Google", "Adobe", "SAP": what follows
#: them is often an ordinary word ("Oracle Forms", "Google Analytics").
VENDOR_PREFIXES = frozenset("ms microsoft ibm apache".split())
#: Names with a slash inside that are one name, never a pair ("PL/SQL" is not PL and SQL).
SLASH_NAMES = frozenset(
    "pl/sql pl/i tcp/ip ci/cd a/b i/o ui/ux ux/ui os/2 as/400 os/390 z/os mvs/esa b2b/b2c "
    "tcp/udp cics/db2 rpg/400 ms/dos pc/dos".split()
)
