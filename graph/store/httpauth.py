"""HTTP Digest access authentication (RFC 7616), client side, for SPARQL servers that ask for it.

Virtuoso's authenticated endpoints (`/sparql-auth`, `/sparql-graph-crud-auth`) accept only Digest;
so can any server behind an Apache or nginx `auth_digest`. The server's `WWW-Authenticate: Digest`
challenge is answered with the password never sent; later requests reuse the challenge with an
increasing nonce count until the server calls the nonce stale. Supports the algorithms MD5,
SHA-256 and SHA-512-256 and their `-sess` variants, with `qop=auth` or without qop (RFC 2069).
`qop=auth-int` (a digest of the body) is not implemented: no SPARQL server is known to require it.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable

_HASHES: dict[str, Callable[[bytes], str]] = {
    "MD5": lambda b: hashlib.md5(b).hexdigest(),  # what the protocol (and Virtuoso) uses
    "SHA-256": lambda b: hashlib.sha256(b).hexdigest(),
    "SHA-512-256": lambda b: hashlib.new("sha512_256", b).hexdigest(),
}

_PARAM = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?')


class DigestError(ValueError):
    """A Digest challenge postgraph cannot answer (the message says why)."""


def parse_challenge(header: str) -> dict[str, str] | None:
    """The parameters of the Digest challenge in a `WWW-Authenticate` value, or None if it has none.

    Only the first Digest challenge counts (a server may offer several schemes in one header).
    """
    m = re.search(r"(?:^|,)\s*Digest\s+", header, re.IGNORECASE)
    if m is None:
        return None
    params: dict[str, str] = {}
    pos = m.end()
    while pos < len(header):
        p = _PARAM.match(header, pos)
        if p is None or p.end() == pos:
            break  # the end, or the next scheme ("Basic realm=…" does not match name=value)
        name = p.group(1).lower()
        value = p.group(2) if p.group(2) is not None else p.group(3)
        params.setdefault(name, re.sub(r"\\(.)", r"\1", value))
        pos = p.end()
    return params


def digest_response(*, user: str, password: str, realm: str, nonce: str, method: str, uri: str,
                    algorithm: str = "MD5", qop: str | None = "auth", nc: int = 1, cnonce: str = "") -> str:
    """The `response` value of RFC 7616 section 3.4.1 (and of RFC 2069 when `qop` is None)."""
    base = algorithm.upper().partition("-SESS")[0]
    h = _HASHES.get(base)
    if h is None:
        raise DigestError(f"the server asks for the Digest algorithm {algorithm!r}; postgraph knows "
                          f"{', '.join(_HASHES)} (and their -sess variants)")

    def H(text: str) -> str:  # the RFC's name
        return h(text.encode("utf-8"))

    ha1 = H(f"{user}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = H(f"{ha1}:{nonce}:{cnonce}")
    ha2 = H(f"{method}:{uri}")
    if qop is None:
        return H(f"{ha1}:{nonce}:{ha2}")
    return H(f"{ha1}:{nonce}:{nc:08x}:{cnonce}:{qop}:{ha2}")


class DigestSession:
    """Answers one server's challenge, request after request (thread-safe nonce counting)."""

    def __init__(self, user: str, password: str, challenge: dict[str, str]) -> None:
        self.user, self.password = user, password
        self.realm = challenge.get("realm", "")
        self.nonce = challenge.get("nonce")
        if not self.nonce:
            raise DigestError("the server's Digest challenge has no nonce")
        self.opaque = challenge.get("opaque")
        self.algorithm = challenge.get("algorithm", "MD5")
        qops = [q.strip().lower() for q in challenge.get("qop", "").split(",") if q.strip()]
        if qops and "auth" not in qops:
            raise DigestError(f"the server asks for Digest qop={','.join(qops)}; postgraph supports qop=auth")
        self.qop = "auth" if qops else None
        self.userhash = challenge.get("userhash", "").lower() == "true"
        self._nc = 0
        self._lock = threading.Lock()
        # fail now, not on the first request, if the algorithm is unknown
        digest_response(user=user, password=password, realm=self.realm, nonce=self.nonce, method="GET",
                        uri="/", algorithm=self.algorithm, qop=self.qop)

    def authorization(self, method: str, uri: str) -> str:
        """The `Authorization` header value for one request (`uri` is the request target: path and query)."""
        with self._lock:
            self._nc += 1
            nc = self._nc
        cnonce = os.urandom(16).hex()
        assert self.nonce is not None
        response = digest_response(user=self.user, password=self.password, realm=self.realm, nonce=self.nonce,
                                   method=method, uri=uri, algorithm=self.algorithm, qop=self.qop, nc=nc,
                                   cnonce=cnonce)
        username = self.user
        if self.userhash:
            base = self.algorithm.upper().partition("-SESS")[0]
            username = _HASHES[base](f"{self.user}:{self.realm}".encode())
        parts = [f'username="{_quote(username)}"', f'realm="{_quote(self.realm)}"', f'nonce="{_quote(self.nonce)}"',
                 f'uri="{_quote(uri)}"', f"algorithm={self.algorithm}", f'response="{response}"']
        if self.opaque is not None:
            parts.append(f'opaque="{_quote(self.opaque)}"')
        if self.qop:
            parts += [f"qop={self.qop}", f"nc={nc:08x}", f'cnonce="{cnonce}"']
        if self.userhash:
            parts.append("userhash=true")
        return "Digest " + ", ".join(parts)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
