"""Self-tests of fake_apiserver.py, driven by a stdlib client (http.client over TLS)."""
import glob
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import unittest
import urllib.error
import urllib.request

from fake_apiserver import FakeApiServer
from pki import Pki

TOKEN = "s3cr3t-token"
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "nodes")
CLIENT_TIMEOUT_S = 5
UNAUTHORIZED = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401}


def node(name, labels=None):
    return {"metadata": {"name": name, "labels": labels or {}},
            "status": {"nodeInfo": {"osImage": "Amazon Linux 2023.6.20250107"}}}


def pod(ns, name, node_name="", labels=None):
    return {"metadata": {"name": name, "namespace": ns, "labels": labels or {}},
            "spec": {"nodeName": node_name}}


class Client:
    def __init__(self, port, ca, token=TOKEN, timeout=CLIENT_TIMEOUT_S):
        ctx = ssl.create_default_context(cafile=ca)
        self.conn = http.client.HTTPSConnection("localhost", port, context=ctx, timeout=timeout)
        self.token = token

    def request(self, path):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.conn.request("GET", path, headers=headers)
        return self.conn.getresponse()

    def get(self, path):
        resp = self.request(path)
        return resp.status, resp, json.loads(resp.read())

    def close(self):
        self.conn.close()


class Watch:
    """Reads one JSON event per line from a chunked watch response."""

    def __init__(self, client, path):
        self.resp = client.request(path)

    def next(self):
        line = self.resp.readline()
        return json.loads(line) if line else None


class FakeApiServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pki = Pki()
        cls.cert, cls.key, _ = cls.pki.issue("apiserver")

    def setUp(self):
        self.srv = FakeApiServer(self.cert, self.key, token=TOKEN, history=50).start()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.srv.stop()

    def client(self, **kw):
        c = Client(self.srv.port, self.pki.ca_cert, **kw)
        self.clients.append(c)
        return c

    # --- auth ---------------------------------------------------------------------------------
    def test_requests_without_or_with_a_wrong_token_get_a_401_status(self):
        for token in (None, "wrong"):
            status, _, body = self.client(token=token).get("/api/v1/nodes")
            self.assertEqual((status, body), (401, UNAUTHORIZED))

    def test_token_rotation_rejects_the_old_token_and_accepts_the_new(self):
        self.srv.set_token("rotated")
        self.assertEqual(self.client().get("/api/v1/nodes")[0], 401)
        self.assertEqual(self.client(token="rotated").get("/api/v1/nodes")[0], 200)

    # --- get and list -------------------------------------------------------------------------
    def test_resource_versions_increase_globally_and_appear_on_objects_and_lists(self):
        a = self.srv.add("Node", node("a"))
        b = self.srv.add("Namespace", {"metadata": {"name": "team"}})
        self.assertLess(int(a["metadata"]["resourceVersion"]),
                        int(b["metadata"]["resourceVersion"]))
        status, _, body = self.client().get("/api/v1/nodes")
        self.assertEqual(status, 200)
        self.assertEqual(body["kind"], "NodeList")
        self.assertEqual(body["metadata"]["resourceVersion"], b["metadata"]["resourceVersion"])
        self.assertEqual(body["items"][0]["metadata"]["resourceVersion"],
                         a["metadata"]["resourceVersion"])

    def test_get_single_object_and_404_status_for_a_missing_one(self):
        self.srv.add("Node", node("n1"))
        self.srv.add("Pod", pod("team", "p1"))
        c = self.client()
        self.assertEqual(c.get("/api/v1/nodes/n1")[2]["metadata"]["name"], "n1")
        self.assertEqual(c.get("/api/v1/namespaces/team/pods/p1")[2]["kind"], "Pod")
        status, _, body = c.get("/api/v1/nodes/absent")
        self.assertEqual((status, body["reason"], body["code"]), (404, "NotFound", 404))
        self.assertEqual(c.get("/api/v1/namespaces/other/pods/p1")[0], 404)
        self.assertEqual(c.get("/apis/apps/v1/deployments")[0], 404)

    def test_pagination_walk_yields_every_item_once_from_one_snapshot(self):
        for i in range(25):
            self.srv.add("Node", node(f"node-{i:02d}"))
        c, names, remaining, rvs, token = self.client(), [], [], set(), None
        while True:
            path = "/api/v1/nodes?limit=10" + (f"&continue={token}" if token else "")
            body = c.get(path)[2]
            if not names:  # changes after the first page must not show up in later pages
                self.srv.add("Node", node("node-99"))
                self.srv.delete("Node", "node-24")
            names += [item["metadata"]["name"] for item in body["items"]]
            remaining.append(body["metadata"].get("remainingItemCount"))
            rvs.add(body["metadata"]["resourceVersion"])
            token = body["metadata"].get("continue")
            if not token:
                break
        self.assertEqual(names, [f"node-{i:02d}" for i in range(25)])
        self.assertEqual(remaining, [15, 5, None])
        self.assertEqual(len(rvs), 1)

    def test_continue_token_older_than_compaction_gives_410_expired(self):
        for i in range(3):
            self.srv.add("Node", node(f"n{i}"))
        c = self.client()
        token = c.get("/api/v1/nodes?limit=1")[2]["metadata"]["continue"]
        self.srv.compact()
        status, _, body = c.get(f"/api/v1/nodes?limit=1&continue={token}")
        self.assertEqual((status, body["reason"], body["code"]), (410, "Expired", 410))

    def test_label_and_field_selectors(self):
        self.srv.add("Node", node("a", {"pool": "x", "os": "al2"}))
        self.srv.add("Node", node("b", {"pool": "y"}))
        self.srv.add("Node", node("c", {"pool": "x"}))
        cases = [("labelSelector=pool%3Dx", ["a", "c"]), ("labelSelector=pool!%3Dx", ["b"]),
                 ("labelSelector=pool%3Dx,os", ["a"]), ("labelSelector=!os", ["b", "c"]),
                 ("labelSelector=os%3D%3Dal2", ["a"]), ("labelSelector=os!%3Dal2", ["b", "c"]),
                 ("labelSelector=os%20in%20(al2)", ["a"]),
                 ("labelSelector=os%20notin%20(al2)", ["b", "c"]),
                 ("labelSelector=pool%20in%20(y,z)", ["b"]),
                 ("labelSelector=pool%20notin%20(y)", ["a", "c"]),
                 ("fieldSelector=metadata.name%3Db", ["b"]),
                 ("fieldSelector=metadata.name!%3Db", ["a", "c"])]
        c = self.client()
        for query, expected in cases:
            with self.subTest(query=query):
                body = c.get(f"/api/v1/nodes?{query}")[2]
                self.assertEqual([i["metadata"]["name"] for i in body["items"]], expected)
        self.assertEqual(c.get("/api/v1/nodes?fieldSelector=spec.color%3Dred")[0], 400)

    def test_selected_pages_omit_remaining_item_count(self):
        for i in range(4):
            self.srv.add("Node", node(f"n{i}", {"pool": "x"}))
        body = self.client().get("/api/v1/nodes?limit=2&labelSelector=pool%3Dx")[2]
        self.assertIn("continue", body["metadata"])
        self.assertNotIn("remainingItemCount", body["metadata"])

    def test_pods_by_namespace_and_across_namespaces(self):
        self.srv.add("Pod", pod("a", "p1", "n1"))
        self.srv.add("Pod", pod("b", "p2", "n2"))
        c = self.client()
        self.assertEqual(len(c.get("/api/v1/pods")[2]["items"]), 2)
        items = c.get("/api/v1/namespaces/b/pods")[2]["items"]
        self.assertEqual([p["metadata"]["name"] for p in items], ["p2"])
        body = c.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1")[2]
        self.assertEqual([p["metadata"]["name"] for p in body["items"]], ["p1"])

    # --- watch --------------------------------------------------------------------------------
    def test_watch_from_list_rv_sees_added_modified_deleted_in_order(self):
        self.srv.add("Node", node("old"))
        c = self.client()
        rv = c.get("/api/v1/nodes")[2]["metadata"]["resourceVersion"]
        self.srv.add("Node", node("n1"))  # replayed from history
        w = Watch(c, f"/api/v1/nodes?watch=1&resourceVersion={rv}&timeoutSeconds=5")
        self.assertEqual(w.resp.getheader("Transfer-Encoding"), "chunked")
        self.assertEqual(w.resp.getheader("Content-Type"), "application/json")
        self.assertTrue(self.srv.wait_for_watches(1))
        self.srv.modify("Node", node("n1", {"role": "x"}))  # live
        self.srv.delete("Node", "n1")
        events = [w.next() for _ in range(3)]
        self.assertEqual([e["type"] for e in events], ["ADDED", "MODIFIED", "DELETED"])
        rvs = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
        self.assertEqual(rvs, sorted(rvs))
        self.assertGreater(rvs[0], int(rv))

    def test_watch_without_rv_starts_with_synthetic_added_events(self):
        self.srv.add("Node", node("a"))
        self.srv.add("Node", node("b"))
        w = Watch(self.client(), "/api/v1/nodes?watch=true")
        events = [w.next(), w.next()]
        self.assertEqual([(e["type"], e["object"]["metadata"]["name"]) for e in events],
                         [("ADDED", "a"), ("ADDED", "b")])

    def test_watch_with_selector_turns_leaving_objects_into_deleted(self):
        self.srv.add("Node", node("a", {"pool": "x"}))
        rv = self.srv.resource_version
        self.srv.modify("Node", node("a", {"pool": "y"}))
        self.srv.modify("Node", node("a", {"pool": "x"}))
        w = Watch(self.client(),
                  f"/api/v1/nodes?watch=1&resourceVersion={rv}&labelSelector=pool%3Dx")
        self.assertEqual([w.next()["type"], w.next()["type"]], ["DELETED", "ADDED"])

    def test_bookmarks_on_demand_only_when_allowed(self):
        self.srv.add("Node", node("a"))
        rv = self.srv.resource_version
        allowed = Watch(self.client(), f"/api/v1/nodes?watch=1&resourceVersion={rv}"
                                       "&allowWatchBookmarks=true")
        plain = Watch(self.client(), f"/api/v1/nodes?watch=1&resourceVersion={rv}")
        self.assertTrue(self.srv.wait_for_watches(2))
        self.srv.send_bookmark()
        event = allowed.next()
        self.assertEqual(event, {"type": "BOOKMARK", "object": {
            "kind": "Node", "apiVersion": "v1", "metadata": {"resourceVersion": rv}}})
        self.srv.add("Node", node("b"))
        self.assertEqual(plain.next()["type"], "ADDED")  # no bookmark came first

    def test_periodic_bookmarks(self):
        srv = FakeApiServer(self.cert, self.key, bookmark_interval=0.05).start()
        self.addCleanup(srv.stop)
        c = Client(srv.port, self.pki.ca_cert, token=None)
        self.addCleanup(c.close)
        w = Watch(c, "/api/v1/namespaces?watch=1&resourceVersion=0&allowWatchBookmarks=true")
        self.assertEqual(w.next()["type"], "BOOKMARK")

    def test_compaction_makes_a_later_watch_from_an_old_rv_fail_with_410_event(self):
        self.srv.add("Node", node("a"))
        rv = self.srv.resource_version
        self.srv.add("Node", node("b"))
        self.srv.compact()
        w = Watch(self.client(), f"/api/v1/nodes?watch=1&resourceVersion={rv}")
        self.assertEqual(w.resp.status, 200)
        event = w.next()
        self.assertEqual(event["type"], "ERROR")
        self.assertEqual((event["object"]["reason"], event["object"]["code"]), ("Expired", 410))
        self.assertIsNone(w.next())  # the stream ends

    def test_bounded_history_expires_old_rvs_too(self):
        rv = self.srv.resource_version
        for i in range(60):  # history=50
            self.srv.add("Node", node(f"n{i}"))
        event = Watch(self.client(), f"/api/v1/nodes?watch=1&resourceVersion={int(rv) + 1}").next()
        self.assertEqual(event["object"]["code"], 410)

    def test_expired_watch_as_http_410_fault_mode(self):
        self.srv.add("Node", node("a"))
        rv = self.srv.resource_version
        self.srv.add("Node", node("b"))
        self.srv.compact()
        self.srv.set_watch_expired_mode("http")
        status, _, body = self.client().get(f"/api/v1/nodes?watch=1&resourceVersion={rv}")
        self.assertEqual((status, body["reason"]), (410, "Expired"))

    def test_disconnect_mid_stream_is_seen_by_the_client(self):
        rv = self.srv.resource_version
        w = Watch(self.client(), f"/api/v1/nodes?watch=1&resourceVersion={rv}")
        self.assertTrue(self.srv.wait_for_watches(1))
        self.srv.disconnect_watches(mid_chunk=True)
        with self.assertRaises((http.client.HTTPException, OSError, ValueError)):
            w.next()
        self.assertTrue(self.srv.wait_for_watches(0))

    def test_timeout_seconds_ends_the_stream_cleanly(self):
        w = Watch(self.client(), "/api/v1/nodes?watch=1&resourceVersion=0&timeoutSeconds=1")
        self.assertIsNone(w.next())

    # --- faults and connection behaviour ------------------------------------------------------
    def test_slow_responses(self):
        self.srv.set_delay(0.5)
        with self.assertRaises(socket.timeout):
            self.client(timeout=0.1).get("/api/v1/nodes")
        self.srv.set_delay(0.05)
        self.assertEqual(self.client().get("/api/v1/nodes")[0], 200)

    def test_fail_next_injects_statuses_with_retry_after(self):
        self.srv.fail_next(1, 429, retry_after=2)
        self.srv.fail_next(1, 503)
        c = self.client()
        status, resp, body = c.get("/api/v1/nodes")
        self.assertEqual((status, resp.getheader("Retry-After"), body["reason"]),
                         (429, "2", "TooManyRequests"))
        self.assertEqual(c.get("/api/v1/nodes")[2]["reason"], "ServiceUnavailable")
        self.assertEqual(c.get("/api/v1/nodes")[0], 200)

    def test_drop_next_closes_the_connection_without_an_answer(self):
        self.srv.drop_next(1)
        with self.assertRaises((http.client.HTTPException, OSError)):
            self.client().get("/api/v1/nodes")
        self.assertEqual(self.client().get("/api/v1/nodes")[0], 200)

    def test_keep_alive_reuses_one_connection(self):
        c = self.client()
        c.get("/api/v1/nodes")
        sock = c.conn.sock
        c.get("/api/v1/namespaces")
        self.assertIs(c.conn.sock, sock)

    def test_request_log(self):
        self.client().get("/api/v1/nodes?limit=5")
        self.client(token=None).get("/api/v1/namespaces")
        log = [(r["method"], r["path"], r["query"], r["status"]) for r in self.srv.requests]
        self.assertEqual(log, [("GET", "/api/v1/nodes", {"limit": "5"}, 200),
                               ("GET", "/api/v1/namespaces", {}, 401)])


class CommandLineTest(unittest.TestCase):
    """The fake as a C++ test runs it: a child process driven through the control endpoint."""

    @classmethod
    def setUpClass(cls):
        cls.pki = Pki()
        cert, key, _ = cls.pki.issue("apiserver")
        cls.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "fake_apiserver.py"), "--port", "0", "--cert", cert,
             "--key", key, "--token", TOKEN, "--state", os.path.join(FIXTURES, "al2023.json"),
             "--state", os.path.join(FIXTURES, "fargate.json"), "--exit-on-stdin-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        cls.api = int(cls.proc.stdout.readline().split(":")[-1])
        cls.control = int(cls.proc.stdout.readline().split(":")[-1])

    @classmethod
    def tearDownClass(cls):
        cls.proc.stdin.close()  # --exit-on-stdin-eof: the fake exits when its parent goes away
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()

    def post(self, action, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.control}/control/{action}",
                                     method="POST", data=json.dumps(body or {}).encode())
        try:
            with urllib.request.urlopen(req, timeout=CLIENT_TIMEOUT_S) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    def get_control(self, what):
        url = f"http://127.0.0.1:{self.control}/control/{what}"
        with urllib.request.urlopen(url, timeout=CLIENT_TIMEOUT_S) as resp:
            return json.loads(resp.read())

    def client(self, token=TOKEN):
        c = Client(self.api, self.pki.ca_cert, token=token)
        self.addCleanup(c.close)
        return c

    def names(self, path="/api/v1/nodes"):
        return [i["metadata"]["name"] for i in self.client().get(path)[2]["items"]]

    def test_state_files_are_loaded(self):
        state = self.get_control("state")
        names = [n["metadata"]["name"] for n in state["nodes"]]
        self.assertIn("ip-192-168-45-67.us-east-1.compute.internal", names)
        self.assertIn("fargate-ip-192-168-101-42.us-east-1.compute.internal", names)

    def test_add_modify_delete(self):
        status, answer = self.post("add", {"kind": "Node", "object": node("cli-x")})
        self.assertEqual(status, 200)
        self.assertIn("resourceVersion", answer)
        self.assertIn("cli-x", self.names())
        self.post("modify", {"kind": "Node", "object": node("cli-x", {"pool": "p"})})
        self.assertEqual(self.names("/api/v1/nodes?labelSelector=pool%3Dp"), ["cli-x"])
        self.post("delete", {"kind": "Node", "name": "cli-x"})
        self.assertNotIn("cli-x", self.names())

    def test_injected_failures_drops_and_token_rotation(self):
        self.post("fail", {"count": 1, "status": 503, "retryAfter": 1})
        self.assertEqual(self.client().get("/api/v1/nodes")[0], 503)
        self.post("drop", {"count": 1})
        with self.assertRaises((http.client.HTTPException, OSError)):
            self.client().get("/api/v1/nodes")
        self.post("token", {"token": "next"})
        self.addCleanup(self.post, "token", {"token": TOKEN})
        self.assertEqual(self.client().get("/api/v1/nodes")[0], 401)
        self.assertEqual(self.client(token="next").get("/api/v1/nodes")[0], 200)

    def test_watch_control_bookmark_and_disconnect(self):
        rv = self.get_control("state")["resourceVersion"]
        w = Watch(self.client(), f"/api/v1/nodes?watch=1&resourceVersion={rv}"
                                 "&allowWatchBookmarks=true")
        self.assertTrue(self.post("wait-watches", {"count": 1})[1]["reached"])
        self.post("bookmark")
        self.assertEqual(w.next()["type"], "BOOKMARK")
        self.post("disconnect", {"midChunk": True})
        with self.assertRaises((http.client.HTTPException, OSError, ValueError)):
            w.next()
        self.assertTrue(self.post("wait-watches", {"count": 0})[1]["reached"])

    def test_compact_with_http_410_mode(self):
        self.post("watch-expired-mode", {"mode": "http"})
        self.addCleanup(self.post, "watch-expired-mode", {"mode": "event"})
        self.post("add", {"kind": "Namespace", "object": {"metadata": {"name": "cli-ns"}}})
        self.post("compact")
        status, _, body = self.client().get("/api/v1/namespaces?watch=1&resourceVersion=1")
        self.assertEqual((status, body["reason"]), (410, "Expired"))

    def test_bad_control_requests(self):
        self.assertEqual(self.post("add", {"kind": "Deployment", "object": node("x")})[0], 400)
        self.assertEqual(self.post("delete", {"kind": "Node", "name": "absent"})[0], 400)
        self.assertEqual(self.post("explode")[0], 404)

    def test_request_log_over_control(self):
        self.client().get("/api/v1/nodes?limit=7")
        log = self.get_control("requests")["requests"]
        self.assertIn({"method": "GET", "path": "/api/v1/nodes", "query": {"limit": "7"},
                       "watch": False, "status": 200, "token": TOKEN, "user": None}, log)


class FixturesTest(unittest.TestCase):
    def test_node_fixtures_have_the_fields_prediction_reads(self):
        files = sorted(glob.glob(os.path.join(FIXTURES, "*.json")))
        self.assertGreaterEqual(len(files), 9)
        for path in files:
            with self.subTest(fixture=os.path.basename(path)), open(path) as f:
                obj = json.load(f)
                self.assertEqual((obj["kind"], obj["apiVersion"]), ("Node", "v1"))
                if os.path.basename(path) == "odd.json":
                    continue
                info = obj["status"]["nodeInfo"]
                for field in ("architecture", "bootID", "containerRuntimeVersion", "kernelVersion",
                              "kubeProxyVersion", "kubeletVersion", "machineID", "operatingSystem",
                              "osImage", "systemUUID"):
                    self.assertIn(field, info)
                self.assertIn("labels", obj["metadata"])
                self.assertIn("allocatable", obj["status"])


if __name__ == "__main__":
    unittest.main()
