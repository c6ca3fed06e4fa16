"""harness.py: starts `hymt serve` for a test and talks HTTP to it with the standard library only.

A server listens on 127.0.0.1 on a port the kernel picks (--port 0; the server prints it), is
waited for with GET /health (bounded), and is stopped with SIGTERM, whose exit code the test checks.
Every request has a timeout, so a hung server fails the test instead of hanging it.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time


class Server:
    def __init__(self, hymt, *args, env=None, wait_ready=True, timeout=60):
        self.hymt = hymt
        e = dict(os.environ)
        e.pop("HYMT_MODEL", None)
        if env:
            e.update(env)
        self.proc = subprocess.Popen([hymt, "serve", "--port", "0", *args], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=e, text=True)
        self.log = []
        self.port = None
        got_port = threading.Event()

        def read():
            for line in self.proc.stderr:
                self.log.append(line.rstrip("\n"))
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    got_port.set()
            got_port.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not got_port.wait(timeout) or self.port is None:
            self.kill()
            raise AssertionError("the server did not start:\n" + "\n".join(self.log))
        if wait_ready:
            self.wait_ready(timeout)

    def wait_ready(self, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            try:
                st, _, _ = self.request("GET", "/health", timeout=5)
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("the server never became ready:\n" + "\n".join(self.log))

    def request(self, method, path, body=None, headers=None, timeout=120):
        """(status, headers dict with lower-case names, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hs, data

    def multipart(self, path, fields, files):
        """POST multipart/form-data: fields {name: text}, files {name: (filename, bytes)}; as json()."""
        boundary = "hymt-test-boundary-7f3a"
        parts = []
        for k, v in fields.items():
            parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' %
                         (boundary.encode(), k.encode(), v.encode()))
        for k, (name, data) in files.items():
            parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                         b'Content-Type: application/octet-stream\r\n\r\n%s\r\n' %
                         (boundary.encode(), k.encode(), name.encode(), data))
        body = b"".join(parts) + b"--%s--\r\n" % boundary.encode()
        return self.json("POST", path, body, {"Content-Type": "multipart/form-data; boundary=" + boundary})

    def json(self, method, path, body=None, headers=None, timeout=120):
        st, hs, data = self.request(method, path, body, headers, timeout)
        try:
            return st, hs, json.loads(data)
        except ValueError:
            raise AssertionError("%s %s -> %d, not JSON: %r" % (method, path, st, data[:300]))

    def stream(self, path, body, timeout=120):
        """An open SSE response: (connection, response)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request("POST", path, body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        return c, c.getresponse()

    def metrics(self):
        st, _, data = self.request("GET", "/metrics")
        assert st == 200, st
        out = {}
        for line in data.decode().splitlines():
            if not line or line.startswith("#"):
                continue
            m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$', line)
            assert m, "not a Prometheus sample line: %r" % line
            out[m.group(1)] = float(m.group(3))
        return out

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Sends sig and returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("the server did not exit within %d s of signal %d" % (timeout, sig))
        self.reader.join(5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            rc = self.stop()
            assert rc == 0, "the server exited %d:\n%s" % (rc, "\n".join(self.log[-30:]))
        else:
            self.kill()
        return False


def sse_events(resp):
    """Yields (event, data) from an SSE response ('message' for plain data: lines)."""
    event, data = "message", []
    while True:
        line = resp.readline()
        if not line:
            return
        line = line.decode().rstrip("\r\n")
        if line == "":
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)
