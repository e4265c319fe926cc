// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { Board, type Snapshot } from "../src/board";
import { DashboardView } from "../src/dashboard";

const hostile = '<img src=x onerror="alert(1)">';

function setup() {
  document.body.innerHTML = '<div id="matrix"></div><ol id="feed"></ol><div id="stats"></div><span id="state"></span>';
  const byId = (id: string) => document.getElementById(id)!;
  const view = new DashboardView(byId("matrix"), byId("feed"), byId("stats"), byId("state"));
  const snapshot: Snapshot = {
    classId: 3,
    className: "C",
    tasks: [
      { id: "01-ctypes-cos", number: 1, title: "ctypes" },
      { id: "02-own-c-library", number: 2, title: "own library" },
    ],
    students: [{ id: 1, username: "mia", name: `Mia ${hostile}` }],
    cells: [],
    findings: [],
    metrics: [],
    feed: [],
  };
  view.show(new Board(snapshot));
  return { view, byId };
}

const cellOf = (student: number, task: string) => document.querySelector<HTMLTableCellElement>(`tr[data-student="${student}"] td[data-task="${task}"]`)!;

describe("DashboardView", () => {
  it("draws a row per student and a column per task, names as text", () => {
    const { byId } = setup();
    expect(byId("matrix").querySelectorAll("thead th").length).toBe(4);
    expect(byId("matrix").querySelector("img")).toBeNull();
    expect(byId("matrix").querySelector("tbody th")!.textContent).toContain(hostile);
    expect(cellOf(1, "01-ctypes-cos").className).toBe("cell-none");
  });

  it("marks a running cell, then colours it and links it to the attempt when the run ends", () => {
    const { view, byId } = setup();
    const run = { run: "r1", student: 1, task: "01-ctypes-cos", track: "python", acceptedAt: "2026-05-04T10:00:00Z" };
    view.apply({ type: "run", student: { id: 1, username: "mia", name: `Mia ${hostile}` }, run: { ...run, outcome: null } });
    expect(cellOf(1, "01-ctypes-cos").dataset.state).toBe("running");
    expect(cellOf(1, "01-ctypes-cos").classList.contains("cell-active")).toBe(true);
    expect(byId("feed").querySelector("li")!.dataset.outcome).toBe("running");

    view.apply({
      type: "run",
      student: { id: 1, username: "mia", name: `Mia ${hostile}` },
      run: { ...run, outcome: "pass", endedAt: "2026-05-04T10:00:09Z" },
      cell: { student: 1, task: "01-ctypes-cos", best: "pass", attempts: 1, firstPassedAt: "2026-05-04T10:00:09Z", lastRunId: "r1", lastOutcome: "pass", lastRunAt: "2026-05-04T10:00:09Z" },
      findings: [],
      metrics: [{ student: 1, task: "01-ctypes-cos", track: "python", name: "call", value: 40, unit: "ns/op", lowerIsBetter: true }],
    });
    const td = cellOf(1, "01-ctypes-cos");
    expect(td.className).toBe("cell-pass");
    expect(td.querySelector("a")!.getAttribute("href")).toBe("/runs/r1");
    expect(td.textContent).toContain("1");
    expect(td.title).toContain("passed");
    expect(document.querySelector('tr[data-student="1"] .matrix-total')!.textContent).toBe("1");
    expect(byId("feed").querySelectorAll("li").length).toBe(1);
    expect(byId("feed").querySelector("li")!.dataset.outcome).toBe("pass");
    const statsRow = byId("stats").querySelector('tr[data-task="01-ctypes-cos"]')!;
    expect(statsRow.querySelector(".stats-passed")!.textContent).toContain("1 / 1");
    expect(statsRow.querySelector(".metric-dist-numbers")!.textContent).toContain("median 40");
    expect(statsRow.querySelectorAll(".histogram span").length).toBe(1);
  });

  it("adds the row of a student who joins, in name order", () => {
    const { view } = setup();
    view.apply({ type: "student", student: { id: 6, username: "zoe", name: "Zoe" } });
    view.apply({ type: "student", student: { id: 5, username: "aaron", name: "Aaron" } });
    const rows = [...document.querySelectorAll("#matrix tbody tr")].map((tr) => (tr as HTMLElement).dataset.student);
    expect(rows).toEqual(["5", "1", "6"]);
  });
});
