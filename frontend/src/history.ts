// The History panel of the task page: the student's attempts of this track (GET /api/runs?task=&track=),
// newest first. An attempt can be opened (its files into the editor, its output and verdict shown) and
// two can be compared: a line diff per file. Built from text nodes only: code is never parsed as HTML.

import type { Run, RunSummary } from "./api";
import { diffLines, hunks, type DiffLine } from "./diff";
import { clear, h } from "./dom";

export interface HistoryOptions {
  list(): Promise<RunSummary[]>;
  load(id: string): Promise<Run>;
  /** The student asked to open an attempt. */
  open(id: string): void;
  /** The editor's file names, in tab order (the diff shows files in that order). */
  fileOrder?(): string[];
  /** How often to look again while an attempt is queued or running. */
  refreshMs?: number;
}

/** Most lines of one file a diff shows; the rest is summed up. */
const MAX_SHOWN_LINES = 2000;

export class HistoryPanel {
  private runs: RunSummary[] = [];
  private picked: string[] = [];
  private current: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private loading: Promise<void> | null = null;
  private readonly listEl: HTMLOListElement;
  private readonly messageEl: HTMLParagraphElement;
  private readonly compareButton: HTMLButtonElement;
  private readonly compareHint: HTMLSpanElement;
  private readonly diffEl: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly options: HistoryOptions,
  ) {
    this.messageEl = h("p", { class: "history-message muted" }, "Loading your attempts\u2026");
    this.listEl = h("ol", { class: "history-list", "aria-label": "Attempts, newest first" });
    this.compareButton = h("button", { type: "button", class: "btn btn-small history-compare", disabled: "" }, "Compare");
    this.compareHint = h("span", { class: "history-compare-hint muted small" }, "Tick two attempts to compare them.");
    this.diffEl = h("section", { class: "history-diff", "aria-live": "polite" });
    this.diffEl.hidden = true;
    this.compareButton.addEventListener("click", () => void this.compare());
    root.append(this.messageEl, this.listEl, h("div", { class: "history-actions" }, this.compareButton, " ", this.compareHint), this.diffEl);
  }

  /** Loads the list again (after a run was submitted or ended). */
  refresh(): Promise<void> {
    if (this.loading) return this.loading.then(() => this.refresh());
    this.loading = this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Marks the attempt the page shows. */
  setCurrent(id: string | null): void {
    this.current = id;
    for (const item of Array.from(this.listEl.children) as HTMLElement[]) {
      if (item.dataset.runId === id) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    }
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async load(): Promise<void> {
    this.stop();
    try {
      this.runs = await this.options.list();
    } catch (e) {
      this.messageEl.hidden = false;
      this.messageEl.className = "history-message history-error";
      this.messageEl.textContent = `Your attempts could not be loaded: ${e instanceof Error ? e.message : "no answer"}`;
      return;
    }
    this.picked = this.picked.filter((id) => this.runs.some((r) => r.id === id));
    this.render();
    if (this.runs.some((r) => !ended(r.status))) {
      this.timer = setTimeout(() => void this.refresh(), this.options.refreshMs ?? 3000);
    }
  }

  private render(): void {
    this.messageEl.className = "history-message muted";
    this.messageEl.textContent = "No attempts yet: press Run and your attempts are listed here.";
    this.messageEl.hidden = this.runs.length > 0;
    clear(this.listEl);
    const total = this.runs.length;
    this.runs.forEach((run, index) => this.listEl.appendChild(this.item(run, total - index)));
    this.setCurrent(this.current);
    this.updateCompare();
  }

  private item(run: RunSummary, number: number): HTMLLIElement {
    const label = `attempt ${number}`;
    const pick = h("input", { type: "checkbox", class: "history-pick", "aria-label": `Compare ${label}` });
    pick.checked = this.picked.includes(run.id);
    pick.addEventListener("change", () => this.pick(run.id, pick.checked));
    const open = h("button", { type: "button", class: "btn btn-small history-open", "aria-label": `Open ${label} in the editor` }, "Open");
    open.addEventListener("click", () => {
      this.setCurrent(run.id);
      this.options.open(run.id);
    });
    const [badgeClass, badgeText] = badge(run);
    const created = new Date(run.createdAt);
    return h(
      "li",
      { class: "history-item", "data-run-id": run.id, "data-number": String(number) },
      pick,
      h("span", { class: "history-number" }, `#${number}`),
      h("span", { class: `badge ${badgeClass}` }, badgeText),
      h("time", { datetime: run.createdAt, title: created.toLocaleString() }, formatTime(created)),
      h("span", { class: "history-summary" }, summaryText(run)),
      run.headline ? h("span", { class: "history-headline", title: run.headline }, run.headline) : null,
      open,
    );
  }

  private pick(id: string, on: boolean): void {
    this.picked = this.picked.filter((p) => p !== id);
    if (on) {
      this.picked.push(id);
      // Two at most: a third tick replaces the earliest.
      if (this.picked.length > 2) this.picked.shift();
    }
    for (const box of Array.from(this.listEl.querySelectorAll<HTMLInputElement>(".history-pick"))) {
      const item = box.closest<HTMLElement>(".history-item");
      box.checked = !!item && this.picked.includes(item.dataset.runId ?? "");
    }
    this.updateCompare();
  }

  private updateCompare(): void {
    const ready = this.picked.length === 2;
    this.compareButton.disabled = !ready;
    this.compareHint.textContent = ready ? "" : "Tick two attempts to compare them.";
  }

  private async compare(): Promise<void> {
    if (this.picked.length !== 2) return;
    // Older first: the diff reads as what changed from one attempt to the next.
    const [older, newer] = [...this.picked].sort((a, b) => this.indexOf(b) - this.indexOf(a));
    const numberOf = (id: string) => this.runs.length - this.indexOf(id);
    clear(this.diffEl);
    this.diffEl.hidden = false;
    this.diffEl.appendChild(h("p", { class: "muted" }, "Loading both attempts\u2026"));
    try {
      const [a, b] = await Promise.all([this.options.load(older), this.options.load(newer)]);
      renderDiff(
        this.diffEl,
        { label: `#${numberOf(older)}`, files: a.files ?? {} },
        { label: `#${numberOf(newer)}`, files: b.files ?? {} },
        this.options.fileOrder?.() ?? [],
        () => {
          clear(this.diffEl);
          this.diffEl.hidden = true;
        },
      );
      this.diffEl.scrollIntoView?.({ block: "nearest" });
    } catch (e) {
      clear(this.diffEl);
      this.diffEl.appendChild(h("p", { class: "history-error" }, `The attempts could not be loaded: ${e instanceof Error ? e.message : "no answer"}`));
    }
  }

  private indexOf(id: string): number {
    return this.runs.findIndex((r) => r.id === id);
  }
}

export interface DiffSide {
  label: string;
  files: Record<string, string>;
}

/** Renders a line diff per file from `older` to `newer`: files in `order` first, then the rest by name. */
export function renderDiff(container: HTMLElement, older: DiffSide, newer: DiffSide, order: readonly string[], close?: () => void): void {
  clear(container);
  const names = [...new Set([...Object.keys(older.files), ...Object.keys(newer.files)])].sort((x, y) => {
    const ix = order.indexOf(x);
    const iy = order.indexOf(y);
    if (ix >= 0 || iy >= 0) return (ix < 0 ? Infinity : ix) - (iy < 0 ? Infinity : iy);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const closeButton = close ? h("button", { type: "button", class: "link-button history-diff-close" }, "Close") : null;
  closeButton?.addEventListener("click", close!);
  container.appendChild(h("header", { class: "diff-header" }, h("h3", null, `Changes from attempt ${older.label} to ${newer.label}`), closeButton));
  let changedFiles = 0;
  for (const name of names) {
    const before = older.files[name];
    const after = newer.files[name];
    const diff = diffLines(before ?? "", after ?? "");
    const changed = diff.added + diff.deleted > 0 || diff.onlyFinalNewline || (before === undefined) !== (after === undefined);
    if (!changed) {
      container.appendChild(h("p", { class: "diff-file diff-unchanged" }, h("span", { class: "diff-file-name" }, name), " \u2014 no changes"));
      continue;
    }
    changedFiles++;
    const body = h("div", { class: "diff-body" });
    if (diff.capped) {
      body.appendChild(h("p", { class: "diff-note" }, "Too many changes to compare line by line: the whole file is shown as replaced."));
    }
    if (diff.onlyFinalNewline) body.appendChild(h("p", { class: "diff-note" }, "Only the newline at the end of the file differs."));
    let shown = 0;
    let hidden = 0;
    for (const hunk of hunks(diff.lines)) {
      if (shown >= MAX_SHOWN_LINES) {
        hidden += hunk.lines.length;
        continue;
      }
      body.appendChild(h("div", { class: "diff-hunk" }, `@@ -${hunk.oldStart},${hunk.oldCount} +${hunk.newStart},${hunk.newCount} @@`));
      for (const line of hunk.lines) {
        if (shown >= MAX_SHOWN_LINES) {
          hidden++;
          continue;
        }
        body.appendChild(lineRow(line));
        shown++;
      }
    }
    if (hidden > 0) body.appendChild(h("p", { class: "diff-note" }, `${hidden} more lines not shown.`));
    const status = before === undefined ? " (new file)" : after === undefined ? " (removed)" : "";
    const details = h(
      "details",
      { class: "diff-file", open: "" },
      h(
        "summary",
        null,
        h("span", { class: "diff-file-name" }, name + status),
        " ",
        h("span", { class: "diff-stat" }, h("span", { class: "diff-stat-add" }, `+${diff.added}`), " ", h("span", { class: "diff-stat-del" }, `\u2212${diff.deleted}`)),
      ),
      body,
    );
    container.appendChild(details);
  }
  if (changedFiles === 0) container.appendChild(h("p", { class: "diff-note" }, "Both attempts have exactly the same code."));
}

function lineRow(line: DiffLine): HTMLElement {
  const sign = line.kind === "add" ? "+" : line.kind === "del" ? "\u2212" : " ";
  return h(
    "div",
    { class: `diff-line diff-${line.kind}` },
    h("span", { class: "diff-num", "aria-hidden": "true" }, line.oldLine !== undefined ? String(line.oldLine) : ""),
    h("span", { class: "diff-num", "aria-hidden": "true" }, line.newLine !== undefined ? String(line.newLine) : ""),
    h("span", { class: "diff-sign", "aria-label": line.kind === "add" ? "added" : line.kind === "del" ? "removed" : undefined }, sign),
    h("span", { class: "diff-text" }, line.text),
  );
}

function ended(status: string): boolean {
  return status !== "QUEUED" && status !== "RUNNING";
}

/** The badge of an attempt: its outcome once it ended, else where it is. */
export function badge(run: Pick<RunSummary, "status" | "outcome">): [string, string] {
  switch (run.outcome) {
    case "pass":
      return ["badge-pass", "passed"];
    case "fail":
      return ["badge-fail", "failed"];
    case "error":
      return ["badge-error", "error"];
  }
  if (run.status === "QUEUED") return ["badge-running", "queued"];
  if (run.status === "RUNNING") return ["badge-running", "running"];
  if (run.status === "ERROR") return ["badge-error", "error"];
  return ["badge-skip", String(run.status ?? "").toLowerCase() || "unknown"];
}

/** "3/4 tests · 1 finding", from what the summary has. */
export function summaryText(run: Pick<RunSummary, "tests" | "passedTests" | "findings">): string {
  const parts: string[] = [];
  if (run.tests) parts.push(`${run.passedTests ?? 0}/${run.tests} tests`);
  if (run.findings) parts.push(`${run.findings} finding${run.findings === 1 ? "" : "s"}`);
  return parts.join(" \u00b7 ");
}

function formatTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return "";
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
