// @vitest-environment jsdom
// The task page's Retry, wired as in the browser (main.ts): a page reattaching to a run (data-run-id)
// with the WebSocket unavailable, so it follows runs by polling the mocked REST API.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Run } from "../src/api";

const LOST = "The lab lost its connection to the sandbox engine while your run was running. Your code is saved; press Retry.";

let runs: Record<string, Run>;
let fetch: ReturnType<typeof vi.fn>;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

async function openPage(runId: string): Promise<void> {
  document.body.innerHTML = `
    <main id="task-page" data-task="01-ctypes-cos" data-track="python" data-run-id="${runId}">
      <span id="run-status"></span><pre id="output"></pre><section id="verdict"></section>
    </main>`;
  vi.resetModules();
  await import("../src/main");
}

const retryButton = () => document.querySelector<HTMLButtonElement>("#verdict .verdict-retry");
const status = () => document.getElementById("run-status")!;

beforeEach(() => {
  window.history.replaceState(null, "", "/tasks/01-ctypes-cos");
  vi.stubGlobal("WebSocket", undefined);
  runs = {
    lost: {
      id: "lost",
      status: "ERROR",
      output: "$ python3 cosine.py\nsleeping\n",
      verdict: { status: "error", message: LOST, reason: "INFRASTRUCTURE" },
      error: LOST,
      errorKind: "INFRASTRUCTURE",
      retryable: true,
    },
    failed: { id: "failed", status: "FINISHED", output: "", verdict: { status: "fail", message: "1 of 2 tests failed" }, retryable: false },
    bug: { id: "bug", status: "ERROR", output: "", verdict: null, error: "The lab failed", errorKind: "INTERNAL", retryable: false },
    retry: { id: "retry", status: "FINISHED", output: "ok\n", verdict: { status: "pass" }, retryOf: "lost", retryable: false },
  };
  fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const retry = /^\/api\/runs\/([^/]+)\/retry$/.exec(url);
    if (retry && init?.method === "POST") return runs[retry[1]]?.retryable ? json(202, { id: "retry" }) : json(409, { error: "no" });
    const get = /^\/api\/runs\/([^/]+)$/.exec(url);
    if (get && runs[get[1]]) return json(200, runs[get[1]]);
    return json(404, { error: "There is no run" });
  });
  vi.stubGlobal("fetch", fetch);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the task page's Retry", () => {
  it("is offered for an infrastructure error, runs the stored files again and follows the new run", async () => {
    await openPage("lost");
    await vi.waitFor(() => expect(retryButton()).not.toBeNull());
    expect(status().dataset.state).toBe("error");
    expect(document.querySelector("#verdict .verdict-message")?.textContent).toBe(LOST);
    expect(document.getElementById("output")?.textContent).toContain("sleeping");

    retryButton()!.click();
    await vi.waitFor(() => expect(status().dataset.state).toBe("pass"));
    expect(fetch).toHaveBeenCalledWith("/api/runs/lost/retry", expect.objectContaining({ method: "POST" }));
    expect(fetch.mock.calls.filter(([, init]) => init?.method === "POST")).toHaveLength(1);
    expect(new URL(window.location.href).searchParams.get("run")).toBe("retry");
    expect(document.getElementById("output")?.textContent).toBe("ok\n");
    expect(retryButton()).toBeNull();
  });

  it("is not offered when the student's code failed", async () => {
    await openPage("failed");
    await vi.waitFor(() => expect(status().dataset.state).toBe("fail"));
    expect(retryButton()).toBeNull();
  });

  it("is not offered for a fault in the lab itself", async () => {
    await openPage("bug");
    await vi.waitFor(() => expect(status().dataset.state).toBe("error"));
    expect(document.querySelector("#verdict .verdict-message")?.textContent).toBe("The lab failed");
    expect(retryButton()).toBeNull();
  });
});
