// The attempt page (/runs/{id}): one run's code, read-only, its output and its verdict, for the student, their
// teacher or an admin. The code comes with the page (#run-files); output and verdict from the run's snapshot, and
// live from its topic while it is still going.

import { csrfHeaders, getRun } from "./api";
import { FileEditor } from "./editor";
import { parseTrackFiles } from "./files";
import { defaultWebSocketUrl, stompTransport, watchRun } from "./live";
import { OutputPane } from "./output";
import { positiveNumber, showRunEnd } from "./runend";

const STATUS_TEXT = {
  QUEUED: "Queued\u2026",
  RUNNING: "Running\u2026",
  FINISHED: "Finished",
  ERROR: "Error",
  SUPERSEDED: "Replaced by a newer submission",
} as const;

export function startAttempt(): void {
  const page = document.getElementById("attempt-page");
  if (!page) return;
  const runId = page.dataset.runId ?? "";
  const limits = { wallSeconds: positiveNumber(page.dataset.wallSeconds), memoryMb: positiveNumber(page.dataset.memoryMb) };
  const tabsEl = document.getElementById("editor-tabs");
  const editorEl = document.getElementById("editor");
  const outputEl = document.getElementById("output");
  const verdictEl = document.getElementById("verdict");
  const statusEl = document.getElementById("run-status");

  const files = parseTrackFiles(document.getElementById("run-files")?.textContent);
  const contents = Object.fromEntries(files.map((f) => [f.name, f.content]));
  const editor =
    tabsEl && editorEl && files.length > 0 ? new FileEditor(tabsEl, editorEl, files, contents, { onChange: () => {}, onRun: () => {}, readOnly: true }) : null;
  const pane = outputEl ? new OutputPane(outputEl) : null;
  const setStatus = (state: string, text: string) => {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  };

  if (!runId) return;
  setStatus("queued", "Loading run\u2026");
  watchRun(
    runId,
    {
      output: (text) => pane?.append(text),
      status: (status) => setStatus(status.toLowerCase(), STATUS_TEXT[status] ?? status),
      done: (run) => showRunEnd(run, { verdictEl, editor, limits, setStatus, supersededText: STATUS_TEXT.SUPERSEDED }),
    },
    { getRun, transport: stompTransport(defaultWebSocketUrl(), csrfHeaders()) },
  );
}
