"""Hostile submission: leaves two daemons behind (setsid + nohup, and a double fork), each
writing a heartbeat; when the checker imports this file in its next step, it looks for them."""

import os
import subprocess
import time

BEATS = ("/work/heartbeat-nohup", "/work/heartbeat-fork")


def sizes():
    return [os.path.getsize(path) for path in BEATS]


if __name__ == "__main__":
    subprocess.Popen(["setsid", "nohup", "sh", "-c",
                      "while :; do echo beat >> %s; sleep 0.1; done" % BEATS[0]],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                with open(BEATS[1], "a") as f:
                    f.write("beat\n")
                time.sleep(0.1)
        os._exit(0)
    time.sleep(0.5)
    print("daemons started, heartbeats:", sizes())
else:
    before = sizes()
    time.sleep(0.6)
    after = sizes()
    print("daemons of the earlier step:", "STILL RUNNING" if before != after else "gone", before, after)
