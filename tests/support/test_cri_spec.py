"""cri_spec.py's rules, one case per upstream rule (see the module's docstring for the sources).
Pure: the RuntimeDefault profile is a stand-in that records the capabilities it was asked for."""
import json
import os
import tempfile
import unittest

import cri_spec
from cri_spec import CONTAINERD_DEFAULT_CAPS, NodeRuntime, SpecError

ALL = list(cri_spec.CAP_NAMES)


def fake_runtime_default(caps):
    return {"defaultAction": "SCMP_ACT_ERRNO", "asked_for": sorted(caps),
            "syscalls": [{"names": ["read", "landlock_add_rule", "landlock_restrict_self"],
                          "action": "SCMP_ACT_ALLOW"},
                         {"names": ["landlock_create_ruleset"], "action": "SCMP_ACT_ALLOW"}]}


def spec_for(container_sc=None, pod_sc=None, node=NodeRuntime(), localhost_dir="/nonexistent",
             mounts=()):
    container = {"name": "agent", "command": ["/probe"], "args": ["x"]}
    if container_sc is not None:
        container["securityContext"] = container_sc
    pod = {"spec": {"containers": [container]}}
    if pod_sc is not None:
        pod["spec"]["securityContext"] = pod_sc
    return cri_spec.container_spec(
        pod=pod, container=container, node=node, rootfs="/rootfs", mounts=list(mounts),
        netns_path="/var/run/netns/x", runtime_default=fake_runtime_default,
        localhost_dir=localhost_dir, all_caps=ALL)


def caps(spec):
    return spec["process"]["capabilities"]


class Capabilities(unittest.TestCase):
    def test_without_capabilities_containerds_defaults_in_three_sets_none_inheritable(self):
        spec, grant = spec_for()
        self.assertEqual(caps(spec), {"bounding": list(CONTAINERD_DEFAULT_CAPS),
                                      "effective": list(CONTAINERD_DEFAULT_CAPS),
                                      "permitted": list(CONTAINERD_DEFAULT_CAPS)})
        self.assertEqual(grant.caps, list(CONTAINERD_DEFAULT_CAPS))

    def test_drop_all_then_add_one(self):
        spec, _ = spec_for({"capabilities": {"drop": ["ALL"], "add": ["NET_ADMIN"]}})
        self.assertEqual(caps(spec)["bounding"], ["CAP_NET_ADMIN"])

    def test_add_all_then_drop_one_case_insensitively(self):
        spec, _ = spec_for({"capabilities": {"add": ["all"], "drop": ["chown"]}})
        self.assertEqual(caps(spec)["bounding"], [c for c in ALL if c != "CAP_CHOWN"])

    def test_add_and_drop_of_the_same_capability_drops_it(self):
        spec, _ = spec_for({"capabilities": {"add": ["SYS_ADMIN"], "drop": ["SYS_ADMIN"]}})
        self.assertNotIn("CAP_SYS_ADMIN", caps(spec)["bounding"])

    def test_unknown_capability_is_an_error(self):
        with self.assertRaisesRegex(SpecError, "CAP_NET_ADMN"):
            spec_for({"capabilities": {"add": ["NET_ADMN"]}})

    def test_privileged_gets_every_current_capability_no_masks_no_seccomp_rw_sysfs(self):
        spec, grant = spec_for({"privileged": True, "seccompProfile": {"type": "RuntimeDefault"}})
        self.assertEqual(caps(spec)["bounding"], ALL)
        self.assertEqual((spec["linux"]["maskedPaths"], spec["linux"]["readonlyPaths"]), ([], []))
        self.assertNotIn("seccomp", spec["linux"])
        self.assertEqual(grant.seccomp, "none")
        sysfs = next(m for m in spec["mounts"] if m["type"] == "sysfs")
        self.assertIn("rw", sysfs["options"])
        self.assertNotIn({"type": "cgroup"}, spec["linux"]["namespaces"])

    def test_current_capabilities_are_this_process_effective_set(self):
        with open("/proc/self/status") as f:
            bits = next(int(l.split(":")[1], 16) for l in f if l.startswith("CapEff:"))
        names = cri_spec.current_capabilities()
        self.assertEqual(sum(1 << cri_spec.CAP_NAMES.index(n) for n in names),
                         bits & ((1 << len(cri_spec.CAP_NAMES)) - 1))


class Seccomp(unittest.TestCase):
    def test_no_profile_is_unconfined_without_seccomp_default(self):
        spec, grant = spec_for()
        self.assertNotIn("seccomp", spec["linux"])
        self.assertEqual(grant.seccomp, "Unconfined")

    def test_no_profile_is_runtime_default_for_the_final_caps_with_seccomp_default(self):
        spec, grant = spec_for({"capabilities": {"drop": ["ALL"], "add": ["NET_ADMIN"]}},
                               node=NodeRuntime(seccomp_default=True))
        self.assertEqual(spec["linux"]["seccomp"]["asked_for"], ["CAP_NET_ADMIN"])
        self.assertEqual(grant.seccomp, "RuntimeDefault")

    def test_container_profile_overrides_the_pods(self):
        spec, grant = spec_for({"seccompProfile": {"type": "Unconfined"}},
                               {"seccompProfile": {"type": "RuntimeDefault"}})
        self.assertNotIn("seccomp", spec["linux"])
        spec, grant = spec_for({}, {"seccompProfile": {"type": "RuntimeDefault"}})
        self.assertEqual(grant.seccomp, "RuntimeDefault")

    def test_localhost_profile_is_read_from_the_kubelet_directory(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "profiles"))
            with open(os.path.join(d, "profiles", "p.json"), "w") as f:
                json.dump({"defaultAction": "SCMP_ACT_LOG"}, f)
            spec, _ = spec_for({"seccompProfile": {"type": "Localhost",
                                                   "localhostProfile": "profiles/p.json"}},
                               localhost_dir=d)
        self.assertEqual(spec["linux"]["seccomp"], {"defaultAction": "SCMP_ACT_LOG"})

    def test_bad_profiles_are_errors_that_say_why(self):
        for sc, message in [
                ({"seccompProfile": {"type": "Localhost", "localhostProfile": "../x"}}, "relative"),
                ({"seccompProfile": {"type": "Localhost", "localhostProfile": "missing.json"}},
                 "missing.json"),
                ({"seccompProfile": {"type": "Sometimes"}}, "Sometimes")]:
            with self.subTest(sc=sc), self.assertRaisesRegex(SpecError, message):
                spec_for(sc)

    def test_without_landlock_every_profile_answers_enosys_for_landlock(self):
        for sc, node in [({}, NodeRuntime(landlock=False)),
                         ({}, NodeRuntime(seccomp_default=True, landlock=False)),
                         ({"privileged": True}, NodeRuntime(seccomp_default=True,
                                                             landlock=False))]:
            with self.subTest(sc=sc, node=node):
                spec, _ = spec_for(sc, node=node)
                rules = spec["linux"]["seccomp"]["syscalls"]
                landlock = [r for r in rules if set(r["names"]) & set(cri_spec.LANDLOCK_SYSCALLS)]
                self.assertEqual(landlock, [{"names": list(cri_spec.LANDLOCK_SYSCALLS),
                                             "action": "SCMP_ACT_ERRNO", "errnoRet": 38}])

    def test_without_landlock_the_rest_of_runtime_default_is_kept(self):
        spec, _ = spec_for({}, node=NodeRuntime(seccomp_default=True, landlock=False))
        profile = spec["linux"]["seccomp"]
        self.assertEqual(profile["defaultAction"], "SCMP_ACT_ERRNO")
        self.assertEqual(profile["syscalls"][0], {"names": ["read"], "action": "SCMP_ACT_ALLOW"})


class UserNamespacesOff(unittest.TestCase):
    NEWUSER_SET = [{"index": 0, "value": 0x10000000, "valueTwo": 0x10000000,
                    "op": "SCMP_CMP_MASKED_EQ"}]
    NEWUSER_CLEAR = [dict(NEWUSER_SET[0], valueTwo=0)]

    def rules_for(self, profile, name):
        return [r for r in cri_spec.without_user_namespaces(profile)["syscalls"]
                if name in r["names"]]

    def test_unconfined_gets_enospc_for_new_user_namespaces_and_enosys_for_clone3(self):
        profile = cri_spec.without_user_namespaces(None)
        self.assertEqual(profile["defaultAction"], "SCMP_ACT_ALLOW")
        for name in ("clone", "unshare"):
            self.assertEqual(self.rules_for(None, name), [
                {"names": [name], "action": "SCMP_ACT_ERRNO", "errnoRet": 28,
                 "args": self.NEWUSER_SET},
                {"names": [name], "action": "SCMP_ACT_ALLOW", "args": self.NEWUSER_CLEAR}])
        self.assertEqual(self.rules_for(None, "clone3"), [
            {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}])

    def test_calls_allowed_outright_are_split_the_rest_of_their_rule_kept(self):
        profile = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
            {"names": ["mount", "unshare", "clone3"], "action": "SCMP_ACT_ALLOW", "args": []}]}
        out = cri_spec.without_user_namespaces(profile)["syscalls"]
        self.assertEqual(out[0], {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "args": []})
        self.assertEqual([r["action"] for r in out[1:]],
                         ["SCMP_ACT_ERRNO", "SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW"])
        self.assertEqual(self.rules_for(profile, "clone"), [])  # denied by default: unchanged

    def test_conditional_and_denied_calls_stay_as_they_are(self):
        # containerd's clone rule without SYS_ADMIN: allowed only without namespace flags.
        profile = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 2114060288, "valueTwo": 0,
                       "op": "SCMP_CMP_MASKED_EQ"}]},
            {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}
        self.assertEqual(cri_spec.without_user_namespaces(profile), profile)

    def test_node_setting_reaches_the_spec_and_composes_with_landlock(self):
        spec, _ = spec_for({}, node=NodeRuntime(user_namespaces=False, landlock=False))
        names = [n for r in spec["linux"]["seccomp"]["syscalls"] for n in r["names"]]
        self.assertIn("unshare", names)
        self.assertIn("landlock_create_ruleset", names)


class ProcessAndFilesystem(unittest.TestCase):
    def test_user_from_the_container_over_the_pod_gid_zero_when_unset(self):
        spec, _ = spec_for({"runAsUser": 2000}, {"runAsUser": 1000, "supplementalGroups": [5],
                                                 "fsGroup": 7})
        self.assertEqual(spec["process"]["user"], {"uid": 2000, "gid": 0,
                                                   "additionalGids": [0, 5, 7]})
        spec, _ = spec_for({}, {"runAsUser": 1000, "runAsGroup": 3000})
        self.assertEqual(spec["process"]["user"], {"uid": 1000, "gid": 3000,
                                                   "additionalGids": [3000]})

    def test_without_run_as_group_the_gid_comes_from_the_images_passwd(self):
        with tempfile.TemporaryDirectory() as rootfs:
            os.makedirs(os.path.join(rootfs, "etc"))
            with open(os.path.join(rootfs, "etc", "passwd"), "w") as f:
                f.write("root:x:0:0:root:/root:/sbin/nologin\n"
                        "nonroot:x:65532:65533:nonroot:/home/nonroot:/sbin/nologin\n")
            for sc, want in [({"runAsUser": 65532}, (65533, [65533])),
                             ({"runAsUser": 1000}, (0, [0])),  # no entry: gid 0
                             ({"runAsUser": 65532, "runAsGroup": 7}, (7, [7]))]:
                with self.subTest(sc=sc):
                    container = {"name": "a", "command": ["/x"], "securityContext": sc}
                    spec, _ = cri_spec.container_spec(
                        pod={"spec": {}}, container=container, node=NodeRuntime(), rootfs=rootfs,
                        mounts=[], netns_path="/n", runtime_default=fake_runtime_default,
                        localhost_dir="/l", all_caps=ALL)
                    user = spec["process"]["user"]
                    self.assertEqual((user["gid"], user["additionalGids"]), want)

    def test_run_as_non_root_with_uid_zero_is_refused_like_kubelet_does(self):
        for container_sc, pod_sc in [({"runAsNonRoot": True}, None),
                                     ({"runAsUser": 0}, {"runAsNonRoot": True})]:
            with self.subTest(container_sc=container_sc, pod_sc=pod_sc):
                with self.assertRaisesRegex(SpecError, "runAsNonRoot with uid 0"):
                    spec_for(container_sc, pod_sc)
        self.assertEqual(spec_for({"runAsUser": 5}, {"runAsNonRoot": True})[1].uid, 5)

    def test_no_new_privs_only_when_escalation_is_explicitly_false(self):
        for sc, want in [({}, False), ({"allowPrivilegeEscalation": True}, False),
                         ({"allowPrivilegeEscalation": False}, True)]:
            with self.subTest(sc=sc):
                self.assertEqual(spec_for(sc)[0]["process"]["noNewPrivileges"], want)

    def test_kubelets_masked_and_read_only_paths_unless_unmasked(self):
        spec, _ = spec_for()
        self.assertIn("/proc/kcore", spec["linux"]["maskedPaths"])
        self.assertIn("/sys/firmware", spec["linux"]["maskedPaths"])
        self.assertIn("/proc/sys", spec["linux"]["readonlyPaths"])
        self.assertIn("/proc/sysrq-trigger", spec["linux"]["readonlyPaths"])
        spec, _ = spec_for({"procMount": "Unmasked"})
        self.assertEqual((spec["linux"]["maskedPaths"], spec["linux"]["readonlyPaths"]), ([], []))

    def test_read_only_root_sysfs_read_only_no_run_mount_volumes_bound(self):
        spec, _ = spec_for({"readOnlyRootFilesystem": True},
                           mounts=[cri_spec.Mount("/host/bin", "/jailkeeper/bin", True)])
        self.assertTrue(spec["root"]["readonly"])
        destinations = [m["destination"] for m in spec["mounts"]]
        self.assertNotIn("/run", destinations)
        self.assertIn("ro", next(m for m in spec["mounts"] if m["type"] == "sysfs")["options"])
        self.assertEqual(spec["mounts"][-1], {"destination": "/jailkeeper/bin", "type": "bind",
                                              "source": "/host/bin",
                                              "options": ["rbind", "rprivate", "ro"]})

    def test_command_then_args_and_env_values(self):
        container = {"name": "a", "command": ["/bin/x"], "args": ["-v"],
                     "env": [{"name": "A", "value": "1"}]}
        spec, _ = cri_spec.container_spec(
            pod={"spec": {}}, container=container, node=NodeRuntime(), rootfs="/r", mounts=[],
            netns_path="/n", runtime_default=fake_runtime_default, localhost_dir="/l",
            all_caps=ALL, extra_env=["ASAN_OPTIONS=x"])
        self.assertEqual(spec["process"]["args"], ["/bin/x", "-v"])
        self.assertEqual(spec["process"]["env"][2:], ["A=1", "ASAN_OPTIONS=x"])

    def test_env_from_the_pods_fields_as_kubelet_resolves_them(self):
        def ref(path):
            return {"valueFrom": {"fieldRef": {"fieldPath": path}}}
        container = {"name": "a", "command": ["/x"], "env": [
            {"name": "NS", **ref("metadata.namespace")}, {"name": "N", **ref("metadata.name")},
            {"name": "SA", **ref("spec.serviceAccountName")},
            {"name": "L", **ref("metadata.labels['app']")},
            {"name": "M", **ref("metadata.annotations['missing']")}]}
        pod = {"metadata": {"name": "p", "namespace": "jk", "labels": {"app": "w"}},
               "spec": {"serviceAccountName": "sa"}}
        spec, _ = cri_spec.container_spec(
            pod=pod, container=container, node=NodeRuntime(), rootfs="/r", mounts=[],
            netns_path="/n", runtime_default=fake_runtime_default, localhost_dir="/l",
            all_caps=ALL)
        self.assertEqual(spec["process"]["env"][2:], ["NS=jk", "N=p", "SA=sa", "L=w", "M="])

    def test_env_from_a_reference_and_a_missing_command_are_errors(self):
        secret = {"secretKeyRef": {"name": "s", "key": "k"}}
        for container, message in [
                ({"name": "a", "command": ["x"], "env": [{"name": "A", "valueFrom": {}}]}, "env A"),
                ({"name": "a", "command": ["x"], "env": [{"name": "B", "valueFrom": secret}]},
                 "env B"),
                ({"name": "a", "command": ["x"], "env": [
                    {"name": "C", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]},
                 "status.podIP: not modelled"),
                ({"name": "a"}, "no command")]:
            with self.subTest(container=container), self.assertRaisesRegex(SpecError, message):
                cri_spec.container_spec(
                    pod={"spec": {}}, container=container, node=NodeRuntime(), rootfs="/r",
                    mounts=[], netns_path="/n", runtime_default=fake_runtime_default,
                    localhost_dir="/l", all_caps=ALL)


if __name__ == "__main__":
    unittest.main()
