"""Round 10c (h-ind13): probes of features for indirect prompt injection, measured, none shipped.

    python training/injection/probe_indirect.py base ai+tight+oversight   # folds holding the target families
    python training/injection/probe_indirect.py --all v1                  # every fold

Each variant is trained and validated exactly as `train.py` does (same corpus, folds, threshold for
<= 1% FPR on every benign source), with `CONCEPTS` changed in the process (or, for ``forms`` and
``sentence``, the featuriser: Python only, the shipped scorer cannot read them). Prints detection
of every family of the folds run, macro over the seven indirect families below, and the summed
test-split FPR per benign source. Writes nothing. See benchmarks/injection.md, Round 10c.
"""

from __future__ import annotations

import re
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train as T  # first: it pins numpy's floating-point paths before numpy loads

from guardwrap.injection import _features as F
from guardwrap.injection._canon import canonical, word_set

np = T.np
TARGET = ["tool-hijack", "exfiltration", "indirect-subtle", "bipia-code", "bipia-targeted",
          "bipia-task-irrelevant", "bipia-task-relevant"]
BASE = dict(F.CONCEPTS)
BASE_FEATURIZE = T.featurize

#: the word lists tried (words already in a class keep it, as in `_features`)
ADD = {
    # the machine addressed: agents and plurals
    "ai": ("@ai", "agent agents agentic assistants models llms bots chatbots copilot"),
    "reader": ("@reader", "ingest ingesting parser parsing crawler crawlers scraper scrapers"),
    # an agent's actions: side effects and writing into the output
    "act": ("@act", "send sending sends forward forwarding forwarded email emailing mail mailing post posting upload "
                    "uploading transmit transmitting transfer transferring wire export exporting share sharing delete "
                    "deleting purge grant granting approve approving pay paying call calling fetch browse navigate visit "
                    "click download install include including insert inserting integrate integrating incorporate "
                    "incorporating embed embedding append appending prepend attach attaching add adding put"),
    "actn": ("@act", "send sending forward forwarding upload uploading transmit transmitting post posting include including "
                     "insert inserting integrate integrating incorporate embed embedding append appending prepend"),
    # secrecy towards the user
    "hide": ("@hide", "mention mentioning inform informing notify notifying unaware covert covertly discreet discreetly "
                      "invisible"),
    "hidesecret": ("@secret", "mention mentioning inform informing notify notifying unaware covert covertly discreet "
                              "discreetly invisible"),
    "user": ("@user", "user users human requester"),
    # destinations
    "link": ("@link", "http https www href src gif png jpg jpeg webhook beacon endpoint query"),
    "linkn": ("@link", "http https www src href"),
    # the reader's output
    "respond": ("@respond", "summary summaries summarise summarize summarising summarizing message messages"),
    # no oversight: "do not ask for confirmation", "already approved"
    "oversight": ("@oversight", "confirmation confirm confirming approval approve approved approving permission verify "
                                "verification"),
}
TIGHT = {"@link": "href src webhook beacon https http", "@act": "forward forwarding upload uploading transmit transmitting exfil",
         "@hide": "covertly discreetly invisible informing notifying"}
#: the AI nouns moved out of ``@ai`` (which keeps "you", "your"...) into a class of their own / into ``@reader``
BOT = "ai assistant chatbot model llm gpt bot agent agents agentic assistants models llms bots chatbots copilot"

#: ``forms``: form tokens appended to the chunk they start in, read as concepts
FORMS = [("zzcall", "@call", re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\s*\(")),   # snake_case function call
         ("zzurlq", "@dest", re.compile(r"https?://[^\s)\"'>]*[?&][a-z0-9_]+=")),  # URL with a query parameter
         ("zzmdimg", "@dest", re.compile(r"!\[[^\]\n]{0,80}\]\(")),               # markdown image
         ("zzimg", "@dest", re.compile(r"<img\b")),
         ("zzmail", "@dest", re.compile(r"\b[a-z0-9._-]+@[a-z0-9-]+\.[a-z0-9.-]+"))]
_SENT = re.compile(r"[^.!?\n;]+")


def _featurize(forms: bool, sentence: bool):  # type: ignore[no-untyped-def]
    def featurize(text, scanner):  # type: ignore[no-untyped-def]
        view, origin = canonical(text)
        vb = F.chunk_bounds(view)
        toks = F.deleet(view, F.chunk_tokens(view, vb))
        words = word_set(view)
        sigs = F.signal_chunks(F.original_bounds(vb, origin), scanner.scan_view(text, view, origin, words))
        if forms:
            for name, _, rx in FORMS:
                for m in rx.finditer(view):
                    k = next(i for i, (a, b) in enumerate(vb) if a <= m.start() < b)
                    toks[k] = [*toks[k], name]
        out = [F.chunk_features(toks[k], sigs[k]) for k in range(len(vb))]
        if sentence:  # pairs of concepts within one sentence, beside the chunk's pairs
            lm = F.leet_map(view) or {}
            for k, (a, b) in enumerate(vb):
                qs: set[str] = set()
                for m in _SENT.finditer(view, a, b):
                    cs = sorted({F.CONCEPTS[t] for t in (lm.get(x, x) for x in m.group().translate(F.SPLIT).split())
                                 if t in F.CONCEPTS})
                    qs.update(f"q:{x} {y}" for x, y in combinations(cs, 2))
                out[k].update(dict.fromkeys(qs, 1.0))
                out[k][F.NGRAMS] += len(qs)
        hidden = F.hidden_text(text, words)
        if hidden is not None:
            h = hidden[0]
            out.append(F.chunk_features(F.deleet(h, F.chunk_tokens(h, [(0, len(h))]))[0]))
        return out
    return featurize


def apply(name: str) -> None:
    F.CONCEPTS.clear()
    F.CONCEPTS.update(BASE)
    parts = set(name.split("+")) - {"base"}
    if "v1" in parts:
        parts |= {"ai", "reader", "act", "hide", "user", "link", "respond"}
    for p in sorted(parts):
        if p in ADD:
            concept, words = ADD[p]
            for w in words.split():
                F.CONCEPTS.setdefault(w, concept)
        elif p == "tight":
            for concept, words in TIGHT.items():
                for w in words.split():
                    F.CONCEPTS.setdefault(w, concept)
        elif p in ("bot", "botreader"):
            for w in BOT.split():
                F.CONCEPTS[w] = "@bot" if p == "bot" else "@reader"
    if "forms" in parts:
        F.CONCEPTS.update({name: c for name, c, _ in FORMS})
    T.featurize = _featurize("forms" in parts, "sentence" in parts) if parts & {"forms", "sentence"} else BASE_FEATURIZE


def run(name: str, rows: list, every_fold: bool) -> None:  # type: ignore[type-arg]
    apply(name)
    t0 = time.time()
    d = T.Data(rows)
    fams = sorted(set(d.family[d.y > 0].tolist()))
    folds = [fams[k::T.FOLDS] for k in range(T.FOLDS)]
    ks = range(T.FOLDS) if every_fold else [k for k, f in enumerate(folds) if set(f) & set(TARGET)]
    det: dict[str, tuple[int, int]] = {}
    fpr: dict[str, list[int]] = {}
    for k in ks:
        r = T.evaluate(d, np.isin(d.family, folds[k]), None, T.STEPS)
        for fam in folds[k]:
            det[fam] = T.rate(d, r["z"], d.family == fam, r["thr"])
        for s, (a, b) in r["fpr"].items():
            x = fpr.setdefault(s, [0, 0])
            x[0] += a
            x[1] += b
        print(f"[{name}] fold {k} threshold {r['thr']:.3f}: "
              + " ".join(f"{f}={det[f][0]}/{det[f][1]}" for f in folds[k]), flush=True)
    tgt = np.mean([det[f][0] / det[f][1] for f in TARGET])
    print(f"[{name}] macro over the 7 indirect families {tgt:.3f}; macro over the {len(det)} families of these folds "
          f"{np.mean([a / b for a, b in det.values()]):.3f}; benign test FPR, folds summed: "
          + " ".join(f"{s}={a}/{b}" for s, (a, b) in sorted(fpr.items()) if a) + f" ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    every = "--all" in sys.argv
    corpus_rows = T.corpus.build()
    for variant in [a for a in sys.argv[1:] if not a.startswith("--")]:
        run(variant, corpus_rows, every)
