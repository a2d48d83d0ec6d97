"""pod_matrix.py's pure parts: reading inject's report, describing the grant, the table."""
import json
import types
import unittest

import pod_matrix
from pod_matrix import Cell


def pod(security_context=None, launch_spec=None, command=("/probe", "x")):
    container = {"name": "agent", "command": list(command)}
    if security_context is not None:
        container["securityContext"] = security_context
    annotations = {}
    if launch_spec is not None:
        annotations["jailkeeper.io/launch-spec"] = json.dumps(launch_spec)
    return {"metadata": {"annotations": annotations}, "spec": {"containers": [container]}}


class ReadAdmission(unittest.TestCase):
    def test_patched_with_warnings(self):
        cell = Cell("p", "s")
        pod_matrix.read_admission(cell, 0, "Pod/x (namespace agents): patched nsjail on fargate: "
                                  "a; b\n  warning: jailkeeper: old kernel\n")
        self.assertEqual((cell.admission, cell.message, cell.warnings),
                         ("patched", "nsjail on fargate: a; b", ["jailkeeper: old kernel"]))

    def test_denied_and_skipped_keep_the_message(self):
        for line, want in [("Pod/x (namespace agents): denied: no jail works", "denied"),
                           ("Pod/x (namespace agents): skipped: privileged", "skipped")]:
            cell = Cell("p", "s")
            pod_matrix.read_admission(cell, 1 if want == "denied" else 0, line + "\n")
            self.assertEqual(cell.admission, want)
            self.assertEqual(cell.message, line.split(": ", 2)[2])

    def test_an_input_error_is_an_error_with_the_output(self):
        cell = Cell("p", "s")
        pod_matrix.read_admission(cell, 2, "jailkeeper-webhook inject: config.yaml: bad key\n")
        self.assertEqual(cell.admission, "error")
        self.assertIn("bad key", cell.message)


class Describe(unittest.TestCase):
    def test_grant_names_added_capabilities_seccomp_and_the_jail(self):
        before = pod({"capabilities": {"add": ["CHOWN"]}})
        after = pod({"capabilities": {"add": ["CHOWN", "NET_ADMIN"]},
                     "seccompProfile": {"type": "Unconfined"}},
                    {"jail": "nsjail", "userNamespace": False})
        self.assertEqual(pod_matrix.describe_webhook_grant(before, after),
                         "+NET_ADMIN; seccomp Unconfined; nsjail (no userns)")

    def test_grant_names_drops_taken_out_and_other_fields(self):
        before = pod({"capabilities": {"drop": ["ALL"]}})
        after = pod({"capabilities": {"drop": []}, "allowPrivilegeEscalation": True},
                    {"jail": "landjail", "fallback": ["seccompjail"]})
        self.assertEqual(pod_matrix.describe_webhook_grant(before, after),
                         "no capability; drop no longer ALL; allowPrivilegeEscalation: true; "
                         "landjail>seccompjail")

    def test_unwrapped_command(self):
        wrapped = {"command": ["/jailkeeper/bin/jailkeeper-launch", "--", "/probe"],
                   "args": ["a"]}
        self.assertEqual(pod_matrix.unwrapped_command(wrapped), ["/probe", "a"])
        self.assertEqual(pod_matrix.unwrapped_command({"command": ["/probe"]}), ["/probe"])


class Table(unittest.TestCase):
    def test_rows_and_counts_per_profile(self):
        cells = [Cell("a", "x", outcome="jailed", jail="nsjail", doctor="nsjail,landjail"),
                 Cell("a", "y", outcome="EXPOSED", reasons=["w|x"]),
                 Cell("b", "x", outcome="refused", message="no jail works")]
        table = pod_matrix.render_table(cells)
        self.assertIn("| a/x | - | - | jailed (nsjail) | nsjail,landjail |  |", table)
        self.assertIn("| a/y | - | - | EXPOSED | - | w/x |", table)
        self.assertIn("| b/x | - | - | refused | - | no jail works |", table)
        self.assertIn("| all | 3 | 1 | 1 | 0 | 0 | 0 | 1 | 0 | 0 |", table)
        self.assertIn("| a | 2 | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 0 |", table)

    def test_failure_report_lists_failed_cells_with_the_stderr_tail(self):
        cells = [Cell("a", "x", outcome="jailed"),
                 Cell("a", "y", outcome="SILENT FAILURE", reasons=["exit 125"],
                      stderr_tail="jailkeeper-launch: EPERM")]
        self.assertEqual(pod_matrix.failure_report(cells),
                         "a/y: SILENT FAILURE: exit 125\n    jailkeeper-launch: EPERM")


class FakeRun:
    def __init__(self, stdout, exit_code=0):
        self.result = types.SimpleNamespace(stdout=stdout, exit_code=exit_code)


class FakeRunner:
    """Answers every run_container with one doctor report; records the commands."""
    def __init__(self, stdout, exit_code=0):
        self.run = FakeRun(stdout, exit_code)
        self.commands = []

    def run_container(self, pod, container, node, role, command=None):
        self.commands.append(command)
        return self.run


def doctor_json(*can_run):
    return json.dumps({"jails": [{"name": j, "available": j in can_run, "reason": ""}
                                 for j in ("nsjail", "landjail", "seccompjail")]})


class Doctor(unittest.TestCase):
    """check_doctor holds doctor's answer to what the jailed run did."""
    AGENT = {"name": "agent", "command": ["/jailkeeper/bin/jailkeeper-launch", "--", "/probe"]}
    POD = types.SimpleNamespace(pod={"metadata": {"annotations": {
        "jailkeeper.io/launch-spec": json.dumps({"jail": "nsjail", "fallback": ["landjail"]})}}})

    def check(self, cell, stdout, exit_code=0):
        runner = FakeRunner(stdout, exit_code)
        matrix = pod_matrix.Matrix(runner, "webhook", None, "fixtures", "work")
        matrix.check_doctor(cell, self.POD, self.AGENT, types.SimpleNamespace(runtime=None))
        self.assertEqual(runner.commands,
                         [["/jailkeeper/bin/jailkeeper-launch", "doctor", "-o", "json"]])
        return cell

    def test_agreeing_doctor_leaves_the_outcome(self):
        cell = self.check(Cell("a", "x", outcome="jailed", jail="nsjail"),
                          doctor_json("nsjail", "seccompjail"))
        self.assertEqual((cell.outcome, cell.doctor), ("jailed", "nsjail,seccompjail"))
        cell = self.check(Cell("a", "x", outcome="warned"), doctor_json("seccompjail"))
        self.assertEqual(cell.outcome, "warned")

    def test_doctor_denying_the_jail_that_ran_is_wrong(self):
        cell = self.check(Cell("a", "x", outcome="jailed", jail="landjail"), doctor_json("nsjail"))
        self.assertEqual(cell.outcome, "DOCTOR WRONG")
        self.assertTrue(cell.failed)

    def test_doctor_saying_can_run_where_no_jail_started_is_wrong(self):
        for outcome in ("warned", "SILENT FAILURE"):
            cell = self.check(Cell("a", "x", outcome=outcome), doctor_json("landjail"))
            self.assertEqual(cell.outcome, "DOCTOR WRONG")
            self.assertIn("landjail can run", cell.reasons[-1])

    def test_no_report_is_wrong(self):
        cell = self.check(Cell("a", "x", outcome="jailed", jail="nsjail"), "", exit_code=125)
        self.assertEqual(cell.outcome, "DOCTOR WRONG")


if __name__ == "__main__":
    unittest.main()
