// Entry point of the class page (the teacher's dashboard, /classes/{id}): the students x tasks matrix, the live
// feed of runs and the per-task statistics, drawn from a Board and redrawn piece by piece as messages arrive.
// Built by esbuild into dashboard.js; does nothing on a page without #class-page.

import { csrfHeaders, getClassDashboard } from "./api";
import { Board, type Change, type FeedEntry, type MetricStat, type Outcome, type Student, type TaskColumn } from "./board";
import { followClass } from "./classlive";
import { clear, h } from "./dom";
import { defaultWebSocketUrl, stompTransport } from "./live";
import { formatNumber } from "./verdict";

const ICON: Record<Outcome, string> = { pass: "\u2713", fail: "\u2717", error: "!" };
const WORD: Record<Outcome, string> = { pass: "passed", fail: "failed", error: "error" };
const TOP_FINDINGS = 3;

export function start(): void {
  const page = document.getElementById("class-page");
  if (!page) return;
  const classId = Number(page.dataset.classId);
  const view = new DashboardView(
    document.getElementById("matrix"),
    document.getElementById("feed"),
    document.getElementById("task-stats"),
    document.getElementById("live-state"),
  );
  followClass(
    classId,
    {
      snapshot: (snapshot) => view.show(new Board(snapshot)),
      message: (message) => view.apply(message),
      state: (state, detail) => view.state(state, detail),
    },
    { getSnapshot: getClassDashboard, transport: stompTransport(defaultWebSocketUrl(), csrfHeaders()) },
  );
}

export class DashboardView {
  private board: Board | null = null;
  private rows = new Map<number, HTMLTableRowElement>();

  constructor(
    private readonly matrixEl: HTMLElement | null,
    private readonly feedEl: HTMLElement | null,
    private readonly statsEl: HTMLElement | null,
    private readonly stateEl: HTMLElement | null,
  ) {}

  show(board: Board): void {
    this.board = board;
    this.renderMatrix();
    this.renderFeed();
    this.renderStats();
  }

  apply(message: Parameters<Board["apply"]>[0]): void {
    if (!this.board) return;
    const change: Change = this.board.apply(message);
    if (change.newStudent) this.addRow(change.newStudent);
    for (const key of change.cells) {
      const [student, task] = splitKey(key);
      this.updateCell(student, task);
      this.updateTotal(student);
    }
    if (change.feed) this.renderFeed();
    if (change.tasks.length > 0 || change.newStudent) this.renderStats();
  }

  state(state: string, detail?: string): void {
    if (!this.stateEl) return;
    this.stateEl.dataset.state = state;
    this.stateEl.textContent =
      state === "live"
        ? "\u25cf Live"
        : state === "polling"
          ? `Live updates unavailable${detail ? ` (${detail})` : ""}; refreshing every few seconds.`
          : state === "error"
            ? `Cannot load the dashboard: ${detail ?? "unknown error"}. Trying again\u2026`
            : "Connecting\u2026";
  }

  // --- matrix ------------------------------------------------------------------------------

  private renderMatrix(): void {
    const board = this.board;
    if (!this.matrixEl || !board) return;
    clear(this.matrixEl);
    this.rows.clear();
    const head = h(
      "tr",
      null,
      h("th", { scope: "col", class: "matrix-corner" }, "Student"),
      board.tasks.map((task) =>
        h("th", { scope: "col", title: `Task ${task.number}: ${task.title}` }, h("a", { href: `/tasks/${encodeURIComponent(task.id)}` }, String(task.number))),
      ),
      h("th", { scope: "col", title: "Tasks passed" }, "\u2713"),
    );
    const body = h("tbody");
    const table = h("table", { class: "matrix", id: "matrix-table" }, h("thead", null, head), body);
    this.matrixEl.appendChild(table);
    const students = board.students();
    if (students.length === 0) {
      this.matrixEl.appendChild(h("p", { class: "muted", id: "matrix-empty" }, "Nobody has joined yet: students sign up with the join code above."));
    }
    for (const student of students) body.appendChild(this.row(student));
  }

  private row(student: Student): HTMLTableRowElement {
    const board = this.board!;
    const tr = h(
      "tr",
      { "data-student": String(student.id) },
      h("th", { scope: "row", title: student.username }, student.name, " ", h("span", { class: "muted small" }, student.username)),
    );
    for (const task of board.tasks) {
      const td = h("td", { "data-task": task.id });
      tr.appendChild(td);
      this.fillCell(td, student, task);
    }
    tr.appendChild(h("td", { class: "matrix-total" }, String(this.passedBy(student.id))));
    this.rows.set(student.id, tr);
    return tr;
  }

  private addRow(student: Student): void {
    const board = this.board;
    const body = this.matrixEl?.querySelector("tbody");
    if (!board || !body) return;
    this.matrixEl?.querySelector("#matrix-empty")?.remove();
    const ordered = board.students();
    const next = ordered[ordered.findIndex((s) => s.id === student.id) + 1];
    const before = next ? this.rows.get(next.id) ?? null : null;
    body.insertBefore(this.row(student), before);
  }

  private updateCell(studentId: number, taskId: string): void {
    const board = this.board!;
    const student = board.student(studentId);
    const task = board.task(taskId);
    const row = this.rows.get(studentId);
    const td = row ? [...row.cells].find((c) => c.dataset.task === taskId) : undefined;
    if (student && task && td) this.fillCell(td, student, task);
  }

  private updateTotal(studentId: number): void {
    const total = this.rows.get(studentId)?.querySelector(".matrix-total");
    if (total) total.textContent = String(this.passedBy(studentId));
  }

  private passedBy(studentId: number): number {
    return this.board!.tasks.filter((t) => this.board!.cell(studentId, t.id)?.best === "pass").length;
  }

  private fillCell(td: HTMLTableCellElement, student: Student, task: TaskColumn): void {
    const board = this.board!;
    const cell = board.cell(student.id, task.id);
    const running = board.running(student.id, task.id);
    clear(td);
    td.className = cell ? `cell-${cell.best}` : running ? "cell-running" : "cell-none";
    td.classList.toggle("cell-active", running);
    td.dataset.state = cell ? cell.best : running ? "running" : "none";
    const lines = [`${student.name} \u00b7 task ${task.number}: ${task.title}`];
    if (cell) {
      lines.push(`${WORD[cell.best]} \u00b7 ${cell.attempts} attempt${cell.attempts === 1 ? "" : "s"}`);
      if (cell.firstPassedAt) lines.push(`first passed ${when(cell.firstPassedAt)}`);
      lines.push(`last run ${when(cell.lastRunAt)} (${WORD[cell.lastOutcome]})`);
    } else if (!running) {
      lines.push("not tried");
    }
    if (running) lines.push("a run is going on now");
    td.title = lines.join("\n");
    if (cell) {
      td.appendChild(
        h("a", { href: `/runs/${encodeURIComponent(cell.lastRunId)}`, "aria-label": lines.join(", ") }, `${ICON[cell.best]}\u2009${cell.attempts}`),
      );
    } else if (running) {
      td.appendChild(h("span", { "aria-label": lines.join(", ") }, "\u2026"));
    }
  }

  // --- feed --------------------------------------------------------------------------------

  private renderFeed(): void {
    const board = this.board;
    if (!this.feedEl || !board) return;
    clear(this.feedEl);
    const entries = board.feed();
    if (entries.length === 0) {
      this.feedEl.appendChild(h("li", { class: "muted" }, "No runs yet."));
      return;
    }
    for (const entry of entries) this.feedEl.appendChild(this.feedItem(entry));
  }

  private feedItem(entry: FeedEntry): HTMLLIElement {
    const board = this.board!;
    const student = board.student(entry.student);
    const task = board.task(entry.task);
    const badge = entry.outcome
      ? h("span", { class: `badge badge-${entry.outcome}` }, `${ICON[entry.outcome]} ${WORD[entry.outcome]}`)
      : h("span", { class: "badge badge-running" }, "running");
    return h(
      "li",
      { "data-run": entry.run, "data-outcome": entry.outcome ?? "running" },
      h("time", { datetime: entry.endedAt ?? entry.acceptedAt }, clock(entry.endedAt ?? entry.acceptedAt)),
      h("a", { href: `/runs/${encodeURIComponent(entry.run)}`, class: "feed-link" }, student ? student.name : `#${entry.student}`),
      h("span", { class: "feed-task", title: task?.title ?? entry.task }, task ? `Task ${task.number}` : entry.task),
      h("span", { class: "track-chip" }, entry.track),
      badge,
    );
  }

  // --- statistics --------------------------------------------------------------------------

  private renderStats(): void {
    const board = this.board;
    if (!this.statsEl || !board) return;
    clear(this.statsEl);
    const body = h("tbody");
    for (const task of board.tasks) {
      const stats = board.stats(task.id);
      if (!stats) continue;
      const share = stats.students > 0 ? Math.round((stats.passed / stats.students) * 100) : 0;
      body.appendChild(
        h(
          "tr",
          { "data-task": task.id },
          h("th", { scope: "row" }, h("span", { class: "muted" }, `${task.number}\u2002`), task.title),
          h(
            "td",
            { class: "num stats-passed" },
            `${stats.passed} / ${stats.students}`,
            h("div", { class: "share-bar", title: `${share}% passed, ${stats.tried} tried` }, h("span", { style: `width: ${share}%` })),
          ),
          h(
            "td",
            { class: "stats-findings" },
            stats.findings.length === 0
              ? h("span", { class: "muted" }, "\u2013")
              : h("ul", null, stats.findings.slice(0, TOP_FINDINGS).map((f) => h("li", null, f.phrase))),
          ),
          h("td", { class: "stats-metrics" }, stats.metrics.length === 0 ? h("span", { class: "muted" }, "\u2013") : stats.metrics.map(metricView)),
        ),
      );
    }
    this.statsEl.appendChild(
      h(
        "table",
        { class: "table stats-table", id: "stats-table" },
        h("thead", null, h("tr", null, h("th", null, "Task"), h("th", { class: "num" }, "Passed"), h("th", null, "Most frequent findings"), h("th", null, "Benchmarks (latest passing runs)"))),
        body,
      ),
    );
  }
}

/** One metric's spread over the class: the numbers, and a histogram of CSS bars (no chart library). */
function metricView(metric: MetricStat): HTMLElement {
  const peak = Math.max(1, ...metric.bins);
  const unit = metric.unit ? ` ${metric.unit}` : "";
  const width = metric.bins.length > 1 ? (metric.max - metric.min) / metric.bins.length : 0;
  return h(
    "div",
    { class: "metric-dist" },
    h("div", { class: "metric-dist-name" }, h("span", { class: "track-chip" }, metric.track), ` ${metric.name}${metric.unit ? ` (${metric.unit})` : ""}`, h("span", { class: "muted small" }, metric.lowerIsBetter ? " lower is better" : " higher is better")),
    h(
      "div",
      { class: "metric-dist-numbers small" },
      `min ${formatNumber(metric.min)} \u00b7 median ${formatNumber(metric.median)} \u00b7 p90 ${formatNumber(metric.p90)} \u00b7 max ${formatNumber(metric.max)} \u00b7 n ${metric.n}`,
    ),
    h(
      "div",
      { class: "histogram", role: "img", "aria-label": `Distribution of ${metric.name} over ${metric.n} students` },
      metric.bins.map((count, i) => {
        const from = metric.min + i * width;
        const label = width > 0 ? `${formatNumber(from)}\u2013${formatNumber(from + width)}${unit}: ${count}` : `${formatNumber(metric.min)}${unit}: ${count}`;
        return h("span", { style: `height: ${Math.round((count / peak) * 100)}%`, title: label });
      }),
    ),
  );
}

function splitKey(key: string): [number, string] {
  const slash = key.indexOf("/");
  return [Number(key.slice(0, slash)), key.slice(slash + 1)];
}

function when(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
