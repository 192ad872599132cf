"""Exact top-k for word queries, without stepping Whoosh's matcher tree doc by doc.

A word of an arsearch query is an ``Or`` of up to six boosted terms (three views ×
title and body), and a query of several words an ``And`` of those. Whoosh scores such a
tree one document at a time through a dozen method calls per node, and its matchers
already read postings while the tree is being built. :func:`top_docs` plans the very
same tree (the same shape, built by Whoosh's rules, so that sums keep their order)
without building it, reads each term's postings into numpy arrays (decoded once, then
kept in a bounded cache: :data:`arsearch.topk.postings.POSTINGS_CACHE_BYTES`), and combines the scores
bottom-up, a whole posting list at a time, with the arithmetic of the node it replaces
(so the floats are the same bits: numpy's float64 ``+ - * /`` round as Python's floats
do):

- a term: BM25F of Whoosh's scorer for that term (``bm25()`` inlined, same operand
  order; or BM25+ of :mod:`arsearch.scoring`), the field length read as Whoosh's
  scorer reads it;
- ``WrappingMatcher`` (a boost): the child's score times the boost;
- ``UnionMatcher``: ``a + b`` where both match; ``IntersectionMatcher``: ``a + b``,
  the smaller side read first and the other only in the blocks that can hold its
  documents;
- ``ArrayUnionMatcher`` (Whoosh's ``Or`` on small indexes): the children's scores
  times the boost added in child order into a zero, documents scoring above zero
  (the part Whoosh summed when it built the matcher is taken from its array);
- ``AndNotMatcher``: the first child's documents without those Whoosh lists for the
  second;
- ``FilterMatcher`` (deleted documents): the child's documents outside the set;
- a word-pair phrase (:mod:`arsearch.analysis.pairs`): walked with its own matcher;
- the share-of-words factor of questions (:class:`arsearch.query.nodes.CoordOr`): the
  children's scores summed in child order, times the boost, times the factor of the
  number of children that match;
- a set of terms (:class:`arsearch.query.nodes.TermSet`, a question word's relatives): the
  ``Or`` of the boosted terms the segment holds, as Whoosh's ``MultiTerm`` builds it.

Any other node (such as Whoosh's coordination bonus, ``Or(scale=...)``, whose term count
Whoosh's collector changes as sub-matchers run out, so that a document's score depends
on when it is reached; arsearch's queries do not use it) makes :func:`top_docs` hand
the query to Whoosh's own search. The result is Whoosh's scoring of every match: the
``limit`` best documents by score, ties by document number. (Whoosh's own top-k search
prunes the tree as it goes and can miss or underscore a document: on 20,000 articles,
6 of 150 frequent single words got another top ten.)
"""

from __future__ import annotations

from .arrays import best
from .evaluate import matching_docs, scored_docs, top_docs
from .postings import clear_postings_cache

__all__ = ["top_docs", "scored_docs", "matching_docs", "best", "clear_postings_cache"]
