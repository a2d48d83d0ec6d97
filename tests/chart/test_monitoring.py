"""The chart's optional PrometheusRule and Grafana dashboard (issue 18), checked with real tools.

- Both render (alone and with the HA values) and `helm lint --strict` passes.
- Every alert expression, and every dashboard query, parses: promtool (Debian's `prometheus`
  package) lints them as a rule file (dashboard queries become recording rules, Grafana's
  $__rate_interval and $job replaced).
- `promtool test rules` feeds series to the rendered alerts and checks which fire, with which
  labels: a webhook that stops being scraped, failing reviews, an expiring certificate, pods
  TAMPERED/DRIFT/UNPATCHED exported by two replicas (counted once), an inventory never synced.
- Every jailkeeper_* metric the rules and the dashboard name is exported by the real binary:
  `serve` runs against the fake API server (live inventory and continuous audit on) and its
  /metrics families are the reference.
Skipped, saying why, when helm/kubectl (scripts/install-k8s-tools.sh) or promtool
(scripts/install-deps.sh --test) are missing.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request
import warnings

import k8s_render as kr

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from fake_apiserver import FakeApiServer  # noqa: E402
from pki import Pki  # noqa: E402
from webhook_process import WebhookProcess  # noqa: E402

HELM = kr.find_tool("helm")
KUBECTL = kr.find_tool("kubectl")
PROMTOOL = shutil.which("promtool")
TOOLS_MISSING = "tools/helm or tools/kubectl missing (run scripts/install-k8s-tools.sh)"
ENABLED = ["prometheusRule.enabled=true", "grafanaDashboard.enabled=true"]
JOB = kr.RELEASE + "-jailkeeper" if "jailkeeper" not in kr.RELEASE else kr.RELEASE
METRIC = re.compile(r"\b(jailkeeper_[a-z0-9_]+)")
HISTOGRAM_SUFFIX = re.compile(r"_(bucket|sum|count)$")


def render(value_files=(), sets=()):
    proc = kr.helm_template(HELM, [os.path.join(kr.VALUES, f) for f in value_files],
                            list(ENABLED) + list(sets))
    if proc.returncode != 0:
        raise AssertionError("helm template failed: " + proc.stderr)
    return kr.yaml_to_objects(KUBECTL, proc.stdout)


def one(objects, kind):
    found = [o for o in objects if o["kind"] == kind and
             (kind != "ConfigMap" or o["metadata"]["name"].endswith("-dashboard"))]
    if len(found) != 1:
        raise AssertionError(f"expected one {kind}, got {len(found)}")
    return found[0]


def dashboard_queries(dashboard):
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def as_plain_promql(expr):
    """A Grafana query with its variables replaced, as Prometheus would receive it."""
    return expr.replace("$__rate_interval", "5m").replace('job=~"$job"', 'job=~".+"')


@unittest.skipUnless(HELM and KUBECTL, TOOLS_MISSING)
class Monitoring(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.objects = render()
        cls.rule = one(cls.objects, "PrometheusRule")
        cls.dashboard = json.loads(one(cls.objects, "ConfigMap")["data"]["jailkeeper.json"])

    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)
        self.tmp = tempfile.mkdtemp(prefix="jk-monitoring-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def write(self, name, document):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(document, f, indent=1)  # JSON is YAML: promtool reads it
        return path

    def promtool(self, *args):
        proc = subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout + proc.stderr

    # --- rendering -------------------------------------------------------------------------------

    def test_off_by_default_and_lint_strict_when_on(self):
        default = kr.helm_template(HELM)
        self.assertEqual(default.returncode, 0, default.stderr)
        self.assertNotIn("kind: PrometheusRule", default.stdout)
        self.assertNotIn("jailkeeper.json", default.stdout)
        for files in ([], ["ha.yaml"]):
            argv = [HELM, "lint", "--strict", kr.CHART]
            for f in files:
                argv += ["--values", os.path.join(kr.VALUES, f)]
            for s in ENABLED:
                argv += ["--set", s]
            proc = kr.run(argv)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertNotIn("[WARNING]", proc.stdout)

    def test_rule_and_dashboard_objects(self):
        self.assertEqual(self.rule["apiVersion"], "monitoring.coreos.com/v1")
        alerts = [r["alert"] for r in self.rule["spec"]["groups"][0]["rules"]]
        self.assertEqual(alerts, ["JailkeeperWebhookDown", "JailkeeperReviewsFailing",
                                  "JailkeeperCertificateExpiringSoon", "JailkeeperPodsTampered",
                                  "JailkeeperPodsDrift", "JailkeeperPodsUnpatched",
                                  "JailkeeperInventoryNotSynced"])
        for rule in self.rule["spec"]["groups"][0]["rules"]:
            self.assertIn(f'job="{JOB}"', rule["expr"], rule["alert"])  # scoped to this release
        cm = one(self.objects, "ConfigMap")
        self.assertEqual(cm["metadata"]["labels"]["grafana_dashboard"], "1")
        self.assertEqual(self.dashboard["uid"], "jailkeeper")
        titles = [p["title"] for p in self.dashboard["panels"]]
        for wanted in ("Admission reviews by outcome", "Reviews by predicted node OS and jail",
                       "Review latency", "Pods by audit verdict"):
            self.assertIn(wanted, titles)
        custom = render(sets=["prometheusRule.job=kubernetes-pods",
                              "prometheusRule.labels.release=kps",
                              "grafanaDashboard.namespace=monitoring"])
        rule = one(custom, "PrometheusRule")
        self.assertEqual(rule["metadata"]["labels"]["release"], "kps")
        self.assertIn('job="kubernetes-pods"', rule["spec"]["groups"][0]["rules"][0]["expr"])
        self.assertEqual(one(custom, "ConfigMap")["metadata"]["namespace"], "monitoring")

    def test_service_monitor_keeps_the_audited_pods_namespace_label(self):
        monitor = one(render(["ha.yaml"]), "ServiceMonitor")
        self.assertTrue(monitor["spec"]["endpoints"][0]["honorLabels"])

    # --- promtool ---------------------------------------------------------------------------------

    @unittest.skipUnless(PROMTOOL, "promtool missing (Debian package prometheus; "
                                   "scripts/install-deps.sh --test installs it)")
    def test_promtool_lints_alert_rules_and_dashboard_queries(self):
        rules = self.write("rules.yaml", {"groups": self.rule["spec"]["groups"]})
        code, out = self.promtool("check", "rules", rules)
        self.assertEqual(code, 0, out)
        self.assertIn("SUCCESS: 7 rules found", out)
        recordings = [{"record": f"jailkeeper_dashboard:panel{i}", "expr": as_plain_promql(expr)}
                      for i, (_, expr) in enumerate(dashboard_queries(self.dashboard))]
        queries = self.write("dashboard.yaml", {"groups": [{"name": "dashboard",
                                                            "rules": recordings}]})
        code, out = self.promtool("check", "rules", queries)
        self.assertEqual(code, 0, out)
        broken = self.write("broken.yaml", {"groups": [{"name": "b", "rules": [
            {"record": "x:y", "expr": "sum by (verdict (jailkeeper_pods)"}]}]})
        self.assertNotEqual(self.promtool("check", "rules", broken)[0], 0)  # the check can fail

    @unittest.skipUnless(PROMTOOL, "promtool missing (Debian package prometheus)")
    def test_alerts_fire_on_the_series_they_are_written_for(self):
        rules = self.write("rules.yaml", {"groups": self.rule["spec"]["groups"]})
        job = f'job="{JOB}"'
        two = [f'{{{job},instance="a"}}', f'{{{job},instance="b"}}']
        series = [
            # The only replica stops being scraped at minute 10.
            {"series": f'up{{{job},instance="a"}}', "values": "1x9 0x20"},
            # 10% of requests answer 500 from minute 0.
            {"series": f'jailkeeper_http_requests_total{{{job},code="200"}}', "values": "0+90x40"},
            {"series": f'jailkeeper_http_requests_total{{{job},code="500"}}', "values": "0+10x40"},
            {"series": f'jailkeeper_bad_requests_total{{{job}}}', "values": "0x40"},
            # The certificate expires in 10 days.
            {"series": f'jailkeeper_certificate_expiry_timestamp_seconds{{{job}}}',
             "values": str(10 * 86400) + "x200"},
            # The nodes watch never completes a list; namespaces are fine.
            {"series": f'jailkeeper_kube_last_sync_timestamp_seconds{{{job},resource="nodes"}}',
             "values": "0x30"},
            {"series": f'jailkeeper_kube_last_sync_timestamp_seconds{{{job},resource="namespaces"}}',
             "values": "60x30"},
            {"series": f'jailkeeper_kube_list_watch_errors_total{{{job},resource="namespaces"}}',
             "values": "0x30"},
        ]
        for labels in two:  # both replicas export the same pod verdicts
            inner = labels[1:-1]
            series += [
                {"series": f'jailkeeper_pods{{{inner},namespace="agents",verdict="TAMPERED",'
                           'node_os="amazon-linux",jail="nsjail"}', "values": "1x30"},
                {"series": f'jailkeeper_pods{{{inner},namespace="agents",verdict="OK",'
                           'node_os="amazon-linux",jail="nsjail"}', "values": "7x30"},
                {"series": f'jailkeeper_pods{{{inner},namespace="ml",verdict="DRIFT",'
                           'node_os="bottlerocket",jail="nsjail"}', "values": "2x30"},
                {"series": f'jailkeeper_pods{{{inner},namespace="ml",verdict="UNPATCHED",'
                           'node_os="bottlerocket",jail=""}', "values": "0x30"},
            ]
        def fires(name, value=None, **labels):
            """The alert with its labels and its annotations as Prometheus expands them."""
            rule = next(r for r in self.rule["spec"]["groups"][0]["rules"] if r["alert"] == name)
            notes = {}
            for key, text in rule["annotations"].items():
                text = text.replace("{{ $value }}", str(value))
                for label, v in labels.items():
                    text = text.replace("{{ $labels.%s }}" % label, v)
                self.assertNotIn("{{", text, name)
                notes[key] = text
            return [{"exp_labels": dict(labels, severity=rule["labels"]["severity"]),
                     "exp_annotations": notes}]

        expected = {
            "JailkeeperWebhookDown": fires("JailkeeperWebhookDown"),
            "JailkeeperReviewsFailing": fires("JailkeeperReviewsFailing"),
            "JailkeeperCertificateExpiringSoon": [],  # needs 1h; checked at 70m below
            "JailkeeperPodsTampered": fires("JailkeeperPodsTampered", 1, namespace="agents"),
            "JailkeeperPodsDrift": fires("JailkeeperPodsDrift", 2, namespace="ml"),
            "JailkeeperPodsUnpatched": [],
            "JailkeeperInventoryNotSynced": fires("JailkeeperInventoryNotSynced",
                                                  resource="nodes"),
        }
        tests = [{"interval": "1m", "input_series": series, "alert_rule_test": [
            {"eval_time": "25m", "alertname": name, "exp_alerts": alerts}
            for name, alerts in expected.items()]}]
        late = [{"series": f'jailkeeper_certificate_expiry_timestamp_seconds{{{job}}}',
                 "values": str(10 * 86400) + "x200"}]
        tests.append({"interval": "1m", "input_series": late, "alert_rule_test": [
            {"eval_time": "70m", "alertname": "JailkeeperCertificateExpiringSoon",
             "exp_alerts": fires("JailkeeperCertificateExpiringSoon")}]})
        unit = self.write("rules_test.yaml", {"rule_files": ["rules.yaml"], "tests": tests})
        code, out = self.promtool("test", "rules", unit)
        self.assertEqual(code, 0, out)
        # And the test itself can fail: expecting no TAMPERED alert is refused.
        tests[0]["alert_rule_test"][3]["exp_alerts"] = []
        self.assertNotEqual(self.promtool("test", "rules", self.write("neg.yaml", {
            "rule_files": ["rules.yaml"], "tests": tests}))[0], 0)

    # --- metric names ----------------------------------------------------------------------------

    def exported_metric_families(self):
        """Families on /metrics of `serve` with a live inventory and the continuous audit."""
        pki = Pki(self.tmp)
        api_cert, api_key, _ = pki.issue("apiserver")
        api = FakeApiServer(api_cert, api_key, token="t")
        api.start()
        self.addCleanup(api.stop)
        api.add("Namespace", {"metadata": {"name": "agents",
                                           "labels": {"jailkeeper.io/inject": "enabled"}}})
        with open(pki.ca_cert, "rb") as f:
            ca = base64.b64encode(f.read()).decode()
        kubeconfig = os.path.join(self.tmp, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: c
clusters: [{{name: c, cluster: {{server: "https://127.0.0.1:{api.port}",
                                  certificate-authority-data: "{ca}"}}}}]
users: [{{name: u, user: {{token: t}}}}]
contexts: [{{name: c, context: {{cluster: c, user: u}}}}]
""")
        cert, key, _ = pki.issue("webhook")
        server = WebhookProcess(["serve", "--listen", "127.0.0.1:0", "--metrics-listen",
                                 "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key,
                                 "--kubeconfig", kubeconfig])
        self.addCleanup(server.kill)
        server.wait_for_log(lambda line: "pod audit synced" in line, timeout=30)
        with urllib.request.urlopen(f"http://127.0.0.1:{server.metrics_port}/metrics",
                                    timeout=10) as r:
            text = r.read().decode()
        return {m.group(1): m.group(2) for m in re.finditer(r"^# TYPE (\S+) (\S+)$", text, re.M)}

    def test_every_metric_queried_is_exported_by_the_binary(self):
        families = self.exported_metric_families()
        self.assertIn("jailkeeper_pods", families)
        named = {}
        sources = [(r["alert"], r["expr"]) for r in self.rule["spec"]["groups"][0]["rules"]]
        sources += list(dashboard_queries(self.dashboard))
        for where, expr in sources:
            for name in METRIC.findall(expr):
                base = HISTOGRAM_SUFFIX.sub("", name)
                if base != name and families.get(base) == "histogram":
                    name = base
                named.setdefault(name, []).append(where)
        unknown = {n: w for n, w in named.items() if n not in families}
        self.assertEqual(unknown, {}, "queried but not exported")
        self.assertIn("jailkeeper_review_duration_seconds", named)  # histograms resolve


if __name__ == "__main__":
    unittest.main(verbosity=2)
