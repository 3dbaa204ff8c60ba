"""The optional transformer tier: a local ONNX sequence classifier (extra ``guardwrap[onnx]``).

``PromptInjection(model="dir")`` reads, from ``dir`` and nowhere else (nothing is downloaded):

``model.onnx``        a sequence-classification model taking ``input_ids`` and ``attention_mask``
                      (and ``token_type_ids`` when it declares it), returning logits per label
``tokenizer.json``    the Hugging Face fast tokenizer of the model
``config.json``       ``id2label`` (e.g. ``{"0": "BENIGN", "1": "INJECTION"}``) and optionally
                      ``max_position_embeddings``

Labels that mean injection are named by ``labels=`` or, by default, every ``id2label`` entry that
contains INJECTION, JAILBREAK, MALICIOUS, UNSAFE or ATTACK. The text is cut into windows of the
model's length (overlapping by a quarter) and scored in one batch; the score is the highest window's
summed probability of those labels. See ``docs/validators.md`` for exporting a real model.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from .._errors import PolicyError

__all__ = ["OnnxClassifier"]

_INJECTION_LABEL = re.compile(r"injection|jailbreak|malicious|unsafe|attack", re.IGNORECASE)
#: windows per inference batch (every window of a text is scored, a batch at a time)
BATCH = 16


class OnnxClassifier:
    """A local ONNX classifier scoring texts in windows."""

    def __init__(self, path: str | os.PathLike[str], *, labels: Iterable[str] | None = None,
                 max_tokens: int | None = None) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise PolicyError(
                f"PromptInjection(model=...) needs onnxruntime and tokenizers ({e.name} is missing)",
                key="model", expected="pip install 'guardwrap[onnx]'",
            ) from None
        root = Path(path)
        if not root.is_dir():
            raise PolicyError(f"model directory {str(root)!r} does not exist", key="model",
                              expected="a local directory with model.onnx, tokenizer.json, config.json")
        files = {n: root / n for n in ("model.onnx", "tokenizer.json", "config.json")}
        for n, f in files.items():
            if not f.is_file():
                raise PolicyError(f"{n} is missing from the model directory {str(root)!r}", key="model",
                                  expected="model.onnx, tokenizer.json and config.json (see docs/validators.md)")
        try:
            config = orjson.loads(files["config.json"].read_bytes())
            id2label = {int(k): str(v) for k, v in config["id2label"].items()}
        except (orjson.JSONDecodeError, KeyError, ValueError, AttributeError, TypeError):
            raise PolicyError("config.json has no usable id2label", key="model",
                              expected='"id2label": {"0": "BENIGN", "1": "INJECTION"}') from None
        wanted = set(labels) if labels is not None else None
        if wanted is not None:
            unknown = wanted - set(id2label.values())
            if unknown:
                raise PolicyError(f"labels {sorted(unknown)} are not in the model's id2label", key="labels",
                                  expected=" | ".join(sorted(id2label.values())))
            self.positive = sorted(i for i, v in id2label.items() if v in wanted)
        else:
            self.positive = sorted(i for i, v in id2label.items() if _INJECTION_LABEL.search(v))
        if not self.positive:
            raise PolicyError("no label of the model means injection", key="labels",
                              expected=" | ".join(sorted(id2label.values())))
        self.tokenizer = Tokenizer.from_file(str(files["tokenizer.json"]))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(str(files["model.onnx"]), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        if "input_ids" not in self.inputs:
            raise PolicyError("model.onnx takes no input_ids", key="model",
                              expected="a sequence-classification export (input_ids, attention_mask)")
        limit = int(config.get("max_position_embeddings", 512))
        self.max_tokens = max(8, min(max_tokens or 512, limit))
        self.pad_id = int(config.get("pad_token_id") or 0)
        digest = hashlib.sha256(files["config.json"].read_bytes())
        digest.update(files["tokenizer.json"].read_bytes())
        digest.update(str(files["model.onnx"].stat().st_size).encode())
        self.fingerprint = "onnx:" + digest.hexdigest()[:32]

    def _windows(self, text: str) -> list[tuple[int, int]]:
        """Character spans of windows of at most ``max_tokens - 2`` tokens, overlapping by a quarter."""
        offsets = self.tokenizer.encode(text, add_special_tokens=False).offsets
        if not offsets:
            return [(0, len(text))]
        size = self.max_tokens - 2
        step = max(1, size - size // 4)
        out = []
        for i in range(0, len(offsets), step):
            j = min(i + size, len(offsets)) - 1
            out.append((offsets[i][0], offsets[j][1]))
            if j == len(offsets) - 1:
                break
        return out

    def score(self, text: str) -> tuple[float, int, int]:
        """``(score, start, end)`` of the window most likely to be an injection."""
        spans = self._windows(text)
        best, at = -1.0, 0
        for b0 in range(0, len(spans), BATCH):
            p = self._batch([text[a:b] for a, b in spans[b0:b0 + BATCH]])
            k = int(p.argmax())
            if float(p[k]) > best:
                best, at = float(p[k]), b0 + k
        return best, spans[at][0], spans[at][1]

    def _batch(self, texts: list[str]) -> Any:
        import numpy as np

        encs = self.tokenizer.encode_batch(texts)
        n = max(len(e.ids) for e in encs)
        ids = np.full((len(encs), n), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(encs), n), dtype=np.int64)
        for k, e in enumerate(encs):
            ids[k, :len(e.ids)] = e.ids
            mask[k, :len(e.ids)] = 1
        feed: dict[str, Any] = {"input_ids": ids}
        if "attention_mask" in self.inputs:
            feed["attention_mask"] = mask
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        logits = np.asarray(self.session.run(None, feed)[0], dtype=np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs[:, self.positive].sum(axis=1)
