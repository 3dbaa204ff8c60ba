"""Cryptocurrency addresses: Bitcoin legacy/P2SH (base58check) and segwit (bech32/bech32m),
Ethereum (``0x`` and 40 hex digits; EIP-55 checksum when written in mixed case)."""

from __future__ import annotations

import hashlib
import re

from .._native import kernel

ENTITIES = ("CRYPTO",)
CONTEXT = {"CRYPTO": ("bitcoin", "btc", "wallet", "crypto", "eth", "ether", "ethereum", "erc20", "erc-20",
                      "metamask", "usdt", "usdc")}

BASE58 = re.compile(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])", re.ASCII)
BECH32 = re.compile(r"bc1[ac-hj-np-z02-9]{11,71}(?![A-Za-z0-9])", re.ASCII)

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


#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON): Keccak-256 in C, `keccak256` its reference
_K = kernel("guardwrap.pii._cscan")

# -- Ethereum ----------------------------------------------------------------------------------

ETH = re.compile(r"(?<![0-9A-Za-z])0[xX][0-9a-fA-F]{40}(?![0-9A-Za-z])", re.ASCII)

_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
_ROT = (0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14)
_M64 = (1 << 64) - 1


# rho and pi as one table: (source lane, destination lane, rotation)
_RHO_PI = tuple((x + 5 * y, y + 5 * ((2 * x + 3 * y) % 5), _ROT[x + 5 * y]) for x in range(5) for y in range(5))


def _keccak_f(a: list[int]) -> None:
    m = _M64
    rho_pi = _RHO_PI
    b = [0] * 25
    for rc in _RC:
        # theta
        c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
        c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
        c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
        c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
        c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
        d0 = c4 ^ (((c1 << 1) | (c1 >> 63)) & m)
        d1 = c0 ^ (((c2 << 1) | (c2 >> 63)) & m)
        d2 = c1 ^ (((c3 << 1) | (c3 >> 63)) & m)
        d3 = c2 ^ (((c4 << 1) | (c4 >> 63)) & m)
        d4 = c3 ^ (((c0 << 1) | (c0 >> 63)) & m)
        for y in (0, 5, 10, 15, 20):
            a[y] ^= d0
            a[y + 1] ^= d1
            a[y + 2] ^= d2
            a[y + 3] ^= d3
            a[y + 4] ^= d4
        # rho and pi
        for i, j, r in rho_pi:
            v = a[i]
            b[j] = ((v << r) | (v >> (64 - r))) & m if r else v
        # chi
        for y in (0, 5, 10, 15, 20):
            b0, b1, b2, b3, b4 = b[y], b[y + 1], b[y + 2], b[y + 3], b[y + 4]
            a[y] = b0 ^ (~b1 & b2)
            a[y + 1] = b1 ^ (~b2 & b3)
            a[y + 2] = b2 ^ (~b3 & b4)
            a[y + 3] = b3 ^ (~b4 & b0)
            a[y + 4] = b4 ^ (~b0 & b1)
        # iota
        a[0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (the original padding, not SHA3-256's): pure Python, for
    the rare mixed-case address whose EIP-55 checksum needs checking."""
    rate = 136
    msg = bytearray(data)
    msg.append(0x01)
    msg.extend(b"\x00" * (-len(msg) % rate))
    msg[-1] |= 0x80
    a = [0] * 25
    for off in range(0, len(msg), rate):
        block = msg[off:off + rate]
        for i in range(rate // 8):
            a[i] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        _keccak_f(a)
    return b"".join(a[i].to_bytes(8, "little") for i in range(4))


def eth_checksum(body: str) -> bool | None:
    """EIP-55 for the 40 hex digits of an address: None when all one case (no checksum)."""
    if body.islower() or body.isupper() or body.isdigit():
        return None
    lower = body.lower()
    h = (keccak256 if _K is None else _K.keccak256)(lower.encode()).hex()
    return all((c.upper() if int(h[i], 16) >= 8 else c) == body[i] for i, c in enumerate(lower))
