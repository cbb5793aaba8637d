"""HTTP Digest authentication (graph/store/httpauth.py) - the RFCs' own examples, and a whole build,
query and export through a Digest-checking proxy in front of a real `oxigraph serve`.

The proxy checks answers with its own code written from RFC 7616 (not postgraph's), refuses
replayed nonce counts, and turns its nonce stale every few requests, as Virtuoso and Apache do.
"""

from __future__ import annotations

import hashlib
import http.server
import re
import secrets
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from graph.build.pipeline import BuildOptions, build
from graph.cli.commands import main
from graph.store.http import RemoteError
from graph.store.httpauth import DigestSession, digest_response, parse_challenge
from graph.store.local import open_store

from .helpers import site_generator
from .oxigraph_server import oxigraph_server

USER, PASSWORD, REALM = "dba", "pässword with \"quotes\" & spaces", "postgraph-test"


def test_rfc_examples() -> None:
    # RFC 7616 section 3.9.1 (MD5 and SHA-256) and RFC 2617 section 3.5 (MD5)
    rfc7616 = dict(user="Mufasa", password="Circle of Life", realm="http-auth@example.org",
                   nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", method="GET", uri="/dir/index.html",
                   qop="auth", nc=1, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    assert digest_response(algorithm="MD5", **rfc7616) == "8ca523f5e9506fed4657c9700eebdbec"
    assert digest_response(algorithm="SHA-256", **rfc7616) == (
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
    assert digest_response(user="Mufasa", password="Circle Of Life", realm="testrealm@host.com",
                           nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", method="GET", uri="/dir/index.html",
                           qop="auth", nc=1, cnonce="0a4f113b") == "6629fae49393a05397450978507c4ef1"


def test_challenge_parsing() -> None:
    header = ('Basic realm="other", Digest realm="a \\"b\\"", qop="auth,auth-int", algorithm=SHA-256, '
              'nonce="n1", opaque="o", Bearer realm="x"')
    assert parse_challenge(header) == {"realm": 'a "b"', "qop": "auth,auth-int", "algorithm": "SHA-256",
                                       "nonce": "n1", "opaque": "o"}
    assert parse_challenge('Basic realm="only basic"') is None
    session = DigestSession("u", "s3cret", parse_challenge('Digest realm="r", nonce="n", qop="auth"') or {})
    first, second = session.authorization("GET", "/q?x=1"), session.authorization("GET", "/q?x=1")
    assert "nc=00000001" in first and "nc=00000002" in second and "s3cret" not in first + second
    assert re.search(r'cnonce="(\w+)"', first).group(1) != re.search(r'cnonce="(\w+)"', second).group(1)
    with pytest.raises(ValueError, match="qop=auth"):
        DigestSession("u", "p", {"nonce": "n", "qop": "auth-int"})
    with pytest.raises(ValueError, match="algorithm"):
        DigestSession("u", "p", {"nonce": "n", "algorithm": "SHA-1"})


class _DigestProxy(http.server.BaseHTTPRequestHandler):
    """Checks Digest credentials (its own RFC 7616 code), then forwards to the upstream server."""

    protocol_version = "HTTP/1.1"
    upstream = ""
    nonce = secrets.token_hex(8)
    used: ClassVar[set[tuple[str, str, str]]] = set()  # (nonce, cnonce, nc) already seen: replays are refused
    answered = 0
    stale_every = 6
    stale_sent = 0
    seen_headers: ClassVar[list[str]] = []
    lock = threading.Lock()

    @classmethod
    def _valid(cls, method: str, target: str, header: str) -> str:
        """"ok", "stale" or "bad"."""
        if not header.startswith("Digest "):
            return "bad"
        p = dict((k.lower(), v1 or v2) for k, v1, v2 in re.findall(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))',
                                                                     header[7:]))
        p = {k: re.sub(r"\\(.)", r"\1", v) for k, v in p.items()}
        if p.get("username") != USER or p.get("realm") != REALM or p.get("uri") != target or p.get("qop") != "auth":
            return "bad"

        def md5(text: str) -> str:
            return hashlib.md5(text.encode("utf-8")).hexdigest()

        expected = md5(f"{md5(f'{USER}:{REALM}:{PASSWORD}')}:{p.get('nonce')}:{p.get('nc')}:{p.get('cnonce')}:auth:"
                       f"{md5(f'{method}:{target}')}")
        if p.get("response") != expected:
            return "bad"
        with cls.lock:
            if p["nonce"] != cls.nonce:
                return "stale"
            key = (p["nonce"], p["cnonce"], p["nc"])
            if key in cls.used:
                return "bad"
            cls.used.add(key)
            cls.answered += 1
            if cls.answered % cls.stale_every == 0:
                cls.nonce = secrets.token_hex(8)  # the next request with the old nonce is told it is stale
        return "ok"

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        header = self.headers.get("Authorization", "")
        type(self).seen_headers.append(header)
        verdict = self._valid(self.command, self.path, header)
        if verdict != "ok":
            stale = ", stale=true" if verdict == "stale" else ""
            type(self).stale_sent += verdict == "stale"
            self._reply(401, b"authentication required", "text/plain", {"WWW-Authenticate": (
                f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{self.nonce}", opaque="xyz"{stale}')})
            return
        request = urllib.request.Request(self.upstream + self.path, data=body or None, method=self.command,
                                         headers={k: v for k, v in self.headers.items()
                                                  if k.lower() in ("content-type", "accept")})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                self._reply(answer.status, answer.read(), answer.headers.get("Content-Type", ""), {})
        except urllib.error.HTTPError as e:
            self._reply(e.code, e.read(), e.headers.get("Content-Type", "text/plain"), {})

    def _reply(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in {"Content-Type": content_type, "Content-Length": str(len(body)), **headers}.items():
            if v:
                self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, *_args) -> None:
        pass


@contextmanager
def digest_proxy(upstream: str) -> Iterator[str]:
    _DigestProxy.upstream = upstream
    _DigestProxy.seen_headers = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DigestProxy)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_build_query_export_through_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site_generator().generate(site, 12, seed=5)
    with oxigraph_server(tmp_path / "oxigraph") as upstream, digest_proxy(upstream) as url:
        monkeypatch.setenv("POSTGRAPH_STORE_USER", USER)
        monkeypatch.setenv("POSTGRAPH_STORE_PASSWORD", PASSWORD)

        # Basic (the default) is refused, with a hint that names the fix
        with pytest.raises(RemoteError) as info:
            open_store(url).snapshot()
        assert "POSTGRAPH_STORE_AUTH=digest" in str(info.value) and PASSWORD not in str(info.value)

        monkeypatch.setenv("POSTGRAPH_STORE_AUTH", "digest")
        _DigestProxy.seen_headers = []
        report = build(open_store(url), BuildOptions(site=site))
        assert report.mapped > 5 and report.quads > 1000
        # several stale nonces were renewed on the way, and the password never went over the wire
        assert _DigestProxy.answered > 2 * _DigestProxy.stale_every and _DigestProxy.stale_sent >= 2
        assert all(not h.startswith("Basic") and PASSWORD not in h for h in _DigestProxy.seen_headers)
        assert sum(h.startswith("Digest ") for h in _DigestProxy.seen_headers) >= _DigestProxy.answered

        again = build(open_store(url), BuildOptions(site=site))
        assert not again.changed and again.unchanged == report.mapped

        # the same graph as a build without the proxy
        direct = open_store(tmp_path / "local")
        build(direct, BuildOptions(site=site))
        # every graph but the server's bookkeeping (the report's named graph), the knowledge graph included
        count = ('SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } '
                 'FILTER(!STRSTARTS(STR(?g), "urn:postgraph:")) } }')
        remote_n = CliRunner().invoke(main, ["query", "--store", url, "--format", "csv", count])
        local_n = CliRunner().invoke(main, ["query", "--store", str(tmp_path / "local"), "--format", "csv", count])
        assert remote_n.exit_code == 0, remote_n.output
        assert remote_n.output.split()[-1] == local_n.output.split()[-1] and int(remote_n.output.split()[-1]) > 1000

        exported = CliRunner().invoke(main, ["export", "--store", url, "--format", "nquads", "-o",
                                             str(tmp_path / "all.nq")])
        assert exported.exit_code == 0, exported.output
        assert (tmp_path / "all.nq").stat().st_size > 100_000

        # wrong password: a clear 401, the password not shown
        monkeypatch.setenv("POSTGRAPH_STORE_PASSWORD", "wrong")
        result = CliRunner().invoke(main, ["stats", "--store", url])
        assert result.exit_code != 0 and "401" in result.output and "wrong" not in result.output
    shutil.rmtree(tmp_path / "local", ignore_errors=True)
