"""Cryptocurrency addresses: Bitcoin legacy/P2SH (base58check) and segwit (bech32/bech32m)."""

from __future__ import annotations

import hashlib

import regex

ENTITIES = ("CRYPTO",)
CONTEXT = {"CRYPTO": ("bitcoin", "btc", "wallet", "crypto")}

BASE58 = regex.compile(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])", regex.ASCII)
BECH32 = regex.compile(r"bc1[ac-hj-np-z02-9]{11,71}(?![A-Za-z0-9])", regex.ASCII)

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def base58check(addr: str) -> bool:
    """A Bitcoin legacy/P2SH address: base58 decodes to 25 bytes whose last 4 are the checksum."""
    n = 0
    for c in addr:
        i = _B58_INDEX.get(c)
        if i is None:
            return False
        n = n * 58 + i
    try:
        raw = n.to_bytes(25, "big")
    except OverflowError:
        return False
    pad = len(addr) - len(addr.lstrip("1"))
    if raw[:pad] != b"\x00" * pad or raw[0] not in (0x00, 0x05):
        return False
    return hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32)}
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= _GEN[i]
    return chk


def bech32_address(addr: str) -> bool:
    """A segwit address (``bc1...``): bech32 (v0) or bech32m (v1+) checksum (BIP-173/350)."""
    addr = addr.lower()
    hrp, _, data = addr.rpartition("1")
    if hrp != "bc" or len(data) < 7:
        return False
    try:
        values = [_BECH32_INDEX[c] for c in data]
    except KeyError:
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    const = _polymod(expanded + values)
    version = values[0]
    return (version == 0 and const == 1) or (version > 0 and const == 0x2BC830A3)
