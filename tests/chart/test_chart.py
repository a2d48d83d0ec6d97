"""The Helm chart and the kustomize base, rendered by real Helm and kubectl (issue 6).

Each value set in values/ is rendered and its objects are checked on their own and against each
other (Service <-> webhook configuration, Secret mounted <-> Secret written, RBAC <-> what the
binaries call). Skipped when tools/helm or tools/kubectl (or $HELM/$KUBECTL) are absent.
"""
import json
import os
import re
import subprocess
import tempfile
import unittest

import k8s_render as kr

HELM = kr.find_tool("helm")
KUBECTL = kr.find_tool("kubectl")
TOOLS_MISSING = "tools/helm or tools/kubectl missing (run scripts/install-k8s-tools.sh)"
EKS_FARGATE_WEBHOOK = "0500-amazon-eks-fargate-mutation.amazonaws.com"
VALUE_SETS = {
    "default": [],
    "cert-manager": ["cert-manager.yaml"],
    "ha": ["ha.yaml"],
    "hostnetwork": ["hostnetwork.yaml"],
    "custom-policy": ["custom-policy.yaml"],
}
HARDENED_CONTAINER = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "privileged": False,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONFIG_HEADER = "apiVersion: config.jailkeeper.io/v1\nkind: Config\nmetadata: {name: config}\n"
CONFIG_MOUNT = "/etc/jailkeeper/config"


def render(value_set, sets=(), namespace=kr.NAMESPACE):
    files = [os.path.join(kr.VALUES, f) for f in VALUE_SETS[value_set]]
    proc = kr.helm_template(HELM, files, sets, namespace=namespace)
    if proc.returncode != 0:
        raise AssertionError("helm template %s failed: %s" % (value_set, proc.stderr))
    return kr.yaml_to_objects(KUBECTL, proc.stdout)


def of_kind(objects, kind):
    return [o for o in objects if o["kind"] == kind]


def one(objects, kind, name_suffix=""):
    found = [o for o in of_kind(objects, kind) if o["metadata"]["name"].endswith(name_suffix)]
    if len(found) != 1:
        raise AssertionError("expected one %s*%s, got %d" % (kind, name_suffix, len(found)))
    return found[0]


def args_of(container):
    """--flag=value arguments as a dict."""
    pairs = (a[2:].split("=", 1) for a in container.get("args", []) if a.startswith("--"))
    return {p[0]: (p[1] if len(p) > 1 else True) for p in pairs}


def certs_jobs(objects):
    return [j for j in of_kind(objects, "Job") if "certs" in j["spec"]["template"]["spec"]
            ["containers"][0]["args"][:1]]


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def chart_app_version():
    with open(os.path.join(kr.CHART, "Chart.yaml")) as f:
        return re.search(r'^appVersion:\s*"?([^"\n]+)"?', f.read(), re.M).group(1)


@unittest.skipUnless(HELM and KUBECTL, TOOLS_MISSING)
class ChartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.renders = {name: render(name) for name in VALUE_SETS}

    def webhook(self, value_set):
        config = one(self.renders[value_set], "MutatingWebhookConfiguration")
        self.assertEqual(len(config["webhooks"]), 1)
        return config, config["webhooks"][0]

    def test_lint_strict(self):
        for value_set, files in VALUE_SETS.items():
            argv = [HELM, "lint", "--strict", kr.CHART]
            for f in files:
                argv += ["--values", os.path.join(kr.VALUES, f)]
            proc = kr.run(argv)
            self.assertEqual(proc.returncode, 0, value_set + ": " + proc.stdout + proc.stderr)
            self.assertNotIn("[WARNING]", proc.stdout, value_set)

    def test_webhook_configuration_sorts_after_the_eks_fargate_webhook(self):
        for value_set in VALUE_SETS:
            config, _ = self.webhook(value_set)
            self.assertGreater(config["metadata"]["name"], EKS_FARGATE_WEBHOOK, value_set)

    def test_webhook_matches_pod_creation_in_opted_in_namespaces_only(self):
        for value_set in VALUE_SETS:
            _, hook = self.webhook(value_set)
            self.assertEqual(hook["rules"], [{"apiGroups": [""], "apiVersions": ["v1"],
                                              "operations": ["CREATE"], "resources": ["pods"],
                                              "scope": "Namespaced"}], value_set)
            selector = hook["namespaceSelector"]
            self.assertEqual(selector["matchLabels"], {"jailkeeper.io/inject": "enabled"})
            self.assertEqual(hook["objectSelector"], {"matchExpressions": [
                {"key": "jailkeeper.io/inject", "operator": "NotIn", "values": ["disabled"]}]})
            self.assertEqual(hook["sideEffects"], "None")
            self.assertEqual(hook["reinvocationPolicy"], "IfNeeded")
            self.assertEqual(hook["admissionReviewVersions"], ["v1"])

    def test_kube_system_and_the_release_namespace_are_excluded(self):
        cases = [("default", "jailkeeper", {"kube-system", "jailkeeper"}),
                 ("default", "security", {"kube-system", "security"}),
                 ("ha", "jailkeeper", {"kube-system", "jailkeeper", "kube-node-lease",
                                       "kube-public"})]
        for value_set, namespace, excluded in cases:
            objects = render(value_set, namespace=namespace)
            hook = one(objects, "MutatingWebhookConfiguration")["webhooks"][0]
            expressions = hook["namespaceSelector"]["matchExpressions"]
            self.assertEqual(len(expressions), 1)
            self.assertEqual(expressions[0]["key"], "kubernetes.io/metadata.name")
            self.assertEqual(expressions[0]["operator"], "NotIn")
            self.assertEqual(set(expressions[0]["values"]), excluded, (value_set, namespace))

    def test_failure_policy_and_timeout_come_from_values(self):
        cases = {"default": ("Fail", 10), "ha": ("Fail", 5), "custom-policy": ("Ignore", 10)}
        for value_set, (policy, timeout) in cases.items():
            _, hook = self.webhook(value_set)
            self.assertEqual(hook["failurePolicy"], policy, value_set)
            self.assertEqual(hook["timeoutSeconds"], timeout, value_set)

    def test_ca_bundle_is_never_templated(self):
        for value_set in VALUE_SETS:
            config, _ = self.webhook(value_set)
            self.assertNotIn("caBundle", json.dumps(config), value_set)

    def test_webhook_calls_the_service_port_that_reaches_the_https_container_port(self):
        for value_set in VALUE_SETS:
            objects = self.renders[value_set]
            target = self.webhook(value_set)[1]["clientConfig"]["service"]
            service = one(objects, "Service")
            self.assertEqual((target["name"], target["namespace"], target["path"]),
                             (service["metadata"]["name"], kr.NAMESPACE, "/mutate"))
            port = [p for p in service["spec"]["ports"] if p["port"] == target["port"]]
            self.assertEqual(len(port), 1, value_set)
            container = pod_spec(one(objects, "Deployment"))["containers"][0]
            named = {p["name"]: p["containerPort"] for p in container["ports"]}
            self.assertIn(port[0]["targetPort"], named)
            listen = args_of(container)["listen"]
            self.assertEqual(listen, "0.0.0.0:%d" % named[port[0]["targetPort"]], value_set)
            labels = pod_spec_labels(one(objects, "Deployment"))
            for key, value in service["spec"]["selector"].items():
                self.assertEqual(labels.get(key), value, value_set)

    def test_pod_disruption_budget_only_with_more_than_one_replica(self):
        cases = {"default": (2, 1), "ha": (3, 2), "hostnetwork": (1, None)}
        for value_set, (replicas, min_available) in cases.items():
            objects = self.renders[value_set]
            self.assertEqual(one(objects, "Deployment")["spec"]["replicas"], replicas)
            budgets = of_kind(objects, "PodDisruptionBudget")
            if min_available is None:
                self.assertEqual(budgets, [], value_set)
            else:
                self.assertEqual(len(budgets), 1, value_set)
                self.assertEqual(budgets[0]["spec"]["minAvailable"], min_available)

    def test_deployment_rolls_without_losing_capacity(self):
        deployment = one(self.renders["default"], "Deployment")
        self.assertEqual(deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], 0)
        spec = pod_spec(deployment)
        anti = spec["affinity"]["podAntiAffinity"]
        self.assertIn("preferredDuringSchedulingIgnoredDuringExecution", anti)
        self.assertEqual(spec["topologySpreadConstraints"][0]["whenUnsatisfiable"],
                         "ScheduleAnyway")
        container = spec["containers"][0]
        self.assertEqual(container["lifecycle"]["preStop"], {"sleep": {"seconds": 10}})
        self.assertEqual(container["readinessProbe"]["httpGet"],
                         {"path": "/readyz", "port": "https", "scheme": "HTTPS"})
        self.assertEqual(container["livenessProbe"]["httpGet"],
                         {"path": "/healthz", "port": "https", "scheme": "HTTPS"})
        self.assertGreater(spec["terminationGracePeriodSeconds"], 10 + 15)

    def test_every_pod_is_hardened(self):
        for value_set in VALUE_SETS:
            workloads = of_kind(self.renders[value_set], "Deployment") + \
                of_kind(self.renders[value_set], "Job")
            for workload in workloads:
                spec = pod_spec(workload)
                what = (value_set, workload["metadata"]["name"])
                self.assertTrue(spec["securityContext"]["runAsNonRoot"], what)
                self.assertEqual(spec["securityContext"]["seccompProfile"],
                                 {"type": "RuntimeDefault"}, what)
                for container in spec["containers"]:
                    self.assertEqual(container["securityContext"], HARDENED_CONTAINER, what)

    def test_values_conventional_keys_reach_the_deployment(self):
        spec = pod_spec(one(self.renders["ha"], "Deployment"))
        self.assertEqual(spec["priorityClassName"], "system-cluster-critical")
        self.assertEqual(spec["nodeSelector"], {"kubernetes.io/os": "linux"})
        self.assertEqual(spec["tolerations"], [{"key": "CriticalAddonsOnly", "operator": "Exists"}])
        self.assertEqual(spec["containers"][0]["resources"]["requests"]["cpu"], "200m")
        template = one(self.renders["ha"], "Deployment")["spec"]["template"]
        self.assertEqual(template["metadata"]["annotations"]["example.com/team"], "platform")
        default = pod_spec(one(self.renders["default"], "Deployment"))
        self.assertNotIn("priorityClassName", default)
        self.assertEqual(default["containers"][0]["image"],
                         "ghcr.io/jailkeeper/jailkeeper:" + chart_app_version())
        custom = pod_spec(one(self.renders["custom-policy"], "Deployment"))
        self.assertEqual(custom["containers"][0]["image"],
                         "registry.example.com/jailkeeper:0.1.0-rc1")

    def test_service_account_create_and_name(self):
        objects = render("default", sets=["serviceAccount.create=false",
                                          "serviceAccount.name=existing"])
        self.assertEqual([o["metadata"]["name"] for o in of_kind(objects, "ServiceAccount")],
                         ["jailkeeper-certs"])
        self.assertEqual(pod_spec(one(objects, "Deployment"))["serviceAccountName"], "existing")
        binding = one(objects, "ClusterRoleBinding", name_suffix="jailkeeper")
        self.assertEqual(binding["subjects"][0]["name"], "existing")

    def test_server_rbac_is_a_cluster_view_plus_events(self):
        role = one(self.renders["default"], "ClusterRole", name_suffix="jailkeeper")
        self.assertEqual(role["rules"], [
            {"apiGroups": [""], "resources": ["nodes", "namespaces"],
             "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["events"], "verbs": ["create"]}])
        self.assertIn("--pod-audit=on", one(self.renders["default"], "Deployment")["spec"]
                      ["template"]["spec"]["containers"][0]["args"])
        off = render("default", sets=["podAudit.enabled=false"])
        self.assertEqual(one(off, "ClusterRole", name_suffix="jailkeeper")["rules"], [
            {"apiGroups": [""], "resources": ["nodes", "namespaces"],
             "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}])
        self.assertIn("--pod-audit=off", one(off, "Deployment")["spec"]["template"]["spec"]
                      ["containers"][0]["args"])
        binding = one(self.renders["default"], "ClusterRoleBinding", name_suffix="jailkeeper")
        sa = pod_spec(one(self.renders["default"], "Deployment"))["serviceAccountName"]
        self.assertEqual(binding["subjects"][0]["name"], sa)

    def test_bootstrap_rbac_is_limited_to_its_secret_and_webhook_configuration(self):
        objects = self.renders["default"]
        secret = self.mounted_secret(objects)
        webhook_name = one(objects, "MutatingWebhookConfiguration")["metadata"]["name"]
        role = one(objects, "Role", name_suffix="-certs")
        cluster_role = one(objects, "ClusterRole", name_suffix="-certs")
        for rule in role["rules"] + cluster_role["rules"]:
            if rule.get("resourceNames") is None:
                # Kubernetes cannot limit create by name; nothing else may be unnamed.
                self.assertEqual((rule["resources"], rule["verbs"]), (["secrets"], ["create"]))
        named = {(r["resources"][0], n) for r in role["rules"] + cluster_role["rules"]
                 for n in r.get("resourceNames", [])}
        self.assertEqual(named, {("secrets", secret),
                                 ("mutatingwebhookconfigurations", webhook_name)})
        # What `certs` calls: read/create/update the Secret, patch caBundle, delete on uninstall.
        verbs = {v for r in cluster_role["rules"] for v in r["verbs"]}
        self.assertTrue({"get", "patch", "delete"} <= verbs)
        verbs = {v for r in role["rules"] for v in r["verbs"]}
        self.assertTrue({"get", "create", "update", "delete"} <= verbs)

    def mounted_secret(self, objects):
        volumes = pod_spec(one(objects, "Deployment"))["volumes"]
        return [v["secret"]["secretName"] for v in volumes if "secret" in v][0]

    def test_bootstrap_jobs_write_the_secret_the_deployment_mounts(self):
        objects = self.renders["default"]
        service = one(objects, "Service")["metadata"]["name"]
        webhook_name = one(objects, "MutatingWebhookConfiguration")["metadata"]["name"]
        jobs = certs_jobs(objects)
        hooks = sorted(kr.hook_of(j) for j in jobs)
        self.assertEqual(hooks, ["post-install,post-upgrade", "pre-delete",
                                 "pre-install,pre-upgrade"])
        for job in jobs:
            container = pod_spec(job)["containers"][0]
            args = args_of(container)
            self.assertEqual(pod_spec(job)["serviceAccountName"], "jailkeeper-certs")
            self.assertEqual((args["namespace"], args["service"], args["secret"],
                              args["webhook-config"]),
                             (kr.NAMESPACE, service, self.mounted_secret(objects),
                              webhook_name))
            # Only before install/upgrade may the webhook configuration not exist yet.
            self.assertEqual(args.get("webhook-config-optional", False),
                             kr.hook_of(job).startswith("pre-install"), kr.hook_of(job))
        for kind in ("ServiceAccount", "Role", "RoleBinding", "ClusterRole",
                     "ClusterRoleBinding"):
            hook = kr.hook_of(one(objects, kind, name_suffix="-certs"))
            self.assertEqual(set(hook.split(",")), {"pre-install", "pre-upgrade",
                                                   "post-install", "post-upgrade",
                                                   "pre-delete"}, kind)

    def test_uninstall_removes_the_webhook_configuration_first(self):
        for value_set in ("default", "cert-manager"):
            cleanup = [j for j in certs_jobs(self.renders[value_set])
                       if kr.hook_of(j) == "pre-delete"]
            self.assertEqual(len(cleanup), 1, value_set)
            self.assertIn("--delete", pod_spec(cleanup[0])["containers"][0]["args"])

    def test_cert_manager_mode(self):
        objects = self.renders["cert-manager"]
        certificate = one(objects, "Certificate")
        issuer = one(objects, "Issuer")
        self.assertEqual(certificate["spec"]["issuerRef"]["name"], issuer["metadata"]["name"])
        self.assertEqual(certificate["spec"]["secretName"], self.mounted_secret(objects))
        service = one(objects, "Service")["metadata"]["name"]
        self.assertIn("%s.%s.svc" % (service, kr.NAMESPACE), certificate["spec"]["dnsNames"])
        config, hook = self.webhook("cert-manager")
        self.assertEqual(config["metadata"]["annotations"]["cert-manager.io/inject-ca-from"],
                         "%s/%s" % (kr.NAMESPACE, certificate["metadata"]["name"]))
        self.assertNotIn("caBundle", hook["clientConfig"])
        self.assertEqual([kr.hook_of(j) for j in certs_jobs(objects)], ["pre-delete"])
        cleanup = pod_spec(certs_jobs(objects)[0])["containers"][0]["args"]
        self.assertIn("--keep-secret", cleanup)
        # cert-manager owns the Secret: the hook account gets no Secret rights at all.
        self.assertEqual(of_kind(objects, "Role") + of_kind(objects, "RoleBinding"), [])

    def test_cert_manager_resources_only_in_that_mode(self):
        for value_set in VALUE_SETS:
            if value_set == "cert-manager":
                continue
            objects = self.renders[value_set]
            self.assertEqual(of_kind(objects, "Certificate") + of_kind(objects, "Issuer"), [])
            config, _ = self.webhook(value_set)
            self.assertNotIn("cert-manager.io/inject-ca-from",
                             config["metadata"].get("annotations", {}))

    def test_cert_manager_with_an_existing_issuer(self):
        objects = render("cert-manager", sets=["certManager.issuerRef.name=corp-ca",
                                               "certManager.issuerRef.kind=ClusterIssuer"])
        self.assertEqual(of_kind(objects, "Issuer"), [])
        self.assertEqual(one(objects, "Certificate")["spec"]["issuerRef"],
                         {"name": "corp-ca", "kind": "ClusterIssuer"})

    def test_host_network(self):
        objects = self.renders["hostnetwork"]
        spec = pod_spec(one(objects, "Deployment"))
        self.assertTrue(spec["hostNetwork"])
        self.assertEqual(spec["dnsPolicy"], "ClusterFirstWithHostNet")
        args = args_of(spec["containers"][0])
        self.assertEqual((args["listen"], args["metrics-listen"]),
                         ("0.0.0.0:10260", "0.0.0.0:10261"))
        self.assertEqual(self.webhook("hostnetwork")[1]["clientConfig"]["service"]["port"],
                         10260)
        default = pod_spec(one(self.renders["default"], "Deployment"))
        self.assertFalse(default["hostNetwork"])
        self.assertEqual(default["dnsPolicy"], "ClusterFirst")

    def test_network_policy_and_service_monitor_are_optional(self):
        for value_set in VALUE_SETS:
            objects = self.renders[value_set]
            expected = 1 if value_set == "ha" else 0
            self.assertEqual(len(of_kind(objects, "NetworkPolicy")), expected, value_set)
            self.assertEqual(len(of_kind(objects, "ServiceMonitor")), expected, value_set)
        policy = one(self.renders["ha"], "NetworkPolicy")
        self.assertEqual([r["ports"][0]["port"] for r in policy["spec"]["ingress"]], [8443, 9090])
        self.assertNotIn("from", policy["spec"]["ingress"][0])
        monitor = one(self.renders["ha"], "ServiceMonitor")
        self.assertEqual(monitor["metadata"]["labels"]["release"], "prometheus")
        self.assertEqual(monitor["spec"]["endpoints"][0]["port"], "metrics")

    def config_text(self, objects):
        return one(objects, "ConfigMap")["data"]["config.yaml"]

    def parsed_config(self, objects):
        parsed = kr.yaml_to_objects(KUBECTL, CONFIG_HEADER + self.config_text(objects))[0]
        for key in ("apiVersion", "kind", "metadata"):
            del parsed[key]
        return parsed

    def test_config_map_holds_the_config_from_values(self):
        default = self.parsed_config(self.renders["default"])
        self.assertEqual(default["policies"], {"default": {"allow": []}})
        self.assertEqual(default["launcher"]["image"],
                         "ghcr.io/jailkeeper/jailkeeper:" + chart_app_version())
        custom = self.parsed_config(self.renders["custom-policy"])
        self.assertEqual(sorted(custom["policies"]), ["default", "read-only"])
        self.assertIn("domain=api.anthropic.com method=POST path=/v1/messages,/v1/messages/*",
                      custom["policies"]["default"]["allow"])
        self.assertEqual([p["name"] for p in custom["pools"]], ["agents-bottlerocket", "hardened"])
        self.assertEqual(custom["bottlerocketGrant"], "sys-admin")
        self.assertEqual(custom["profiles"]["amazonLinux"],
                         {"runtimeDefaultGrant": "seccomp-unconfined", "seccompDefault": True})
        self.assertTrue(custom["pools"][1]["seccompDefault"])
        self.assertEqual(custom["launcher"]["image"], "registry.example.com/jailkeeper:0.1.0-rc1")

    def test_deployment_mounts_the_config_map_it_names(self):
        for value_set in VALUE_SETS:
            objects = self.renders[value_set]
            spec = pod_spec(one(objects, "Deployment"))
            volumes = {v["name"]: v for v in spec["volumes"]}
            mounts = {m["mountPath"]: m["name"] for m in spec["containers"][0]["volumeMounts"]}
            self.assertEqual(volumes[mounts[CONFIG_MOUNT]]["configMap"]["name"],
                             one(objects, "ConfigMap")["metadata"]["name"])
            self.assertEqual(args_of(spec["containers"][0])["config"], CONFIG_MOUNT + "/config.yaml")

    def test_config_change_rolls_the_pods(self):
        def checksum(objects):
            return one(objects, "Deployment")["spec"]["template"]["metadata"]["annotations"][
                "checksum/config"]
        self.assertNotEqual(checksum(self.renders["default"]),
                            checksum(self.renders["custom-policy"]))

    @unittest.skipUnless(os.environ.get("JK_WEBHOOK_BIN"), "JK_WEBHOOK_BIN not set")
    def test_the_webhook_binary_accepts_every_rendered_config(self):
        pod = os.path.join(kr.ROOT, "deploy", "examples", "agent-pod.yaml")
        for value_set in VALUE_SETS:
            with tempfile.NamedTemporaryFile("w", suffix=".yaml") as config:
                config.write(self.config_text(self.renders[value_set]))
                config.flush()
                proc = subprocess.run([os.environ["JK_WEBHOOK_BIN"], "inject", "-f", pod,
                                       "--config", config.name, "-o", "json"],
                                      capture_output=True, text=True, timeout=60, check=False)
                self.assertEqual(proc.returncode, 0, value_set + ": " + proc.stderr)


def pod_spec_labels(deployment):
    return deployment["spec"]["template"]["metadata"]["labels"]


@unittest.skipUnless(HELM and KUBECTL, TOOLS_MISSING)
class SchemaTest(unittest.TestCase):
    CASES = [
        (["replicaCount=two"], "/replicaCount"),
        (["unknownTopLevelKey=1"], "unknownTopLevelKey"),
        (["webhook.failurePolicy=Maybe"], "/webhook/failurePolicy"),
        (["webhook.timeoutSeconds=60"], "/webhook/timeoutSeconds"),
        (["hostNetwork=yes"], "/hostNetwork"),
        (["image.tag=null", "image.repository="], "/image/repository"),
        (["config.bogus=1"], "bogus"),
        (["config.logLevel=verbose"], "/config/logLevel"),
        (["config.strategies.mixed=pick"], "/config/strategies/mixed"),
        (["config.profiles.bottlerocket.runtimeDefaultGrant=sys-admin"],
         "/config/profiles/bottlerocket/runtimeDefaultGrant"),
        (["config.profiles.fargate.capabilitiesAllowed=maybe"],
         "/config/profiles/fargate/capabilitiesAllowed"),
    ]

    def test_schema_rejects_bad_values_with_the_field_path(self):
        for sets, message in self.CASES:
            proc = kr.helm_template(HELM, sets=sets)
            self.assertNotEqual(proc.returncode, 0, sets)
            self.assertIn(message, proc.stderr, sets)

    def test_schema_accepts_every_value_set(self):
        for files in VALUE_SETS.values():
            proc = kr.helm_template(HELM, [os.path.join(kr.VALUES, f) for f in files])
            self.assertEqual(proc.returncode, 0, proc.stderr)


@unittest.skipUnless(HELM and KUBECTL, TOOLS_MISSING)
class KustomizeBaseTest(unittest.TestCase):
    def test_base_equals_the_default_render(self):
        proc = kr.run([KUBECTL, "kustomize", kr.BASE])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        base = [o for o in kr.yaml_to_objects(KUBECTL, proc.stdout) if o["kind"] != "Namespace"]
        expected = kr.plain_manifests(render("default"))
        self.assertEqual(sorted(map(kr.key_of, base)), sorted(map(kr.key_of, expected)),
                         "regenerate with python3 tests/chart/generate_base.py")
        by_key = {kr.key_of(o): o for o in base}
        for obj in expected:
            self.assertEqual(by_key[kr.key_of(obj)], obj,
                             "%s differs; regenerate with python3 tests/chart/generate_base.py"
                             % (kr.key_of(obj),))

    def test_base_has_no_helm_hooks_and_one_certificate_job(self):
        proc = kr.run([KUBECTL, "kustomize", kr.BASE])
        objects = kr.yaml_to_objects(KUBECTL, proc.stdout)
        self.assertEqual([kr.hook_of(o) for o in objects if kr.hook_of(o)], [])
        jobs = of_kind(objects, "Job")
        self.assertEqual(len(jobs), 1)
        self.assertNotIn("--delete", pod_spec(jobs[0])["containers"][0]["args"])
        self.assertEqual(one(objects, "Namespace")["metadata"]["name"], kr.NAMESPACE)


if __name__ == "__main__":
    unittest.main()
