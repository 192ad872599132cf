"""The write path: the postings pool, the flush of a segment, the writers, and the
locks and fsyncs that make a commit all-or-nothing.

- ``pool``: :class:`TermPool`, postings gathered by term in memory and sorted runs;
- ``flush``: a segment's postings written a term at a time;
- ``writers``: Whoosh writers with the pool, in one process or several;
- ``durability``: the write lock, fsync, and the clean-up of failed writers.
"""
