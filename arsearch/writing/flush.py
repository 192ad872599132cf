"""A segment's postings written a term at a time: the pool's sorted runs go straight
into the codec's blocks (arsearch's, or Whoosh's W3 ones), with the field lengths read
once per field rather than once per posting."""

from __future__ import annotations

import functools
import struct
import zlib
from array import array
from collections.abc import Iterable
from pickle import dumps

from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.system import emptybytes, pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import delta_encode

from ..codec.blocks import (
    BLOCK_MAGIC,
    ArsearchCodec,
    ArsearchPostingsWriter,
    encode_block,
    encode_single,
)
from ..codec.lengths import length_bytes
from ..codec.termtable import PENDING_BYTES
from .pool import NONE_VALUE, RECORD, unpack_columns


# --- writing the segment's postings a term at a time ------------------------------
def can_write_terms(fieldwriter) -> bool:
    """Whether :func:`write_terms` can stand in for this field writer's ``add_postings``
    (a W3 field writer, of W3's or arsearch's blocks, whose postings writer never
    inlines postings)."""
    if type(fieldwriter) is not W3FieldWriter:
        return False
    probe = fieldwriter._codec.postings_writer(None)
    return type(probe) in (W3PostingsWriter, ArsearchPostingsWriter) and not probe._byteids and probe._inlinelimit <= 1


def _field_lengths(lengths, fieldname: str) -> list[int]:
    """Every document's length of the field as ``doc_field_length_reader`` gives it,
    0 for none."""
    raw = length_bytes(lengths, fieldname)
    if raw is not None:
        table = [byte_to_length(b) if b else 0 for b in range(256)]
        return [table[b] for b in raw]
    get = lengths.doc_field_length_reader(fieldname)
    return [get(d) or 0 for d in range(lengths._doccount)]


def write_terms(fieldwriter: W3FieldWriter, schema, lengths, terms: Iterable[tuple[tuple[str, bytes], bytes]]) -> None:
    """Write sorted terms and their postings as Whoosh's ``FieldWriter.add_postings``
    writes them through the codec's postings writer (one method call per posting, one
    object per block and term): the same bytes, a block written at once, the term's
    statistics added up here. ``terms``: ``(field, term)`` and the term's postings as
    :class:`TermPool` packs them. Most terms, the word pairs above all, have one posting."""
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    own_blocks = isinstance(fieldwriter._codec, ArsearchCodec)  # else W3's blocks
    # W3TermInfo.to_bytes of a term written to the postings file: its info, offset, length
    pack_entry = struct.Struct(W3TermInfo._struct.format + "qi").pack
    to_byte = functools.lru_cache(maxsize=4096)(length_to_byte)
    position = postfile.tell()
    out = bytearray()  # postings not yet written: one write for many terms
    lastfn = None
    record = RECORD.unpack_from
    for (fieldname, btext), packed in terms:
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldobj = schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            lastfn = fieldname
            writer = fieldwriter._postwriter
            blocklimit, level = writer._blocklimit, writer._compression
            fixedsize = fieldobj.format.fixed_value_size()
            lens = _field_lengths(lengths, fieldname) if lengths else None
            keyprefix = pack_ushort(fieldwriter._fieldid)
        if own_blocks:
            docnum, raw_weight, size = record(packed, 0)
            if docnum >= 0 and len(packed) == RECORD.size + (0 if size == NONE_VALUE else size):
                # One posting (most terms): its block and statistics as below, directly.
                length = lens[docnum] if lens is not None else 0
                chunk, weight = encode_single(docnum, raw_weight, packed[RECORD.size:], length or None, level)
                out += BLOCK_MAGIC
                out += chunk
                size = len(BLOCK_MAGIC) + len(chunk)
                tindex.add(keyprefix + btext, pack_entry(False, weight, 1, to_byte(length) if length else 0,
                                                         to_byte(length), raw_weight if raw_weight > 0 else 0,
                                                         docnum, docnum, position, size))
                position += size
                if len(out) >= PENDING_BYTES:
                    postfile.write(out)
                    out = bytearray()
                continue
        ids, raws, values = unpack_columns(packed, fixedsize)
        if ids[0] == -1:  # spelling words (sorted first) are not postings
            spelling = ids.count(-1)
            ids, raws, values = ids[spelling:], raws[spelling:], values[spelling:]
            if not ids:
                continue
        startoffset = position
        n = len(ids)
        # the term's statistics, as W3TermInfo.add_block adds them up block by block
        weight, minlength, maxlength, maxweight = 0, None, 0, 0
        chunk = BLOCK_MAGIC if own_blocks else WHOOSH3_HEADER_MAGIC
        for start in range(0, n, blocklimit):
            if n > blocklimit:
                block = slice(start, start + blocklimit)
                bids, raw, bvalues = ids[block], raws[block], values[block]
            else:
                bids, raw, bvalues = ids, raws, values
            top = max(raw)
            bmaxweight = top if top > 0 else 0
            weights = array("f", raw)
            if lens is not None:
                found = [x for x in map(lens.__getitem__, bids) if x]
            else:
                found = ()
            bminlength = min(found) if found else None
            bmaxlength = max(found) if found else 0
            weight += sum(weights)
            if minlength is None:
                minlength = bminlength
            elif bminlength is not None:
                minlength = min(minlength, bminlength)
            maxlength = max(maxlength, bmaxlength)
            maxweight = max(maxweight, bmaxweight)
            last = start + blocklimit >= n
            if own_blocks:
                chunk += encode_block(bids, weights, bvalues, bminlength, bmaxlength, level, last)
                out += chunk
                position += len(chunk)
                chunk = b""
                continue
            kept = [v for v in bvalues if v]
            first = weights[0]
            if first == 1.0 and all(w == 1.0 for w in weights):
                mini_weights = None
            elif all(w == first for w in weights):
                mini_weights = first
            else:
                mini_weights = tuple(weights)
            if fixedsize is None or fixedsize < 0:
                mini_values = tuple(kept)
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = emptybytes.join(kept)
            gaps = (bids[0],) if len(bids) == 1 else tuple(delta_encode(bids))
            databytes = dumps((gaps, mini_weights, mini_values), 2)
            comp = level if len(databytes) >= COMPRESSION_MIN_SIZE else 0
            if comp:
                databytes = zlib.compress(databytes, comp)
            infobytes = dumps((len(bids), bids[-1], bmaxweight, comp, to_byte(bminlength), to_byte(bmaxlength)), 2)
            blocklength = len(infobytes) + len(databytes)
            chunk += pack_int(-blocklength if last else blocklength) + infobytes + databytes
            out += chunk
            position += len(chunk)
            chunk = b""
        tindex.add(keyprefix + btext, pack_entry(
            False, weight, n, 0 if minlength is None else to_byte(minlength), to_byte(maxlength),
            maxweight, ids[0], ids[-1], startoffset, position - startoffset,
        ))
        if len(out) >= PENDING_BYTES:
            postfile.write(out)
            out = bytearray()
    postfile.write(out)
    if lastfn is not None:
        fieldwriter.finish_field()
