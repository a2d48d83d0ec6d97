"""The agent of test_proxy_escape.py: sends raw request bytes to HOST:PORT the way a hostile agent
would in its jail and prints what came back as JSON {"statuses": [...], "body": "..."}.

    proxy_probe.py send HOST PORT plain|tls HEX_BYTES
    proxy_probe.py write PATH TEXT        (the agent rewrites a file: /etc/hosts, resolv.conf)
    proxy_probe.py env                    (the agent's environment as a list of entries)

In the transparent jails (nsjail, seccompjail) the connection goes to HOST:PORT and ends at the
proxy; in landjail (HTTP_PROXY set) it goes to the proxy: plain requests are sent to it as they
are (it judges them by Host), TLS goes through CONNECT first. TLS is verified against the
launcher's SSL_CERT_FILE (its interception CA)."""
import json
import os
import re
import socket
import ssl
import sys
import urllib.parse

TIMEOUT = 20  # a guard against hangs: every request the tests send ends with a close


def open_connection(host, port, tls):
    proxy = os.environ.get("HTTP_PROXY")
    if proxy:
        where = urllib.parse.urlsplit(proxy)
        sock = socket.create_connection((where.hostname, where.port), timeout=TIMEOUT)
        if tls:
            sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(1)
                if not chunk:
                    raise OSError("proxy closed during CONNECT")
                head += chunk
            if b" 200 " not in head.split(b"\r\n")[0]:
                raise OSError("CONNECT refused: " + head.decode(errors="replace"))
    else:
        sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    if tls:
        context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
        sock = context.wrap_socket(sock, server_hostname=host)
    return sock


def send(host, port, mode, hex_bytes):
    try:
        sock = open_connection(host, port, mode == "tls")
        sock.sendall(bytes.fromhex(hex_bytes))
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (ssl.SSLError, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
        sock.close()
    except OSError as e:
        print(json.dumps({"error": str(e)}))
        return
    statuses = [int(s) for s in re.findall(rb"HTTP/1\.[01] (\d{3}) ", data)]
    print(json.dumps({"statuses": statuses, "body": data.decode(errors="replace")}))


def main():
    if sys.argv[1] == "send":
        send(*sys.argv[2:6])
    elif sys.argv[1] == "write":
        with open(sys.argv[2], "w") as f:
            f.write(sys.argv[3])
        print(json.dumps({"written": sys.argv[2]}))
    elif sys.argv[1] == "env":
        with open("/proc/self/environ", "rb") as f:
            print(json.dumps([e.decode(errors="replace") for e in f.read().split(b"\0") if e]))


if __name__ == "__main__":
    main()
