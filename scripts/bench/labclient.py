"""A person's way into a running lab from Python, with the standard library only.

LabSession is a signed-in browser as far as the server can tell: the session cookie, the CSRF token
of the pages (sent as X-CSRF-TOKEN on JSON posts, as _csrf in forms), no redirects followed.
Stomp is STOMP 1.2 over a plain WebSocket at /ws, as the task page speaks it: the session cookie on
the handshake, the CSRF token on CONNECT, SUBSCRIBE with a receipt.
"""
import base64
import http.client
import json
import os
import re
import socket
import struct
import threading
import time
import urllib.parse

CSRF_META = re.compile(r'<meta name="_csrf" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="_csrf" value="([^"]+)"')


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class LabError(Exception):
    pass


class LabSession:
    """One person's HTTP session: a fresh connection per request (no keep-alive state to lose)."""

    def __init__(self, base_url, timeout=60):
        url = urllib.parse.urlsplit(base_url)
        self.host = url.hostname
        self.port = url.port or 80
        self.timeout = timeout
        self.cookies = {}
        self._csrf = None

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            all_headers = dict(headers or {})
            if self.cookies:
                all_headers["Cookie"] = self.cookie_header()
            conn.request(method, path, body=body, headers=all_headers)
            res = conn.getresponse()
            data = res.read().decode("utf-8", "replace")
            for key, value in res.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Response(res.status, res.getheaders(), data)
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def get_json(self, path):
        res = self.get(path)
        if res.status != 200:
            raise LabError(f"GET {path}: {res.status} {res.body[:200]}")
        return res.json()

    def post_json(self, path, obj):
        return self.request("POST", path, json.dumps(obj).encode(),
                            {"Content-Type": "application/json", "Accept": "application/json",
                             "X-CSRF-TOKEN": self.csrf()})

    def post_form(self, path, fields, token=None):
        fields = dict(fields)
        fields["_csrf"] = token or self.csrf()
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def csrf(self):
        """The token a page carries in its meta element, as the page's scripts send it."""
        if self._csrf is None:
            self._csrf = self._token(CSRF_META, self.get("/").body)
        return self._csrf

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def sign_in(self, username, password):
        token = self._token(CSRF_INPUT, self.get("/login").body)
        res = self.post_form("/login", {"username": username, "password": password}, token)
        location = res.header("Location") or ""
        if res.status != 302 or "error" in location:
            raise LabError(f"sign-in of {username} refused: {res.status} {location}")
        self._csrf = None
        return self

    def sign_up(self, code, username, password, display_name=None):
        token = self._token(CSRF_INPUT, self.get("/signup?code=" + urllib.parse.quote(code)).body)
        res = self.post_form("/signup", {"code": code, "username": username, "password": password,
                                         "repeatPassword": password, "displayName": display_name or username},
                             token)
        if res.status != 302:
            error = re.search(r'id="form-error"[^>]*>([^<]*)<', res.body)
            raise LabError(f"sign-up of {username} refused: {res.status} {error.group(1) if error else ''}")
        self._csrf = None
        return self

    @staticmethod
    def _token(pattern, html):
        match = pattern.search(html)
        if not match:
            raise LabError("no CSRF token in the page (signed out?)")
        return match.group(1)


class Stomp:
    """STOMP 1.2 over one WebSocket. Frames arrive on a reader thread; handlers must be quick.

    on_message(subscription_id, body_text, received_monotonic) is called for every MESSAGE.
    """

    def __init__(self, session, on_message, path="/ws", timeout=30):
        self.on_message = on_message
        self.received = 0
        self.errors = []
        self.closed = threading.Event()
        self._send_lock = threading.Lock()
        self._receipts = {}
        self._receipt_lock = threading.Lock()
        self._connected = threading.Event()
        self.sock = socket.create_connection((session.host, session.port), timeout=timeout)
        self._handshake(session, path)
        self.sock.settimeout(None)
        self._buffer = b""
        self.reader = threading.Thread(target=self._read_loop, name="stomp-reader", daemon=True)
        self.reader.start()
        self._send_frame("CONNECT", {"accept-version": "1.2", "host": session.host, "heart-beat": "0,0",
                                     "X-CSRF-TOKEN": session.csrf()})
        if not self._connected.wait(timeout):
            raise LabError("no CONNECTED frame: " + "; ".join(self.errors))

    # -- STOMP -------------------------------------------------------------------------------

    def subscribe(self, destination, sub_id, timeout=30):
        """Subscribes and waits for the receipt; False if the server refused or did not answer."""
        receipt = "r-" + sub_id
        done = threading.Event()
        with self._receipt_lock:
            self._receipts[receipt] = done
        self._send_frame("SUBSCRIBE", {"destination": destination, "id": sub_id, "receipt": receipt})
        ok = done.wait(timeout)
        with self._receipt_lock:
            self._receipts.pop(receipt, None)
        return ok and not self.closed.is_set()

    def unsubscribe(self, sub_id):
        self._send_frame("UNSUBSCRIBE", {"id": sub_id})

    def close(self):
        try:
            self._send_frame("DISCONNECT", {})
            self._send_ws(0x8, b"")
        except OSError:
            pass
        self.closed.set()
        try:
            self.sock.close()
        except OSError:
            pass

    def _send_frame(self, command, headers, body=""):
        lines = [command] + [f"{k}:{v}" for k, v in headers.items()]
        self._send_ws(0x1, ("\n".join(lines) + "\n\n" + body + "\0").encode())

    def _on_frame(self, text, at):
        text = text.lstrip("\r\n")  # heart-beats are bare end-of-lines
        if not text:
            return
        head, _, body = text.partition("\n\n")
        lines = head.split("\n")
        command = lines[0].strip()
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            headers.setdefault(key, value)
        if command == "MESSAGE":
            self.received += 1
            self.on_message(headers.get("subscription"), body, at)
        elif command == "RECEIPT":
            with self._receipt_lock:
                done = self._receipts.get(headers.get("receipt-id"))
            if done:
                done.set()
        elif command == "CONNECTED":
            self._connected.set()
        elif command == "ERROR":
            self.errors.append(headers.get("message", "") + " " + body[:200])

    # -- WebSocket (RFC 6455, client side) ---------------------------------------------------------

    def _handshake(self, session, path):
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {session.host}:{session.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   f"Sec-WebSocket-Protocol: v12.stomp\r\nOrigin: http://{session.host}:{session.port}\r\n"
                   f"Cookie: {session.cookie_header()}\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise LabError("WebSocket handshake: connection closed")
            response += chunk
        head, _, rest = response.partition(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise LabError("WebSocket handshake refused: " + status)
        self._pending = rest

    def _send_ws(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self._send_lock:
            self.sock.sendall(header + mask + masked)

    def _recv_exact(self, n):
        while len(self._pending) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self._pending += chunk
        data, self._pending = self._pending[:n], self._pending[n:]
        return data

    def _read_loop(self):
        message = b""
        try:
            while True:
                b0, b1 = self._recv_exact(2)
                opcode, fin = b0 & 0x0F, b0 & 0x80
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", self._recv_exact(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", self._recv_exact(8))[0]
                mask = self._recv_exact(4) if b1 & 0x80 else None
                payload = self._recv_exact(n)
                if mask:
                    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                if opcode == 0x8:
                    break
                if opcode == 0x9:
                    self._send_ws(0xA, payload)
                    continue
                if opcode in (0x0, 0x1, 0x2):
                    message += payload
                    if fin:
                        at = time.monotonic()
                        self._buffer += message
                        message = b""
                        # One WebSocket message may carry several STOMP frames, or part of one.
                        while b"\0" in self._buffer:
                            frame, _, self._buffer = self._buffer.partition(b"\0")
                            self._on_frame(frame.decode("utf-8", "replace"), at)
        except (OSError, ConnectionError, struct.error, ValueError) as ex:
            if not self.closed.is_set():
                self.errors.append("connection lost: " + repr(ex))
        finally:
            self.closed.set()
            with self._receipt_lock:
                for done in self._receipts.values():
                    done.set()
