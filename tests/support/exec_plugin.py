#!/usr/bin/env python3
"""A fake kubectl exec credential plugin for tests (like `aws eks get-token`).

Environment (set through the kubeconfig's exec.env):
  JK_DIR      directory for its records: count (runs so far), info-N (KUBERNETES_EXEC_INFO of
              run N), argv (JSON list of its arguments), stdin-N ("tty" or "not-tty"), fds-N
              (descriptors above 2 it inherited)
  JK_MODE     token (default): {"token": "tok-N"}; cert: the client certificate in
              JK_DIR/client.crt + client.key; garbage: prints non-JSON; exit3: exits 3;
              sleep: sleeps 30 s; wrong-version: answers v1beta1 whatever was asked
  JK_EXPIRY   expirationTimestamp to print ("" = none)
  JK_API      apiVersion to answer (default client.authentication.k8s.io/v1)
"""
import json
import os
import sys
import time

d = os.environ["JK_DIR"]
count_path = os.path.join(d, "count")
n = int(open(count_path).read()) + 1 if os.path.exists(count_path) else 1
with open(count_path, "w") as f:
    f.write(str(n))
with open(os.path.join(d, f"info-{n}"), "w") as f:
    f.write(os.environ.get("KUBERNETES_EXEC_INFO", ""))
with open(os.path.join(d, "argv"), "w") as f:
    json.dump(sys.argv[1:], f)
with open(os.path.join(d, f"stdin-{n}"), "w") as f:
    f.write("tty" if os.isatty(0) else "not-tty")


def open_descriptors():
    found = []
    for fd in range(3, 1024):
        try:
            os.fstat(fd)
            found.append(fd)
        except OSError:
            pass
    return found


inherited = open_descriptors()  # before this script opens anything else
with open(os.path.join(d, f"fds-{n}"), "w") as f:
    json.dump(inherited, f)

mode = os.environ.get("JK_MODE", "token")
api = os.environ.get("JK_API", "client.authentication.k8s.io/v1")
if mode == "garbage":
    print("Unable to locate credentials. You can configure credentials by running aws configure.")
    sys.exit(0)
if mode == "exit3":
    print("plugin: something broke", file=sys.stderr)
    sys.exit(3)
if mode == "sleep":
    time.sleep(30)
if mode == "wrong-version":
    api = "client.authentication.k8s.io/v1beta1"
status = {}
if mode == "cert":
    status["clientCertificateData"] = open(os.path.join(d, "client.crt")).read()
    status["clientKeyData"] = open(os.path.join(d, "client.key")).read()
else:
    status["token"] = f"tok-{n}"
if os.environ.get("JK_EXPIRY"):
    status["expirationTimestamp"] = os.environ["JK_EXPIRY"]
print(json.dumps({"apiVersion": api, "kind": "ExecCredential", "status": status}))
