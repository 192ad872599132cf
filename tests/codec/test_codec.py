"""arsearch's postings blocks read back exactly what was written, through Whoosh's
matcher interface and as arrays, and an index gives the same results with them as
with Whoosh's W3 blocks."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import hits_of
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import formats
from whoosh.codec.whoosh3 import CorruptIndexError, W3Codec, W3TermInfo
from whoosh.filedb.filestore import RamStorage

import arsearch.index
from arsearch import Index
from arsearch.codec import ArsearchCodec, ArsearchLeafMatcher, CompactPositions, encode_block, encode_single, term_postings

_POSITIONS = st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=6, unique=True).map(sorted)
# (gap to the previous document, weight, positions) of each posting
_POSTINGS = st.lists(
    st.tuples(st.sampled_from([1, 2, 255, 256, 70_000]) | st.integers(1, 2**20),
              st.sampled_from([1.0, 2.0, 7.0, 255.0, 256.0, 0.5, 1e-3]), _POSITIONS),
    min_size=1, max_size=300,
)


def _written(postings, fmt, blocklimit):
    """Write one term's postings with arsearch's postings writer; its matcher."""
    storage = RamStorage()
    codec = ArsearchCodec(blocklimit=blocklimit)
    f = storage.create_file("p")
    writer = codec.postings_writer(f)
    info = W3TermInfo()
    writer.start_postings(fmt, info)
    for doc, weight, positions, length in postings:
        writer.add_posting(doc, weight, fmt.encode(positions) if positions is not None else b"", length)
    writer.finish_postings()
    f.close()
    return codec.postings_reader(storage.open_file("p"), info, fmt), info, storage


@settings(max_examples=150, deadline=None)
@given(_POSTINGS, st.sampled_from([1, 3, 128]), st.booleans())
def test_blocks_read_back_what_was_written(postings, blocklimit, with_positions):
    fmt = CompactPositions() if with_positions else formats.Existence()
    docs = np.cumsum([gap for gap, _, _ in postings]).tolist()
    rows = [(d, w, p if with_positions else None, len(p)) for d, (_, w, p) in zip(docs, postings)]
    want_weights = [float(np.float32(w)) for _, w, _ in postings]  # kept as 32-bit floats, as Whoosh keeps them

    m, info, storage = _written(rows, fmt, blocklimit)
    assert type(m) is ArsearchLeafMatcher
    got = []
    while m.is_active():
        got.append((m.id(), m.weight(), m.value_as("positions") if with_positions else m.value()))
        m.next()
    assert got == [(d, w, p if with_positions else None) for (d, _, p, _), w in zip(rows, want_weights)]
    assert (info.doc_frequency(), info.min_id(), info.max_id()) == (len(docs), docs[0], docs[-1])

    m, _, _ = _written(rows, fmt, blocklimit)
    ids, weights, positions = [], [], []
    while m.is_active():
        assert m.block_min_id() == m.id() and m.block_max_id() >= m.id()
        block_ids, block_weights = m.block_arrays()
        ids += block_ids.tolist()
        weights += block_weights.tolist()
        if with_positions:
            b_ids, b_starts, b_positions = m.block_positions()
            positions += [b_positions[a:b].tolist() for a, b in zip(b_starts, b_starts[1:])]
        m._i = m._blocklength
        m._next_block()
    assert (ids, weights) == (docs, want_weights)
    all_ids, all_weights = term_postings(storage.open_file("p"), info)  # every block at once
    assert (all_ids.dtype, all_weights.dtype) == (np.int64, np.float64)
    assert (all_ids.tolist(), all_weights.tolist()) == (docs, want_weights)
    if with_positions:
        assert positions == [p for _, _, p in postings]


def test_skip_to_and_block_quality_read_the_headers():
    rows = [(d, float(1 + d % 5), [d % 7], 3 + d % 11) for d in range(0, 3000, 3)]
    m, _, _ = _written(rows, CompactPositions(), 128)
    m.skip_to(1500)
    assert m.id() == 1500 and m.weight() == float(1 + 1500 % 5) and m.value_as("positions") == [1500 % 7]
    m.skip_to(2998)
    assert not m.is_active()
    m, _, _ = _written(rows, CompactPositions(), 128)
    assert m.block_max_weight() == 5.0 and m.block_min_length() <= 3 and m.block_max_length() >= 13


def test_a_damaged_posting_list_raises_a_clear_error():
    storage = RamStorage()
    f = storage.create_file("p")
    f.write(b"W3??" + b"\0" * 40)
    f.close()
    info = W3TermInfo()
    info.set_extent(0, 44)
    with pytest.raises(CorruptIndexError, match="rebuild"):
        ArsearchCodec().postings_reader(storage.open_file("p"), info, CompactPositions())


_DOCS = [
    "قال خليفة حفتر في بنغازي إن حكومة الوفاق الوطني لم ترد",
    "وحفتر والحكومة في دمشق، ولحفتر أنصار في مصراتة",
    "مُحَمَّدٌ رسول الله، والحكومات العربية في القاهرة ودمشق",
    "اجتمع رئيس حكومة الوفاق فايز السراج مع المبعوث الأممي في طرابلس",
]
_QUERIES = [("حفتر", "all"), ("الحكومة", "all"), ('"حكومة الوفاق"', "all"), ('"خليفة حفتر"', "all"),
            ("حكومة الوفاق", "auto"), ("دمشق حفتر", "any"), ("دمش*", "all"), ("حفتر~1", "all"),
            ("حفتر -دمشق", "all"), ("محمد", "all")]


def _results(ix):
    # One index against another: the same scores to the bit, in the same order.
    return hits_of(ix, _QUERIES, limit=20)


def test_results_are_those_of_whoosh_blocks(seed_sentences, monkeypatch):
    """Whoosh's W3 blocks and pickled positions (indexes built before), arsearch's
    blocks, and an index of both kinds of segments merged: the same hits, scores to
    the bit. (A merge changes scores a little, with any blocks: Whoosh's field length
    totals are added up again from the lengths kept as one byte a document.)"""
    docs = [{"id": f"d{i}", "text": t} for i, t in enumerate(_DOCS * 20 + seed_sentences)]
    ours = Index()
    ours.add_many(docs[: len(docs) // 2])
    ours.add_many(docs[len(docs) // 2:])
    assert all(type(seg.codec()) is ArsearchCodec for seg in ours._ix._segments())

    real = arsearch.index.build_schema
    with monkeypatch.context() as patch:
        patch.setattr(arsearch.index, "build_schema", lambda config: real(config, compact_positions=False))
        patch.setattr(arsearch.writing.writers, "POSTINGS_CODEC", W3Codec)
        before = Index()
        before.add_many(docs[: len(docs) // 2])
    assert type(before._ix.schema["body_exact"].format) is formats.Positions
    assert all(type(seg.codec()) is W3Codec for seg in before._ix._segments())
    assert _results(before) != _results(ours)  # half the documents: a real comparison

    before.add_many(docs[len(docs) // 2:])  # new segments in arsearch's blocks
    assert {type(seg.codec()) for seg in before._ix._segments()} == {W3Codec, ArsearchCodec}
    assert _results(before) == _results(ours)
    before.optimize()
    ours.optimize()
    assert [type(seg.codec()) for seg in before._ix._segments()] == [ArsearchCodec]
    assert _results(before) == _results(ours)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(-10, 1000, allow_nan=False) | st.sampled_from([1.0, 2.0, 255.0, 256.0]),
       st.binary(max_size=200), st.one_of(st.none(), st.integers(1, 200_000)), st.sampled_from([0, 3]))
def test_one_posting_blocks_are_encode_block_blocks(docnum, weight, value, length, level):
    block, w32 = encode_single(docnum, weight, value, length, level)
    assert block == encode_block([docnum], [weight], [value], length, length, level, True)
    assert w32 == float(np.float32(weight))


def _encode_block_before(ids, weights, values, minlength, maxlength, level, last):
    """encode_block as first written (generators over the postings), the reference for
    the bytes of the faster one."""
    import zlib
    from array import array

    from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE
    from whoosh.util.numeric import length_to_byte

    from arsearch.codec.blocks import _GAP_TYPES, _HEAD, _le_bytes

    n = len(ids)
    widest = max((b - a for a, b in zip(ids, ids[1:])), default=0)
    width = 1 if widest < 0x100 else 2 if widest < 0x10000 else 4
    gaps = _le_bytes(_GAP_TYPES[width][0], [b - a for a, b in zip(ids, ids[1:])]) if n > 1 else b""
    floats = array("f", weights)
    top = max(floats)
    if all(w == 1.0 for w in floats):
        wcode, wbytes = 0, b""
    elif all(0 <= w < 256 and w == int(w) for w in floats):
        wcode, wbytes = 1, bytes(int(w) for w in floats)
    else:
        wcode, wbytes = 2, _le_bytes("f", floats)
    if not any(values):
        vcode, vbytes = 0, b""
    else:
        vbytes, vcode = _le_bytes("I", [len(v) for v in values]) + b"".join(values), 1
        if level and len(vbytes) >= COMPRESSION_MIN_SIZE:
            vcode, vbytes = 2, zlib.compress(vbytes, level)
    length = _HEAD.size - 4 + len(gaps) + len(wbytes) + len(vbytes)
    head = _HEAD.pack(-length if last else length, n, ids[0], ids[-1], top if top > 0 else 0.0, width, wcode, vcode,
                      length_to_byte(minlength), length_to_byte(maxlength))
    return head + gaps + wbytes + vbytes


_WEIGHTS = st.sampled_from([1.0, 2.0, 7.0, 255.0, 256.0, 0.5, 0.0, -0.0, -1.0, 1e-3, float("inf")])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2, 255, 256, 65_535, 65_536]) | st.integers(1, 2**20), _WEIGHTS,
                          st.binary(max_size=12)), min_size=1, max_size=200),
       st.booleans(), st.booleans(), st.sampled_from([0, 3]))
def test_encode_block_writes_the_bytes_it_first_wrote(postings, all_ones, no_values, level):
    ids = np.cumsum([gap for gap, _, _ in postings]).tolist()
    weights = [1.0 if all_ones else w for _, w, _ in postings]
    values = [b"" if no_values else v for _, _, v in postings]
    for last in (False, True):
        args = (ids, weights, values, min(ids) % 500 or None, max(ids) % 90_000, level, last)
        assert encode_block(*args) == _encode_block_before(*args)


@settings(max_examples=200, deadline=None)
@given(_POSITIONS)
def test_compact_positions_are_little_endian_32_bit_integers(positions):
    """One position or several: the same layout, read back as written."""
    fmt = CompactPositions()
    encoded = fmt.encode(positions)
    assert encoded == np.array(positions, dtype="<u4").tobytes()
    assert fmt.decode_positions(encoded) == positions and fmt.decode_frequency(encoded) == len(positions)


@pytest.mark.parametrize("poslist", [[-1], [2**32], [0, 2**32], [-3, 5]])
def test_positions_out_of_range_are_a_value_error(poslist):
    from arsearch.codec import CompactPositions

    with pytest.raises(ValueError, match="from 0 to 2"):
        CompactPositions().encode(poslist)
