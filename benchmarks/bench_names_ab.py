"""Person names in text that is not all ASCII, before/after in one process: this tree's
``Names._scan`` against a copy of main's (before the C kernels read ASCII line stretches of other
text: names there ran in Python), swapped in per call, interleaved in alternating order.

    PYTHONPATH=src python benchmarks/bench_names_ab.py

Rows: pii_eval documents (seeds 7 and 11, held-out 17; 300 each), all and those with a non-ASCII
character; ``PII().detect`` (all default entities) and ``Names.scan`` alone. Calling-thread CPU
µs, medians.
"""
# ruff: noqa
# mypy: ignore-errors
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))
import bench_pii_ab
import pii_eval

import guardwrap as gw
from guardwrap.pii import _names
from guardwrap.pii._layout import Doc

new_scan = _names.Names._scan
def old_scan(self, doc, out):
    """main's `Names._scan`."""
    text = doc.text
    if text.isascii():
        starts = _names.intro_starts(text)
        if starts:
            self._lower_intros(text, out, _names.intro_matches(text, starts))
    elif _names._LOWER_HINT.search(text) is not None:
        self._lower_intros(text, out, list(_names._LOWER_INTRO.finditer(text)))
    if ":" in text or "=" in text:
        self._lower_labels(text, text.lower(), out)
    if _names._K is not None and text.isascii():
        self._scan_c(doc, text, 0, out)
        return
    for s, e in _names.seq_spans(text):
        hit = self._judge(doc, s, e)
        if hit is not None:
            out.append(hit)
p = gw.PII()
nm = _names.Names()
def det_old(t):
    _names.Names._scan = old_scan; return p.detect(t)
def det_new(t):
    _names.Names._scan = new_scan; return p.detect(t)
def names_old(t):
    out = []; old_scan(nm, Doc(t), out); return out
def names_new(t):
    out = []; new_scan(nm, Doc(t), out); return out
clock = time.thread_time_ns
def inter(fns, docs, reps):
    res = {k: [] for k in fns}
    for _ in range(reps):
        for j, d in enumerate(docs):
            for k, f in (list(fns.items()) if (j + _) % 2 else list(fns.items())[::-1]):
                c = bench_pii_ab.fresh(d)
                _names.Names._scan = old_scan if k == "main" else new_scan
                a = clock(); f(c); res[k].append((clock() - a) / 1000)
    return res
print("| seed | docs | step | main µs | this µs | main / this |\n|---|---|---|---|---|---|")
for seed, sh in ((7, None), (11, None), (17, pii_eval.HELDOUT)):
    docs = [d.text for d in pii_eval.build(300, seed, sh)]
    for d in docs:
        assert names_old(d) == names_new(d)
    n = len(docs)
    for step, fns in (("PII().detect", {"main": p.detect, "this": p.detect}), ("Names.scan", {"main": names_old, "this": names_new})):
        for d in docs[:30]:
            for f in fns.values(): f(d)
        t = inter(fns, docs, 3)
        for label, idx in (("all", range(n)), ("non-ASCII", [i for i in range(n) if not docs[i].isascii()])):
            sel = [i + r * n for r in range(3) for i in idx]
            a = statistics.median(t["main"][i] for i in sel); b = statistics.median(t["this"][i] for i in sel)
            print(f"| {seed} | {label} ({len(idx)}) | {step} | {a:,.1f} | {b:,.1f} | {a / b:.2f} |", flush=True)
