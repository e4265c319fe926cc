// Keeps the editor's draft on the server as well as in this browser, so another browser or a lost
// connection loses nothing: the browser's copy is written half a second after the last change, the
// server's two seconds after it (and at once when the page is hidden); a save that fails is kept in
// the browser and sent again later.

import { ApiError, type ServerDraft } from "./api";
import { sameFiles, type DraftStore, type Files, type LocalDraft } from "./drafts";

/**
 * The server's side of drafts: GET and PUT /api/drafts/{task}/{track} in production. A reset is saved
 * as the starter files, not deleted: another browser that still holds the old draft then finds a newer
 * one on the server and follows the reset.
 */
export interface DraftServer {
  load(): Promise<ServerDraft | null>;
  /** Answers when the server stored it (ms). */
  save(files: Files, keepalive: boolean): Promise<number>;
}

/**
 * idle: nothing to keep (the starter files); pending: changed, the server hears of it soon; saving: on
 * its way; saved: the server has it; local: only this browser has it, sent again later; refused: the
 * server will not take it (too big), only this browser has it.
 */
export type DraftState = "idle" | "pending" | "saving" | "saved" | "local" | "refused";

export interface DraftSyncOptions {
  /** Writes this browser's copy this long after the last change. */
  localMs?: number;
  /** Sends to the server this long after the last change. */
  serverMs?: number;
  /** Tries a failed send again after this long. */
  retryMs?: number;
}

export type DraftChoice = "local" | "server" | "none";

/**
 * Which draft to open: the one the server has, unless this browser has changes the server never got
 * and they are newer. A browser draft the server once had yields to the server's, which has moved on
 * (another browser). The times come from two clocks; they are compared only for unsent changes.
 */
export function chooseDraft(local: LocalDraft | null, server: ServerDraft | null): DraftChoice {
  if (!local) return server ? "server" : "none";
  if (!server) return "local";
  if (sameFiles(local.files, server.files)) return "server";
  if (local.synced) return "server";
  return local.savedAt >= server.savedAt ? "local" : "server";
}

/** The starter's file names with the draft's content where it has one (the editable set is fixed). */
export function onlyStarterFiles(files: Files, starter: Files): Files {
  const out: Files = {};
  for (const [name, content] of Object.entries(starter)) out[name] = typeof files[name] === "string" ? files[name] : content;
  return out;
}

export class DraftSync {
  private readonly localMs: number;
  private readonly serverMs: number;
  private readonly retryMs: number;
  private localTimer: ReturnType<typeof setTimeout> | null = null;
  private serverTimer: ReturnType<typeof setTimeout> | null = null;
  /** Files the server has not got yet. */
  private unsent: Files | null = null;
  private sending = false;
  private stopped = false;
  current: DraftState = "idle";

  constructor(
    private readonly store: DraftStore,
    private readonly server: DraftServer,
    private readonly starter: Files,
    /** The editor's files now. */
    private readonly read: () => Files,
    private readonly onState: (state: DraftState, message?: string) => void,
    options: DraftSyncOptions = {},
  ) {
    this.localMs = options.localMs ?? 500;
    this.serverMs = options.serverMs ?? 2000;
    this.retryMs = options.retryMs ?? 10000;
  }

  /**
   * Compares this browser's draft with the server's. Answers the server's draft when it should replace
   * what the editor opened with (this browser's draft or the starter); otherwise sends this browser's
   * unsent changes, if any, and answers null.
   */
  async start(): Promise<ServerDraft | null> {
    const local = this.store.peek();
    let server: ServerDraft | null;
    try {
      server = await this.server.load();
    } catch {
      if (local && !local.synced) this.queue(onlyStarterFiles(local.files, this.starter), "local");
      return null;
    }
    const choice = chooseDraft(local, server);
    if (choice === "server" && server) {
      const files = onlyStarterFiles(server.files, this.starter);
      this.store.save(files, this.starter, false);
      this.store.markSynced(files, this.starter);
      this.set(sameFiles(files, this.starter) ? "idle" : "saved");
      // What the editor opened with (DraftStore.load): this browser's draft, else the starter.
      const opened = local ? onlyStarterFiles(local.files, this.starter) : this.starter;
      return sameFiles(opened, files) ? null : { files, savedAt: server.savedAt };
    }
    if (choice === "local" && local) {
      // Unsent changes, or a draft the server lost: it gets them now.
      this.queue(onlyStarterFiles(local.files, this.starter), "saving");
      void this.send(false);
    }
    return null;
  }

  /** The editor changed. */
  changed(): void {
    if (this.stopped) return;
    this.set("pending");
    this.restart("local", this.localMs, () => this.writeLocal());
    this.restart("server", this.serverMs, () => {
      this.writeLocal();
      this.unsent = this.read();
      void this.send(false);
    });
  }

  /**
   * Writes and sends what is waiting now: before a run, and when the page is hidden (`keepalive`: the
   * request outlives the page; the timers may never fire).
   */
  flush(keepalive = true): void {
    if (this.localTimer !== null || this.serverTimer !== null) {
      this.cancelTimers();
      this.writeLocal();
      this.unsent = this.read();
    }
    if (this.unsent) void this.send(keepalive);
  }

  /** Back to the starter files, here and on the server. */
  reset(): void {
    this.cancelTimers();
    this.store.save({ ...this.starter }, this.starter, false);
    this.unsent = { ...this.starter };
    void this.send(false);
  }

  /** Sends again now what a failed send left (the browser is back online). */
  retry(): void {
    if (this.unsent && this.current === "local" && !this.sending) void this.send(false);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimers();
  }

  private writeLocal(): void {
    if (this.localTimer !== null) clearTimeout(this.localTimer);
    this.localTimer = null;
    this.store.save(this.read(), this.starter, false);
  }

  private queue(files: Files, state: DraftState): void {
    this.unsent = files;
    this.set(state);
    if (state === "local") this.restart("server", this.retryMs, () => void this.send(false));
  }

  private async send(keepalive: boolean): Promise<void> {
    if (this.sending || this.stopped) return;
    const files = this.unsent;
    if (!files) return;
    if (this.serverTimer !== null) clearTimeout(this.serverTimer);
    this.serverTimer = null;
    this.sending = true;
    this.set("saving");
    const reset = sameFiles(files, this.starter);
    try {
      await this.server.save(files, keepalive);
      this.store.markSynced(files, this.starter);
      if (this.unsent === files) this.unsent = null;
      this.sending = false;
      if (this.unsent) void this.send(false);
      else if (this.serverTimer === null) this.set(reset ? "idle" : "saved");
      else this.set("pending");
    } catch (e) {
      this.sending = false;
      if (e instanceof ApiError && (e.status === 400 || e.status === 413)) {
        // Retrying cannot help; the next change tries again.
        if (this.unsent === files) this.unsent = null;
        this.set("refused", e.message);
      } else {
        this.queue(this.unsent ?? files, "local");
      }
    }
  }

  private restart(which: "local" | "server", ms: number, fn: () => void): void {
    const old = which === "local" ? this.localTimer : this.serverTimer;
    if (old !== null) clearTimeout(old);
    const timer = setTimeout(() => {
      if (which === "local") this.localTimer = null;
      else this.serverTimer = null;
      fn();
    }, ms);
    if (which === "local") this.localTimer = timer;
    else this.serverTimer = timer;
  }

  private cancelTimers(): void {
    if (this.localTimer !== null) clearTimeout(this.localTimer);
    if (this.serverTimer !== null) clearTimeout(this.serverTimer);
    this.localTimer = null;
    this.serverTimer = null;
  }

  private set(state: DraftState, message?: string): void {
    this.current = state;
    this.onState(state, message);
  }
}

/** What the draft status line says. */
export function draftStateText(state: DraftState, message?: string): string {
  switch (state) {
    case "pending":
    case "saving":
      return "Saving draft\u2026";
    case "saved":
      return "Draft saved";
    case "local":
      return "Saved locally, will sync";
    case "refused":
      return `Saved in this browser only${message ? `: ${message}` : ""}`;
    default:
      return "";
  }
}
