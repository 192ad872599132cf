"""A reference analyzer: the Lucene-style Arabic light stemmer (light10) as a Whoosh filter.

This reimplements, from their published rules, the two token filters that Lucene's
``ArabicAnalyzer`` (and so the Elasticsearch/OpenSearch ``arabic`` analyzer) applies after
tokenizing: ``ArabicNormalizationFilter`` and ``ArabicStemFilter``, which follow light10
(Larkey, Ballesteros & Connell, "Light Stemming for Arabic Information Retrieval", 2007).
It is a benchmark competitor, not part of arsearch.

Normalization (Lucene's ``ArabicNormalizer``):

- alef with madda, hamza above or hamza below → bare alef (آ أ إ → ا);
- alef maksura → yeh (ى → ي); teh marbuta → heh (ة → ه);
- tatweel and the harakat (fathatan … sukun) are removed.

Stemming (Lucene's ``ArabicStemmer``), on the normalized word:

- at most one prefix, the first that applies of ال وال بال كال فال لل و; a prefix comes off
  only if at least 2 letters stay, and the bare و only from a word of 4 letters or more;
- then each suffix of ها ان ات ون ين يه ه ي, in that order and each at most once, comes off
  if at least 2 letters stay (ية and ة are يه and ه once normalized).

>>> light10("وَالحُكُومَاتُ"), light10("لإسرائيل"), light10("بدمشق"), light10("الليبية")
('حكوم', 'لاسرائيل', 'بدمشق', 'ليب')
"""

from __future__ import annotations

from typing import Iterator

from whoosh.analysis import Filter, Token

__all__ = ["lucene_normalize", "light10", "Light10Filter"]

ALEF = "\u0627"
ALEF_MADDA = "\u0622"
ALEF_HAMZA_ABOVE = "\u0623"
ALEF_HAMZA_BELOW = "\u0625"
ALEF_MAKSURA = "\u0649"
YEH = "\u064a"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"
TATWEEL = "\u0640"
FATHATAN, SUKUN = 0x064B, 0x0652

_NORMALIZE = str.maketrans(
    {
        ALEF_MADDA: ALEF,
        ALEF_HAMZA_ABOVE: ALEF,
        ALEF_HAMZA_BELOW: ALEF,
        ALEF_MAKSURA: YEH,
        TEH_MARBUTA: HEH,
        TATWEEL: None,
        **{chr(cp): None for cp in range(FATHATAN, SUKUN + 1)},
    }
)

# Lucene's tables, in Lucene's order (the first matching prefix wins).
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def lucene_normalize(word: str) -> str:
    """Fold the alef forms, alef maksura and teh marbuta; drop tatweel and harakat."""
    return word.translate(_NORMALIZE)


def light10(word: str) -> str:
    """Normalize, then strip one prefix and the light10 suffixes (rules in the module doc)."""
    word = lucene_normalize(word)
    for prefix in _PREFIXES:
        if len(prefix) == 1 and len(word) < 4:
            continue
        if len(word) >= len(prefix) + 2 and word.startswith(prefix):
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


class Light10Filter(Filter):
    """Replace each token's text by its light10 stem; drop tokens that become empty."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = light10(t.text)
            if t.text:
                yield t
