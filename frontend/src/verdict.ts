// The verdict view: headline, group badges, tests, findings with links into the editor, metrics.
// Built from text nodes only: every string in a verdict may come from a student's program.

import type { Finding, Frame, Metric, TestResult, Verdict } from "./api";
import { clear, h } from "./dom";
import type { LineMark } from "./editor";
import { matchFile } from "./files";
import { TerminalRenderer } from "./output";

export interface VerdictOptions {
  /** Editor file names, to turn student frames into links. */
  fileNames: readonly string[];
  /** A student frame was clicked. */
  openFrame(file: string, line: number): void;
  /** The track's limits, when the page gives them (for the reason line). */
  wallSeconds?: number;
  memoryMb?: number;
  /** The reference solution's metrics from the same image, shown beside the student's. */
  reference?: readonly Metric[];
  /** Given for a run the lab failed (an infrastructure error): the headline offers Retry. */
  onRetry?: () => void;
}

const GROUP_ORDER = ["Build", "Tests", "Memory", "Threads", "Performance"];

const OUTCOME_TITLE: Record<string, string> = { pass: "Passed", fail: "Failed", error: "Error" };

type Badge = "pass" | "fail" | "error" | "skip";

export function badgeOf(status: string | null | undefined): Badge {
  const s = (status ?? "").toLowerCase();
  return s === "pass" || s === "fail" || s === "error" ? s : "skip";
}

const ICON: Record<Badge, string> = { pass: "\u2713", fail: "\u2717", error: "!", skip: "\u2013" };
const STATUS_WORD: Record<Badge, string> = { pass: "passed", fail: "failed", error: "error", skip: "skipped" };

/** The plain-language reason for a limit or crash, or null. */
export function reasonText(reason: string | null | undefined, limits: { wallSeconds?: number; memoryMb?: number } = {}): string | null {
  switch (reason ?? null) {
    case null:
    case "":
      return null;
    case "TIME_LIMIT":
      return limits.wallSeconds
        ? `Time limit: the run was stopped after ${limits.wallSeconds} s.`
        : "Time limit: the run took too long and was stopped.";
    case "MEMORY_LIMIT":
      return limits.memoryMb
        ? `Memory limit: the run used more than ${limits.memoryMb} MiB and was stopped.`
        : "Memory limit: the run used more memory than allowed and was stopped.";
    case "OUTPUT_LIMIT":
      return "Output limit: the run printed more than allowed; the rest of its output was dropped.";
    case "DISK_LIMIT":
      return "Disk limit: the run filled its work directory (/work and /tmp are small in-memory disks).";
    case "PROCESS_LIMIT":
      return "Process limit: the run started more processes or threads than allowed.";
    case "CRASH":
      return "Crash: the program ended abnormally (see the message and the output above).";
    case "INFRASTRUCTURE":
      return "Infrastructure problem: the lab could not run your code. This is not your fault; try again.";
    default:
      return `Stopped: ${reason}`;
  }
}

/** The reason line, unless the message already opens with it (the harness names its limit first). */
export function reasonUnlessSaid(message: string | null | undefined, reason: string | null): string | null {
  if (!reason || !message) return reason;
  const head = reason.split(":")[0];
  return message.startsWith(head + ":") ? null : reason;
}

export function renderVerdict(container: HTMLElement, verdict: Verdict, options: VerdictOptions): void {
  clear(container);
  const outcome = badgeOf(verdict.status);
  const tests = verdict.tests ?? [];
  const findings = verdict.findings ?? [];
  const metrics = verdict.metrics ?? [];
  const root = h(
    "div",
    { class: `verdict verdict-${outcome}` },
    headline(outcome, verdict.message, reasonUnlessSaid(verdict.message, reasonText(verdict.reason, options)), options.onRetry),
    groupBadges(verdict),
    tests.length > 0 && h("h3", null, "Tests"),
    tests.length > 0 && h("ul", { class: "verdict-tests" }, tests.map(testItem)),
    findings.length > 0 && h("h3", null, "Findings"),
    findings.length > 0 && h("ul", { class: "verdict-findings" }, findings.map((f) => findingItem(f, options))),
    metrics.length > 0 && h("h3", null, "Metrics"),
    metrics.length > 0 && metricsTable(metrics, options.reference ?? []),
  );
  container.appendChild(root);
}

/** For a run that ended in ERROR without a verdict (an infrastructure failure). */
export function renderRunError(container: HTMLElement, message: string | null | undefined, onRetry?: () => void): void {
  clear(container);
  container.appendChild(
    h(
      "div",
      { class: "verdict verdict-error" },
      headline("error", message || "The run could not be completed.", reasonText("INFRASTRUCTURE"), onRetry),
    ),
  );
}

export function clearVerdict(container: HTMLElement): void {
  clear(container);
}

/** The editor markers for a verdict: every student frame of every finding, by editor file. */
export function findingMarks(verdict: Verdict | null | undefined, fileNames: readonly string[]): Map<string, LineMark[]> {
  const marks = new Map<string, LineMark[]>();
  for (const finding of verdict?.findings ?? []) {
    const message = findingTitle(finding);
    for (const frame of finding.frames ?? []) {
      if (!frame.student || typeof frame.line !== "number") continue;
      const file = matchFile(frame.file, fileNames);
      if (!file) continue;
      const list = marks.get(file) ?? [];
      list.push({ line: frame.line, message });
      marks.set(file, list);
    }
  }
  return marks;
}

function findingTitle(f: Finding): string {
  const head = [f.tool, f.kind].filter(Boolean).join(" ");
  return f.message ? (head ? `${head}: ${f.message}` : f.message) : head || "finding";
}

function headline(outcome: Badge, message: string | null | undefined, reason: string | null, onRetry?: () => void): HTMLElement {
  return h(
    "header",
    { class: "verdict-headline" },
    h("span", { class: `verdict-icon badge-${outcome}`, "aria-hidden": "true" }, ICON[outcome]),
    h(
      "div",
      { class: "verdict-text" },
      h("h2", { class: "verdict-title" }, OUTCOME_TITLE[outcome] ?? "Result"),
      message ? h("p", { class: "verdict-message" }, message) : null,
      reason ? h("p", { class: "verdict-reason" }, reason) : null,
    ),
    onRetry ? retryButton(onRetry) : null,
  );
}

/** Runs the failed run's own files again (the server keeps them), whatever the editor holds now. */
function retryButton(onRetry: () => void): HTMLButtonElement {
  const button = h(
    "button",
    { type: "button", class: "btn btn-primary verdict-retry", title: "Run the same files again" },
    "Retry",
  );
  button.addEventListener("click", () => {
    button.disabled = true;
    onRetry();
  });
  return button;
}

function groupBadges(verdict: Verdict): HTMLElement | null {
  let groups = (verdict.groups ?? []).filter((g) => g && typeof g.name === "string");
  if (groups.length === 0) groups = groupsFromTests(verdict.tests ?? []);
  if (groups.length === 0) return null;
  return h(
    "div",
    { class: "verdict-groups" },
    groups.map((g) => {
      const b = badgeOf(g.status);
      return h("span", { class: `badge badge-${b}`, title: `${g.name}: ${STATUS_WORD[b]}` }, `${ICON[b]} ${g.name}`);
    }),
  );
}

/** Groups derived from the tests when the verdict has none: the worst status in each group. */
export function groupsFromTests(tests: TestResult[]): { name: string; status: string }[] {
  const rank: Record<Badge, number> = { skip: 0, pass: 1, fail: 2, error: 3 };
  const worst = new Map<string, Badge>();
  for (const t of tests) {
    const name = t.group || "Tests";
    const b = badgeOf(t.status);
    const prev = worst.get(name);
    if (!prev || rank[b] > rank[prev]) worst.set(name, b);
  }
  const names = [...worst.keys()].sort((a, b) => order(a) - order(b));
  return names.map((name) => ({ name, status: worst.get(name)! }));
}

function order(group: string): number {
  const i = GROUP_ORDER.indexOf(group);
  return i < 0 ? GROUP_ORDER.length : i;
}

function testItem(t: TestResult): HTMLElement {
  const b = badgeOf(t.status);
  let output: HTMLElement | null = null;
  if (t.output) {
    const pre = h("pre", { class: "term test-output" });
    new TerminalRenderer(pre).write(t.output);
    output = h("details", { class: "test-details" }, h("summary", null, "Output"), pre);
  }
  return h(
    "li",
    { class: `verdict-test test-${b}` },
    h("span", { class: `test-icon badge-${b}`, title: STATUS_WORD[b] }, ICON[b]),
    h(
      "div",
      { class: "test-body" },
      h("span", { class: "test-name" }, t.name || "(unnamed test)"),
      t.group ? h("span", { class: "test-group" }, t.group) : null,
      t.message ? h("p", { class: "test-message" }, t.message) : null,
      output,
    ),
  );
}

function findingItem(f: Finding, options: VerdictOptions): HTMLElement {
  const frames = f.frames ?? [];
  // The student's own frames (and the top frame, where the error surfaced) stay in view; the
  // runtime's frames (libc, libffi, the interpreter, the JVM) are folded away.
  const shown = frames.filter((fr, i) => fr.student || i === 0);
  const folded = frames.filter((fr, i) => !(fr.student || i === 0));
  const studentFrames = frames.filter((fr) => fr.student);
  return h(
    "li",
    { class: "finding" },
    h(
      "div",
      { class: "finding-head" },
      f.tool ? h("span", { class: "badge finding-tool" }, f.tool) : null,
      f.kind ? h("strong", { class: "finding-kind" }, f.kind) : null,
      typeof f.bytes === "number" ? h("span", { class: "finding-bytes muted" }, `${f.bytes} bytes`) : null,
      studentFrames.length > 0 ? h("span", { class: "finding-where" }, "in ", frameLink(studentFrames[0], options)) : null,
    ),
    f.message ? h("p", { class: "finding-message" }, f.message) : null,
    shown.length > 0 ? h("ol", { class: "frames" }, shown.map((fr) => frameItem(fr, options))) : null,
    folded.length > 0
      ? h(
          "details",
          { class: "finding-frames" },
          h("summary", null, `${folded.length} runtime frame${folded.length === 1 ? "" : "s"}`),
          h("ol", { class: "frames" }, folded.map((fr) => frameItem(fr, options))),
        )
      : null,
  );
}

function frameItem(fr: Frame, options: VerdictOptions): HTMLElement {
  return h(
    "li",
    { class: fr.student ? "frame frame-student" : "frame" },
    fr.function ? h("code", { class: "frame-function" }, fr.function) : null,
    fr.function && (fr.file || fr.line) ? " at " : null,
    frameLink(fr, options),
  );
}

function frameLink(fr: Frame, options: VerdictOptions): Node | string {
  const where = fr.file ? (typeof fr.line === "number" ? `${fr.file}:${fr.line}` : fr.file) : "";
  const file = fr.student ? matchFile(fr.file, options.fileNames) : null;
  if (!file || typeof fr.line !== "number") return where ? h("span", { class: "frame-location" }, where) : "";
  const line = fr.line;
  // Named as the student knows the file (the editor tab), not by the sandbox's path.
  const a = h("a", { href: "#editor", class: "frame-link", title: `Show line ${line} of ${file} (${where})` }, `${file}:${line}`);
  a.addEventListener("click", (e) => {
    e.preventDefault();
    options.openFrame(file, line);
  });
  return a;
}

function metricsTable(metrics: Metric[], reference: readonly Metric[]): HTMLElement {
  const byName = new Map(reference.map((m) => [m.name, m]));
  const hasReference = metrics.some((m) => byName.has(m.name));
  return h(
    "table",
    { class: "table verdict-metrics" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", null, "Metric"),
        h("th", { class: "num" }, "Yours"),
        hasReference && h("th", { class: "num" }, "Reference"),
        h("th", null, "Unit"),
        hasReference && h("th", null, "Compared"),
      ),
    ),
    h(
      "tbody",
      null,
      metrics.map((m) => {
        const ref = byName.get(m.name);
        return h(
          "tr",
          m.lowerIsBetter === true ? { title: "lower is better" } : m.lowerIsBetter === false ? { title: "higher is better" } : null,
          h("td", null, m.name),
          h("td", { class: "num" }, formatNumber(m.value)),
          hasReference && h("td", { class: "num metric-reference" }, ref ? formatNumber(ref.value) : "\u2013"),
          h("td", null, m.unit ?? ""),
          hasReference && h("td", null, ref ? comparisonBars(m.value, ref.value) : ""),
        );
      }),
    ),
  );
}

/** Two bars on one scale: the student's value and the reference's, so the gap is visible at a glance. */
export function comparisonBars(yours: number, reference: number): HTMLElement {
  const max = Math.max(Math.abs(yours), Math.abs(reference)) || 1;
  const bar = (value: number, kind: string, label: string) =>
    h(
      "div",
      { class: `metric-bar metric-bar-${kind}`, title: `${label}: ${formatNumber(value)}` },
      h("span", { style: `width: ${Math.max(2, Math.round((Math.abs(value) / max) * 100))}%` }),
    );
  return h("div", { class: "metric-bars" }, bar(yours, "yours", "Yours"), bar(reference, "reference", "Reference"));
}

export function formatNumber(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value ?? "");
  const abs = Math.abs(value);
  const opts: Intl.NumberFormatOptions =
    Number.isInteger(value) || abs >= 1000
      ? { maximumFractionDigits: 0 }
      : abs >= 1
        ? { maximumFractionDigits: 3 }
        : { maximumSignificantDigits: 3 };
  return value.toLocaleString("en-US", opts);
}
