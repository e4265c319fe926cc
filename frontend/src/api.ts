// The REST calls of docs/architecture.md ("Browser <-> server") and the JSON they carry.

import type { Snapshot } from "./board";

/** SUPERSEDED: never ran, a newer submission of the same task and track took its place in the queue. */
export type RunStatus = "QUEUED" | "RUNNING" | "FINISHED" | "ERROR" | "SUPERSEDED";
export type Outcome = "pass" | "fail" | "error";

export interface Frame {
  file?: string | null;
  line?: number | null;
  function?: string | null;
  student?: boolean;
}

export interface Finding {
  tool?: string | null;
  kind?: string | null;
  message?: string | null;
  frames?: Frame[] | null;
  /** Bytes involved (a leak's size), when the tool says. */
  bytes?: number | null;
}

export interface TestResult {
  name: string;
  status: string;
  message?: string | null;
  output?: string | null;
  group?: string | null;
}

export interface Metric {
  name: string;
  value: number;
  unit?: string | null;
  lowerIsBetter?: boolean | null;
}

export interface Verdict {
  status: Outcome | string;
  message?: string | null;
  reason?: string | null;
  groups?: { name: string; status: string }[] | null;
  tests?: TestResult[] | null;
  metrics?: Metric[] | null;
  findings?: Finding[] | null;
}

/** Why a run ended in ERROR: INFRASTRUCTURE (the lab's machinery failed; a retry can help), INTERNAL (a lab bug), UNAVAILABLE (task gone). */
export type RunErrorKind = "INFRASTRUCTURE" | "INTERNAL" | "UNAVAILABLE";

export interface Run {
  id: string;
  task?: string;
  track?: string;
  status: RunStatus;
  files?: Record<string, string> | null;
  output?: string | null;
  verdict?: Verdict | null;
  /** The reference solution's metrics, measured in the same image (when the verdict has metrics). */
  reference?: Metric[] | null;
  error?: string | null;
  errorKind?: RunErrorKind | string | null;
  /** The server offers POST /api/runs/{id}/retry: the run ended in an infrastructure error. */
  retryable?: boolean | null;
  /** The run this one retried. */
  retryOf?: string | null;
  createdAt?: string | null;
}

/** One attempt as GET /api/runs?task=&track= lists it (no files, no output). */
export interface RunSummary {
  id: string;
  task: string;
  track: string;
  status: RunStatus | string;
  /** pass, fail or error once the run ended. */
  outcome?: Outcome | string | null;
  headline?: string | null;
  tests?: number;
  passedTests?: number;
  findings?: number;
  createdAt: string;
  finishedAt?: string | null;
}

/** The server's copy of the editor's files. */
export interface ServerDraft {
  files: Record<string, string>;
  /** When the server stored it, ms since the epoch (the server's clock). */
  savedAt: number;
}

export interface SelfCheckState {
  task: string;
  items: number;
  ticked: number[];
}

/** A failed call, with the message to show the student. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function isTerminal(status: string | null | undefined): boolean {
  return status === "FINISHED" || status === "ERROR" || status === "SUPERSEDED";
}

/** Spring Security's CSRF token from <meta name="_csrf"> / <meta name="_csrf_header">, if the page has one. */
export function csrfHeaders(doc: Document = document): Record<string, string> {
  const token = doc.querySelector<HTMLMetaElement>('meta[name="_csrf"]')?.content;
  const header = doc.querySelector<HTMLMetaElement>('meta[name="_csrf_header"]')?.content;
  return token && header ? { [header]: token } : {};
}

/** Whether the page offers Retry: only for a run the lab failed, never for code that failed. */
export function canRetry(run: Pick<Run, "status" | "retryable">): boolean {
  return run.status === "ERROR" && run.retryable === true;
}

export async function submitRun(task: string, track: string, files: Record<string, string>): Promise<{ id: string }> {
  const res = await call("/api/runs", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...csrfHeaders() },
    body: JSON.stringify({ task, track, files }),
  });
  return runId(res);
}

/** Runs the stored files of a failed run again (the server copies them); the new run's id. */
export async function retryRun(id: string): Promise<{ id: string }> {
  const res = await call(`/api/runs/${encodeURIComponent(id)}/retry`, {
    method: "POST",
    headers: { Accept: "application/json", ...csrfHeaders() },
  });
  return runId(res);
}

async function runId(res: Response): Promise<{ id: string }> {
  const body = (await res.json()) as { id?: unknown };
  if (typeof body.id !== "string" && typeof body.id !== "number") throw new ApiError("The server did not return a run id.", res.status);
  return { id: String(body.id) };
}

export async function getRun(id: string): Promise<Run> {
  const res = await call(`/api/runs/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
  return (await res.json()) as Run;
}

/** The teacher's dashboard of a class (GET /api/classes/{id}/dashboard). */
export async function getClassDashboard(classId: number): Promise<Snapshot> {
  const res = await call(`/api/classes/${encodeURIComponent(String(classId))}/dashboard`, { headers: { Accept: "application/json" } });
  return (await res.json()) as Snapshot;
}

/** The signed-in student's attempts of a task and track, newest first. */
export async function listRuns(task: string, track: string): Promise<RunSummary[]> {
  const query = new URLSearchParams({ task, track });
  const res = await call(`/api/runs?${query}`, { headers: { Accept: "application/json" } });
  const body = (await res.json()) as unknown;
  return Array.isArray(body) ? (body as RunSummary[]) : [];
}

function draftUrl(task: string, track: string): string {
  return `/api/drafts/${encodeURIComponent(task)}/${encodeURIComponent(track)}`;
}

/** The draft kept on the server, or null when there is none. */
export async function getDraft(task: string, track: string): Promise<ServerDraft | null> {
  const res = await call(draftUrl(task, track), { headers: { Accept: "application/json" } });
  if (res.status === 204) return null;
  const body = (await res.json()) as { files?: unknown; savedAt?: unknown };
  if (!body.files || typeof body.files !== "object") return null;
  return { files: body.files as Record<string, string>, savedAt: timeOf(body.savedAt) };
}

/** Stores the draft; answers when the server stored it. `keepalive` lets it finish as the page unloads. */
export async function putDraft(task: string, track: string, files: Record<string, string>, keepalive = false): Promise<number> {
  const body = JSON.stringify({ files });
  const res = await call(draftUrl(task, track), {
    method: "PUT",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...csrfHeaders() },
    body,
    // Browsers refuse keepalive bodies over 64 KiB; a bigger draft stays in this browser until the next visit.
    keepalive: keepalive && body.length < 60_000,
  });
  return timeOf(((await res.json()) as { savedAt?: unknown }).savedAt);
}

/** Ticks or unticks one self-check item; answers the task's ticked items after the change. */
export async function setSelfCheck(task: string, item: number, ticked: boolean): Promise<SelfCheckState> {
  const res = await call(`/api/self-checks/${encodeURIComponent(task)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...csrfHeaders() },
    body: JSON.stringify({ item, ticked }),
  });
  return (await res.json()) as SelfCheckState;
}

/** An ISO instant (or epoch ms) as epoch ms; 0 when missing. */
function timeOf(value: unknown): number {
  const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: "same-origin", ...init });
  } catch {
    throw new ApiError("Cannot reach the server. Check your connection and try again.", 0);
  }
  const type = res.headers.get("Content-Type") ?? "";
  if (!res.ok) throw new ApiError(await errorMessage(res, type), res.status);
  if (res.status === 204) return res;
  // A session that expired ends in a redirect to the sign-in page, which fetch follows silently.
  if (!type.includes("json")) throw new ApiError("Unexpected answer from the server: are you still signed in? Reload the page.", res.status);
  return res;
}

async function errorMessage(res: Response, type: string): Promise<string> {
  if (type.includes("json")) {
    try {
      const body = (await res.json()) as { error?: unknown; message?: unknown };
      if (typeof body.error === "string" && body.error) return body.error;
      if (typeof body.message === "string" && body.message) return body.message;
    } catch {
      // fall through to the generic message
    }
  }
  if (res.status === 401 || res.status === 403) return "You are not signed in, or your session expired. Reload the page.";
  if (res.status === 429) {
    const wait = Number(res.headers.get("Retry-After"));
    return Number.isFinite(wait) && wait > 0
      ? `Too many runs in a short time: try again in ${wait} s.`
      : "Too many runs at once. Wait for your last run to finish.";
  }
  return `The server answered ${res.status}${res.statusText ? " " + res.statusText : ""}.`;
}
