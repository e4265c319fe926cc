// The teacher's dashboard as data: the snapshot from GET /api/classes/{id}/dashboard, kept up to date by the
// messages on /topic/classes/{id}, and the per-task statistics derived from it. No DOM here (dashboard.ts draws).
//
// Every message carries the new state of what changed, never a difference, so applying one twice, or one that
// the snapshot already contains, changes nothing. A cell's attempts only grow: a message with fewer attempts
// than the cell shown is older than it and is ignored (with its findings and metrics).

export type Outcome = "pass" | "fail" | "error";

export interface TaskColumn {
  id: string;
  number: number;
  title: string;
}

export interface Student {
  id: number;
  username: string;
  name: string;
}

export interface Cell {
  student: number;
  task: string;
  best: Outcome;
  attempts: number;
  firstPassedAt?: string | null;
  lastRunId: string;
  lastOutcome: Outcome;
  lastRunAt: string;
}

export interface FindingCount {
  student: number;
  task: string;
  kind: string;
  runs: number;
}

export interface MetricValue {
  student: number;
  task: string;
  track: string;
  name: string;
  value: number;
  unit: string;
  lowerIsBetter: boolean;
}

export interface FeedEntry {
  run: string;
  student: number;
  task: string;
  track: string;
  /** null while the run is queued or running. */
  outcome: Outcome | null;
  acceptedAt: string;
  endedAt?: string | null;
}

export interface Snapshot {
  classId: number;
  className: string;
  tasks: TaskColumn[];
  students: Student[];
  cells: Cell[];
  findings: FindingCount[];
  metrics: MetricValue[];
  feed: FeedEntry[];
}

export type BoardMessage =
  | { type: "run"; student: Student; run: FeedEntry; cell?: Cell | null; findings?: FindingCount[] | null; metrics?: MetricValue[] | null }
  | { type: "student"; student: Student };

/** What a message changed, so the page redraws only that. */
export interface Change {
  /** A student the page has no row for yet. */
  newStudent: Student | null;
  /** Cells whose colour, count or running mark may have changed: "student/task" keys. */
  cells: string[];
  feed: boolean;
  /** Tasks whose statistics may have changed. */
  tasks: string[];
}

export interface FindingStat {
  kind: string;
  students: number;
  /** "12 students: double-free in task 10" */
  phrase: string;
}

export interface Distribution {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  /** Counts per bin of equal width from min to max. */
  bins: number[];
}

export interface MetricStat extends Distribution {
  track: string;
  name: string;
  unit: string;
  lowerIsBetter: boolean;
}

export interface TaskStats {
  task: TaskColumn;
  students: number;
  passed: number;
  tried: number;
  findings: FindingStat[];
  metrics: MetricStat[];
}

export const FEED_LIMIT = 100;
export const HISTOGRAM_BINS = 8;

export const cellKey = (student: number, task: string) => `${student}/${task}`;
const metricKey = (student: number, task: string, track: string) => `${student}/${task}/${track}`;

const collator = typeof Intl !== "undefined" ? new Intl.Collator(undefined, { sensitivity: "base" }) : null;
const byName = (a: Student, b: Student) =>
  (collator ? collator.compare(a.name, b.name) : a.name.localeCompare(b.name)) || a.username.localeCompare(b.username);

export class Board {
  readonly classId: number;
  readonly className: string;
  readonly tasks: TaskColumn[];
  private readonly studentsById = new Map<number, Student>();
  private readonly cells = new Map<string, Cell>();
  private readonly findings = new Map<string, FindingCount[]>();
  private readonly metrics = new Map<string, MetricValue[]>();
  private feedEntries: FeedEntry[] = [];

  constructor(snapshot: Snapshot) {
    this.classId = snapshot.classId;
    this.className = snapshot.className;
    this.tasks = [...snapshot.tasks].sort((a, b) => a.number - b.number);
    for (const s of snapshot.students) this.studentsById.set(s.id, s);
    for (const c of snapshot.cells) this.cells.set(cellKey(c.student, c.task), c);
    for (const f of snapshot.findings) push(this.findings, cellKey(f.student, f.task), f);
    for (const m of snapshot.metrics) push(this.metrics, metricKey(m.student, m.task, m.track), m);
    for (const e of snapshot.feed) this.upsertFeed(e);
  }

  /** The students in row order: by name. */
  students(): Student[] {
    return [...this.studentsById.values()].sort(byName);
  }

  student(id: number): Student | undefined {
    return this.studentsById.get(id);
  }

  task(id: string): TaskColumn | undefined {
    return this.tasks.find((t) => t.id === id);
  }

  cell(student: number, task: string): Cell | undefined {
    return this.cells.get(cellKey(student, task));
  }

  /** True while a run of this student on this task is queued or running. */
  running(student: number, task: string): boolean {
    return this.feedEntries.some((e) => e.outcome === null && e.student === student && e.task === task);
  }

  /** Newest first. */
  feed(): readonly FeedEntry[] {
    return this.feedEntries;
  }

  apply(message: BoardMessage): Change {
    const change: Change = { newStudent: null, cells: [], feed: false, tasks: [] };
    if (!message || typeof message !== "object" || !message.student) return change;
    const student = message.student;
    if (!this.studentsById.has(student.id)) change.newStudent = student;
    this.studentsById.set(student.id, student);
    if (message.type !== "run" || !message.run) return change;

    const run = message.run;
    const key = cellKey(run.student, run.task);
    change.feed = this.upsertFeed(run);
    change.cells.push(key);
    const cell = message.cell;
    if (cell) {
      const current = this.cells.get(key);
      if (!current || cell.attempts >= current.attempts) {
        this.cells.set(key, cell);
        this.findings.set(key, (message.findings ?? []).filter((f) => f.student === run.student && f.task === run.task));
        const metrics = (message.metrics ?? []).filter((m) => m.student === run.student && m.task === run.task);
        this.metrics.set(metricKey(run.student, run.task, run.track), metrics.filter((m) => m.track === run.track));
        change.tasks.push(run.task);
      }
    }
    return change;
  }

  stats(taskId: string): TaskStats | null {
    const task = this.task(taskId);
    if (!task) return null;
    const enrolled = this.studentsById;
    let passed = 0;
    let tried = 0;
    for (const cell of this.cells.values()) {
      if (cell.task !== taskId || !enrolled.has(cell.student)) continue;
      tried++;
      if (cell.best === "pass") passed++;
    }
    const studentsByKind = new Map<string, Set<number>>();
    for (const list of this.findings.values()) {
      for (const f of list) {
        if (f.task !== taskId || !enrolled.has(f.student)) continue;
        if (!studentsByKind.has(f.kind)) studentsByKind.set(f.kind, new Set());
        studentsByKind.get(f.kind)!.add(f.student);
      }
    }
    const findings = [...studentsByKind.entries()]
      .map(([kind, students]) => ({ kind, students: students.size, phrase: findingPhrase(students.size, kind, task.number) }))
      .sort((a, b) => b.students - a.students || a.kind.localeCompare(b.kind));
    const series = new Map<string, MetricValue[]>();
    for (const list of this.metrics.values()) {
      for (const m of list) {
        if (m.task !== taskId || !enrolled.has(m.student)) continue;
        push(series, `${m.track}\u0000${m.name}\u0000${m.unit}`, m);
      }
    }
    const metrics = [...series.values()]
      .map((values) => ({
        track: values[0].track,
        name: values[0].name,
        unit: values[0].unit,
        lowerIsBetter: values[0].lowerIsBetter,
        ...distribution(values.map((v) => v.value)),
      }))
      .sort((a, b) => a.track.localeCompare(b.track) || a.name.localeCompare(b.name));
    return { task, students: enrolled.size, passed, tried, findings, metrics };
  }

  /** Adds or updates a feed entry; an ended entry is never turned back into a running one. */
  private upsertFeed(entry: FeedEntry): boolean {
    const index = this.feedEntries.findIndex((e) => e.run === entry.run);
    if (index >= 0) {
      const known = this.feedEntries[index];
      if (known.outcome !== null && entry.outcome === null) return false;
      if (known.outcome === entry.outcome && known.endedAt === entry.endedAt) return false;
      this.feedEntries[index] = { ...entry, acceptedAt: known.acceptedAt };
      return true;
    }
    this.feedEntries.push(entry);
    this.feedEntries.sort((a, b) => time(b.acceptedAt) - time(a.acceptedAt));
    if (this.feedEntries.length > FEED_LIMIT) this.feedEntries.length = FEED_LIMIT;
    return true;
  }
}

/** "1 student: leak in task 10", "12 students: double-free in task 10" */
export function findingPhrase(students: number, kind: string, taskNumber: number): string {
  return `${students} student${students === 1 ? "" : "s"}: ${kind} in task ${taskNumber}`;
}

/**
 * Min, median, 90th percentile (nearest rank), max and a histogram of equal-width bins: at most `maxBins`, and no
 * more bins than values (three students' numbers in eight bins would be mostly gaps).
 */
export function distribution(values: readonly number[], maxBins = HISTOGRAM_BINS): Distribution {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, min: NaN, median: NaN, p90: NaN, max: NaN, bins: [] };
  const binCount = Math.max(1, Math.min(maxBins, n));
  const min = sorted[0];
  const max = sorted[n - 1];
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)];
  const bins = new Array<number>(min === max ? 1 : binCount).fill(0);
  for (const v of sorted) {
    const i = min === max ? 0 : Math.min(binCount - 1, Math.floor(((v - min) / (max - min)) * binCount));
    bins[i]++;
  }
  return { n, min, median, p90, max, bins };
}

/** Milliseconds of an ISO instant ("2026-05-04T10:02:03.5Z"); the strings' digits vary, so never compare them. */
function time(iso: string | null | undefined): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
