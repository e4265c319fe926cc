import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BoardMessage, Snapshot } from "../src/board";
import { followClass } from "../src/classlive";
import type { Transport, TransportHandlers } from "../src/live";

class FakeTransport implements Transport {
  handlers: TransportHandlers | null = null;
  destination = "";
  closed = false;
  open(destination: string, handlers: TransportHandlers) {
    this.destination = destination;
    this.handlers = handlers;
    return () => {
      this.closed = true;
    };
  }
}

const snap: Snapshot = { classId: 3, className: "C", tasks: [], students: [], cells: [], findings: [], metrics: [], feed: [] };
const msg = (run: string): BoardMessage => ({ type: "run", student: { id: 1, username: "a", name: "A" }, run: { run, student: 1, task: "t", track: "p", outcome: null, acceptedAt: "2026-05-04T10:00:00Z" } });

function setup(transport: FakeTransport | null = new FakeTransport(), failing = false) {
  const events: string[] = [];
  let fail = failing;
  const getSnapshot = vi.fn(async () => {
    if (fail) throw new Error("down");
    events.push("snapshot");
    return snap;
  });
  const following = followClass(
    3,
    {
      snapshot: () => undefined,
      message: (m) => events.push(m.type === "run" ? `run ${m.run.run}` : m.type),
      state: (s) => events.push(`state ${s}`),
    },
    { getSnapshot, transport, pollMs: 1000, reconcileMs: 60000 },
  );
  return { events, getSnapshot, following, transport: transport!, failNext: (v: boolean) => (fail = v) };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("followClass", () => {
  it("subscribes to the class topic first, loads the snapshot once subscribed, then replays what came in between", async () => {
    const { events, getSnapshot, transport } = setup();
    expect(transport.destination).toBe("/topic/classes/3");
    expect(getSnapshot).not.toHaveBeenCalled();
    transport.handlers!.onReady();
    transport.handlers!.onMessage(msg("early"));
    await flush();
    transport.handlers!.onMessage(msg("late"));
    expect(events.filter((e) => !e.startsWith("state"))).toEqual(["snapshot", "run early", "run late"]);
    expect(events).toContain("state live");
  });

  it("ignores what is not a dashboard message", async () => {
    const { events, transport } = setup();
    transport.handlers!.onReady();
    await flush();
    transport.handlers!.onMessage({ type: "output", text: "x" });
    transport.handlers!.onMessage(null);
    expect(events.filter((e) => e.startsWith("run"))).toEqual([]);
  });

  it("polls the snapshot when the WebSocket fails, and reconciles now and then while live", async () => {
    const live = setup();
    live.transport.handlers!.onReady();
    await flush();
    expect(live.getSnapshot).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60000);
    expect(live.getSnapshot).toHaveBeenCalledTimes(2);
    live.following.stop();

    const broken = setup();
    broken.transport.handlers!.onFail("WebSocket error");
    await flush();
    expect(broken.events).toContain("state polling");
    expect(broken.transport.closed).toBe(true);
    expect(broken.getSnapshot).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(broken.getSnapshot).toHaveBeenCalledTimes(4);
    broken.following.stop();
  });

  it("keeps trying when the snapshot cannot be loaded, and stops for good when stopped", async () => {
    const { events, getSnapshot, following, failNext } = setup(null, true);
    await flush();
    expect(events).toContain("state error");
    failNext(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(events).toContain("snapshot");
    following.stop();
    const calls = getSnapshot.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10000);
    expect(getSnapshot.mock.calls.length).toBe(calls);
  });
});
