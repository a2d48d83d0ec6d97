"""Pure judgement of pod_probe reports (tests/support/pod_probe.c) for the pod-shape matrix:
is the agent jailed, and does the jail expose anything of /proc or /sys the container alone
(the baseline: the same container spec without the launcher) did not?

- exposures(jailed, baseline): every way the jailed agent sees more than the baseline: an entry
  of the /proc + /sys walk that the baseline does not list, or that is readable/writable only in
  the jail; and the named attempts (core_pattern, sysrq-trigger, kcore, keys, timer_list,
  sched_debug, /sys/firmware) that succeed only in the jail. Generic: no list of paths decides.
- egress_escapes(...): traffic that reached the upstream without the proxy.
- jail_violations(report, token): what keeps a running agent from counting as jailed.

"No capabilities" means: none held (inheritable, permitted, effective, ambient all empty) and
none to be had. The bounding set may stay non-empty only where the launcher cannot empty it
(no CAP_SETPCAP) and no_new_privs makes it unusable, which the probe proves by executing a
setuid-root program: without no_new_privs that exec gets the whole bounding set (issue 12,
item 5). jail_notes() names such a kept bounding set in the table."""
import json

CAP_SETS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")
HELD_SETS = ("CapInh", "CapPrm", "CapEff", "CapAmb")
PROC_SYS_ATTEMPTS = ("core_pattern_write", "sysrq_write", "read_kcore", "read_keys",
                     "read_timer_list", "read_sched_debug", "list_sys_firmware")
MUST_BE_BLOCKED = ("mount_tmpfs", "unshare_user", "unshare_net", "raw_socket")
FLAG_WORDS = {"r": "readable", "w": "writable"}
SHOWN_PER_KIND = 3


class ReportError(Exception):
    """The probe's output is not a report; the message quotes its start."""


def parse_report(stdout):
    try:
        report = json.loads(stdout)
    except ValueError as e:
        raise ReportError(f"probe output is not JSON ({e}): {stdout[:200]!r}") from e
    for key in ("status", "attempts", "walk"):
        if key not in report:
            raise ReportError(f"probe report has no {key!r}")
    return report


def walk_map(report):
    """{path: flags} from the walk's "FLAGS PATH" lines."""
    entries = {}
    for line in report["walk"]:
        flags, _, path = line.partition(" ")
        entries[path] = flags
    return entries


def _ok(report, name):
    return report["attempts"].get(name, {}).get("result") == "ok"


def exposures(jailed, baseline):
    """What the jailed agent can see, read or write beyond the baseline, one line per kind
    (a few paths named, the rest counted)."""
    found = []
    for name in PROC_SYS_ATTEMPTS:
        if _ok(jailed, name) and not _ok(baseline, name):
            b = baseline["attempts"].get(name, {})
            found.append(f"{name} {jailed['attempts'][name]['detail']} (the container alone: "
                         f"{b.get('errno') or b.get('detail', 'not tried')})")
    base = walk_map(baseline)
    extra = {"visible": [], "readable": [], "writable": []}
    for path, flags in walk_map(jailed).items():
        if path not in base:
            extra["visible"].append(path)
            continue
        for flag, word in FLAG_WORDS.items():
            if flag in flags and flag not in base[path]:
                extra[word].append(path)
    for word, paths in extra.items():
        if paths:
            paths.sort()
            more = f" and {len(paths) - SHOWN_PER_KIND} more" if len(paths) > SHOWN_PER_KIND else ""
            found.append(f"{word} only in the jail: {', '.join(paths[:SHOWN_PER_KIND])}{more}")
    return found


def egress_escapes(upstream_paths, datagrams, token):
    """Traffic from the agent that reached the upstream without the proxy."""
    found = []
    if "/direct-tcp" in upstream_paths:
        found.append("a direct TCP connection reached the upstream (not the proxy)")
    if "/denied" in upstream_paths:
        found.append("the denied GET reached the upstream")
    if any(token.encode() in d for d in datagrams):
        found.append("a UDP datagram reached the upstream")
    return found


def jail_notes(report):
    """What a jailed agent still has that the table should show (a kept, unusable bounding
    set)."""
    bounding = report["status"].get("CapBnd", "0")
    if int(bounding, 16) == 0:
        return []
    return [f"bounding set CapBnd={bounding} kept (no_new_privs: an exec'd program gets "
            f"{report['attempts'].get('exec_gains_caps', {}).get('detail', '?')})"]


def jail_violations(report, token):
    """Why a running agent is not jailed (empty: it is, as far as the agent itself can tell)."""
    found = []
    status = report["status"]
    held = [s for s in HELD_SETS if int(status.get(s, "1"), 16) != 0]
    if held:
        found.append("capabilities held: " + ", ".join(f"{s}={status[s]}" for s in held))
    if status.get("NoNewPrivs") != "1":
        found.append(f"NoNewPrivs={status.get('NoNewPrivs')}")
    exec_gains = report["attempts"].get("exec_gains_caps", {})
    if int(status.get("CapBnd", "1"), 16) != 0 and exec_gains.get("result") != "blocked":
        found.append(f"bounding set CapBnd={status.get('CapBnd')} usable: an exec'd program got "
                     f"{exec_gains.get('detail') or 'untested'}")
    allowed = report["attempts"].get("http_allowed", {})
    if allowed.get("result") != "ok" or allowed.get("detail") != f"upstream {token} /allowed":
        found.append(f"allowed GET failed: {allowed.get('errno') or allowed.get('detail')}")
    denied = report["attempts"].get("http_denied", {})
    if " 403 " not in denied.get("detail", "") + " ":
        found.append(f"denied GET not answered 403: {denied.get('errno') or denied.get('detail')}")
    for name in MUST_BE_BLOCKED:
        if _ok(report, name):
            found.append(f"{name}: {report['attempts'][name]['detail']}")
    return found
