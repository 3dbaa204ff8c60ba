"""The Presidio engine behind ``gw.PII(engine="presidio" | "hybrid")`` (extra ``guardwrap[presidio]``).

Imported only when such a `PII` is built. Nothing is downloaded: the spaCy model must already be
installed as a package, and the e-mail recognizer's public-suffix lookup is pinned to the snapshot
bundled with ``tldextract``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from typing import Any

from .._errors import PolicyError

NER_ENTITIES = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "NRP", "STREET_ADDRESS"})
#: guardwrap entities that Presidio knows under another name (asked for as, reported back as)
PRESIDIO_NAMES = {"STREET_ADDRESS": "LOCATION", "PASSPORT": "US_PASSPORT", "UK_DRIVER_LICENSE": "US_DRIVER_LICENSE"}
#: Presidio's recognizers for national ids that its default English registry leaves out (disabled,
#: or registered for their own language only): added, for the analyzer's language, to an analyzer
#: this engine builds when such an entity is asked for
COUNTRY_RECOGNIZERS = {
    "AU_ABN": "AuAbnRecognizer", "AU_ACN": "AuAcnRecognizer", "AU_MEDICARE": "AuMedicareRecognizer",
    "IN_AADHAAR": "InAadhaarRecognizer", "IN_VOTER": "InVoterRecognizer", "ES_NIF": "EsNifRecognizer",
    "ES_NIE": "EsNieRecognizer", "IT_FISCAL_CODE": "ItFiscalCodeRecognizer", "PL_PESEL": "PlPeselRecognizer",
    "FI_PERSONAL_IDENTITY_CODE": "FiPersonalIdentityCodeRecognizer",
}
#: spaCy models tried in order when none is configured (the larger, the better the NER).
MODELS = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf")
_INSTALL = "pip install 'guardwrap[presidio]'"


def offline_tldextract() -> None:
    """Make ``tldextract.extract`` (used by Presidio's e-mail recognizer) never fetch its list."""
    try:
        import tldextract.tldextract as tx
    except ImportError:  # pragma: no cover - comes with presidio-analyzer
        return
    current = getattr(tx, "TLD_EXTRACTOR", None)
    if current is not None and getattr(current, "suffix_list_urls", None):
        tx.TLD_EXTRACTOR = tx.TLDExtract(suffix_list_urls=(), fallback_to_snapshot=True)


def installed_model(preferred: str | None = None) -> str | None:
    """The first installed spaCy model package among ``preferred`` or `MODELS`."""
    for name in (preferred,) if preferred else MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def no_model_analyzer(language: str = "en") -> Any:
    """A Presidio ``AnalyzerEngine`` whose NLP engine needs no model (pattern recognizers only)."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    offline_tldextract()
    nlp = NoOpNlpEngine(models=[{"lang_code": language, "model_name": "none"}])
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=[language])


def add_country_recognizers(analyzer: Any, entities: Iterable[str], language: str = "en") -> None:
    """Register Presidio's own recognizers of `COUNTRY_RECOGNIZERS` that ``entities`` ask for and
    ``analyzer`` does not serve in ``language``."""
    wanted = [e for e in entities if e in COUNTRY_RECOGNIZERS]
    if not wanted:
        return
    from presidio_analyzer import predefined_recognizers

    served = set(analyzer.get_supported_entities(language))
    for e in wanted:
        cls = getattr(predefined_recognizers, COUNTRY_RECOGNIZERS[e], None)
        if e not in served and cls is not None:
            analyzer.registry.add_recognizer(cls(supported_language=language))


class PresidioEngine:
    """presidio-analyzer for a fixed entity set; ``scan`` returns ``(start, end, entity, score)``."""

    def __init__(self, entities: Iterable[str], *, model: str | None = None, analyzer: Any = None,
                 language: str = "en") -> None:
        self.entities = list(entities)
        self.language = language
        # what to ask Presidio for, and how to name its answers
        self._ask = sorted({PRESIDIO_NAMES.get(e, e) for e in self.entities})
        self._back = {PRESIDIO_NAMES[e]: e for e in self.entities
                      if e in PRESIDIO_NAMES and PRESIDIO_NAMES[e] not in self.entities}
        if analyzer is None:
            if importlib.util.find_spec("presidio_analyzer") is None:
                raise PolicyError("engine 'presidio' needs presidio-analyzer, which is not installed",
                                  key="engine", expected=_INSTALL)
            if NER_ENTITIES.intersection(self.entities):
                analyzer = self._ner_analyzer(model, language)
            else:
                analyzer = no_model_analyzer(language)
            add_country_recognizers(analyzer, self._ask, language)
        else:
            offline_tldextract()
        self._analyzer = analyzer

    @staticmethod
    def _ner_analyzer(model: str | None, language: str) -> Any:
        name = installed_model(model)
        if name is None:
            wanted = model or "en_core_web_sm (or _md, _lg)"
            raise PolicyError(
                f"PERSON/LOCATION/ORGANIZATION/NRP need a spaCy model, and {wanted} is not installed; "
                "guardwrap never downloads one",
                key="model",
                expected=f"the model installed as a package, e.g. pip install {model or 'en_core_web_sm'} "
                "(from your internal mirror or the model's wheel), then PII(model=...)",
            )
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine

        offline_tldextract()
        nlp = SpacyNlpEngine(models=[{"lang_code": language, "model_name": name}])
        return AnalyzerEngine(nlp_engine=nlp, supported_languages=[language])

    def scan(self, text: str, threshold: float) -> list[tuple[int, int, str, float]]:
        results = self._analyzer.analyze(text=text, language=self.language, entities=self._ask,
                                         score_threshold=threshold)
        back = self._back
        return [(r.start, r.end, back.get(r.entity_type, r.entity_type), float(r.score)) for r in results]
