"""The query of a name typed in Latin script (:class:`~.syntax.LatinName`): its Arabic
alternatives, each a reading weighted by how well it aligns (:mod:`arsearch.topk.names`),
and the words a multi-word name or query puts side by side. A mixin of the builder
(:mod:`.builder`), which gives ``config``, ``ranking``, ``latin``, ``unheld``, ``words``,
``highlight``, ``readings_of`` and the word, phrase and views queries."""

from __future__ import annotations

from whoosh import query as wq

from .. import schema
from ..pipeline.latin import has_article, latin_exonyms
from ..pipeline.lexicon import is_stopword
from ..pipeline.normalization import normalize
from ..pipeline.stemming import ARTICLE
from .clauses import searched_words
from .nodes import reboosted
from .syntax import LatinName, Phrase, Word

__all__ = ["ARTICLE_APART", "NEIGHBOUR_READINGS", "LatinNames", "held_alternatives"]

#: The weight of a Latin name's word without the article, of the same word with it, when the
#: Latin writes the article apart (Al Abbas: عباس, after العباس).
ARTICLE_APART = 0.5
#: How many of a Latin name's Arabic alternatives stand beside its neighbours (the likeliest).
NEIGHBOUR_READINGS = 3


def held_alternatives(latin: dict, stop: frozenset[str]) -> dict:
    """A Latin name's Arabic alternatives (unit -> ``((words, weight), ...)``) but those that
    are a stopword no document holds (Umm: ام), dropped as from an Arabic query (ام الشيف
    searches الشيف): matching وام or لام instead would find other words. علي (Ali), written
    so, is no stopword and stays."""
    return {unit: tuple(alt for alt in alts if len(alt[0]) > 1 or not is_stopword(alt[0][0], alt[0][0], stop))
            for unit, alts in latin.items()}


class LatinNames:
    """The builder's queries of Latin names (see the module)."""

    def latin_name(self, node: LatinName, negated: bool):
        """The Latin words as written, or the Arabic words the name stands for (each
        scaled by its weight: 1 for the best)."""
        words = searched_words(node)
        if self._unheld(words):  # no document holds it as written: only its words noted
            for w in words:
                self.views(w)
            literal = None
        else:
            literal = self.word(Word(words[0]), negated) if len(words) == 1 else self.phrase(Phrase(words), negated)
        subs = [literal] if literal is not None else []
        readings = [(literal, 1.0)] if literal is not None else []
        article = has_article(node.unit)
        exonym = bool(latin_exonyms(node.unit))  # Sudan: the table's السودان, written so in English too
        for arabic, weight in self.latin.get(node.unit, ()):
            if len(arabic) > 1:
                found = [(self.phrase(Phrase(arabic), negated), weight)]
            elif article:
                # Al Abbas: العباس as written is its own reading, the likeliest; عباس (and
                # العباس through it) one at ARTICLE_APART of the weight
                found = [(self.name_article(arabic[0]), weight), (self.name_word(arabic[0]), weight * ARTICLE_APART)]
            elif arabic[0].startswith(ARTICLE) and not exonym:
                # Hend: the index mostly writes الهند, but the Latin wrote no article: هند as
                # written is a reading of its own at ARTICLE_APART of the weight, so the first
                # page shows it too, while the word's frequent documents keep their order (Riyadh:
                # the city's الرياض first, the name رياض among them)
                found = [(self.name_word(arabic[0]), weight),
                         (self.name_bare(arabic[0][len(ARTICLE):]), weight * ARTICLE_APART)]
            else:
                found = [(self.name_word(arabic[0]), weight)]
            for q, w in found:
                if q is not None:
                    subs.append(reboosted(q, w) if w != 1.0 else q)
                    readings.append((q, w))
        if not subs:
            return None
        q = subs[0] if len(subs) == 1 else wq.Or(subs)
        self.readings_of[node.unit] = (q, tuple(readings))
        return q

    def _unheld(self, words: tuple[str, ...]) -> bool:
        """Whether one of a Latin name's words is one no document holds, the same term in
        every view (so its query as written would match nothing)."""
        for w in words:
            norm = normalize(w, hamza_seats=self.config.hamza_seats)
            if norm in self.unheld and self.config.readings(norm) == ((norm, norm),):
                return True
        return False

    def name_article(self, word: str):
        """An Arabic word a Latin name writes with the article apart (Al Abbas: عباس, or
        العباس): the word with the article as written, in the exact view. A reading of its
        own, the likeliest, before the word in the clitic view (:meth:`name_word`) at
        :data:`ARTICLE_APART` of its weight: the documents that write what the Latin wrote come
        first, and the best of them is on the first page (:mod:`arsearch.topk.readings`)."""
        written = ARTICLE + self.config.whole_term(word, "clitic")
        self.words.append(written)
        return self.name_bare(written)

    def name_bare(self, word: str):
        """An Arabic word as a Latin name wrote it, in the exact view: with the article it
        wrote apart (:meth:`name_article`), or without the article the index mostly writes
        (Hend: هند, mostly الهند)."""
        self.highlight["exact"].add(word)
        return wq.Or([wq.Term(schema.field_name(f, "exact"), word,
                              boost=self.ranking.boost("exact") * self.ranking.field_boost(f)) for f in self.fields(None)])

    def name_word(self, word: str):
        """An Arabic word a Latin name may write (a normalized index term): searched in the
        clitic view, so that the documents' proclitics are off (وحفتر is حفتر), as the word
        whole: the Latin wrote its first letter (Berrabeh: برابح, not رابح). Not stemmed, at
        the weight of a match as written and without proclitics together. Not in the exact
        view too: that would favour the likeliest reading's documents over the other
        readings' (and double the terms)."""
        self.words.append(word)
        clitic = self.config.whole_term(word, "clitic")
        boost = self.ranking.boost("exact") + self.ranking.boost("clitic")
        subs = [wq.Term(schema.field_name(f, "clitic"), clitic, boost=boost * self.ranking.field_boost(f))
                for f in self.fields(None)]
        self.highlight["exact"].add(word)
        self.highlight["clitic"].add(clitic)
        return wq.Or(subs)

    def neighbour_slots(self, clauses) -> list[list[tuple[str, float]]]:
        """Each plain query word (:meth:`plain_term`) or Latin name in turn, as ``(clitic
        term, weight)`` choices: a word its own, a Latin name its likeliest one-word Arabic
        alternatives."""
        slots: list[list[tuple[str, float]]] = []
        seen: set[str] = set()
        for c in dict.fromkeys(clauses):
            node = c.node
            if isinstance(node, LatinName) and not c.negated:
                alts = [(self.config.whole_term(a[0], "clitic"), w) for a, w in self.latin.get(node.unit, ()) if len(a) == 1]
                if alts:
                    slots.append(alts[:NEIGHBOUR_READINGS])
                continue
            term = self.plain_term(c)
            if term is not None and term not in seen:
                seen.add(term)
                slots.append([(term, 1.0)])
        return slots
