"""HTTP to a SPARQL server: where it is (`RemoteConfig`, from environment variables), credentials
(Basic, Bearer or Digest; never logged), and one kept-alive connection per thread (`HttpClient`).
Used by `graph.store.remote`, which speaks the SPARQL protocols over it."""

from __future__ import annotations

import base64
import html
import http.client
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from graph.store.base import StoreError
from graph.store.httpauth import DigestError, DigestSession, parse_challenge

DEFAULT_BATCH_BYTES = 8 * 1024 * 1024


class RemoteError(StoreError):
    """The SPARQL server refused a request or could not be reached (message redacted)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RemoteTimeout(RemoteError):
    """The server did not answer within the time limit."""


@dataclass(frozen=True)
class RemoteConfig:
    """Where and how to reach the server. Build one with `from_env`."""

    url: str  # without credentials, without a trailing slash
    query_path: str = "/query"
    update_path: str = "/update"
    store_path: str = "/store"
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    auth: str = "basic"  # how user + password are sent: "basic" (with every request) or "digest"
    batch_bytes: int = DEFAULT_BATCH_BYTES
    union_param: str = "union-default-graph"  # "" when the server's default graph already is the union
    timeout: float = 60.0
    connections: int = 1  # PUTs sent at once while building
    report_graph: str = "urn:postgraph:store"  # named graph holding the last build's report
    knowledge_graph: str = ""  # named graph holding the knowledge graph; "" = the server's default graph

    def report_params(self) -> list[tuple[str, str]]:
        """Graph Store Protocol parameters addressing the graph that holds the build report."""
        return [("graph", self.report_graph)]

    def knowledge_params(self) -> list[tuple[str, str]]:
        """Graph Store Protocol parameters addressing the knowledge graph."""
        return [("graph", self.knowledge_graph)] if self.knowledge_graph else [("default", "")]

    @classmethod
    def from_env(cls, url: str, env: Mapping[str, str] | None = None) -> RemoteConfig:
        """Read the set-up from environment variables:

        POSTGRAPH_STORE_QUERY_PATH / _UPDATE_PATH / _GSP_PATH  endpoint paths (default /query, /update, /store)
        POSTGRAPH_STORE_USER + POSTGRAPH_STORE_PASSWORD         credentials, sent as HTTP Basic, or
        POSTGRAPH_STORE_AUTH=digest                             answered to the server's Digest challenge
                                                                (Virtuoso's /sparql-auth; the password is
                                                                never sent), or
        POSTGRAPH_STORE_TOKEN                                   a bearer token
        POSTGRAPH_STORE_BATCH_BYTES                             largest request body (default 8 MiB)
        POSTGRAPH_STORE_UNION_PARAM                             query parameter asking for the union default
                                                                graph (default `union-default-graph`, Oxigraph's;
                                                                empty for servers whose default graph is the union)
        POSTGRAPH_STORE_TIMEOUT                                 seconds to wait for an answer (default 60)
        POSTGRAPH_STORE_CONNECTIONS                             PUTs sent at once while building (default 1)
        POSTGRAPH_STORE_REPORT_GRAPH                            IRI of the named graph for the last build's report
                                                                (default urn:postgraph:store; never the default
                                                                graph, which is the knowledge graph)
        POSTGRAPH_STORE_KNOWLEDGE_GRAPH                         IRI of a named graph for the knowledge graph, for
                                                                servers whose Graph Store Protocol has no writable
                                                                default graph (Virtuoso); queries then name it as
                                                                their default graph (`default-graph-uri`; `FROM`
                                                                when you query the server yourself); default: the
                                                                server's default graph

        Credentials may also be given in the URL (`https://user:password@host/…`); they are
        taken out of it, so the URL that is shown never carries them.
        """
        env = os.environ if env is None else env
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{redact_url(url)} is not an http(s) URL of a SPARQL server")
        user = parts.username or env.get("POSTGRAPH_STORE_USER") or None
        password = parts.password or env.get("POSTGRAPH_STORE_PASSWORD") or None
        netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        if ":" in (parts.hostname or "") and not netloc.startswith("["):
            netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
        clean = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))

        def path(name: str, default: str) -> str:
            value = env.get(name, default) or default
            return value if value.startswith("/") else "/" + value

        try:
            batch = int(env.get("POSTGRAPH_STORE_BATCH_BYTES") or DEFAULT_BATCH_BYTES)
            timeout = float(env.get("POSTGRAPH_STORE_TIMEOUT") or 60.0)
            connections = int(env.get("POSTGRAPH_STORE_CONNECTIONS") or 1)
        except ValueError as exc:
            raise StoreError("POSTGRAPH_STORE_BATCH_BYTES, _TIMEOUT and _CONNECTIONS must be numbers: "
                             f"{exc}") from exc
        report_graph = (env.get("POSTGRAPH_STORE_REPORT_GRAPH") or "").strip() or "urn:postgraph:store"
        knowledge_graph = (env.get("POSTGRAPH_STORE_KNOWLEDGE_GRAPH") or "").strip()
        for name, value in (("REPORT_GRAPH", report_graph), ("KNOWLEDGE_GRAPH", knowledge_graph)):
            if value:
                try:
                    ox.NamedNode(value)
                except ValueError as exc:
                    raise StoreError(f"POSTGRAPH_STORE_{name} must be an absolute IRI such as "
                                     f"urn:postgraph:store, not {value!r} ({exc})") from None
        auth = (env.get("POSTGRAPH_STORE_AUTH") or "basic").strip().lower()
        if auth not in ("basic", "digest"):
            raise StoreError(f"POSTGRAPH_STORE_AUTH must be 'basic' or 'digest', not {auth!r}")
        return cls(url=clean, query_path=path("POSTGRAPH_STORE_QUERY_PATH", "/query"),
                   update_path=path("POSTGRAPH_STORE_UPDATE_PATH", "/update"),
                   store_path=path("POSTGRAPH_STORE_GSP_PATH", "/store"), user=user, password=password,
                   token=env.get("POSTGRAPH_STORE_TOKEN") or None, batch_bytes=max(64 * 1024, batch),
                   union_param=env.get("POSTGRAPH_STORE_UNION_PARAM", "union-default-graph"), timeout=timeout,
                   connections=connections, auth=auth, report_graph=report_graph,
                   knowledge_graph=knowledge_graph)

    def secrets(self) -> list[str]:
        out = [s for s in (self.password, self.token) if s]
        if self.user and self.password:
            out.append(base64.b64encode(f"{self.user}:{self.password}".encode()).decode())
        return out

    def auth_header(self) -> str | None:
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None and self.auth == "basic":
            return "Basic " + base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
        return None


def html_text(page: str) -> str:
    """The words of an HTML error page (Virtuoso, proxies), for a one-line message."""
    page = re.sub(r"(?is)<(script|style|title)\b.*?</\1\s*>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def redact_url(url: str) -> str:
    """The URL without the password part of its user information."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"{parts.username}:***@{host}", parts.path, parts.query, parts.fragment))


class HttpClient:
    """HTTP/1.1 with one kept-alive connection per thread; every error message redacted."""

    def __init__(self, config: RemoteConfig) -> None:
        self.config = config
        parts = urlsplit(config.url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._prefix = parts.path
        self._local = threading.local()
        self._digest: DigestSession | None = None  # the server's Digest challenge, once it sent one

    def redact(self, text: str) -> str:
        for secret in self.config.secrets():
            text = text.replace(secret, "***")
        return text

    def _connection(self, timeout: float, fresh: bool = False) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        if fresh:
            return cls(self._host, self._port, timeout=timeout)
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = cls(self._host, self._port, timeout=timeout)
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _send(self, method: str, target: str, body: bytes | None, headers: Mapping[str, str], timeout: float,
              stream: bool, what: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        for attempt in (1, 2):
            conn = self._connection(timeout, fresh=stream)
            try:
                conn.request(method, target, body=body, headers=dict(headers))
                return conn, conn.getresponse()
            except TimeoutError as exc:
                conn.close()
                raise RemoteTimeout(f"{what}: no answer within {timeout:g} s") from exc
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                conn.close()  # a kept-alive connection the server closed: retry once on a new one
                if attempt == 2 or stream:
                    raise RemoteError(self.redact(f"{what}: connection lost ({exc})")) from None
            except OSError as exc:
                conn.close()
                raise RemoteError(self.redact(f"cannot reach the SPARQL server at {self.config.url}: {exc}")) from None
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, params: Iterable[tuple[str, str]] = (), body: bytes | None = None,
                headers: Mapping[str, str] | None = None, timeout: float | None = None,
                stream: bool = False) -> http.client.HTTPResponse:
        """Send a request; a 2xx response is returned (read it whole unless `stream`), else RemoteError."""
        timeout = self.config.timeout if timeout is None else timeout
        target = self._prefix + path
        query = urlencode(list(params))
        if query:
            target += "?" + query
        all_headers = {"User-Agent": "postgraph", **(headers or {})}
        auth = self.config.auth_header()
        if auth:
            all_headers["Authorization"] = auth
        what = f"{method} {self.config.url}{path}"
        digest = self._digest
        if digest is not None:
            all_headers["Authorization"] = digest.authorization(method, target)
        conn, response = self._send(method, target, body, all_headers, timeout, stream, what)
        if response.status == 401 and self.config.auth == "digest" and self.config.user is not None:
            challenge = parse_challenge(", ".join(response.headers.get_all("WWW-Authenticate") or []))
            # answer a first challenge, or a new nonce after the old one went stale; a second
            # refusal of a fresh answer means wrong credentials, reported below
            if challenge is not None and (digest is None or challenge.get("stale", "").lower() == "true"):
                response.read()
                if stream:
                    conn.close()
                try:
                    digest = self._digest = DigestSession(self.config.user, self.config.password or "", challenge)
                except DigestError as exc:
                    raise RemoteError(f"{what}: {exc}", 401) from None
                all_headers["Authorization"] = digest.authorization(method, target)
                conn, response = self._send(method, target, body, all_headers, timeout, stream, what)
        if response.status >= 300:
            detail = response.read(2000).decode("utf-8", "replace").strip()
            if "html" in (response.getheader("Content-Type") or "").lower():
                detail = html_text(detail)
            if stream:
                conn.close()
            hint = {401: " (check POSTGRAPH_STORE_USER/POSTGRAPH_STORE_PASSWORD or POSTGRAPH_STORE_TOKEN"
                         + ("; the server asks for Digest: set POSTGRAPH_STORE_AUTH=digest"
                            if self.config.auth != "digest"
                            and "digest" in (response.headers.get("WWW-Authenticate") or "").lower() else "")
                         + ")",
                    403: " (the credentials do not allow this)",
                    404: " (check the endpoint paths: POSTGRAPH_STORE_QUERY_PATH, _UPDATE_PATH, _GSP_PATH)",
                    413: " (the request was too big: lower POSTGRAPH_STORE_BATCH_BYTES)"}.get(response.status, "")
            raise RemoteError(self.redact(f"{what} answered {response.status} {response.reason}{hint}: {detail}"),
                              response.status)
        return response
