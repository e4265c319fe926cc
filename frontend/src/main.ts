// Entry point of the task page: finds the elements of the DOM contract (frontend/README.md) and
// wires editor, drafts, runs, live output and verdict together; and of the read-only attempt page
// (attempt.ts), which shares the editor. Does nothing on other pages.

import {
  ApiError,
  canRetry,
  csrfHeaders,
  getDraft,
  getRun,
  listRuns,
  putDraft,
  retryRun,
  setSelfCheck,
  submitRun,
  type Run,
  type RunStatus,
  type ServerDraft,
} from "./api";
import { browserStorage, DraftStore, sameFiles } from "./drafts";
import { DraftSync, draftStateText, onlyStarterFiles, type DraftState } from "./draftsync";
import { FileEditor } from "./editor";
import { parseTrackFiles } from "./files";
import { HistoryPanel } from "./history";
import { defaultWebSocketUrl, stompTransport, watchRun, type RunEnd, type Watch } from "./live";
import { OutputPane } from "./output";
import { startAttempt } from "./attempt";
import { wireSelfChecks } from "./selfcheck";
import { positiveNumber, showRunEnd } from "./runend";
import { clearVerdict } from "./verdict";

const STATUS_TEXT: Record<RunStatus, string> = {
  QUEUED: "Queued\u2026",
  RUNNING: "Running\u2026",
  FINISHED: "Finished",
  ERROR: "Error",
  SUPERSEDED: "Replaced by your newer submission",
};

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}


export function start(): void {
  const page = byId<HTMLElement>("task-page");
  if (!page) return;
  const task = page.dataset.task ?? "";
  const track = page.dataset.track ?? "";
  const limits = { wallSeconds: positiveNumber(page.dataset.wallSeconds), memoryMb: positiveNumber(page.dataset.memoryMb) };

  const tabsEl = byId("editor-tabs");
  const editorEl = byId("editor");
  const runButton = byId<HTMLButtonElement>("run-button");
  const resetButton = byId<HTMLButtonElement>("reset-button");
  const statusEl = byId("run-status");
  const outputEl = byId("output");
  const verdictEl = byId("verdict");

  const files = parseTrackFiles(byId("track-files")?.textContent);
  const starter: Record<string, string> = Object.fromEntries(files.map((f) => [f.name, f.content]));
  const drafts = new DraftStore(browserStorage(), task, track);

  // --- editor and drafts (this browser's copy at once, the server's 2 s after the last change) -----
  let editor: FileEditor | null = null;
  let sync: DraftSync | null = null;
  let editedSinceLoad = false;
  const draftStatusEl = byId("draft-status");
  const showDraftState = (state: DraftState, message?: string) => {
    if (!draftStatusEl) return;
    draftStatusEl.dataset.state = state;
    draftStatusEl.textContent = draftStateText(state, message);
    draftStatusEl.title =
      state === "local" ? "The server cannot be reached: your changes are kept in this browser and sent when it can." : "";
  };
  if (tabsEl && editorEl && files.length > 0) {
    const loaded = drafts.load(starter);
    editor = new FileEditor(tabsEl, editorEl, files, loaded.files, {
      onChange: () => {
        editedSinceLoad = true;
        sync?.changed();
      },
      onRun: () => void runNow(),
    });
    const opened = editor;
    sync = new DraftSync(
      drafts,
      {
        load: () => getDraft(task, track),
        save: (contents, keepalive) => putDraft(task, track, contents, keepalive),
      },
      starter,
      () => opened.contents(),
      showDraftState,
    );
    if (loaded.restored) showDraftNotice(tabsEl, "this browser", loaded.savedAt);
    const applyServerDraft = (server: ServerDraft | null) => {
      // Done comparing with the server's draft (browser tests wait for this before they type).
      page.dataset.draftSync = "done";
      if (!server) return;
      if (editedSinceLoad) {
        // Typed before the server answered: what is in the editor now is the newest draft.
        sync?.changed();
        return;
      }
      opened.replaceContents(server.files);
      if (sameFiles(server.files, starter)) {
        showNotice(tabsEl, `The draft was reset to the starter files elsewhere (${formatWhen(new Date(server.savedAt))}).`);
      } else {
        showDraftNotice(tabsEl, "your account", new Date(server.savedAt));
      }
    };
    void sync.start().then(applyServerDraft, () => applyServerDraft(null));
    window.addEventListener("pagehide", () => sync?.flush(true));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") sync?.flush(true);
    });
    window.addEventListener("online", () => sync?.retry());
  }

  resetButton?.addEventListener("click", () => {
    if (!editor) return;
    if (!window.confirm("Reset all files to the starter code? Your draft will be lost.")) return;
    sync?.reset();
    editor.replaceContents(starter);
    editor.setMarks(new Map());
    document.querySelector(".draft-notice")?.remove();
    editor.focus();
  });

  // --- self-check boxes (the page renders the stored ticks) ----------------------------------
  const boxes = Array.from(document.querySelectorAll<HTMLInputElement>("input[data-self-check]"));
  if (boxes.length > 0) wireSelfChecks(boxes, (item, ticked) => setSelfCheck(task, item, ticked), byId("self-check-status"));

  // --- status line -----------------------------------------------------------------------
  if (statusEl) {
    statusEl.setAttribute("role", "status");
    statusEl.setAttribute("aria-live", "polite");
  }
  let noteEl: HTMLElement | null = null;
  const setStatus = (state: string, text: string) => {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  };
  const setNote = (text: string | null) => {
    if (!statusEl) return;
    if (!text) {
      noteEl?.remove();
      noteEl = null;
      return;
    }
    if (!noteEl) {
      noteEl = document.createElement("span");
      noteEl.className = "run-note";
      statusEl.insertAdjacentElement("afterend", noteEl);
    }
    noteEl.textContent = text;
  };

  // --- runs ------------------------------------------------------------------------------
  const pane = outputEl ? new OutputPane(outputEl) : null;
  let watch: Watch | null = null;
  let busy = false;
  const setBusy = (value: boolean) => {
    busy = value;
    if (runButton) {
      runButton.disabled = value;
      runButton.setAttribute("aria-busy", String(value));
    }
  };

  const finished = (id: string, run: RunEnd) => {
    setBusy(false);
    setNote(null);
    void history?.refresh();
    // Only a run the lab failed gets Retry; code that failed is fixed in the editor and run again.
    const onRetry = canRetry(run) ? () => void retryNow(id) : undefined;
    showRunEnd(run, { verdictEl, editor, limits, setStatus, supersededText: STATUS_TEXT.SUPERSEDED, onRetry });
  };

  /** Shows a new run in the URL (a reload reattaches to it), follows it and marks it in the history. */
  const followNew = (id: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set("run", id);
    window.history.replaceState(window.history.state, "", url.toString());
    follow(id, true);
    history?.setCurrent(id);
    void history?.refresh();
  };

  const follow = (id: string, fresh: boolean) => {
    watch?.stop();
    pane?.clear();
    if (verdictEl) clearVerdict(verdictEl);
    editor?.setMarks(new Map());
    setNote(null);
    setBusy(true);
    setStatus("queued", fresh ? STATUS_TEXT.QUEUED : "Loading run\u2026");
    watch = watchRun(
      id,
      {
        output: (text) => pane?.append(text),
        status: (status) => setStatus(status.toLowerCase(), STATUS_TEXT[status] ?? status),
        done: (run) => finished(id, run),
        problem: (message) => setNote(message),
      },
      { getRun, transport: stompTransport(defaultWebSocketUrl(), csrfHeaders()) },
    );
  };

  async function runNow(): Promise<void> {
    if (busy || !editor) return;
    sync?.flush(false);
    setBusy(true);
    setNote(null);
    setStatus("submitting", "Submitting\u2026");
    try {
      const { id } = await submitRun(task, track, editor.contents());
      followNew(id);
    } catch (e) {
      setBusy(false);
      setStatus("error", e instanceof ApiError || e instanceof Error ? e.message : "The run could not be submitted.");
    }
  }

  /** Retry: the server runs the failed run's stored files again, so nothing depends on this browser's draft. */
  async function retryNow(failedId: string): Promise<void> {
    if (busy) return;
    setBusy(true);
    setNote(null);
    setStatus("submitting", "Retrying\u2026");
    try {
      const { id } = await retryRun(failedId);
      followNew(id);
    } catch (e) {
      setBusy(false);
      setStatus("error", e instanceof ApiError || e instanceof Error ? e.message : "The run could not be retried.");
      verdictEl?.querySelector<HTMLButtonElement>(".verdict-retry")?.removeAttribute("disabled");
    }
  }

  runButton?.addEventListener("click", () => void runNow());
  document.addEventListener("keydown", (e) => {
    // The editor handles its own Ctrl/Cmd+Enter (and prevents the default); this covers the rest of the page.
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented && runButton && !runButton.disabled) {
      e.preventDefault();
      void runNow();
    }
  });

  // --- history: the student's attempts; open one (files, output, verdict), compare two ---------
  async function openAttempt(id: string): Promise<void> {
    let run: Run;
    try {
      run = await getRun(id);
    } catch (e) {
      setStatus("error", e instanceof Error ? e.message : "The attempt could not be loaded.");
      return;
    }
    if (editor && tabsEl && run.files) {
      const before = editor.contents();
      const attempt = onlyStarterFiles(run.files, starter);
      if (!sameFiles(before, attempt)) {
        editor.replaceContents(attempt);
        sync?.changed();
        showOpenedNotice(tabsEl, () => {
          editor?.replaceContents(before);
          sync?.changed();
        });
      }
    }
    const url = new URL(window.location.href);
    url.searchParams.set("run", id);
    window.history.replaceState(window.history.state, "", url.toString());
    follow(id, false);
  }

  const historyEl = byId("history");
  const history = historyEl
    ? new HistoryPanel(historyEl, {
        list: () => listRuns(task, track),
        load: getRun,
        open: (id) => void openAttempt(id),
        fileOrder: () => editor?.fileNames() ?? files.map((f) => f.name),
      })
    : null;

  // --- reattach to a run after a reload (?run=) or one the server names (data-run-id) --------
  const initial = new URL(window.location.href).searchParams.get("run") || page.dataset.runId;
  if (initial) follow(initial, false);
  else setStatus("idle", "");
  history?.setCurrent(initial ?? null);
  void history?.refresh();
}

function showDraftNotice(before: HTMLElement, source: string, savedAt: Date | null): void {
  const when = savedAt && savedAt.getTime() > 0 ? ` (saved ${formatWhen(savedAt)})` : "";
  showNotice(before, `Draft restored from ${source}${when}. Reset goes back to the starter files.`);
}

/** After an attempt was opened in the editor: the code it replaced is one click away. */
function showOpenedNotice(before: HTMLElement, restore: () => void): void {
  const back = document.createElement("button");
  back.type = "button";
  back.className = "link-button draft-notice-undo";
  back.textContent = "Back to the code you had";
  const notice = showNotice(before, "The attempt's code is in the editor now. ", back);
  back.addEventListener("click", () => {
    restore();
    notice.remove();
  });
}

/** The one notice above the editor tabs (a new one replaces it), with a dismiss button. */
function showNotice(before: HTMLElement, text: string, ...extra: Node[]): HTMLElement {
  document.querySelector(".draft-notice")?.remove();
  const notice = document.createElement("p");
  notice.className = "draft-notice";
  notice.setAttribute("role", "status");
  notice.appendChild(document.createTextNode(text));
  for (const node of extra) notice.appendChild(node);
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "draft-notice-close";
  dismiss.setAttribute("aria-label", "Dismiss");
  dismiss.textContent = "\u00d7";
  dismiss.addEventListener("click", () => notice.remove());
  notice.appendChild(dismiss);
  before.parentElement?.insertBefore(notice, before);
  return notice;
}

function formatWhen(date: Date): string {
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function boot(): void {
  start();
  startAttempt();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
