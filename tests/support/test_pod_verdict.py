"""pod_verdict.py: what counts as an exposure, an escape, and a jailed agent."""
import json
import unittest

import pod_verdict

ZERO = "0" * 16


def report(walk=(), attempts=None, status=None):
    base = {"CapInh": ZERO, "CapPrm": ZERO, "CapEff": ZERO, "CapBnd": ZERO, "CapAmb": ZERO,
            "NoNewPrivs": "1", "Seccomp": "2"}
    tried = {"http_allowed": {"result": "ok", "errno": "", "detail": "upstream T /allowed"},
             "http_denied": {"result": "ok", "errno": "", "detail": "HTTP/1.1 403 Forbidden"},
             "mount_tmpfs": {"result": "blocked", "errno": "EPERM", "detail": ""},
             "exec_gains_caps": {"result": "blocked", "errno": "",
                                 "detail": f"CapPrm={ZERO} CapEff={ZERO}"}}
    tried.update(attempts or {})
    base.update(status or {})
    return {"uid": 0, "gid": 0, "groups": [], "status": base, "attempts": tried,
            "walk": list(walk)}


class Exposures(unittest.TestCase):
    def test_nothing_beyond_the_baseline_is_no_exposure(self):
        baseline = report(["vrw /proc/a", "vr- /proc/b", "v-- /proc/c"])
        jailed = report(["vr- /proc/a", "vr- /proc/b"])
        self.assertEqual(pod_verdict.exposures(jailed, baseline), [])

    def test_each_kind_of_more_is_named(self):
        baseline = report(["v-- /proc/keys", "vr- /proc/sys/kernel/core_pattern"])
        jailed = report(["vr- /proc/keys", "vrw /proc/sys/kernel/core_pattern",
                         "vr- /sys/firmware/acpi"])
        self.assertEqual(pod_verdict.exposures(jailed, baseline), [
            "visible only in the jail: /sys/firmware/acpi",
            "readable only in the jail: /proc/keys",
            "writable only in the jail: /proc/sys/kernel/core_pattern"])

    def test_many_paths_are_counted_not_listed(self):
        jailed = report([f"vr- /proc/acpi/{i}" for i in range(5)])
        self.assertEqual(pod_verdict.exposures(jailed, report()), [
            "visible only in the jail: /proc/acpi/0, /proc/acpi/1, /proc/acpi/2 and 2 more"])

    def test_a_named_attempt_that_works_only_in_the_jail(self):
        jailed = report(attempts={"core_pattern_write": {"result": "ok", "errno": "",
                                                         "detail": "opened for writing"}})
        baseline = report(attempts={"core_pattern_write": {"result": "blocked",
                                                           "errno": "EROFS", "detail": "x"}})
        self.assertEqual(pod_verdict.exposures(jailed, baseline),
                         ["core_pattern_write opened for writing (the container alone: EROFS)"])
        self.assertEqual(pod_verdict.exposures(jailed, jailed), [])


class EgressEscapes(unittest.TestCase):
    def test_only_proxy_answers_is_no_escape(self):
        self.assertEqual(pod_verdict.egress_escapes(["/allowed"], [b"other"], "tok"), [])

    def test_direct_tcp_denied_get_and_udp_are_escapes(self):
        self.assertEqual(len(pod_verdict.egress_escapes(["/direct-tcp", "/denied"],
                                                        [b"xx tok yy"], "tok")), 3)


class JailViolations(unittest.TestCase):
    def test_a_jailed_agent(self):
        self.assertEqual(pod_verdict.jail_violations(report(), "T"), [])

    def test_any_capability_held(self):
        for cap_set in pod_verdict.HELD_SETS:
            found = pod_verdict.jail_violations(report(status={cap_set: "0000000000001000"}), "T")
            self.assertEqual(found, [f"capabilities held: {cap_set}=0000000000001000"])

    def test_a_bounding_set_is_allowed_only_when_an_exec_gains_nothing(self):
        kept = report(status={"CapBnd": "0000000000001000"})
        self.assertEqual(pod_verdict.jail_violations(kept, "T"), [])
        self.assertEqual(pod_verdict.jail_notes(kept), [
            "bounding set CapBnd=0000000000001000 kept (no_new_privs: an exec'd program gets "
            f"CapPrm={ZERO} CapEff={ZERO})"])
        gained = report(status={"CapBnd": "0000000000001000"}, attempts={"exec_gains_caps": {
            "result": "ok", "errno": "", "detail": "CapPrm=0000000000001000 CapEff=0"}})
        self.assertEqual(pod_verdict.jail_violations(gained, "T"), [
            "bounding set CapBnd=0000000000001000 usable: an exec'd program got "
            "CapPrm=0000000000001000 CapEff=0"])
        self.assertEqual(pod_verdict.jail_notes(report()), [])

    def test_no_new_privs_http_and_blocked_attempts(self):
        found = pod_verdict.jail_violations(report(
            status={"NoNewPrivs": "0"},
            attempts={"http_allowed": {"result": "blocked", "errno": "ECONNREFUSED",
                                       "detail": ""},
                      "http_denied": {"result": "ok", "errno": "", "detail": "HTTP/1.1 200 OK"},
                      "unshare_user": {"result": "ok", "errno": "", "detail": "new namespace"}}),
            "T")
        self.assertEqual(found, ["NoNewPrivs=0", "allowed GET failed: ECONNREFUSED",
                                 "denied GET not answered 403: HTTP/1.1 200 OK",
                                 "unshare_user: new namespace"])

    def test_the_upstream_body_must_carry_the_token(self):
        found = pod_verdict.jail_violations(report(), "OTHER")
        self.assertEqual(found, ["allowed GET failed: upstream T /allowed"])


class ParseReport(unittest.TestCase):
    def test_garbage_and_missing_keys_are_report_errors(self):
        with self.assertRaisesRegex(pod_verdict.ReportError, "not JSON"):
            pod_verdict.parse_report("jailkeeper-launch: oops")
        with self.assertRaisesRegex(pod_verdict.ReportError, "'walk'"):
            pod_verdict.parse_report(json.dumps({"status": {}, "attempts": {}}))


if __name__ == "__main__":
    unittest.main()
