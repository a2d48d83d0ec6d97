"""The agent used by the launcher integration tests: prints one JSON object describing what it
sees and can do, then exits. Usage: probe.py [--connect PORT|proxy ...] [--get URL]
(`--connect proxy`: the port of $HTTPS_PROXY, recorded under "proxy")."""
import json
import os
import socket
import sys
import urllib.request


def status_fields():
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"):
                fields[key] = value.strip()
    return fields


def connect_result(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", port))
        return "ok"
    except OSError as e:
        return e.errno
    finally:
        s.close()


def get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError as e:
        return str(e)


def main():
    args = sys.argv[1:]
    out = {"env": dict(os.environ), "status": status_fields(), "connect": {}, "get": {}}
    while args:
        flag, value = args[0], args[1]
        args = args[2:]
        if flag == "--connect" and value == "proxy":
            port = int(os.environ["HTTPS_PROXY"].rsplit(":", 1)[1])
            out["connect"]["proxy"] = connect_result(port)
        elif flag == "--connect":
            out["connect"][value] = connect_result(int(value))
        elif flag == "--get":
            out["get"][value] = get_status(value)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
