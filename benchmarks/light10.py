"""A reference analyzer: the Lucene-style Arabic light stemmer (light10) as a Whoosh filter.

This reimplements, from their published rules, the two token filters that Lucene's
``ArabicAnalyzer`` (and so the Elasticsearch/OpenSearch ``arabic`` analyzer) applies after
tokenizing: ``ArabicNormalizationFilter`` and ``ArabicStemFilter``, which follow light10
(Larkey, Ballesteros & Connell, "Light Stemming for Arabic Information Retrieval", 2007).
``ArabicAnalyzer`` also drops its stopwords first, on the token as written (before
normalizing): :data:`LUCENE_ARABIC_STOPWORDS` and :func:`lucene_stop_filter`. It is a
benchmark competitor, not part of arsearch.

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

from collections.abc import Iterator

from whoosh.analysis import Filter, StopFilter, Token

__all__ = ["LUCENE_ARABIC_STOPWORDS", "lucene_normalize", "light10", "Light10Filter", "lucene_stop_filter"]

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


#: The stopwords of Lucene's ``ArabicAnalyzer`` (``org/apache/lucene/analysis/ar/stopwords.txt``,
#: as shipped in lucene-analyzers-common 8.7.0), which the Elasticsearch/OpenSearch
#: ``arabic`` analyzer uses too. The list's own header: "This file was created by Jacques
#: Savoy and is distributed under the BSD license. [...] Cleaned on October 11, 2009 (not
#: normalized, so use before normalization)": both spellings of a hamza are listed.
LUCENE_ARABIC_STOPWORDS = frozenset(
    """
    من ومن منها منه في وفي فيها فيه و ف ثم او
    أو ب بها به ا أ اى اي أي أى لا ولا
    الا ألا إلا لكن ما وما كما فما عن مع اذا إذا
    ان أن إن انها أنها إنها انه أنه إنه بان بأن فان
    فأن وان وأن وإن التى التي الذى الذي الذين الى الي إلى
    إلي على عليها عليه اما أما إما ايضا أيضا كل وكل لم
    ولم لن ولن هى هي هو وهى وهي وهو فهى فهي فهو
    انت أنت لك لها له هذه هذا تلك ذلك هناك كانت كان
    يكون تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن
    حيث الان الآن خلال بعد قبل حتى عند عندما لدى جميع
    """.split()
)


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


def lucene_stop_filter() -> StopFilter:
    """Drop Lucene's Arabic stopwords, compared with the token as written (Lucene's
    ``StopFilter`` runs before its ``ArabicNormalizationFilter``); one-letter words too."""
    return StopFilter(stoplist=LUCENE_ARABIC_STOPWORDS, minsize=1, renumber=False)
