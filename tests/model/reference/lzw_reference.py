#!/usr/bin/python3
"""Independent Python port of the zip2zip LZW codec — the TEST ORACLE for zip2zip studio.

Written only from the specification ../shared/docs/reference-zip2zip.md (§1.3 encoder, §1.4
fault-tolerant decoder, §1.5 streaming CodebookManager, §1.6 continuous_encode), as a literal
transcription of its pseudo-code with dicts of tuples.  It deliberately shares no code with the C++
engine; the C++ tests compare the engine against this file on random streams.

Codebook = two dicts (seq->id and id->seq) written together on every insertion, as in the
reference; lookups of a *code* use id->seq, membership tests of a *buffer* use seq->id.

Where the reference panics (or accepts garbage) this port raises LZWError (CLI exit code 2):
  * encoder input: any non-disabled id >= V (or < 0) — checked for the whole input up front;
  * decoder input: an id < 0, a non-disabled id >= V+K, an unknown hyper id with an empty buffer.

CLI (prints one JSON line, codebook keys in ascending numeric order):
  /usr/bin/python3 lzw_reference.py encode --V 27 --K 100 --S 5 --pad 0 --disabled 0,26 \
      --ids "1 2 3 4 5 1 2 3 4 5 1 2 3 4 5"
  -> {"codes":[1,2,3,4,5,27,29,31,28,30],"codebook":{"27":[1,2],...}}
  /usr/bin/python3 lzw_reference.py decode --V 10 --K 20 --S 4 --pad 0 --disabled 0 --ids "1 2 15 3"
  -> {"ids":[1,2,2,2,3],"codebook":{"10":[1,2],"12":[2,2,3],"15":[2,2]}}
Encode also takes --truncation --max-length N --padding max_length --offset N.
"""
import argparse
import json
import sys


class LZWError(Exception):
    """Input on which the reference codec panics, or which a port must reject."""


class Config:
    def __init__(self, V, K, S, pad, disabled=()):
        if V < 0 or K < 0 or S < 1:
            raise LZWError("invalid config V=%r K=%r S=%r" % (V, K, S))
        self.V = int(V)
        self.K = int(K)
        self.S = int(S)
        self.pad = int(pad)
        # The reference constructor always inserts pad_token_id into disabled_ids.
        self.disabled = set(int(d) for d in disabled) | {self.pad}


class State:
    """CompressionState: codebook (two maps), buffer, next id, pending updates."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.seq2id = {}   # tuple(base ids) -> hyper id
        self.id2seq = {}   # hyper id -> tuple(base ids)
        self.buf = []
        self.next = cfg.V
        self.updates = set()

    def insert(self, seq, hid):
        seq = tuple(seq)
        self.seq2id[seq] = hid
        self.id2seq[hid] = seq
        self.updates.add(hid)

    def codebook(self):
        """{id: [subtokens]} in ascending id order (id->seq map)."""
        return {k: list(self.id2seq[k]) for k in sorted(self.id2seq)}

    def get_subtokens(self, hid):
        if hid < self.cfg.V:
            return [hid]
        return list(self.id2seq[hid])

    def get_updates(self, use_padding):
        """Entries created since the last call, sorted by id: (flat S-wide rows, slot indices)."""
        cfg = self.cfg
        ids = sorted(self.updates)
        size = cfg.K if use_padding else len(ids)
        flat = [cfg.pad] * (size * cfg.S)
        idx = []
        for n, hid in enumerate(ids):
            e = self.id2seq[hid]
            flat[n * cfg.S:n * cfg.S + len(e)] = list(e)
            idx.append(hid - cfg.V)
        self.updates = set()
        return flat, idx


def encode(cfg, ids, offset=0, truncation=False, max_length=None, padding=None, state=None):
    """§1.3 encode_fn. Returns (codes, pos, state)."""
    ids = [int(x) for x in ids]
    for x in ids:
        if x < 0 or (x not in cfg.disabled and x >= cfg.V):
            raise LZWError("encoder input id %d is not a base id (V=%d) nor disabled" % (x, cfg.V))
    if truncation and max_length is None:
        raise LZWError("truncation requires max_length")
    if padding == "max_length" and max_length is None:
        raise LZWError("max_length padding requires max_length")
    st = state if state is not None else State(cfg)
    V, K, S = cfg.V, cfg.K, cfg.S
    out = []

    def emit(b):
        if not truncation or len(out) < max_length:
            out.append(b[0] if len(b) == 1 else st.seq2id[tuple(b)])

    buf = st.buf
    pos = offset
    n = len(ids)
    while pos < n:
        if truncation and len(out) >= max_length:
            break
        x = ids[pos]
        pos += 1
        if x in cfg.disabled:
            if buf:
                emit(buf)
                buf = []
            emit([x])
            continue
        buf.append(x)
        known = (x < V) if len(buf) == 1 else (tuple(buf) in st.seq2id)
        if not known:
            if st.next < V + K:
                st.insert(buf, st.next)
                st.next += 1
            buf.pop()
            emit(buf)
            buf = [x]
        if len(buf) == S:
            emit(buf)
            buf = []
    if buf:
        emit(buf)
    st.buf = buf
    if padding == "max_length" and len(out) < max_length:
        out = [cfg.pad] * (max_length - len(out)) + out
    return out, pos, st


def decode_into(st, codes):
    """§1.4 decode_fn on an existing state (streaming == offline). Returns the base ids."""
    cfg = st.cfg
    V, K, S = cfg.V, cfg.K, cfg.S
    out = []
    for c in codes:
        c = int(c)
        if c < 0:
            raise LZWError("negative id %d" % c)
        if c in cfg.disabled:
            st.buf = []
            out.append(c)
            continue
        if c >= V + K:
            raise LZWError("id %d >= V+K = %d" % (c, V + K))
        if c < V:
            D = [c]
        elif c in st.id2seq:
            D = list(st.id2seq[c])
        elif len(st.buf) == S:
            D = list(st.buf)                       # defensive force-merge branch, no insertion
        else:                                       # unknown code: KwKwK / cScSc case
            if not st.buf:
                raise LZWError("unknown hyper id %d with an empty buffer" % c)
            st.buf.append(st.buf[0])
            st.insert(st.buf, c)                    # inserted under the RECEIVED id
            st.next += 1
            out += st.buf                           # buf keeps the new entry as context
            continue
        out += D
        if st.next == V + K:                        # codebook full: stop tracking
            st.buf = []
            continue
        if not st.buf:
            st.buf = list(D)
            continue
        if len(st.buf) == S:                        # mirrors the encoder's forced flush
            st.buf = list(D)
            continue
        for j in range(len(D)):
            st.buf.append(D[j])
            if tuple(st.buf) not in st.seq2id:
                st.insert(st.buf, st.next)
                st.next += 1
                st.buf = list(D[j:])
                break
            if len(st.buf) == S:
                st.buf = list(D[j + 1:])
                break
    return out


def decode(cfg, codes):
    st = State(cfg)
    out = decode_into(st, codes)
    return out, st


class CodebookManager:
    """§1.5 streaming manager: one persistent state per batch row (batch size fixed by the first call)."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.states = None

    def update_codebooks(self, rows):
        cfg = self.cfg
        first = self.states is None
        if first:
            self.states = [State(cfg) for _ in rows]
        if len(rows) != len(self.states):
            raise LZWError("batch size changed")
        for st, row in zip(self.states, rows):
            row = [int(x) for x in row]
            if len(row) == 1 and row[0] == cfg.pad:
                continue                            # finished sequence: skipped
            decode_into(st, row)
        res = [st.get_updates(first) for st in self.states]
        flats = [r[0] for r in res]
        idxs = [r[1] for r in res]
        if not first:
            longest = max([len(i) for i in idxs] + [0])
            flats = [f + [cfg.pad] * (longest * cfg.S - len(f)) for f in flats]
        return flats, idxs

    def get_subtokens(self, hid, row=0):
        return self.states[row].get_subtokens(hid)

    def get_codebooks(self):
        return [st.codebook() for st in self.states]

    def reset(self):
        self.states = None


def continuous_encode(cfg, docs, max_length, min_length=0, use_padding=True):
    """§1.6 continuous_encode: chunks of <= max_length codes, fresh codebook per chunk."""
    chunks, books, offsets = [], [], []
    for ids in docs:
        offset = 0
        while min_length < len(ids) - offset:
            out, pos, st = encode(cfg, ids, offset=offset, truncation=True, max_length=max_length,
                                  padding="max_length" if use_padding else None)
            chunks.append(out)
            books.append(st.codebook())
            offsets.append(pos)
            offset = pos
    return chunks, books, offsets


def _parse_ids(s):
    s = s.replace(",", " ").strip()
    return [int(t) for t in s.split()] if s else []


def _cb_json(cb):
    return "{" + ",".join('"%d":%s' % (k, json.dumps(v, separators=(",", ":")))
                          for k, v in sorted(cb.items())) + "}"


def main(argv=None):
    ap = argparse.ArgumentParser(description="zip2zip LZW reference codec (test oracle)")
    ap.add_argument("mode", choices=["encode", "decode"])
    ap.add_argument("--V", type=int, required=True, help="initial_vocab_size")
    ap.add_argument("--K", type=int, required=True, help="max_codebook_size")
    ap.add_argument("--S", type=int, required=True, help="max_subtokens")
    ap.add_argument("--pad", type=int, required=True, help="pad_token_id (always disabled)")
    ap.add_argument("--disabled", default="", help="comma separated disabled ids")
    ap.add_argument("--ids", default=None, help='ids, e.g. "1 2 3" (default: stdin)')
    ap.add_argument("--truncation", action="store_true")
    ap.add_argument("--max-length", type=int, default=None)
    ap.add_argument("--padding", default=None, help='"max_length" for left padding')
    ap.add_argument("--offset", type=int, default=0)
    a = ap.parse_args(argv)
    try:
        cfg = Config(a.V, a.K, a.S, a.pad, _parse_ids(a.disabled))
        ids = _parse_ids(a.ids if a.ids is not None else sys.stdin.read())
        if a.mode == "encode":
            codes, _pos, st = encode(cfg, ids, offset=a.offset, truncation=a.truncation,
                                     max_length=a.max_length, padding=a.padding)
            print('{"codes":%s,"codebook":%s}' % (json.dumps(codes, separators=(",", ":")),
                                                   _cb_json(st.codebook())))
        else:
            out, st = decode(cfg, ids)
            print('{"ids":%s,"codebook":%s}' % (json.dumps(out, separators=(",", ":")),
                                                 _cb_json(st.codebook())))
    except (LZWError, ValueError) as e:
        print("lzw_reference: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
