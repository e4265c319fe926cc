// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, type Run, type RunSummary } from "../src/api";
import { badge, HistoryPanel, renderDiff, summaryText } from "../src/history";

const EVIL = '<img src=x onerror="window.hacked = 1">';

function summary(id: string, minute: number, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    task: "01-ctypes-cos",
    track: "python",
    status: "FINISHED",
    outcome: "pass",
    headline: null,
    tests: 6,
    passedTests: 6,
    findings: 0,
    createdAt: new Date(Date.UTC(2026, 0, 5, 10, minute)).toISOString(),
    ...extra,
  };
}

const runs: Record<string, Run> = {
  first: { id: "first", status: "FINISHED", files: { "cosine.py": "import ctypes\ncos.restype = None\nprint(1)\n", "util.py": "same\n" } },
  second: { id: "second", status: "FINISHED", files: { "cosine.py": `import ctypes\ncos.restype = c_double\nprint(1)\n# ${EVIL}\n`, "util.py": "same\n" } },
};

async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function panel(list: () => Promise<RunSummary[]>, open = vi.fn()) {
  document.body.innerHTML = "";
  const root = document.createElement("section");
  document.body.appendChild(root);
  const loads: string[] = [];
  const history = new HistoryPanel(root, {
    list,
    load: async (id) => {
      loads.push(id);
      return runs[id];
    },
    open,
    fileOrder: () => ["cosine.py", "util.py"],
    refreshMs: 3000,
  });
  return { root, history, open, loads };
}

const items = (root: HTMLElement) => Array.from(root.querySelectorAll<HTMLElement>(".history-item"));

describe("HistoryPanel", () => {
  afterEach(() => {
    vi.useRealTimers();
    delete (window as unknown as { hacked?: number }).hacked;
  });

  it("lists the attempts newest first, numbered from the oldest, with badge, tests and headline as text", async () => {
    const { root, history } = panel(async () => [
      summary("second", 2, { outcome: "fail", passedTests: 4, findings: 1, headline: EVIL }),
      summary("first", 1),
    ]);
    await history.refresh();
    const [newest, oldest] = items(root);
    expect(newest.dataset.runId).toBe("second");
    expect(newest.querySelector(".history-number")?.textContent).toBe("#2");
    expect(newest.querySelector(".badge")?.className).toBe("badge badge-fail");
    expect(newest.querySelector(".history-summary")?.textContent).toBe("4/6 tests \u00b7 1 finding");
    expect(newest.querySelector(".history-headline")?.textContent).toBe(EVIL);
    expect(root.querySelector("img")).toBeNull();
    expect(newest.querySelector("time")?.getAttribute("datetime")).toBe("2026-01-05T10:02:00.000Z");
    expect(oldest.querySelector(".history-number")?.textContent).toBe("#1");
    expect(oldest.querySelector(".badge")?.textContent).toBe("passed");
    expect(root.querySelector<HTMLElement>(".history-message")?.hidden).toBe(true);
  });

  it("says when there are no attempts, and when they cannot be loaded", async () => {
    const empty = panel(async () => []);
    await empty.history.refresh();
    expect(empty.root.querySelector(".history-message")?.textContent).toContain("No attempts yet");
    const failing = panel(async () => {
      throw new ApiError("Cannot reach the server.", 0);
    });
    await failing.history.refresh();
    expect(failing.root.querySelector(".history-error")?.textContent).toContain("Cannot reach the server.");
  });

  it("opens an attempt and marks it as the one shown", async () => {
    const { root, history, open } = panel(async () => [summary("second", 2), summary("first", 1)]);
    await history.refresh();
    items(root)[1].querySelector<HTMLButtonElement>(".history-open")!.click();
    expect(open).toHaveBeenCalledWith("first");
    expect(items(root)[1].getAttribute("aria-current")).toBe("true");
    expect(items(root)[0].hasAttribute("aria-current")).toBe(false);
    await history.refresh();
    expect(items(root)[1].getAttribute("aria-current")).toBe("true");
  });

  it("compares two ticked attempts, older to newer, whichever was ticked first", async () => {
    const { root, history, loads } = panel(async () => [summary("second", 2), summary("first", 1)]);
    await history.refresh();
    const compare = root.querySelector<HTMLButtonElement>(".history-compare")!;
    expect(compare.disabled).toBe(true);
    items(root)[0].querySelector<HTMLInputElement>(".history-pick")!.click();
    expect(compare.disabled).toBe(true);
    items(root)[1].querySelector<HTMLInputElement>(".history-pick")!.click();
    expect(compare.disabled).toBe(false);
    compare.click();
    await settle();
    expect(loads.sort()).toEqual(["first", "second"]);
    const diff = root.querySelector<HTMLElement>(".history-diff")!;
    expect(diff.hidden).toBe(false);
    expect(diff.querySelector("h3")?.textContent).toBe("Changes from attempt #1 to #2");
    const lines = Array.from(diff.querySelectorAll(".diff-line")).map((l) => `${l.querySelector(".diff-sign")?.textContent}${l.querySelector(".diff-text")?.textContent}`);
    expect(lines).toEqual([" import ctypes", "\u2212cos.restype = None", "+cos.restype = c_double", " print(1)", `+# ${EVIL}`]);
    expect(diff.querySelector("img")).toBeNull();
    expect((window as unknown as { hacked?: number }).hacked).toBeUndefined();
    expect(diff.querySelector(".diff-unchanged")?.textContent).toContain("util.py");
    expect(diff.querySelector(".diff-stat")?.textContent).toBe("+2 \u22121");

    diff.querySelector<HTMLButtonElement>(".history-diff-close")!.click();
    expect(diff.hidden).toBe(true);
  });

  it("keeps two picks at most: a third replaces the earliest", async () => {
    const { root, history } = panel(async () => [summary("c", 3), summary("b", 2), summary("a", 1)]);
    await history.refresh();
    const picks = items(root).map((i) => i.querySelector<HTMLInputElement>(".history-pick")!);
    picks[0].click();
    picks[1].click();
    picks[2].click();
    expect(picks.map((p) => p.checked)).toEqual([false, true, true]);
  });

  it("looks again while an attempt is queued or running, and stops once all have ended", async () => {
    vi.useFakeTimers();
    const answers = [[summary("new", 2, { status: "RUNNING", outcome: null })], [summary("new", 2)]];
    let calls = 0;
    const { root, history } = panel(async () => answers[Math.min(calls++, 1)]);
    await history.refresh();
    expect(items(root)[0].querySelector(".badge")?.textContent).toBe("running");
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(2);
    expect(items(root)[0].querySelector(".badge")?.textContent).toBe("passed");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
  });
});

describe("renderDiff", () => {
  it("says when both attempts have the same code, and names new and removed files", () => {
    const el = document.createElement("div");
    renderDiff(el, { label: "#1", files: { "a.py": "x\n" } }, { label: "#2", files: { "a.py": "x\n" } }, []);
    expect(el.textContent).toContain("exactly the same code");
    renderDiff(el, { label: "#1", files: { "a.py": "x\n" } }, { label: "#2", files: { "b.py": "y\n" } }, []);
    const names = Array.from(el.querySelectorAll("summary .diff-file-name")).map((n) => n.textContent);
    expect(names).toEqual(["a.py (removed)", "b.py (new file)"]);
  });

  it("shows the files in the editor's order", () => {
    const el = document.createElement("div");
    renderDiff(el, { label: "#1", files: { "a.c": "1", "z.py": "1" } }, { label: "#2", files: { "a.c": "2", "z.py": "2" } }, ["z.py", "a.c"]);
    expect(Array.from(el.querySelectorAll("summary .diff-file-name")).map((n) => n.textContent)).toEqual(["z.py", "a.c"]);
  });
});

describe("badge and summaryText", () => {
  it("name the outcome, or where the attempt is", () => {
    expect(badge({ status: "FINISHED", outcome: "pass" })).toEqual(["badge-pass", "passed"]);
    expect(badge({ status: "ERROR", outcome: "error" })).toEqual(["badge-error", "error"]);
    expect(badge({ status: "QUEUED", outcome: null })).toEqual(["badge-running", "queued"]);
    expect(badge({ status: "SUPERSEDED", outcome: null })).toEqual(["badge-skip", "superseded"]);
    expect(summaryText({ tests: 0, passedTests: 0, findings: 0 })).toBe("");
    expect(summaryText({ tests: 3, passedTests: 1, findings: 2 })).toBe("1/3 tests \u00b7 2 findings");
  });
});
