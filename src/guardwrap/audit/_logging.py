"""`LoggingSink`: audit records as stdlib ``logging`` records, the whole record in ``extra``."""

from __future__ import annotations

import logging
from typing import Any

from ._forward import ForwardSink


class LoggingSink(ForwardSink):
    """Logs each chained record on ``logger`` (default ``"guardwrap.audit"``) from a background
    thread. The message holds only the record type, seq, validator and outcome; the full record is
    the ``guardwrap`` attribute of the ``LogRecord`` (``extra={"guardwrap": record}``), ready for a
    JSON formatter.

    >>> import guardwrap as gw
    >>> guard = gw.Guard("bot", audit=gw.LoggingSink())   # doctest: +SKIP
    """

    def __init__(self, logger: str | logging.Logger = "guardwrap.audit", *, level: int = logging.INFO,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.logger = logging.getLogger(logger) if isinstance(logger, str) else logger
        self.level = level
        self._start()

    def __repr__(self) -> str:
        return f"LoggingSink({self.logger.name!r})"

    def _deliver(self, record: dict[str, Any], extra: Any) -> None:
        self.logger.log(
            self.level,
            "guardwrap audit %s seq=%s validator=%s outcome=%s",
            record.get("type"), record.get("seq"), record.get("validator"), record.get("outcome"),
            extra={"guardwrap": record},
        )

    def _sync(self) -> None:
        logger: logging.Logger | None = self.logger
        while logger is not None:
            for h in logger.handlers:
                h.flush()
            logger = logger.parent if logger.propagate else None

    _push = _sync
