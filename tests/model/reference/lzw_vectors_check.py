#!/usr/bin/python3
"""Asserts every codec test vector TV1-TV10 of ../shared/docs/reference-zip2zip.md §8 against
lzw_reference.py (the independent Python test oracle of zip2zip studio, written from the spec).
Exit code 0 if all pass, 1 otherwise.  Usage: /usr/bin/python3 lzw_vectors_check.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lzw_reference import (CodebookManager, Config, LZWError, continuous_encode,  # noqa: E402
                           decode, encode)

RESULTS = []


def check(name, got, want):
    ok = got == want
    RESULTS.append((name, ok))
    if not ok:
        print("FAIL %s\n  got  %r\n  want %r" % (name, got, want))


def cbd(s):
    """'27=[1,2] 28=[2,3]' -> {27: [1, 2], 28: [2, 3]}"""
    out = {}
    for tok in s.split():
        k, v = tok.split("=")
        out[int(k)] = [int(x) for x in v.strip("[]").split(",")]
    return out


def enc(cfg, ids, **kw):
    codes, _pos, st = encode(cfg, ids, **kw)
    return codes, st.codebook()


def roundtrip(name, cfg, ids):
    codes, st = encode(cfg, ids)[0], encode(cfg, ids)[2]
    base, dst = decode(cfg, codes)
    check(name + " roundtrip", base, list(ids))
    check(name + " decoder cb == encoder cb", dst.codebook(), st.codebook())


def raises(name, fn):
    try:
        fn()
    except LZWError:
        RESULTS.append((name, True))
        return
    RESULTS.append((name, False))
    print("FAIL %s: no LZWError" % name)


def main():
    # TV1
    c = Config(27, 100, 5, 0, [0, 26])
    ids = [1, 2, 3, 4, 5] * 3
    check("TV1", enc(c, ids), ([1, 2, 3, 4, 5, 27, 29, 31, 28, 30],
                               cbd("27=[1,2] 28=[2,3] 29=[3,4] 30=[4,5] 31=[5,1] 32=[1,2,3] "
                                   "33=[3,4,5] 34=[5,1,2] 35=[2,3,4]")))
    roundtrip("TV1", c, ids)

    # TV2
    text = "TOBEORNOTTOBEORTOBEORNOT"
    ids = [ord(ch) - ord("A") for ch in text]
    c = Config(27, 1024, 6, 26, [26])
    cb6 = cbd("27=[19,14] 28=[14,1] 29=[1,4] 30=[4,14] 31=[14,17] 32=[17,13] 33=[13,14] "
              "34=[14,19] 35=[19,19] 36=[19,14,1] 37=[1,4,14] 38=[14,17,19] 39=[19,14,1,4] "
              "40=[4,14,17] 41=[17,13,14]")
    want_codes = [19, 14, 1, 4, 14, 17, 13, 14, 19, 27, 29, 31, 36, 30, 32, 34]
    check("TV2 S=6", enc(c, ids), (want_codes, cb6))
    roundtrip("TV2 S=6", c, ids)
    c3 = Config(27, 1024, 3, 26, [26])
    codes3, cb3 = enc(c3, ids)
    check("TV2 S=3 codes", codes3, want_codes)
    check("TV2 S=3 entries 39/40", (cb3.get(39), cb3.get(40), 41 in cb3),
          ([4, 14, 17], [17, 13, 14], False))
    roundtrip("TV2 S=3", c3, ids)

    # TV3
    c4 = Config(10, 20, 4, 0, [0])
    check("TV3 S=4", enc(c4, [1] * 12), ([1, 10, 11, 12, 10], cbd("10=[1,1] 11=[1,1,1] 12=[1,1,1,1]")))
    roundtrip("TV3 S=4", c4, [1] * 12)
    c3 = Config(10, 20, 3, 0, [0])
    check("TV3 S=3", enc(c3, [1] * 12), ([1, 10, 11, 11, 11], cbd("10=[1,1] 11=[1,1,1]")))
    roundtrip("TV3 S=3", c3, [1] * 12)
    check("TV3 decoder KwKwK", decode(c4, [1, 10, 11])[0], [1] * 6)

    # TV4
    c = Config(10, 20, 4, 0, [0, 9])
    ids = [1, 2, 1, 2, 9, 1, 2, 1, 2, 3, 9, 9, 1, 2]
    check("TV4", enc(c, ids), ([1, 2, 10, 9, 10, 10, 3, 9, 9, 10],
                               cbd("10=[1,2] 11=[2,1] 12=[1,2,1] 13=[1,2,3]")))
    roundtrip("TV4", c, ids)

    # TV5
    c = Config(10, 2, 4, 0, [0])
    ids = [1, 2, 3] * 3
    check("TV5", enc(c, ids), ([1, 2, 3, 10, 3, 10, 3], cbd("10=[1,2] 11=[2,3]")))
    roundtrip("TV5", c, ids)
    check("TV5 K=0", enc(Config(10, 0, 4, 0, [0]), ids), (ids, {}))
    check("TV5 S=1", enc(Config(10, 20, 1, 0, [0]), ids), (ids, {}))
    roundtrip("TV5 K=0", Config(10, 0, 4, 0, [0]), ids)

    # TV6
    c = Config(6, 1000, 4, 99, [])
    ids = list(range(6)) * 2
    check("TV6", enc(c, ids), ([0, 1, 2, 3, 4, 5, 6, 8, 10],
                               cbd("6=[0,1] 7=[1,2] 8=[2,3] 9=[3,4] 10=[4,5] 11=[5,0] 12=[0,1,2] 13=[2,3,4]")))
    roundtrip("TV6", c, ids)
    c0 = Config(6, 1000, 4, 99, [0])
    check("TV6 0 disabled", enc(c0, ids), ([0, 1, 2, 3, 4, 5, 0, 6, 8, 5],
                                           cbd("6=[1,2] 7=[2,3] 8=[3,4] 9=[4,5] 10=[1,2,3] 11=[3,4,5]")))
    roundtrip("TV6 0 disabled", c0, ids)
    c2 = Config(10, 1000, 2, 99, [])
    ids2 = [1, 2, 1, 2, 1, 2, 1, 2, 3]
    check("TV6 S=2", enc(c2, ids2), ([1, 2, 10, 10, 10, 3], cbd("10=[1,2] 11=[2,1]")))
    roundtrip("TV6 S=2", c2, ids2)

    # TV7 streaming manager on a non-canonical stream
    c = Config(10, 20, 4, 0, [0])
    m = CodebookManager(c)
    flats, idxs = m.update_codebooks([[1, 2, 1, 2]])
    check("TV7 prefill flat", flats[0], [1, 2, 0, 0, 2, 1, 0, 0] + [0] * 72)
    check("TV7 prefill idx", idxs, [[0, 1]])
    steps = [(10, [1, 2, 1, 0], [2]), (12, [1, 2, 1, 2], [3]), (3, [2, 1, 3, 0], [4]),
             (13, [3, 1, 0, 0], [5]), (11, [], [])]
    for tok, want_flat, want_idx in steps:
        flats, idxs = m.update_codebooks([[tok]])
        check("TV7 step %d" % tok, (flats[0], idxs[0]), (want_flat, want_idx))
    final = cbd("10=[1,2] 11=[2,1] 12=[1,2,1] 13=[1,2,1,2] 14=[2,1,3] 15=[3,1]")
    check("TV7 final cb", m.get_codebooks()[0], final)
    stream = [1, 2, 1, 2, 10, 12, 3, 13, 11]
    base, st = decode(c, stream)
    check("TV7 offline decode", base, [1, 2, 1, 2, 1, 2, 1, 2, 1, 3, 1, 2, 1, 2, 2, 1])
    check("TV7 offline cb", st.codebook(), final)
    check("TV7 canonical re-encode", encode(c, base)[0], [1, 2, 10, 12, 11, 3, 13, 11])

    # TV7b
    for S in (3, 4):
        c = Config(3, 1000, S, 0, [0])
        base = [2, 1, 2, 1, 1, 2, 1, 1]
        check("TV7b S=%d canonical" % S, enc(c, base),
              ([2, 1, 3, 4, 1, 1], cbd("3=[2,1] 4=[1,2] 5=[2,1,1] 6=[1,2,1] 7=[1,1]")))
        out, st = decode(c, [2, 1, 3, 1, 5])
        check("TV7b S=%d model stream" % S, (out, st.codebook()),
              (base, cbd("3=[2,1] 4=[1,2] 5=[2,1,1] 6=[1,2,1]")))

    # TV8
    c = Config(27, 100, 5, 0, [0, 26])
    ids = [1, 2, 3, 4, 5] * 2
    check("TV8 truncation", encode(c, ids, truncation=True, max_length=6)[0], [1, 2, 3, 4, 5, 27])
    check("TV8 max_length padding", encode(c, ids, padding="max_length", max_length=12)[0],
          [0, 0, 0, 0, 1, 2, 3, 4, 5, 27, 29, 5])
    chunks, _books, offs = continuous_encode(c, [[1, 2, 3, 4, 5] * 4], max_length=6)
    check("TV8 continuous", (chunks, offs),
          ([[1, 2, 3, 4, 5, 27], [4, 5, 1, 2, 3, 27], [0, 0, 2, 3, 4, 5]], [8, 16, 20]))

    # TV9 batch manager
    c = Config(10, 20, 4, 0, [0])
    m = CodebookManager(c)
    flats, idxs = m.update_codebooks([[1, 2, 1, 2], [0, 0, 3, 3]])
    check("TV9 prefill", ([len(f) for f in flats], idxs), ([80, 80], [[0, 1], [0]]))
    check("TV9 step 1", m.update_codebooks([[10], [0]]), ([[1, 2, 1, 0], [0, 0, 0, 0]], [[2], []]))
    check("TV9 step 2", m.update_codebooks([[3], [3]]), ([[1, 2, 3, 0], [0, 0, 0, 0]], [[3], []]))

    # TV10
    c = Config(10, 20, 4, 0, [0])
    out, st = decode(c, [1, 2, 15, 3])
    check("TV10 hole", (out, st.codebook(), st.next),
          ([1, 2, 2, 2, 3], {10: [1, 2], 15: [2, 2], 12: [2, 2, 3]}, 13))
    out, st = decode(c, [1, 2, 11, 3])
    check("TV10 canonical", st.codebook(), {10: [1, 2], 11: [2, 2], 12: [2, 2, 3]})

    # panics of the reference -> LZWError
    raises("panic: unknown id first", lambda: decode(c, [12]))
    raises("panic: unknown id after disabled", lambda: decode(c, [1, 0, 10]))
    raises("reject: id >= V+K", lambda: decode(c, [1, 2, 30]))
    raises("reject: encoder id >= V", lambda: encode(c, [1, 2, 10]))

    failed = [n for n, ok in RESULTS if not ok]
    print("lzw_vectors_check: %d passed, %d failed" % (len(RESULTS) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
