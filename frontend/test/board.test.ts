import { describe, expect, it } from "vitest";
import { Board, distribution, findingPhrase, type BoardMessage, type Cell, type Snapshot } from "../src/board";

const tasks = [
  { id: "10-heap-ownership", number: 10, title: "Heap ownership" },
  { id: "01-ctypes-cos", number: 1, title: "ctypes" },
];

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    classId: 3,
    className: "Systems",
    tasks,
    students: [
      { id: 2, username: "bob", name: "bob" },
      { id: 1, username: "ada", name: "Ada" },
    ],
    cells: [],
    findings: [],
    metrics: [],
    feed: [],
    ...extra,
  };
}

const ada = { id: 1, username: "ada", name: "Ada" };
const cell = (attempts: number, best: Cell["best"] = "fail", task = "01-ctypes-cos"): Cell => ({
  student: 1,
  task,
  best,
  attempts,
  firstPassedAt: best === "pass" ? "2026-05-04T10:00:00Z" : null,
  lastRunId: `r${attempts}`,
  lastOutcome: best,
  lastRunAt: "2026-05-04T10:00:00Z",
});

function ended(attempts: number, best: Cell["best"], extra: Partial<Extract<BoardMessage, { type: "run" }>> = {}): BoardMessage {
  return {
    type: "run",
    student: ada,
    run: { run: `r${attempts}`, student: 1, task: "01-ctypes-cos", track: "python", outcome: best, acceptedAt: `2026-05-04T10:0${attempts}:00Z`, endedAt: `2026-05-04T10:0${attempts}:05Z` },
    cell: cell(attempts, best),
    findings: [],
    metrics: [],
    ...extra,
  };
}

describe("Board", () => {
  it("orders tasks by number and students by name", () => {
    const board = new Board(snapshot());
    expect(board.tasks.map((t) => t.number)).toEqual([1, 10]);
    expect(board.students().map((s) => s.name)).toEqual(["Ada", "bob"]);
  });

  it("turns a cell green when a passing run ends, and says what to redraw", () => {
    const board = new Board(snapshot({ cells: [cell(1, "fail")] }));
    const change = board.apply(ended(2, "pass"));
    expect(board.cell(1, "01-ctypes-cos")?.best).toBe("pass");
    expect(board.cell(1, "01-ctypes-cos")?.attempts).toBe(2);
    expect(change.cells).toEqual(["1/01-ctypes-cos"]);
    expect(change.feed).toBe(true);
    expect(change.tasks).toEqual(["01-ctypes-cos"]);
    expect(change.newStudent).toBeNull();
  });

  it("ignores a message older than the cell it has (fewer attempts), and one it has already", () => {
    const board = new Board(snapshot({ cells: [cell(3, "pass")] }));
    expect(board.apply(ended(2, "fail")).tasks).toEqual([]);
    expect(board.cell(1, "01-ctypes-cos")?.best).toBe("pass");
    board.apply(ended(4, "fail"));
    board.apply(ended(4, "fail"));
    expect(board.cell(1, "01-ctypes-cos")?.attempts).toBe(4);
    expect(board.feed().filter((e) => e.run === "r4")).toHaveLength(1);
  });

  it("shows a run as running until it ends, and never goes back to running", () => {
    const board = new Board(snapshot());
    const started: BoardMessage = { type: "run", student: ada, run: { run: "r1", student: 1, task: "01-ctypes-cos", track: "python", outcome: null, acceptedAt: "2026-05-04T10:01:00Z" } };
    board.apply(started);
    expect(board.running(1, "01-ctypes-cos")).toBe(true);
    expect(board.cell(1, "01-ctypes-cos")).toBeUndefined();
    board.apply(ended(1, "pass"));
    expect(board.running(1, "01-ctypes-cos")).toBe(false);
    expect(board.apply(started).feed).toBe(false);
    expect(board.running(1, "01-ctypes-cos")).toBe(false);
  });

  it("adds a student it did not know, from a run or a join", () => {
    const board = new Board(snapshot());
    const eve = { id: 9, username: "eve", name: "Eve" };
    expect(board.apply({ type: "student", student: eve }).newStudent).toEqual(eve);
    expect(board.apply({ type: "student", student: eve }).newStudent).toBeNull();
    expect(board.students().map((s) => s.name)).toEqual(["Ada", "bob", "Eve"]);
  });

  it("keeps the feed newest first, whatever the digits of the times", () => {
    const board = new Board(
      snapshot({
        feed: [
          { run: "a", student: 1, task: "01-ctypes-cos", track: "python", outcome: "fail", acceptedAt: "2026-05-04T10:00:03Z" },
          { run: "b", student: 1, task: "01-ctypes-cos", track: "python", outcome: "fail", acceptedAt: "2026-05-04T10:00:03.5Z" },
          { run: "c", student: 1, task: "01-ctypes-cos", track: "python", outcome: "fail", acceptedAt: "2026-05-04T09:59:59.999Z" },
        ],
      }),
    );
    expect(board.feed().map((e) => e.run)).toEqual(["b", "a", "c"]);
  });

  it("replaces a student's findings for the task and metrics for the track with the message's", () => {
    const board = new Board(
      snapshot({
        findings: [{ student: 1, task: "01-ctypes-cos", kind: "leak", runs: 1 }],
        metrics: [
          { student: 1, task: "01-ctypes-cos", track: "python", name: "call", value: 50, unit: "ns", lowerIsBetter: true },
          { student: 1, task: "01-ctypes-cos", track: "rust", name: "call", value: 9, unit: "ns", lowerIsBetter: true },
        ],
        cells: [cell(1)],
      }),
    );
    board.apply(
      ended(2, "pass", {
        findings: [{ student: 1, task: "01-ctypes-cos", kind: "double-free", runs: 1 }, { student: 1, task: "01-ctypes-cos", kind: "leak", runs: 1 }],
        metrics: [{ student: 1, task: "01-ctypes-cos", track: "python", name: "call", value: 40, unit: "ns", lowerIsBetter: true }],
      }),
    );
    const stats = board.stats("01-ctypes-cos")!;
    expect(stats.findings.map((f) => f.kind)).toEqual(["double-free", "leak"]);
    expect(stats.metrics.map((m) => [m.track, m.min])).toEqual([
      ["python", 40],
      ["rust", 9],
    ]);
  });
});

describe("task statistics", () => {
  it("counts passes among the students and phrases the findings by how many students had them", () => {
    const board = new Board(
      snapshot({
        students: [
          { id: 1, username: "a", name: "A" },
          { id: 2, username: "b", name: "B" },
          { id: 3, username: "c", name: "C" },
        ],
        cells: [
          { ...cell(2, "pass", "10-heap-ownership"), student: 1 },
          { ...cell(1, "fail", "10-heap-ownership"), student: 2 },
          { ...cell(1, "pass", "10-heap-ownership"), student: 99 },
        ],
        findings: [
          { student: 1, task: "10-heap-ownership", kind: "double-free", runs: 3 },
          { student: 2, task: "10-heap-ownership", kind: "double-free", runs: 1 },
          { student: 2, task: "10-heap-ownership", kind: "leak", runs: 5 },
          { student: 99, task: "10-heap-ownership", kind: "leak", runs: 1 },
        ],
      }),
    );
    const stats = board.stats("10-heap-ownership")!;
    expect(stats.students).toBe(3);
    expect(stats.passed).toBe(1);
    expect(stats.tried).toBe(2);
    expect(stats.findings.map((f) => f.phrase)).toEqual(["2 students: double-free in task 10", "1 student: leak in task 10"]);
    expect(board.stats("01-ctypes-cos")!.passed).toBe(0);
    expect(board.stats("nope")).toBeNull();
  });

  it("phrases one and many", () => {
    expect(findingPhrase(12, "double-free", 10)).toBe("12 students: double-free in task 10");
    expect(findingPhrase(1, "leak", 3)).toBe("1 student: leak in task 3");
  });
});

describe("distribution", () => {
  it("gives min, median, p90 (nearest rank), max and equal-width bins", () => {
    const d = distribution([10, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3);
    expect([d.n, d.min, d.median, d.p90, d.max]).toEqual([10, 1, 5.5, 9, 10]);
    expect(d.bins).toEqual([3, 3, 4]);
    expect(d.bins.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it("uses no more bins than values", () => {
    expect(distribution([1, 2, 3]).bins).toEqual([1, 1, 1]);
    expect(distribution([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).bins).toHaveLength(8);
  });

  it("handles one value, equal values and no values", () => {
    expect(distribution([42])).toMatchObject({ n: 1, min: 42, median: 42, p90: 42, max: 42, bins: [1] });
    expect(distribution([5, 5, 5]).bins).toEqual([3]);
    expect(distribution([]).n).toBe(0);
    expect(distribution([1, NaN, 3]).n).toBe(2);
  });
});
