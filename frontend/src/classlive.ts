// Follows a class for the dashboard: subscribe to /topic/classes/{id}, then load the snapshot, then apply the
// messages that arrived in between (they may repeat what the snapshot has; Board ignores that). When the
// WebSocket cannot be used or drops, the snapshot is loaded again every few seconds instead.

import type { Transport } from "./live";
import type { BoardMessage, Snapshot } from "./board";

export interface ClassHandlers {
  /** A full state: the first one, and each one while polling. */
  snapshot(snapshot: Snapshot): void;
  message(message: BoardMessage): void;
  /** "live", "polling" (with the reason) or "error" (the snapshot could not be loaded; it is tried again). */
  state(state: "connecting" | "live" | "polling" | "error", detail?: string): void;
}

export interface ClassOptions {
  getSnapshot(classId: number): Promise<Snapshot>;
  /** null: poll only. */
  transport: Transport | null;
  pollMs?: number;
  /** While live, how often to reload the snapshot anyway, in case a message was lost. */
  reconcileMs?: number;
}

export interface Following {
  stop(): void;
}

export function followClass(classId: number, handlers: ClassHandlers, options: ClassOptions): Following {
  const pollMs = options.pollMs ?? 3000;
  const reconcileMs = options.reconcileMs ?? 60000;
  let stopped = false;
  let polling = options.transport === null;
  let live = false;
  let queue: unknown[] | null = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let close: (() => void) | null = null;
  let loading = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, ms);
  };

  async function load(): Promise<void> {
    if (stopped || loading) return;
    loading = true;
    try {
      const snapshot = await options.getSnapshot(classId);
      if (stopped) return;
      handlers.snapshot(snapshot);
      if (queue) {
        const pending = queue;
        queue = null;
        for (const body of pending) deliver(body);
      }
      handlers.state(polling ? "polling" : live ? "live" : "connecting");
      schedule(polling ? pollMs : reconcileMs);
    } catch (e) {
      if (stopped) return;
      handlers.state("error", e instanceof Error ? e.message : "The dashboard could not be loaded.");
      schedule(pollMs);
    } finally {
      loading = false;
    }
  }

  function deliver(body: unknown): void {
    if (stopped) return;
    if (queue) {
      queue.push(body);
      return;
    }
    const message = body as BoardMessage | null;
    if (message && typeof message === "object" && (message.type === "run" || message.type === "student")) handlers.message(message);
  }

  const startPolling = (reason: string) => {
    if (stopped || polling) return;
    polling = true;
    live = false;
    close?.();
    close = null;
    handlers.state("polling", reason);
    // The snapshot has whatever the lost connection would have brought.
    void load();
  };

  if (options.transport) {
    handlers.state("connecting");
    try {
      close = options.transport.open(`/topic/classes/${classId}`, {
        onReady: () => {
          live = true;
          void load();
        },
        onMessage: deliver,
        onFail: (reason) => startPolling(reason),
      });
    } catch (e) {
      startPolling(e instanceof Error ? e.message : "no WebSocket");
    }
  } else {
    void load();
  }

  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      close?.();
      close = null;
    },
  };
}
