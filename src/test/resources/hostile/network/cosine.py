"""Hostile submission: one connection attempt to each of the lab's own port (on the container's
loopback and on the host's addresses), a listener of the test, and a public address."""

import socket
import time

APP_PORT = {{APP_PORT}}
LISTENER_PORT = {{LISTENER_PORT}}
HOST_ADDRESSES = {{HOST_ADDRESSES}}

TARGETS = [(address, port) for address in ["127.0.0.1"] + HOST_ADDRESSES
           for port in (APP_PORT, LISTENER_PORT)] + [("1.1.1.1", 80)]

if __name__ == "__main__":
    reached = []
    for host, port in TARGETS:
        s = socket.socket()
        s.settimeout(5)
        started = time.monotonic()
        try:
            s.connect((host, port))
            reached.append((host, port))
            outcome = "CONNECTED"
        except OSError as ex:
            outcome = "%s (%s)" % (type(ex).__name__, ex.strerror or ex)
        finally:
            s.close()
        print("connect %s:%d -> %s after %.2f s" % (host, port, outcome, time.monotonic() - started))
    raise SystemExit("reached %s" % reached if reached else "no connection was possible")
