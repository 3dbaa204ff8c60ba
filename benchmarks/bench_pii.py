"""PII detect + redact: guardwrap's fast engine against Presidio's pattern recognizers, one run.

    PYTHONPATH=src python benchmarks/bench_pii.py            # add --quick for fewer repetitions
    PYTHONPATH=src python benchmarks/bench_pii.py --baseline DIR   # DIR/guardwrap_old: another tree

``--baseline DIR`` adds the same detect+redact measured on another guardwrap tree (renamed
``guardwrap_old``, see ``bench_pii_realistic.py``), its repetitions interleaved with this tree's.

Texts are deterministic prose of ~200 B, ~2 KB and ~20 KB, each 2 KB block holding an e-mail, a
phone number, a card, an SSN and an IBAN. Presidio runs ``AnalyzerEngine`` restricted to the same
five entities with an NLP engine that loads no model, plus ``AnonymizerEngine`` for the redaction.
Numbers are medians in microseconds per call.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

ENTITIES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"]

_FILLER = (
    "Thanks for getting back to me so quickly. I have been a customer of the bank for many years "
    "and I have always found the branch staff helpful, but the mobile app has been giving me "
    "trouble since the last update, and the statement for last month looks wrong to me. "
    "Could you please look into the two payments that were taken twice, and let me know whether "
    "the fee for the late transfer can be waived this time? I would also like to know how long "
    "a dispute usually takes, and whether I need to fill in a form or whether this message is "
    "enough. "
)
_BLOCK_PII = (
    "You can reach me at maria.gonzalez@example.org or on +1 (415) 555-2671 in the evenings. "
    "The card in question is 4111 1111 1111 1111 and my social security number is 536-22-8173, "
    "in case you need it to verify me. The refund should go to my account, IBAN "
    "DE89 3704 0044 0532 0130 00, not to the card. "
)
SHORT = (
    "Hi, card 4111 1111 1111 1111, SSN 536-22-8173, IBAN DE89370400440532013000, mail "
    "maria.gonzalez@example.org, phone +1 415 555 2671. Please refund the duplicate payment."
)


def block(i: int) -> str:
    text = _FILLER[: 400 + (i * 37) % 200] + _BLOCK_PII + _FILLER + _FILLER[: 300]
    return text[:2048] if len(text) > 2048 else text + _FILLER[: 2048 - len(text)]


TEXTS = {
    "2 KB, no PII": (_FILLER * 6)[:2048],
    "200 B": SHORT,
    "2 KB": block(0),
    "20 KB": "".join(block(i) for i in range(10)),
}


def median_us(fn: Callable[[], Any], *, number: int, repeat: int) -> float:
    for _ in range(max(1, number // 10)):
        fn()
    gc_was = gc.isenabled()
    gc.disable()
    runs = []
    try:
        for _ in range(repeat):
            t0 = time.perf_counter_ns()
            for _ in range(number):
                fn()
            runs.append((time.perf_counter_ns() - t0) / number / 1000)
    finally:
        if gc_was:
            gc.enable()
    return statistics.median(runs)


def presidio_engines() -> tuple[Any, Any] | None:
    try:
        from presidio_anonymizer import AnonymizerEngine

        from guardwrap.pii._presidio import no_model_analyzer
    except ImportError:
        return None
    return no_model_analyzer(), AnonymizerEngine()


def main(argv: list[str]) -> int:
    import guardwrap as gw
    from guardwrap._anonymize import apply_spans

    quick = "--quick" in argv
    pii = gw.PII(ENTITIES, action="redact")
    base: Any = None
    if "--baseline" in argv:
        sys.path.insert(0, argv[argv.index("--baseline") + 1])
        import guardwrap_old

        base = (guardwrap_old.PII(ENTITIES, action="redact"),
                __import__("guardwrap_old._anonymize", fromlist=["apply_spans"]).apply_spans)
    guard = gw.Guard("bench-pii", input=[pii])
    engines = presidio_engines()
    rows = []
    for label, text in TEXTS.items():
        found = pii.detect(text)
        expected = {"2 KB, no PII": 0, "20 KB": 50}.get(label, 5)
        assert len(found) == expected, (label, len(found))
        redacted = apply_spans(text, found, "redact")
        assert "4111" not in redacted and "@" not in redacted
        scale = 10 if label == "20 KB" else 1
        n = (300 if quick else 2000) // scale
        baseline: Any = "n/a"
        if base is not None:
            old_pii, old_apply = base
            runs_new, runs_old = [], []
            for _ in range(9):  # interleaved blocks: both see the same load
                runs_new.append(median_us(lambda t=text: apply_spans(t, pii.detect(t), "redact"), number=n, repeat=1))
                runs_old.append(median_us(lambda t=text, p=old_pii, a=old_apply: a(t, p.detect(t), "redact"),
                                          number=n, repeat=1))
            detect_redact, baseline = statistics.median(runs_new), statistics.median(runs_old)
        else:
            detect_redact = median_us(lambda t=text: apply_spans(t, pii.detect(t), "redact"), number=n, repeat=9)
        guard_check = median_us(lambda t=text: guard.check(t), number=n, repeat=9)
        # a new message each call: an equal string that is another object, so the canonical view
        # and its blob look are built again (the columns before reuse them, as one text's
        # validators do)
        copies = ["".join([text[:1], text[1:]]) for _ in range(n)]
        fresh = median_us(_next_copy(pii, apply_spans, copies * 10), number=n, repeat=9)
        row: list[Any] = [label, len(text), len(found), detect_redact, baseline, fresh, guard_check]
        if engines is not None:
            analyzer, anonymizer = engines

            def presidio(t: str = text, analyzer: Any = analyzer, anonymizer: Any = anonymizer) -> str:
                res = analyzer.analyze(text=t, language="en", entities=ENTITIES)
                return anonymizer.anonymize(text=t, analyzer_results=res).text

            pres = median_us(presidio, number=3 if quick else 10, repeat=5)
            row += [pres, pres / detect_redact]
        else:
            row += ["n/a", "n/a"]
        rows.append(row)
    header = ["text", "chars", "findings", "guardwrap detect+redact µs", "baseline detect+redact µs",
              "guardwrap, new text each call µs", "guardwrap Guard.check µs", "Presidio analyze+anonymize µs",
              "speed-up (x)"]
    print(f"# PII detect + redact, medians ({platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs)\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(_fmt(v) for v in r) + " |")
    budget = {"2 KB": 60.0, "20 KB": 500.0}
    print()
    for r in rows:
        if r[0] in budget:
            ok = r[3] <= budget[r[0]]
            print(f"budget {r[0]}: {r[3]:.1f} µs <= {budget[r[0]]:.0f} µs: {'ok' if ok else 'OVER'}")
        if isinstance(r[8], float):
            print(f"ratio {r[0]}: {r[8]:,.0f}x faster than Presidio ({'ok' if r[8] >= 50 else 'UNDER 50x'})")
    return 0


def _next_copy(pii: Any, apply_spans: Any, copies: list[str]) -> Callable[[], Any]:
    it = iter(copies)

    def run() -> Any:
        t = next(it)
        return apply_spans(t, pii.detect(t), "redact")

    return run


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"
    return str(v)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
