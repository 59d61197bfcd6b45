"""Names that look alike: "аlice" with a Cyrillic а, "aIice" with a capital I, "ALICE".

`skeleton` is a small take on the skeleton of Unicode TR39 (Security Mechanisms): NFKC, then
each letter that passes for a Latin letter or digit replaced by the one it passes for. Two
names with the same skeleton look the same. The table covers the scripts a username can mix
with Latin to fool a reader (Cyrillic, Greek, Armenian, Cherokee, Coptic, Latin's own
lookalikes); the mappings are TR39's (confusables.txt). A letter of another script simply
stays itself, so such names are kept apart by the letters themselves.

The table is ours rather than a package's: the keys below are stored under a unique index, so
they may change only with a migration, never with a dependency's upgrade.
"""

import unicodedata

# Each group: lookalikes, then the Latin letters or digits they pass for, position by position.
_GROUPS = [
    # Cyrillic
    ("АВЕЗКМНОРСТУХЅІЈӀԌԜѴҮЬ", "ABE3KMHOPCTYXSlJlGWVYb"),
    ("абгеорсухѕіјӏԁԛԝһүѵѡҽ", "a6reopcyxsijidqwhyvwe"),
    # Greek
    ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϜͿϺ", "ABEZHlKMNOPTYXFJM"),
    ("αγινορσυϳ", "ayivopouj"),
    # Armenian
    ("ՍՏՕ", "USO"),
    ("ահոռսօցգզք", "whnnuogqqf"),
    # Cherokee (its case folds to the capitals)
    ("ᏎᏮᎪᏏᏴᏟᏧᎠᎬᏀᏳᏂᎻᎥᎫᏦᏞᎷᏢᎡᏒᏕᏚᎢᏙᎳᏔᎩᎽᏃ", "46AbBCdDEGGhHiJKLMPRRSSTVWWYYZ"),
    # Coptic
    ("ⲞⲟⲢⲣⲤⲥⲦⲨⲬⲎⲔⲘⲚⲒⲅ", "OoPpCcTYXHKMNlr"),
    # Latin's own lookalikes, and the digits
    ("ıɑɡɣɩɪɯʋʏᴄᴏᴑᴜᴠᴡᴢꜱƖǀ", "iagyiiwuycoouvwzsll"),
    ("I10", "llO"),
]
LOOKALIKES = {ord(char): latin for chars, latins in _GROUPS for char, latin in zip(chars, latins, strict=True)}
LOOKALIKES[ord("m")] = "rn"  # TR39 maps the single letter to the pair, so "rn" and "m" meet


def skeleton(text):
    """What `text` looks like: two strings with the same skeleton are hard to tell apart."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).translate(LOOKALIKES))


def username_keys(username):
    """The two keys a username must not share with another: its look, and its look whatever the case.

    One key cannot do both: "Ian" passes for "lan" (a capital I is an l) and for "ian" (the same
    name in other case), yet "ian" and "lan" are plainly different.
    """
    return {"username_skeleton": skeleton(username), "username_caseless": skeleton(username.casefold())}


def email_key(email):
    """An email address as one account's: case does not make another address. None when there is none."""
    email = (email or "").strip()
    return email.casefold() if email else None
