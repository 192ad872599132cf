"""How a query is ranked: a name (حفتر، حكومة الوفاق) or a question (متى ولد نزار قباني؟),
told apart by :func:`is_question`, each with its :class:`Ranking` in :data:`RANKINGS`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..pipeline import VIEWS
from ..pipeline.chars import ARABIC_QUESTION_MARK
from ..pipeline.normalization import normalize
from ..pipeline.stemming import FEH, PREPOSITIONS, WAW
from ..scoring import B
from .syntax import Word


@dataclass(frozen=True)
class Ranking:
    """How one kind of query is scored (see :data:`RANKINGS`)."""

    views: tuple[float, float, float]  # boosts of a match in the exact, clitic, stem view
    b: float = B  # BM25 length normalization (k1 is scoring.K1)
    delta: float = 0.0  # BM25+: each term a document holds adds delta × idf (0: plain BM25)
    proximity: float = 0.0  # boost of neighbouring query words found side by side; 0: off
    tiered: bool = True  # mode="auto": documents holding every word come first
    coord: float = 0.0  # mode="any": scores times (words matched / words) ** coord
    lead: float = 0.0  # boost of query words among a passage's first LEAD_WORDS words; 0: off
    verb_forms: float = 0.0  # weight of a word's other verb prefixes (يقع: تقع، نقع، اقع); 0: off
    derived: float = 0.0  # weight of a word's relatives of the same root (ولد: مولد، ميلاد); 0: off
    title: float = 1.5  # boost of a match in the title (a match in the body counts 1)

    def boost(self, view: str) -> float:
        return self.views[VIEWS.index(view)]

    def field_boost(self, field_name: str) -> float:
        return self.title if field_name == "title" else 1.0


#: How each kind of query is ranked, chosen on ``benchmarks/relevance.py``:
#:
#: - ``name``: words without a question (حفتر، حكومة الوفاق). Layered views (an exact
#:   match beats a clitic-stripped one, which beats a stem match); weak length
#:   normalization, since a sentence naming the entity is no less about it for being
#:   long; neighbouring query words found together add a bonus (multi-word names) three
#:   times a word's own weight, so that a rare name side by side outweighs two frequent
#:   words apart (بن عربيه, not بن and العربية in titles);
#:   ``mode="auto"`` puts documents holding every word first; a title match counts half
#:   as much again as a body match.
#: - ``question``: a question in natural language (متى ولد نزار قباني؟), told by ``؟`` or
#:   an interrogative. Its content words come in any inflection (تأسست / تأسيس), so the
#:   stem view counts most; scored with BM25+ (:mod:`arsearch.scoring`: b 1, as a short
#:   passage that holds the words is a targeted answer, and each term held adds a quarter
#:   of its idf, so that a long passage holding the words is not buried); interrogatives
#:   and framing words are dropped; one ranking without tiers (the passage holding every
#:   word of a long question is rare, and often not the answer), where a passage's score
#:   grows with the share of the question's words it holds; a verb matches with its other
#:   prefixes too, at half weight (أين يقع المغرب finds تقع في); its words among a
#:   passage's first words add a bonus (a passage that opens with its subject is about it);
#:   a word also matches the words of its root (:mod:`arsearch.pipeline.derivation`: ولد finds مولد،
#:   إقليم finds أقاليم) at a fifth of a stem match, and such a match counts as the word in
#:   the share of words; a title match counts as a body match (a passage's title is often
#:   its article's, about every passage of it).
RANKINGS = {
    "name": Ranking((1.0, 0.6, 0.4), b=0.3, proximity=3.0, coord=1.0),
    "question": Ranking((0.5, 0.5, 1.0), b=1.0, delta=0.25, tiered=False, coord=1.0, verb_forms=0.5, lead=0.5, derived=0.2,
                        title=1.0),
}


#: Interrogatives, dropped from a question that holds other words: its content is in
#: the other words (متى ولد نزار قباني → ولد نزار قباني). Any spelling; normalized when
#: first used. A leading و ف ب is tolerated (ومتى، فكيف، بماذا).
QUESTION_WORDS = ("ما", "ماذا", "ماهو", "ماهي", "ماهى", "متى", "من", "أين", "كم", "كيف", "لماذا", "لم", "هل", "أي", "أية")


#: Words a question is framed with rather than about (ما اسم…، ما عدد…، في أي سنة/عام…),
#: dropped from it like its interrogatives, compared after clitic stripping (والاسم، بعدد،
#: للعام); and a bare article ال, which is no word (a question cut off after it).
QUESTION_FRAME_WORDS = ("اسم", "عدد", "سنة", "عام", "ال")


DROP_QUESTION_WORDS = True


#: How many words open a passage, for the ``lead`` bonus of :class:`Ranking`.
LEAD_WORDS = 4


#: Letters an imperfect verb begins with (أ ن ي ت: أكتب نكتب يكتب تكتب; أ normalized to
#: ا), and ا also begins the perfect of derived verbs (انتقل / ينتقل، اشتهر / يشتهر).
VERB_PREFIXES = "اينت"


def frame_words() -> frozenset[str]:
    return _normalized(QUESTION_FRAME_WORDS)


@lru_cache(maxsize=4)
def _normalized(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


@lru_cache(maxsize=1)
def _question_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in QUESTION_WORDS)


def is_question_word(norm: str) -> bool:
    words = _question_words()
    # a conjunction or ب before the interrogative: وهل، فمن، بكم
    return norm in words or (norm[:1] in (WAW, FEH, PREPOSITIONS[0]) and norm[1:] in words)


# Interrogatives that are also common other words (ما: what/not, من: who/from,
# كم: how many/you): they make a question only as its first word.
_AMBIGUOUS_QUESTION_WORDS = frozenset({"ما", "من", "كم", "اي", "لم"})


def is_question(text: str, clauses) -> bool:
    """A question mark, a leading interrogative, or an unambiguous one anywhere."""
    if "?" in text or ARABIC_QUESTION_MARK in text:
        return True
    first = True
    for c in clauses:
        if not isinstance(c.node, Word) or c.negated:
            first = False
            continue
        norm = normalize(c.node.text)
        if is_question_word(norm) and (first or norm not in _AMBIGUOUS_QUESTION_WORDS):
            return True
        first = False
    return False


def auto_distance(word: str) -> int:
    # Like Lucene's AUTO, but Arabic names are short (حفتر, 4 letters), so a
    # 3-letter word already allows one edit.
    if len(word) < 3:
        return 0
    return 1 if len(word) <= 6 else 2
