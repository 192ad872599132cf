"""The posting pool that groups postings by term gives exactly Whoosh's postings."""

from __future__ import annotations

import pytest
from helpers import hits_of, seed_documents
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import PostingPool

import arsearch.codec.termtable
import arsearch.index
import arsearch.writing.pool
import arsearch.writing.writers
from arsearch import Index
from arsearch.writing.pool import TermPool

# (field, term, weight, value) for each document in turn; documents are numbered in order
_POSTING = st.tuples(
    st.sampled_from(["body_exact", "body_pair", "title_exact"]),
    st.binary(min_size=1, max_size=3),
    st.sampled_from([1.0, 2.0, 0.5]),
    st.one_of(st.none(), st.binary(max_size=6)),
)
_DOCS = st.lists(st.lists(_POSTING, max_size=8, unique_by=lambda p: (p[0], p[1])), max_size=40)


def _pooled(pool_class, docs, spill_every: int | None, by_field: bool = False, boost: float = 1.0):
    """The pool's postings of ``docs``, added one by one as Whoosh adds them, or a
    document's field at a time (``by_field``: :meth:`TermPool.add_field`)."""
    storage = RamStorage()
    pool = pool_class(storage, None, limitmb=1)
    if spill_every:
        pool.limit = spill_every * 150  # a run every few postings
    lengths = []
    for docnum, postings in enumerate(docs):
        fields = sorted({field for field, _, _, _ in postings})
        for name in fields:
            items = [(term, len(term), weight, value) for field, term, weight, value in postings if field == name]
            if by_field:
                lengths.append(pool.add_field(name, iter(items), docnum, boost, name != "body_pair"))
                continue
            lengths.append(0)
            for term, freq, weight, value in items:
                pool.add((name, term, docnum, weight * boost, value))
                if name != "body_pair":
                    lengths[-1] += freq
    return list(pool.items(maxfiles=3)), lengths


@settings(max_examples=200, deadline=None)
@given(_DOCS, st.sampled_from([None, 1, 5, 40]), st.sampled_from([1.0, 2.5]), st.sampled_from([1024, 2]))
def test_term_pool_yields_whoosh_pool_postings(docs, spill_every, boost, run_chunk):
    """Same postings in the same order, whether the pool stays in memory or writes
    runs (more runs than open files, too; a run of one pickle or of many), and whether
    they were added one by one or a field at a time; the same field lengths."""
    whoosh = _pooled(PostingPool, docs, spill_every, boost=boost)
    kept = arsearch.writing.pool.RUN_CHUNK
    try:
        arsearch.writing.pool.RUN_CHUNK = run_chunk
        assert _pooled(TermPool, docs, spill_every, boost=boost) == whoosh
        assert _pooled(TermPool, docs, spill_every, by_field=True, boost=boost) == whoosh
    finally:
        arsearch.writing.pool.RUN_CHUNK = kept


@pytest.mark.parametrize("by_field", [False, True])
def test_term_pool_sorts_postings_added_out_of_document_order(by_field):
    pool = TermPool(RamStorage(), None, limitmb=1)
    for docnum in (5, 2, 9, -1):
        if by_field:
            pool.add_field("f", [(b"t", 1, 1.0, None)], docnum)
        else:
            pool.add(("f", b"t", docnum, 1.0, None))
    pool.add(("f", b"a", 3, 1.0, b"x"))
    assert [(t, d) for _, t, d, _, _ in pool.items()] == [(b"a", 3), (b"t", -1), (b"t", 2), (b"t", 5), (b"t", 9)]


def _all_postings(ix: Index) -> dict:
    reader = ix._searcher().reader()
    out = {}
    for (field, btext), _ in reader:
        m = reader.postings(field, btext)
        out[field, btext] = postings = []
        while m.is_active():
            postings.append((m.id(), m.weight(), m.value()))
            m.next()
    return out


@pytest.mark.parametrize("spill", [False, True])
def test_index_written_through_the_term_pool_equals_whoosh_pool(seed_sentences, monkeypatch, spill):
    docs = [{"id": f"d{i % 150}", "text": s, "title": seed_sentences[i // 2] if i % 5 == 0 else None}
            for i, s in enumerate(seed_sentences * 2)]  # ids repeat: later documents replace earlier ones
    runs = []
    save = TermPool.save
    monkeypatch.setattr(TermPool, "save", lambda pool: runs.append(len(pool.terms)) or save(pool))
    if spill:  # a run on disk every hundred postings or so
        monkeypatch.setattr(arsearch.writing.pool, "POSTING_BYTES", 1 << 20)
    ours = Index()
    ours.add_many(docs)
    assert (len(runs) > 10) if spill else not runs
    monkeypatch.setattr(arsearch.writing.writers, "TermPool", PostingPool)
    whoosh = Index()
    whoosh.add_many(docs)
    assert len(ours) == len(whoosh) == min(150, len(seed_sentences) * 2)
    assert _all_postings(ours) == _all_postings(whoosh)


def _crc_table(dbfile):
    """Whoosh's own ordered hash writer, hashing with its CRC-32 function."""
    from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
    from whoosh.util.numlists import GrowableArray

    table = OrderedHashWriter.__new__(OrderedHashWriter)
    HashWriter.__init__(table, dbfile, hashtype=arsearch.codec.termtable.CRC_HASH)
    table.index, table.lastkey = GrowableArray("H"), b""
    return table


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.binary(min_size=1, max_size=6), st.binary(max_size=10), max_size=600),
       st.sampled_from([None, 1, 7, 100]))
def test_compact_term_table_writes_whoosh_file(tmp_path_factory, entries, spill_every):
    """Byte for byte the term table Whoosh writes with its CRC-32 hash function, whether
    the table stays in memory or goes to a temporary file every ``spill_every`` terms;
    Whoosh's reader finds every key in it."""
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    from arsearch.codec.termtable import _CompactTermTable, compact_term_table

    class _Holder:  # stands for a field writer
        pass

    spill_dir = tmp_path_factory.mktemp("spill")
    files = []
    kept = arsearch.codec.termtable.TABLE_TERMS
    try:
        arsearch.codec.termtable.TABLE_TERMS = spill_every or kept
        for compact in (False, True):
            storage = RamStorage()
            holder = _Holder()
            if compact:
                holder._tindex = OrderedHashWriter(storage.create_file("t"))
                compact_term_table(holder, str(spill_dir))
                assert type(holder._tindex) is _CompactTermTable
            else:
                holder._tindex = _crc_table(storage.create_file("t"))
            for key in sorted(entries):
                holder._tindex.add(key, entries[key])
            if compact:
                assert bool(holder._tindex.spilled) == bool(spill_every and len(entries) >= spill_every)
            holder._tindex.close()
            files.append(storage.open_file("t").read())
            reader = OrderedHashReader.open(storage, "t")
            assert reader.hashtype == arsearch.codec.termtable.CRC_HASH
            assert {key: reader[key] for key in entries} == entries
            assert list(reader.keys()) == sorted(entries)
            assert b"\xff" * 7 not in reader
    finally:
        arsearch.codec.termtable.TABLE_TERMS = kept
    assert files[0] == files[1]
    assert not list(spill_dir.iterdir())  # the temporary files are gone


@pytest.mark.parametrize("start", [0, 60_000])
def test_spilled_key_positions_keep_whoosh_array_type(tmp_path, start):
    """The keys' positions written after spilling have the type Whoosh's growing array
    reaches, positions crossing from 2-byte to 4-byte before or after a spill."""
    from whoosh.filedb.filetables import OrderedHashWriter
    from whoosh.filedb.structfile import StructFile

    from arsearch.codec.termtable import _CompactTermTable

    files = []
    kept = arsearch.codec.termtable.TABLE_TERMS
    arsearch.codec.termtable.TABLE_TERMS = 3
    try:
        for compact in (False, True):
            path = tmp_path / f"t{int(compact)}"
            dbfile = StructFile(open(path, "wb"))
            table = OrderedHashWriter(dbfile) if compact else _crc_table(dbfile)
            if compact:
                holder = type("Holder", (), {})()
                holder._tindex = table
                arsearch.codec.termtable.compact_term_table(holder, str(tmp_path))
                assert type(table) is _CompactTermTable
            # values long enough to push the positions past 2**16
            if start:
                table.dbfile.seek(start)
                if compact:
                    table.position = start
            for i in range(10):
                table.add(b"k%02d" % i, b"v" * 20_000)
            if compact:
                assert table.index_counts  # positions went to their file
            table.close()
            files.append(path.read_bytes())
    finally:
        arsearch.codec.termtable.TABLE_TERMS = kept
    assert files[0] == files[1]


def test_index_with_md5_term_tables_reads_as_with_crc_ones(seed_sentences, tmp_path, monkeypatch):
    """Segments written before the CRC-32 term table (Whoosh's MD5 one) are read as
    before, beside new ones: the same postings and the same search results."""
    docs = seed_documents()
    new = Index(tmp_path / "new")
    new.add_many(docs[::2])
    new.add_many(docs[1::2])
    with monkeypatch.context() as m:
        m.setattr(arsearch.writing.writers, "compact_term_table", lambda fieldwriter, spill_dir=None: None)
        old = Index(tmp_path / "old")
        old.add_many(docs[::2])  # an MD5 table
    old.add_many(docs[1::2])  # a CRC-32 table beside it
    tables = sorted(r._terms._tindex.hashtype for r, _ in old._searcher().reader().leaf_readers())
    assert tables == [0, arsearch.codec.termtable.CRC_HASH]
    assert _all_postings(old) == _all_postings(new)
    words = [w for s in seed_sentences[:40] for w in s.split()[:2]]
    queries = words + [f'"{a} {b}"' for a, b in zip(words, words[1:])]
    # The same index written two ways: the same scores to the bit, in the same order.
    hits = hits_of(old, queries)
    assert hits == hits_of(new, queries)
    found = sum(bool(hits[query]) for query in queries)  # a query given twice counts twice
    assert found > len(words)


def test_segment_writers_use_the_compact_term_table(tmp_path):
    from arsearch.codec.termtable import _CompactTermTable

    with Index(tmp_path / "ix") as ix:
        writer = ix._writer()
        try:
            assert type(writer.pool) is TermPool
            assert type(writer.fieldwriter._tindex) is _CompactTermTable
        finally:
            writer.cancel()


@pytest.mark.parametrize("codec", ["W3Codec", "ArsearchCodec"])
@pytest.mark.parametrize("blocklimit", [128, 3])
def test_terms_written_a_term_at_a_time_are_whoosh_bytes(tmp_path, monkeypatch, blocklimit, codec):
    """The postings and term files of a segment, byte for byte as the codec's
    per-posting writer makes them (several blocks per term with a small block limit),
    for Whoosh's W3 blocks and arsearch's."""
    from whoosh.codec import whoosh3

    from arsearch.codec import blocks as codec_module

    monkeypatch.setattr(whoosh3.W3Codec.__init__, "__defaults__", (blocklimit, 3, 1))
    monkeypatch.setattr(codec_module, "BLOCK_LIMIT", blocklimit)
    codec_class = getattr(whoosh3, codec, None) or getattr(codec_module, codec)
    monkeypatch.setattr(arsearch.writing.writers, "POSTINGS_CODEC", codec_class)
    assert codec_class()._blocklimit == blocklimit
    docs = seed_documents(repeat=3)
    files = {}
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(arsearch.writing.writers, "can_write_terms", lambda fieldwriter: False)
        path = tmp_path / f"ix{fast}"
        with Index(path) as ix:
            ix.add_many(docs)
            reader = ix._searcher().reader()
            most = max(reader.doc_frequency("body_stem", t) for t in reader.lexicon("body_stem"))
            assert most > 3 * blocklimit or blocklimit == 128  # several blocks per term
            segment = reader.segment()
            assert type(segment.codec()) is codec_class
            storage = segment.open_compound_file(ix._ix.storage) if segment.is_compound() else ix._ix.storage
            files[fast] = [storage.open_file(segment.make_filename(ext)).read() for ext in (".trm", ".pst")]
    assert files[True] == files[False]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 2**31 - 1), st.sampled_from([1.0, 2.0, 0.5, 1e300]),
                          st.one_of(st.none(), st.binary(max_size=6))), max_size=30),
       st.sampled_from([None, -1, 0, 1, 4]))
def test_unpack_columns_gives_the_packed_postings(postings, fixedsize):
    """Postings of any values, and of values of a fixed size (the format's), unpacked
    as columns: those that were packed."""
    from arsearch.writing.pool import pack_postings, unpack_columns

    if fixedsize is not None and fixedsize >= 0:
        postings = [(d, w, v if v is None else (v * 4)[:fixedsize].ljust(fixedsize, b"\0")) for d, w, v in postings]
    for buf in (pack_postings(postings), bytes(pack_postings(postings))):
        ids, weights, values = unpack_columns(buf, fixedsize)
        assert list(zip(ids, weights, values)) == postings
        assert all(type(v) is bytes for v in values if v is not None)
