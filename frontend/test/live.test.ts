import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, type Run } from "../src/api";
import { watchRun, type Transport, type TransportHandlers } from "../src/live";

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
  ready() {
    this.handlers!.onReady();
  }
  send(body: unknown) {
    this.handlers!.onMessage(body);
  }
}

const verdict = { status: "pass", message: null, tests: [] };

/** The server's view of run r1; GET returns a copy of it (or throws `failure`). */
function setup(initial: Partial<Run & { failure: Error | null }> = {}, transport: FakeTransport | null = new FakeTransport()) {
  const server: Run & { failure: Error | null } = { id: "r1", status: "RUNNING", output: "", verdict: null, error: null, failure: null, ...initial };
  const out: string[] = [];
  const statuses: string[] = [];
  const done: Pick<Run, "status" | "verdict" | "error">[] = [];
  const problems: string[] = [];
  const getRun = vi.fn(async () => {
    if (server.failure) throw server.failure;
    const { failure: _ignored, ...run } = server;
    return { ...run };
  });
  const watch = watchRun(
    "r1",
    {
      output: (t) => out.push(t),
      status: (s) => statuses.push(s),
      done: (r) => done.push(r),
      problem: (m) => problems.push(m),
    },
    { getRun, transport },
  );
  /** The server appends output and publishes it (unless `lost`). */
  const emit = (text: string, lost = false) => {
    const offset = server.output!.length;
    server.output += text;
    if (!lost) transport!.send({ type: "output", offset, text });
  };
  return { server, transport: transport!, out, statuses, done, problems, getRun, watch, emit, text: () => out.join("") };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("watchRun", () => {
  it("subscribes to the run's topic, takes a snapshot at once and again once subscribed", async () => {
    const s = setup({ output: "hello " });
    expect(s.transport.destination).toBe("/topic/runs/r1");
    await flush();
    expect(s.text()).toBe("hello ");
    expect(s.statuses).toEqual(["RUNNING"]);
    s.server.output += "world"; // published before the subscription was in place
    s.transport.ready();
    await flush();
    expect(s.getRun).toHaveBeenCalledTimes(2);
    expect(s.text()).toBe("hello world");
    s.watch.stop();
  });

  it("queues messages that arrive before the first snapshot and dedupes them against it", async () => {
    const s = setup({ output: "abc" });
    s.emit("def");
    s.emit("gh");
    await flush();
    expect(s.text()).toBe("abcdefgh");
    s.transport.ready();
    await flush();
    expect(s.text()).toBe("abcdefgh");
    s.transport.send({ type: "output", offset: 6, text: "gh" }); // a repeat
    s.transport.send({ type: "output", offset: 7, text: "hij" }); // an overlap
    expect(s.text()).toBe("abcdefghij");
    s.watch.stop();
  });

  it("re-fetches when a message leaves a gap", async () => {
    const s = setup({ output: "ab" });
    s.transport.ready();
    await flush();
    const calls = s.getRun.mock.calls.length;
    s.emit("cd", true);
    s.emit("ef");
    expect(s.text()).toBe("ab");
    await flush();
    expect(s.getRun).toHaveBeenCalledTimes(calls + 1);
    expect(s.text()).toBe("abcdef");
    s.emit("g");
    expect(s.text()).toBe("abcdefg");
    s.watch.stop();
  });

  it("updates the status and ends on the verdict message", async () => {
    const s = setup({ status: "QUEUED" });
    s.transport.ready();
    await flush();
    s.transport.send({ type: "status", status: "RUNNING" });
    s.emit("ok\n");
    s.transport.send({ type: "status", status: "FINISHED" });
    const reference = [{ name: "cgo call", value: 48, unit: "ns/op", lowerIsBetter: true }];
    s.transport.send({ type: "verdict", status: "FINISHED", verdict, reference });
    expect(s.statuses).toEqual(["QUEUED", "RUNNING", "FINISHED"]);
    expect(s.done).toEqual([{ status: "FINISHED", verdict, error: null, reference, errorKind: null, retryable: false }]);
    expect(s.transport.closed).toBe(true);
    s.transport.send({ type: "output", offset: 3, text: "late" });
    expect(s.text()).toBe("ok\n");
    const calls = s.getRun.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10000);
    expect(s.getRun.mock.calls.length).toBe(calls);
  });

  it("ends at once when the first snapshot shows a finished run, without waiting for the WebSocket", async () => {
    const s = setup({ status: "FINISHED", output: "all\n", verdict });
    await flush();
    expect(s.text()).toBe("all\n");
    expect(s.done).toEqual([expect.objectContaining({ status: "FINISHED", verdict })]);
    expect(s.transport.closed).toBe(true);
  });

  it("fetches the error text when the run ends in ERROR without a verdict", async () => {
    const s = setup();
    s.transport.ready();
    await flush();
    Object.assign(s.server, { status: "ERROR", error: "engine down" });
    s.transport.send({ type: "verdict", status: "ERROR", verdict: null });
    await flush();
    expect(s.done).toEqual([expect.objectContaining({ status: "ERROR", error: "engine down" })]);
  });

  it("ends a run that a newer submission replaced, with the server's message and no verdict", async () => {
    const s = setup({ status: "QUEUED" });
    s.transport.ready();
    await flush();
    s.transport.send({ type: "verdict", status: "SUPERSEDED", verdict: null, error: "Replaced by your newer submission", reference: [] });
    await flush();
    expect(s.done).toEqual([{ status: "SUPERSEDED", verdict: null, error: "Replaced by your newer submission", reference: null, errorKind: null, retryable: false }]);
    expect(s.statuses).toEqual(["QUEUED", "SUPERSEDED"]);
    expect(s.transport.closed).toBe(true);
  });

  it("ends at once when the first snapshot shows a replaced run", async () => {
    const s = setup({ status: "SUPERSEDED", error: "Replaced by your newer submission" });
    await flush();
    expect(s.done).toEqual([expect.objectContaining({ status: "SUPERSEDED", error: "Replaced by your newer submission" })]);
  });

  it("passes on an infrastructure error's kind and Retry offer from the verdict message", async () => {
    const s = setup();
    s.transport.ready();
    await flush();
    const error = "The lab lost its connection to the sandbox engine while your run was running. Your code is saved; press Retry.";
    const failed = { status: "error", message: error, reason: "INFRASTRUCTURE" };
    s.transport.send({ type: "verdict", status: "ERROR", verdict: failed, error, errorKind: "INFRASTRUCTURE", retryable: true, reference: [] });
    expect(s.done).toEqual([{ status: "ERROR", verdict: failed, error, reference: [], errorKind: "INFRASTRUCTURE", retryable: true }]);
  });

  it("passes on the Retry offer of a run that had already failed when the page loaded", async () => {
    const s = setup({ status: "ERROR", error: "lost", errorKind: "INFRASTRUCTURE", retryable: true });
    await flush();
    expect(s.done).toEqual([expect.objectContaining({ status: "ERROR", errorKind: "INFRASTRUCTURE", retryable: true })]);
  });

  it("recovers a lost verdict message from a snapshot after the terminal status", async () => {
    const s = setup();
    s.transport.ready();
    await flush();
    Object.assign(s.server, { status: "FINISHED", verdict });
    s.transport.send({ type: "status", status: "FINISHED" });
    await flush();
    expect(s.done).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.done).toHaveLength(1);
  });

  it("reconciles with a snapshot every few seconds while live", async () => {
    const s = setup({ output: "a" });
    s.transport.ready();
    await flush();
    s.emit("bc", true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.text()).toBe("abc");
    s.watch.stop();
  });

  it("falls back to polling every second when the WebSocket fails", async () => {
    const s = setup({ status: "QUEUED" });
    await flush();
    s.transport.handlers!.onFail("WebSocket error");
    expect(s.transport.closed).toBe(true);
    expect(s.problems[0]).toMatch(/checking every second/);
    await flush();
    expect(s.statuses).toEqual(["QUEUED"]);
    Object.assign(s.server, { status: "RUNNING", output: "1" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.text()).toBe("1");
    expect(s.statuses).toEqual(["QUEUED", "RUNNING"]);
    Object.assign(s.server, { output: "12" });
    await vi.advanceTimersByTimeAsync(1000);
    Object.assign(s.server, { status: "FINISHED", output: "123", verdict });
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.text()).toBe("123");
    expect(s.done).toHaveLength(1);
    const calls = s.getRun.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.getRun.mock.calls.length).toBe(calls);
  });

  it("ignores live messages once polling", async () => {
    const s = setup({ output: "a" });
    await flush();
    s.transport.handlers!.onFail("closed");
    s.transport.send({ type: "output", offset: 1, text: "zzz" });
    await flush();
    expect(s.text()).toBe("a");
    s.watch.stop();
  });

  it("polls from the start without a transport", async () => {
    const s = setup({ status: "FINISHED", output: "x", verdict }, null);
    await flush();
    expect(s.text()).toBe("x");
    expect(s.done).toHaveLength(1);
  });

  it("ends with an error for a run that does not exist", async () => {
    const s = setup({ failure: new ApiError("Not found", 404) });
    await flush();
    expect(s.done).toEqual([expect.objectContaining({ status: "ERROR" })]);
    expect(s.transport.closed).toBe(true);
  });

  it("keeps trying through network errors and says so after a few", async () => {
    const s = setup({ failure: new ApiError("offline", 0) });
    s.transport.handlers!.onFail("closed");
    await vi.advanceTimersByTimeAsync(2500);
    expect(s.problems).toContain("offline");
    Object.assign(s.server, { failure: null, status: "FINISHED", verdict });
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.done).toHaveLength(1);
  });

  it("drops everything after stop, even a fetch in flight", async () => {
    const s = setup({ output: "late" });
    s.watch.stop();
    await flush();
    expect(s.out).toEqual([]);
    expect(s.transport.closed).toBe(true);
  });
});
