"""Runs the real jailkeeper-webhook binary for integration tests and finds its ports.

The server is started on port 0; the actual ports come from its "listening" log lines.
"""
import collections
import json
import os
import queue
import signal
import subprocess
import threading
import time

BINARY = os.environ.get("JK_WEBHOOK_BIN", "build/webhook/jailkeeper-webhook")
START_TIMEOUT_S = 20
MAX_LINES = 5000


class WebhookProcess:
    def __init__(self, args, env=None):
        # Bounded: a server under load logs a line per review for as long as it runs.
        self.lines = queue.Queue(maxsize=MAX_LINES)
        self.log = collections.deque(maxlen=MAX_LINES)
        self.proc = subprocess.Popen([BINARY, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port, self.metrics_port = self._wait_ports()

    def _read(self):
        for line in self.proc.stderr:
            self.log.append(line)
            try:
                self.lines.put_nowait(line)
            except queue.Full:
                pass  # nobody waits for lines right now; self.log keeps the latest
        while True:
            try:
                self.lines.put_nowait(None)
                return
            except queue.Full:
                self.lines.get_nowait()

    def _wait_ports(self):
        ports = {}
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(ports) < 2:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("webhook did not start:\n" + "".join(self.log))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError(f"webhook exited ({self.proc.wait()}):\n" + "".join(self.log))
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("msg") == "listening":
                ports[rec["listener"]] = int(rec["addr"].rsplit(":", 1)[1])
        return ports["webhook"], ports["metrics"]

    def wait_for_log(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        for line in list(self.log):
            if predicate(line):
                return line
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                continue
            if line is None:
                break
            if predicate(line):
                return line
        raise AssertionError("log line not seen:\n" + "".join(list(self.log)[-20:]))

    def terminate(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe:
                pipe.close()
