"""A fake Kubernetes API server for tests: the real wire protocol over TLS, in memory.

Python 3.11 stdlib only. It serves, on 127.0.0.1 (or `host=`) over TLS (certificates are passed in;
tests make them with pki.py):

  GET /api/v1/nodes[/NAME]                 GET /api/v1/namespaces[/NAME]
  GET /api/v1/pods                         GET /api/v1/namespaces/NS/pods[/NAME]
  GET /version
  GET|PUT|PATCH|DELETE /api/v1/namespaces/NS/secrets/NAME, POST /api/v1/namespaces/NS/secrets
  GET|PUT|PATCH|DELETE /apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/NAME,
  POST .../mutatingwebhookconfigurations

Writes (Secrets and MutatingWebhookConfigurations only): POST creates (409 AlreadyExists), PUT
replaces, PATCH takes application/json-patch+json or application/merge-patch+json (415 otherwise),
DELETE removes (404 when absent). A PUT body or patched object that carries a resourceVersion
other than the current one gets 409 Conflict (optimistic concurrency, as the real server does).
race_next_write(kind, n) (control: POST /control/race {"kind", "count"}) makes the next n
PUT/PATCH requests on kind lose a race: the object gets a new resourceVersion just before.

Protocol behaviour, as the real API server does it:
- One global, monotonically increasing resourceVersion (decimal string) stamped on every object
  on each change and on every List's metadata.
- Lists: `limit`/`continue` pagination served from a consistent snapshot taken at the first page
  (opaque base64 continue token, `metadata.continue`, `metadata.remainingItemCount`; the count is
  omitted when a selector is present, like the real server). A token older than the compaction
  window gives 410 Gone, reason `Expired`. `labelSelector` (=, ==, !=, in, notin, exists, !exists)
  and `fieldSelector` (metadata.name, metadata.namespace, spec.nodeName; =, ==, !=).
- Watch (`watch=1|true`): 200, `Transfer-Encoding: chunked`, `Content-Type: application/json`, one
  JSON event per line. `resourceVersion` unset or "0": synthetic ADDED for every current object
  first. Otherwise every event after RV is replayed from a bounded history; an RV older than the
  history gives an ERROR event with a 410 `Expired` Status and the stream ends (or, in fault mode
  "http", a plain HTTP 410). With selectors, an object that stops matching is sent as DELETED
  and one that starts matching as ADDED. `allowWatchBookmarks=true` enables BOOKMARK events
  (object holds only kind, apiVersion, metadata.resourceVersion) sent on send_bookmark() and
  every `bookmark_interval` seconds if set. `timeoutSeconds` ends the stream cleanly.
- Bearer token auth (401 Status when configured and missing or wrong; several tokens may be
  valid at once, e.g. an exec plugin's old and new token); with `client_ca`, client certificates
  signed by that CA are accepted too (and required when no token is configured). Each request
  entry records the bearer token it carried (`token`) and the client certificate's CN (`user`).
  HTTP/1.1 keep-alive.
- Events (core v1) are writable like Secrets, so that a controller's Events can be read back.

In-process use (Python tests):

    srv = FakeApiServer(cert, key, token="t"); srv.start()   # srv.port
    srv.add("Node", {...}); srv.modify("Node", {...}); srv.delete("Node", "n1")
    srv.compact(); srv.send_bookmark(); srv.disconnect_watches(); srv.set_delay(0.2)
    srv.fail_next(2, 503, retry_after=1); srv.drop_next(1); srv.set_token("t2")
    srv.set_token(["old", "new"])                             # any of them is accepted
    srv.objects("Event")                                      # what clients wrote
    srv.set_watch_expired_mode("http")
    srv.requests  # [{"method", "path", "query", "status", "watch"}...]
    srv.wait_for_watches(1); srv.stop()

Command line (C++ tests):

    python3 fake_apiserver.py --port 0 --cert C --key K [--token T]... [--client-ca CA]
                              [--state FILE]...
                              [--control-port 0] [--bookmark-interval S] [--history N]

prints, on stdout, one line each, flushed:

    listening 127.0.0.1:PORT
    control 127.0.0.1:CPORT

and runs until SIGTERM/SIGINT or stdin closes (when --exit-on-stdin-eof is given). `--state` may be
repeated; each file is a single object (e.g. a tests/fixtures/nodes/*.json Node), a v1 List with
`items`, or {"nodes": [...], "namespaces": [...], "pods": [...]}.

Control endpoint: plain HTTP/1.1 on 127.0.0.1:CPORT, JSON bodies, JSON answers ({"ok": true, ...};
400 with {"error": "..."} on bad input). `kind` is "Node", "Namespace" or "Pod" (or the plural).

  POST /control/add        {"kind": K, "object": OBJ}          -> {"ok", "resourceVersion"}
  POST /control/modify     {"kind": K, "object": OBJ}          (full replace)  -> same
  POST /control/delete     {"kind": K, "name": N, "namespace": NS?}           -> same
  POST /control/compact    {}                  drop history, snapshots: later watches/continues 410
  POST /control/bookmark   {}                  BOOKMARK on every watch that allows them
  POST /control/disconnect {"midChunk": true?} abruptly close every open watch stream
  POST /control/delay      {"seconds": S}      delay every API response
  POST /control/fail       {"count": N, "status": 503, "retryAfter": 1?}
  POST /control/drop       {"count": N}        close the next N API connections without an answer
  POST /control/wait-watches {"count": N, "timeoutSeconds": S}  -> {"ok", "reached": bool}
                           waits until exactly N watch streams are open
  POST /control/token      {"token": T|[T...]|null}
  POST /control/watch-expired-mode {"mode": "event"|"http"|"event-string-code"}
                           event-string-code: the ERROR event's Status has "code": "410" (a
                           string: type confusion), reason Expired
  GET  /control/requests   -> {"requests": [...]}     GET /control/watches -> {"open": N}
  GET  /control/state      -> {"resourceVersion": RV, "nodes": [...], "namespaces": [...],
                                "pods": [...]}
"""
import argparse
import base64
import collections
import copy
import http.server
import json
import select
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
import urllib.parse
import uuid

DEFAULT_HISTORY = 1000
SNAPSHOT_LIMIT = 64
WATCH_POLL_S = 0.05
SERVE_POLL_S = 0.02
HANDSHAKE_TIMEOUT_S = 10
IDLE_TIMEOUT_S = 120

RESOURCES = {
    # kind: (plural, namespaced)
    "Node": ("nodes", False),
    "Namespace": ("namespaces", False),
    "Pod": ("pods", True),
    "Secret": ("secrets", True),
    "MutatingWebhookConfiguration": ("mutatingwebhookconfigurations", False),
    "Event": ("events", True),
}
# Kinds outside the core group, and the only kinds that accept writes (see the writes section).
API_VERSIONS = {"MutatingWebhookConfiguration": "admissionregistration.k8s.io/v1"}
WRITABLE = {"Secret", "MutatingWebhookConfiguration", "Event"}
PLURAL_TO_KIND = {plural: kind for kind, (plural, _) in RESOURCES.items()}
REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
           405: "MethodNotAllowed", 409: "Conflict", 410: "Expired", 429: "TooManyRequests",
           500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout"}


def status_object(code, message, reason=None, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason or REASONS.get(code, "Unknown"), "code": code}
    if details:
        body["details"] = details
    return body


def canonical_kind(kind):
    if kind in RESOURCES:
        return kind
    if kind in PLURAL_TO_KIND:
        return PLURAL_TO_KIND[kind]
    lowered = {k.lower(): k for k in RESOURCES}
    if kind.lower() in lowered:
        return lowered[kind.lower()]
    raise ValueError(f"unknown kind {kind!r}")


def object_key(kind, obj):
    meta = obj.get("metadata", {})
    if RESOURCES[kind][1]:
        return f"{meta.get('namespace', 'default')}/{meta['name']}"
    return meta["name"]


# ---- selectors -------------------------------------------------------------------------------

def _split_requirements(text):
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _parse_label_requirement(req):
    for op in (" notin ", " in "):
        if op in req:
            key, values = req.split(op, 1)
            values = values.strip()
            if not (values.startswith("(") and values.endswith(")")):
                raise ValueError(f"bad set in {req!r}")
            items = {v.strip() for v in values[1:-1].split(",") if v.strip()}
            return (op.strip(), key.strip(), items)
    for op in ("!=", "==", "="):
        if op in req:
            key, value = req.split(op, 1)
            return ("!=" if op == "!=" else "=", key.strip(), value.strip())
    if req.startswith("!"):
        return ("!exists", req[1:].strip(), None)
    return ("exists", req, None)


def parse_label_selector(text):
    """Returns a predicate over a labels dict; raises ValueError on a malformed selector."""
    reqs = [_parse_label_requirement(r) for r in _split_requirements(text or "")]

    def satisfied(op, key, value, labels):
        present, actual = key in labels, labels.get(key)
        if op in ("=", "in"):
            return present and (actual == value if op == "=" else actual in value)
        if op in ("!=", "notin"):
            return not present or (actual != value if op == "!=" else actual not in value)
        return present if op == "exists" else not present

    return lambda labels: all(satisfied(op, k, v, labels) for op, k, v in reqs)


FIELD_GETTERS = {
    "metadata.name": lambda o: o.get("metadata", {}).get("name", ""),
    "metadata.namespace": lambda o: o.get("metadata", {}).get("namespace", ""),
    "spec.nodeName": lambda o: o.get("spec", {}).get("nodeName", ""),
}


def parse_field_selector(text):
    reqs = []
    for req in _split_requirements(text or ""):
        for op in ("!=", "==", "="):
            if op in req:
                field, value = req.split(op, 1)
                field = field.strip()
                if field not in FIELD_GETTERS:
                    raise ValueError(f'field label not supported: {field}')
                reqs.append((op != "!=", FIELD_GETTERS[field], value.strip()))
                break
        else:
            raise ValueError(f"invalid field selector: {req!r}")
    return lambda obj: all((getter(obj) == value) == equal for equal, getter, value in reqs)


class Filter:
    """What a list or watch request selects: kind, namespace, label and field selectors."""

    def __init__(self, kind, namespace, query):
        self.kind, self.namespace = kind, namespace
        self.has_selector = bool(query.get("labelSelector") or query.get("fieldSelector"))
        self._labels = parse_label_selector(query.get("labelSelector", ""))
        self._fields = parse_field_selector(query.get("fieldSelector", ""))

    def matches(self, obj):
        if obj is None:
            return False
        meta = obj.get("metadata", {})
        if self.namespace is not None and meta.get("namespace") != self.namespace:
            return False
        return self._labels(meta.get("labels") or {}) and self._fields(obj)


# ---- the store -------------------------------------------------------------------------------

Event = collections.namedtuple("Event", "rv kind type obj old")


class Store:
    """Objects, the global resourceVersion, a bounded event history and list snapshots."""

    def __init__(self, history=DEFAULT_HISTORY):
        self.cond = threading.Condition()
        self.rv = 0
        self.objects = {kind: {} for kind in RESOURCES}
        self.history = collections.deque()
        self.history_limit = history
        self.oldest_servable_rv = 0  # watches from an RV below this get 410
        self.snapshots = collections.OrderedDict()  # rv -> {kind: sorted [(key, obj)]}

    def _record(self, kind, type_, obj, old):
        self.history.append(Event(self.rv, kind, type_, obj, old))
        while len(self.history) > self.history_limit:
            self.oldest_servable_rv = self.history.popleft().rv
        self.cond.notify_all()

    def _stamp(self, kind, obj):
        obj = copy.deepcopy(obj)
        self.rv += 1
        obj["kind"], obj["apiVersion"] = kind, API_VERSIONS.get(kind, "v1")
        meta = obj.setdefault("metadata", {})
        if RESOURCES[kind][1]:
            meta.setdefault("namespace", "default")
        meta["resourceVersion"] = str(self.rv)
        return obj

    def put(self, kind, obj, must_exist):
        kind = canonical_kind(kind)
        with self.cond:
            key = object_key(kind, obj)
            old = self.objects[kind].get(key)
            if must_exist and old is None:
                raise KeyError(f"{kind} {key} not found")
            if not must_exist and old is not None:
                raise KeyError(f"{kind} {key} already exists")
            new = self._stamp(kind, obj)
            meta = new["metadata"]
            if old is not None:
                meta.setdefault("uid", old["metadata"].get("uid"))
                meta.setdefault("creationTimestamp", old["metadata"].get("creationTimestamp"))
            meta.setdefault("uid", str(uuid.uuid4()))
            meta.setdefault("creationTimestamp", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            self.objects[kind][key] = new
            self._record(kind, "MODIFIED" if old else "ADDED", new, old)
            return copy.deepcopy(new)

    def remove(self, kind, name, namespace=None):
        kind = canonical_kind(kind)
        with self.cond:
            probe = {"metadata": {"name": name, "namespace": namespace or "default"}}
            key = object_key(kind, probe)
            old = self.objects[kind].pop(key, None)
            if old is None:
                raise KeyError(f"{kind} {key} not found")
            self.rv += 1
            gone = copy.deepcopy(old)
            gone["metadata"]["resourceVersion"] = str(self.rv)
            self._record(kind, "DELETED", gone, old)
            return copy.deepcopy(gone)

    def update(self, kind, obj, expected_rv):
        """Replaces an existing object; 409 when expected_rv is set and is not the current one."""
        kind = canonical_kind(kind)
        with self.cond:
            old = self.objects[kind].get(object_key(kind, obj))
            if old is not None and expected_rv and old["metadata"]["resourceVersion"] != expected_rv:
                name = obj["metadata"]["name"]
                raise ApiError(409, f'Operation cannot be fulfilled on {RESOURCES[kind][0]} "{name}": '
                               "the object has been modified; please apply your changes to the "
                               "latest version and try again", reason="Conflict",
                               details={"name": name, "kind": RESOURCES[kind][0]})
            return self.put(kind, obj, must_exist=True)

    def compact(self):
        with self.cond:
            self.history.clear()
            self.snapshots.clear()
            self.oldest_servable_rv = self.rv
            self.cond.notify_all()

    def get(self, kind, name, namespace=None):
        kind = canonical_kind(kind)
        with self.cond:
            probe = {"metadata": {"name": name, "namespace": namespace or "default"}}
            obj = self.objects[kind].get(object_key(kind, probe))
            return copy.deepcopy(obj)

    def snapshot(self):
        """Takes (under the lock) a sorted snapshot at the current RV; returns the RV."""
        with self.cond:
            if self.rv not in self.snapshots:
                self.snapshots[self.rv] = {
                    kind: sorted(objs.items()) for kind, objs in self.objects.items()}
                while len(self.snapshots) > SNAPSHOT_LIMIT:
                    self.snapshots.popitem(last=False)
            return self.rv

    def snapshot_at(self, rv):
        with self.cond:
            if rv < self.oldest_servable_rv:
                return None
            return self.snapshots.get(rv)


# ---- URL paths and write bodies (Secrets, MutatingWebhookConfigurations) -----------------------

def group_version(parts):
    """"v1" for /api/v1/..., "GROUP/VERSION" for /apis/GROUP/VERSION/..., else None."""
    if parts[:2] == ["api", "v1"]:
        return "v1"
    if len(parts) >= 3 and parts[0] == "apis":
        return f"{parts[1]}/{parts[2]}"
    return None


def resource_path(parts):
    """The parts after the group/version prefix ([] when there is no resource)."""
    gv = group_version(parts)
    if gv is None:
        return []
    return parts[2:] if gv == "v1" else parts[3:]


def _pointer(path):
    if path == "":
        return []
    if not path.startswith("/"):
        raise ValueError(f"bad JSON pointer {path!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def _walk(doc, tokens):
    for t in tokens:
        doc = doc[int(t)] if isinstance(doc, list) else doc[t]
    return doc


def apply_json_patch(doc, ops):
    """RFC 6902 add/remove/replace/test; raises ValueError/KeyError/IndexError on failure."""
    doc = copy.deepcopy(doc)
    for op in ops:
        tokens = _pointer(op["path"])
        parent, last = _walk(doc, tokens[:-1]), tokens[-1]
        kind = op["op"]
        if kind == "test":
            if _walk(doc, tokens) != op["value"]:
                raise ValueError(f"test failed at {op['path']}")
        elif isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if kind == "add":
                parent.insert(index, op["value"])
            elif kind == "remove":
                parent.pop(index)
            elif kind == "replace":
                parent[index] = op["value"]
            else:
                raise ValueError(f"unsupported op {kind!r}")
        elif kind == "add":
            parent[last] = op["value"]
        elif kind in ("remove", "replace"):
            if last not in parent:
                raise KeyError(f"no {op['path']}")
            if kind == "remove":
                del parent[last]
            else:
                parent[last] = op["value"]
        else:
            raise ValueError(f"unsupported op {kind!r}")
    return doc


def apply_merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = apply_merge_patch(out.get(key), value)
    return out


# ---- HTTP ------------------------------------------------------------------------------------

class DropConnection(Exception):
    """An injected fault: close the connection without an answer."""


class ApiError(Exception):
    def __init__(self, code, message, reason=None, details=None, headers=None):
        super().__init__(message)
        self.status = status_object(code, message, reason, details)
        self.code, self.headers = code, headers or {}


def encode_continue(rv, start_key):
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start_key + "\x00"})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_continue(token):
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return int(data["rv"]), data["start"]
    except (ValueError, KeyError, TypeError) as err:
        raise ApiError(400, f"continue key is not valid: {err}") from err


class ApiHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S
    server_version = "fake-apiserver"

    def setup(self):
        self.request.settimeout(HANDSHAKE_TIMEOUT_S)
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError):
            self.request.close()
            raise
        super().setup()

    def log_message(self, fmt, *args):  # quiet
        pass

    @property
    def fake(self):
        return self.server.fake

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("PUT")

    def do_DELETE(self):
        self._serve("DELETE")

    def do_PATCH(self):
        self._serve("PATCH")

    def _serve(self, method):
        url = urllib.parse.urlsplit(self.path)
        parsed = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        query = {k: v[-1] for k, v in parsed.items()}
        authorization = self.headers.get("Authorization") or ""
        entry = {"method": method, "path": url.path, "query": query,
                 "watch": query.get("watch") in ("1", "true"), "status": None,
                 "token": authorization[7:] if authorization.startswith("Bearer ") else None,
                 "user": self.client_cn()}
        self.fake._log(entry)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            self.fake._before_response(self.headers.get("Authorization"), entry["user"])
            if method != "GET":
                return self.fake._write(self, method, url.path, body, entry)
            self._route(url.path, query, entry)
        except ApiError as err:
            entry["status"] = err.code
            self._send_json(err.code, err.status, err.headers)
        except DropConnection:
            entry["status"] = "dropped"
            self.abort(False)
        except Exception as err:  # a bug in the fake: answer 500 and say so, don't hang up
            traceback.print_exc()
            entry["status"] = 500
            self._send_json(500, status_object(500, f"fake apiserver bug: {err!r}"))

    def _route(self, path, query, entry):
        parts = [p for p in path.split("/") if p]
        if parts == ["version"]:
            entry["status"] = 200
            return self._send_json(200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0-fake"})
        rest, namespace = resource_path(parts), None
        if not rest:
            raise ApiError(404, "the server could not find the requested resource")
        if len(rest) >= 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        kind = PLURAL_TO_KIND.get(rest[0])
        if kind is None or len(rest) > 2 or (namespace and not RESOURCES[kind][1]) or \
                API_VERSIONS.get(kind, "v1") != group_version(parts):
            raise ApiError(404, "the server could not find the requested resource")
        self.fake._check_rbac(kind, namespace, "get" if len(rest) == 2 else
                              "watch" if entry["watch"] else "list")
        if len(rest) == 2:
            entry["status"] = 200
            return self._get_one(kind, rest[1], namespace)
        try:
            filt = Filter(kind, namespace, query)
        except ValueError as err:
            raise ApiError(400, str(err)) from err
        if entry["watch"]:
            entry["status"] = 200
            return self.fake._watch(self, filt, query)
        entry["status"] = 200
        return self._send_json(200, self.fake._list(filt, query))

    def client_cn(self):
        """The CN of a verified client certificate, else None."""
        try:
            cert = self.request.getpeercert()
        except (ValueError, OSError):
            return None
        for rdn in (cert or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    def _get_one(self, kind, name, namespace):
        obj = self.fake.store.get(kind, name, namespace)
        if obj is None:
            plural = RESOURCES[kind][0]
            raise ApiError(404, f'{plural} "{name}" not found',
                           details={"name": name, "kind": plural})
        self._send_json(200, obj)

    def _send_json(self, code, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    # chunked streaming, used by watches
    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def send_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def client_gone(self):
        try:
            readable, _, _ = select.select([self.request], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)  # a watch client sends nothing: readable means EOF

    def abort(self, mid_chunk):
        try:
            if mid_chunk:
                partial = json.dumps({"type": "MODIFIED", "object": {"kind": "Node"}}).encode()
                self.wfile.write(b"%x\r\n%s" % (len(partial) + 1, partial[: len(partial) // 2]))
                self.wfile.flush()
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            socket.socket.shutdown(self.request, socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True


class _TlsServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, context, fake):
        self.context, self.fake = context, fake
        super().__init__(addr, handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address):  # quiet: clients drop connections on purpose
        pass


class FakeApiServer:
    """See the module docstring. All public methods are thread-safe."""

    def __init__(self, cert, key, token=None, history=DEFAULT_HISTORY, bookmark_interval=None,
                 port=0, client_ca=None, host="127.0.0.1"):
        self.store = Store(history)
        self._token = self._tokens(token)
        self._client_ca = client_ca
        self._bookmark_interval = bookmark_interval
        self._lock = threading.Lock()
        self._delay = 0.0
        self._fail = collections.deque()
        self._requests = []
        self._watch_expired_mode = "event"
        self._bookmark_gen = 0
        self._disconnect_gen = 0
        self._mid_chunk = False
        self._open_watches = 0
        self._stopping = False
        self._races = collections.Counter()  # kind -> writes preceded by a concurrent change
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca:
            context.verify_mode = ssl.CERT_OPTIONAL
            context.load_verify_locations(client_ca)
        self.host = host  # another address for clients in other network namespaces
        self._httpd = _TlsServer((host, port), ApiHandler, context, self)
        self.port = self._httpd.server_address[1]
        self._thread = None

    # lifecycle
    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(SERVE_POLL_S,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        with self.store.cond:
            self._stopping = True
            self.store.cond.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"https://{self.host}:{self.port}"

    # mutation API
    def add(self, kind, obj):
        return self.store.put(kind, obj, must_exist=False)

    def modify(self, kind, obj):
        return self.store.put(kind, obj, must_exist=True)

    def delete(self, kind, name, namespace=None):
        return self.store.remove(kind, name, namespace)

    def objects(self, kind):
        """Copies of every stored object of a kind (e.g. the Events a controller wrote)."""
        kind = canonical_kind(kind)
        with self.store.cond:
            return [copy.deepcopy(o) for _, o in sorted(self.store.objects[kind].items())]

    def get(self, kind, name, namespace=None):
        return self.store.get(kind, name, namespace)

    def compact(self):
        self.store.compact()

    @property
    def resource_version(self):
        with self.store.cond:
            return str(self.store.rv)

    # faults and knobs
    def send_bookmark(self):
        with self.store.cond:
            self._bookmark_gen += 1
            self.store.cond.notify_all()

    def disconnect_watches(self, mid_chunk=True):
        with self.store.cond:
            self._disconnect_gen += 1
            self._mid_chunk = mid_chunk
            self.store.cond.notify_all()

    def set_delay(self, seconds):
        with self._lock:
            self._delay = float(seconds)

    def fail_next(self, n, status, retry_after=None, message=None):
        with self._lock:
            for _ in range(n):
                self._fail.append((status, retry_after, message))

    def drop_next(self, n):
        """The next n API requests get no answer: the connection is closed abruptly."""
        with self._lock:
            for _ in range(n):
                self._fail.append((None, None, None))

    def set_token(self, token):
        with self._lock:
            self._token = self._tokens(token)

    @staticmethod
    def _tokens(token):
        """None (no token auth), or the set of accepted tokens."""
        if token is None:
            return None
        return {token} if isinstance(token, str) else set(token)

    def set_watch_expired_mode(self, mode):
        if mode not in ("event", "http", "event-string-code"):
            raise ValueError("mode is 'event', 'http' or 'event-string-code'")
        with self._lock:
            self._watch_expired_mode = mode

    @property
    def requests(self):
        with self._lock:
            return copy.deepcopy(self._requests)

    # RBAC denials (for audit/certs tests): forbid("pods", "list") makes every list of pods
    # answer 403 Forbidden with the API server's message. Separate from fail_next: it is sticky
    # and only hits the named resource and verb.
    def forbid(self, plural, verb):
        with self._lock:
            self.__dict__.setdefault("_forbidden", set()).add((plural, verb))

    def _check_rbac(self, kind, namespace, verb):
        plural = RESOURCES[kind][0]
        with self._lock:
            if (plural, verb) not in self.__dict__.get("_forbidden", set()):
                return
        where = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
        raise ApiError(403, f'{plural} is forbidden: User "system:serviceaccount:test:audit" '
                            f'cannot {verb} resource "{plural}" in API group "" {where}',
                       details={"kind": plural})

    def clear_requests(self):
        with self._lock:
            self._requests.clear()

    @property
    def open_watches(self):
        with self.store.cond:
            return self._open_watches

    def wait_for_watches(self, n, timeout=5.0):
        """Waits until exactly n watch streams are open; returns whether they are."""
        with self.store.cond:
            return self.store.cond.wait_for(lambda: self._open_watches == n, timeout)

    # request plumbing
    def _log(self, entry):
        with self._lock:
            self._requests.append(entry)

    def _authenticated(self, authorization, user):
        if self._client_ca and user is not None:
            return True
        if self._token is None:
            return not self._client_ca
        return any(authorization == f"Bearer {t}" for t in self._token)

    def _before_response(self, authorization, user=None):
        with self._lock:
            delay = self._delay
            if not self._authenticated(authorization, user):
                raise ApiError(401, "Unauthorized")
            fail = self._fail.popleft() if self._fail else None
        if delay:
            time.sleep(delay)
        if fail:
            code, retry_after, message = fail
            if code is None:
                raise DropConnection()
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            details = {"retryAfterSeconds": retry_after} if retry_after is not None else None
            raise ApiError(code, message or f"injected failure {code}", details=details,
                           headers=headers)

    def _list(self, filt, query):
        limit = int(query.get("limit") or 0)
        if query.get("continue"):
            rv, start = decode_continue(query["continue"])
            snap = self.store.snapshot_at(rv)
            if snap is None:
                raise ApiError(410, "The provided continue parameter is too old to display a "
                               "consistent list result. You can start a new list without the "
                               "continue parameter.", reason="Expired")
        else:
            rv, start = self.store.snapshot(), ""
            snap = self.store.snapshot_at(rv)
        items = [(k, o) for k, o in snap[filt.kind] if k >= start and filt.matches(o)]
        page = items[:limit] if limit > 0 else items
        meta = {"resourceVersion": str(rv)}
        if limit > 0 and len(items) > limit:
            meta["continue"] = encode_continue(rv, page[-1][0])
            if not filt.has_selector:
                meta["remainingItemCount"] = len(items) - limit
        return {"kind": f"{filt.kind}List", "apiVersion": "v1", "metadata": meta,
                "items": [copy.deepcopy(o) for _, o in page]}

    # writes: create (POST), update (PUT), patch (PATCH), delete (DELETE) of WRITABLE kinds
    def race_next_write(self, kind, n=1):
        """The next n PUT/PATCH requests on `kind` lose a race: the server changes the object
        (a new resourceVersion) just before applying them, so a request carrying the
        resourceVersion it read gets 409 Conflict, as with a concurrent writer."""
        with self._lock:
            self._races[canonical_kind(kind)] += n

    def _take_race(self, kind):
        with self._lock:
            if self._races[kind] <= 0:
                return False
            self._races[kind] -= 1
            return True

    def _write(self, handler, method, path, body, entry):
        parts = [p for p in path.split("/") if p]
        rest, namespace = resource_path(parts), None
        if len(rest) >= 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        kind = PLURAL_TO_KIND.get(rest[0]) if rest else None
        if kind not in WRITABLE or API_VERSIONS.get(kind, "v1") != group_version(parts) or \
                len(rest) > 2 or bool(namespace) != RESOURCES[kind][1]:
            raise ApiError(405, f"the fake API server does not accept {method} {path}")
        name = rest[1] if len(rest) == 2 else None
        if (method == "POST") == (name is not None):
            raise ApiError(405, f"{method} {path}: POST goes to the collection, others to an object")
        code, obj = self._apply_write(kind, method, namespace, name, body,
                                      handler.headers.get("Content-Type", ""))
        entry["status"] = code
        handler._send_json(code, obj)

    def _apply_write(self, kind, method, namespace, name, body, content_type):
        try:
            data = json.loads(body or b"null")
        except ValueError as err:
            raise ApiError(400, f"invalid JSON body: {err}") from err
        if method == "DELETE":
            return self._delete_object(kind, name, namespace)
        if method == "POST":
            return 201, self._create_object(kind, namespace, data)
        current = self.store.get(kind, name, namespace)
        if current is not None and self._take_race(kind):
            current = self.modify(kind, current)  # a concurrent writer got there first
        if current is None:
            raise ApiError(404, f'{RESOURCES[kind][0]} "{name}" not found',
                           details={"name": name, "kind": RESOURCES[kind][0]})
        new = data if method == "PUT" else self._patched(current, data, content_type)
        new.setdefault("metadata", {}).update(name=name, **({"namespace": namespace} if namespace else {}))
        return 200, self.store.update(kind, new, new["metadata"].get("resourceVersion"))

    def _create_object(self, kind, namespace, data):
        meta = data.setdefault("metadata", {}) if isinstance(data, dict) else None
        if not meta or not meta.get("name"):
            raise ApiError(422, "metadata.name: Required value", reason="Invalid")
        if namespace:
            meta["namespace"] = namespace
        meta.pop("resourceVersion", None)
        try:
            return self.store.put(kind, data, must_exist=False)
        except KeyError as err:
            raise ApiError(409, f'{RESOURCES[kind][0]} "{meta["name"]}" already exists',
                           reason="AlreadyExists") from err

    def _delete_object(self, kind, name, namespace):
        try:
            self.store.remove(kind, name, namespace)
        except KeyError as err:
            raise ApiError(404, f'{RESOURCES[kind][0]} "{name}" not found',
                           details={"name": name, "kind": RESOURCES[kind][0]}) from err
        return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                     "details": {"name": name, "kind": RESOURCES[kind][0]}}

    @staticmethod
    def _patched(current, data, content_type):
        media = content_type.split(";")[0].strip()
        try:
            if media == "application/json-patch+json":
                return apply_json_patch(current, data)
            if media == "application/merge-patch+json":
                return apply_merge_patch(current, data)
        except (ValueError, KeyError, IndexError, TypeError) as err:
            raise ApiError(422, f"the patch could not be applied: {err}", reason="Invalid") from err
        raise ApiError(415, f"unsupported patch type {content_type!r}", reason="UnsupportedMediaType")

    # watches
    def _watch(self, handler, filt, query):
        rv_text = query.get("resourceVersion", "")
        try:
            since = int(rv_text or 0)
        except ValueError as err:
            raise ApiError(400, f"invalid resource version {rv_text!r}") from err
        bookmarks = query.get("allowWatchBookmarks") in ("true", "1")
        timeout = float(query["timeoutSeconds"]) if query.get("timeoutSeconds") else None
        with self._lock:
            expired_mode = self._watch_expired_mode
        with self.store.cond:
            expired = since and since < self.store.oldest_servable_rv
            current = self.store.rv
            if expired and expired_mode == "http":
                raise ApiError(410, f"too old resource version: {since} ({current})",
                               reason="Expired")
            initial = [] if since else [
                {"type": "ADDED", "object": copy.deepcopy(o)}
                for _, o in sorted(self.store.objects[filt.kind].items()) if filt.matches(o)]
            self._open_watches += 1
            # The bookmark and disconnect requests this watch answers are those made after it
            # counted as open: a test that saw it open (wait-watches) and then asks for a
            # disconnect gets it even when this thread has not reached _stream yet (it missed
            # such a disconnect under load, and the test then saw the watch stay open).
            generations = (self._bookmark_gen, self._disconnect_gen)
            self.store.cond.notify_all()
        try:
            handler.start_stream()
            if expired:
                status = status_object(410, f"too old resource version: {since} ({current})",
                                       "Expired")
                if expired_mode == "event-string-code":
                    status["code"] = str(status["code"])
                handler.send_chunk(json.dumps({"type": "ERROR", "object": status}).encode() + b"\n")
                handler.end_stream()
                return
            for event in initial:
                handler.send_chunk(json.dumps(event).encode() + b"\n")
            self._stream(handler, filt, since or current, bookmarks, timeout, generations)
        except OSError:
            handler.close_connection = True
        finally:
            with self.store.cond:
                self._open_watches -= 1
                self.store.cond.notify_all()

    def _stream(self, handler, filt, since, bookmarks, timeout, generations):
        deadline = time.monotonic() + timeout if timeout else None
        interval = self._bookmark_interval
        next_bookmark = time.monotonic() + interval if interval else None
        bookmark_gen, disconnect_gen = generations
        last = since
        while True:
            with self.store.cond:
                if self.store.rv == last and self._bookmark_gen == bookmark_gen:
                    self.store.cond.wait(WATCH_POLL_S)
                if self._stopping:
                    return handler.abort(False)
                if self._disconnect_gen != disconnect_gen:
                    return handler.abort(self._mid_chunk)
                if last < self.store.oldest_servable_rv:  # events this watcher missed are gone
                    expired_line = self._expired_line(last)
                    lines = []
                else:
                    expired_line, lines = None, self._pending_lines(filt, last)
                last = self.store.rv
                now = time.monotonic()
                want_bookmark = self._bookmark_gen != bookmark_gen or \
                    (next_bookmark is not None and now >= next_bookmark)
                bookmark_gen = self._bookmark_gen
            if expired_line:
                handler.send_chunk(expired_line)
                return handler.end_stream()
            for line in lines:
                handler.send_chunk(line)
            if bookmarks and want_bookmark:
                handler.send_chunk(self._bookmark_line(filt.kind, last))
            if want_bookmark and interval:
                next_bookmark = now + interval
            if deadline is not None and time.monotonic() >= deadline:
                return handler.end_stream()
            if handler.client_gone():
                handler.close_connection = True
                return

    def _pending_lines(self, filt, last):
        lines = []
        for ev in self.store.history:
            if ev.rv <= last or ev.kind != filt.kind:
                continue
            now_in, was_in = filt.matches(ev.obj), filt.matches(ev.old)
            if ev.type == "DELETED":
                type_ = "DELETED" if was_in else None
            elif now_in:
                type_ = "MODIFIED" if was_in else "ADDED"
            else:
                type_ = "DELETED" if was_in else None
            if type_:
                lines.append(json.dumps({"type": type_, "object": ev.obj}).encode() + b"\n")
        return lines

    def _expired_line(self, last):
        status = status_object(410, f"too old resource version: {last} ({self.store.rv})",
                               "Expired")
        if self._watch_expired_mode == "event-string-code":
            status["code"] = str(status["code"])
        return json.dumps({"type": "ERROR", "object": status}).encode() + b"\n"

    @staticmethod
    def _bookmark_line(kind, rv):
        obj = {"kind": kind, "apiVersion": "v1", "metadata": {"resourceVersion": str(rv)}}
        return json.dumps({"type": "BOOKMARK", "object": obj}).encode() + b"\n"

    # loading state
    def load(self, data):
        """Adds objects from a single object, a v1 List, or {"nodes": [...], ...}."""
        if "items" in data:
            for item in data["items"]:
                self.add(item["kind"], item)
        elif "kind" in data:
            self.add(data["kind"], data)
        else:
            for plural, items in data.items():
                for item in items:
                    self.add(plural, item)

    def dump(self):
        with self.store.cond:
            state = {"resourceVersion": str(self.store.rv)}
            for kind, (plural, _) in RESOURCES.items():
                objects = sorted(self.store.objects[kind].items())
                state[plural] = [copy.deepcopy(o) for _, o in objects]
            return state


# ---- control endpoint (plain HTTP, loopback) -------------------------------------------------

class ControlHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        fake = self.server.fake
        answers = {"/control/requests": lambda: {"requests": fake.requests},
                   "/control/watches": lambda: {"open": fake.open_watches},
                   "/control/state": fake.dump}
        answer = answers.get(self.path)
        self._reply(200, answer()) if answer else self._reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            action = CONTROL_ACTIONS.get(self.path)
            if action is None:
                return self._reply(404, {"error": f"no control action {self.path}"})
            result = action(self.server.fake, body) or {}
            self._reply(200, {"ok": True, **result})
        except (ValueError, KeyError, TypeError) as err:
            self._reply(400, {"error": str(err)})

    def _reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _rv(obj):
    return {"resourceVersion": obj["metadata"]["resourceVersion"]}


CONTROL_ACTIONS = {
    "/control/add": lambda f, b: _rv(f.add(b["kind"], b["object"])),
    "/control/modify": lambda f, b: _rv(f.modify(b["kind"], b["object"])),
    "/control/delete": lambda f, b: _rv(f.delete(b["kind"], b["name"], b.get("namespace"))),
    "/control/compact": lambda f, b: f.compact(),
    "/control/bookmark": lambda f, b: f.send_bookmark(),
    "/control/disconnect": lambda f, b: f.disconnect_watches(b.get("midChunk", True)),
    "/control/delay": lambda f, b: f.set_delay(b["seconds"]),
    "/control/fail": lambda f, b: f.fail_next(int(b.get("count", 1)), int(b["status"]),
                                              b.get("retryAfter"), b.get("message")),
    "/control/drop": lambda f, b: f.drop_next(int(b.get("count", 1))),
    "/control/wait-watches": lambda f, b: {"reached": f.wait_for_watches(
        int(b["count"]), float(b.get("timeoutSeconds", 5)))},
    "/control/token": lambda f, b: f.set_token(b.get("token")),
    "/control/watch-expired-mode": lambda f, b: f.set_watch_expired_mode(b["mode"]),
    "/control/race": lambda f, b: f.race_next_write(b["kind"], int(b.get("count", 1))),
}


class ControlServer:
    def __init__(self, fake, port=0):
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), ControlHandler)
        self._httpd.daemon_threads = True
        self._httpd.fake = fake
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, args=(SERVE_POLL_S,),
                         daemon=True).start()

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--token", action="append")
    parser.add_argument("--client-ca")
    parser.add_argument("--state", action="append", default=[])
    parser.add_argument("--control-port", type=int, default=0)
    parser.add_argument("--bookmark-interval", type=float)
    parser.add_argument("--history", type=int, default=DEFAULT_HISTORY)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args(argv)
    fake = FakeApiServer(args.cert, args.key, args.token, args.history, args.bookmark_interval,
                         port=args.port, client_ca=args.client_ca)
    for path in args.state:
        with open(path) as f:
            fake.load(json.load(f))
    fake.start()
    control = ControlServer(fake, args.control_port)
    print(f"listening 127.0.0.1:{fake.port}", flush=True)
    print(f"control 127.0.0.1:{control.port}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    if args.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    control.stop()
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
