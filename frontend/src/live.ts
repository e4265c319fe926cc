// Follows one run to its end: a snapshot from GET /api/runs/{id}, then live messages from the STOMP
// topic /topic/runs/{id}; when the WebSocket cannot be used, polling GET every second instead.

import { Client } from "@stomp/stompjs";
import { ApiError, isTerminal, type Metric, type Run, type RunStatus, type Verdict } from "./api";
import { OutputCursor } from "./stream";

/** A message on /topic/runs/{id} (docs/architecture.md). */
export type LiveMessage =
  | { type: "output"; offset: number; text: string }
  | { type: "status"; status: RunStatus }
  | {
      type: "verdict";
      status: RunStatus;
      verdict: Verdict | null;
      reference?: Metric[] | null;
      error?: string | null;
      errorKind?: string | null;
      retryable?: boolean | null;
    };

/** How a run ended, as the page needs it. */
export type RunEnd = Pick<Run, "status" | "verdict" | "error" | "reference" | "errorKind" | "retryable">;

export interface TransportHandlers {
  /** The subscription is in place: messages from now on will arrive. */
  onReady(): void;
  onMessage(body: unknown): void;
  /** The connection could not be made, or dropped. Called at most once. */
  onFail(reason: string): void;
}

/** A live channel to the server; the STOMP one in production, a fake in tests. */
export interface Transport {
  open(destination: string, handlers: TransportHandlers): () => void;
}

export interface WatchHandlers {
  /** New output to append to what is shown. */
  output(text: string): void;
  status(status: RunStatus): void;
  /** The run ended (FINISHED, ERROR or SUPERSEDED); called once. */
  done(run: RunEnd): void;
  /** Something went wrong that the student should know about (the run goes on). */
  problem?(message: string): void;
}

export interface WatchOptions {
  getRun(id: string): Promise<Run>;
  /** null: poll only. */
  transport: Transport | null;
  pollMs?: number;
  /** While live, how often to compare with a snapshot in case a message was lost. */
  reconcileMs?: number;
  /** How long to wait for the verdict message after a terminal status message. */
  verdictGraceMs?: number;
}

export interface Watch {
  stop(): void;
}

export function watchRun(id: string, handlers: WatchHandlers, options: WatchOptions): Watch {
  const pollMs = options.pollMs ?? 1000;
  const reconcileMs = options.reconcileMs ?? 5000;
  const verdictGraceMs = options.verdictGraceMs ?? 2000;
  const cursor = new OutputCursor();

  let done = false;
  /** stop() was called: nothing reaches the handlers any more, not even a fetch in flight. */
  let stopped = false;
  let polling = false;
  let closeTransport: (() => void) | null = null;
  /** Live messages that arrived before the first snapshot was applied. */
  let queue: unknown[] | null = [];
  let fetching = false;
  let fetchAgain = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastStatus: RunStatus | null = null;

  const schedule = (ms: number) => {
    if (done) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void snapshot();
    }, ms);
  };

  const setStatus = (status: RunStatus) => {
    if (status !== lastStatus) {
      lastStatus = status;
      handlers.status(status);
    }
  };

  const finish = (run: RunEnd) => {
    if (done) return;
    done = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    closeTransport?.();
    closeTransport = null;
    setStatus(run.status);
    handlers.done(run);
  };

  async function snapshot(): Promise<void> {
    if (done) return;
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    try {
      const run = await options.getRun(id);
      if (stopped) return;
      failures = 0;
      // Output is applied even if the run ended meanwhile: the cursor keeps it exact.
      handlers.output(cursor.snapshot(run.output));
      if (done) return;
      if (isTerminal(run.status)) {
        finish(run);
        return;
      }
      if (run.status) setStatus(run.status);
      if (queue) {
        const pending = queue;
        queue = null;
        for (const body of pending) handle(body);
      }
    } catch (e) {
      if (stopped) return;
      if (e instanceof ApiError && e.status === 404) {
        finish({ status: "ERROR", verdict: null, error: "This run was not found." });
        return;
      }
      if (++failures === 3) handlers.problem?.(e instanceof Error ? e.message : "Cannot reach the server.");
    } finally {
      fetching = false;
    }
    if (done) return;
    if (fetchAgain) {
      fetchAgain = false;
      void snapshot();
    } else {
      schedule(polling || failures > 0 ? pollMs : reconcileMs);
    }
  }

  function handle(body: unknown): void {
    if (done || polling) return;
    if (queue) {
      queue.push(body);
      return;
    }
    const msg = body as Partial<LiveMessage> | null;
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "output" && typeof msg.text === "string") {
      const result = cursor.message(Number(msg.offset), msg.text);
      if (result.kind === "append") handlers.output(result.text);
      else if (result.kind === "gap") void snapshot();
    } else if (msg.type === "status" && typeof msg.status === "string") {
      setStatus(msg.status);
      // The verdict message should follow; if it was lost, a snapshot has the verdict.
      if (isTerminal(msg.status)) schedule(verdictGraceMs);
    } else if (msg.type === "verdict") {
      if (msg.status === "SUPERSEDED") {
        // It never ran: a newer submission took its place. The message says so; there is no verdict.
        finish({ status: "SUPERSEDED", verdict: null, error: msg.error ?? null, reference: null, errorKind: null, retryable: false });
        return;
      }
      const status: RunStatus = msg.status === "ERROR" ? "ERROR" : "FINISHED";
      if (status === "ERROR" && !msg.verdict) {
        // The message carries no reason; the snapshot has the run's error text.
        void snapshot();
        return;
      }
      finish({
        status,
        verdict: msg.verdict ?? null,
        error: msg.error ?? null,
        reference: msg.reference ?? null,
        errorKind: msg.errorKind ?? null,
        retryable: msg.retryable === true,
      });
    }
  }

  const startPolling = (reason: string) => {
    if (done || polling) return;
    polling = true;
    queue = null;
    closeTransport?.();
    closeTransport = null;
    handlers.problem?.(`Live updates unavailable (${reason}); checking every second.`);
    void snapshot();
  };

  if (options.transport) {
    try {
      closeTransport = options.transport.open(`/topic/runs/${id}`, {
        // Again once subscribed: whatever was published between the first snapshot and the
        // subscription is in this one.
        onReady: () => void snapshot(),
        onMessage: handle,
        onFail: startPolling,
      });
      // At once too, so a finished run shows without waiting for the WebSocket.
      if (!done && !polling) void snapshot();
    } catch (e) {
      startPolling(e instanceof Error ? e.message : "no WebSocket");
    }
  } else {
    polling = true;
    queue = null;
    void snapshot();
  }

  return {
    stop() {
      stopped = true;
      done = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      closeTransport?.();
      closeTransport = null;
    },
  };
}

/** ws(s)://host/ws for the page's own origin. */
export function defaultWebSocketUrl(loc: Location = location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws`;
}

/** STOMP over a plain WebSocket (no SockJS), one client per watched run. */
export function stompTransport(url: string, connectHeaders: Record<string, string> = {}): Transport {
  return {
    open(destination, handlers) {
      if (typeof WebSocket === "undefined") throw new Error("no WebSocket in this browser");
      let closed = false;
      const client = new Client({
        brokerURL: url,
        connectHeaders,
        reconnectDelay: 0,
        connectionTimeout: 5000,
        heartbeatIncoming: 10000,
        heartbeatOutgoing: 10000,
        debug: () => {},
      });
      const fail = (reason: string) => {
        if (closed) return;
        closed = true;
        void client.deactivate();
        handlers.onFail(reason);
      };
      client.onConnect = () => {
        client.subscribe(destination, (message) => {
          let body: unknown;
          try {
            body = JSON.parse(message.body);
          } catch {
            return;
          }
          handlers.onMessage(body);
        });
        handlers.onReady();
      };
      client.onStompError = (frame) => fail(frame.headers["message"] || "STOMP error");
      client.onWebSocketError = () => fail("WebSocket error");
      client.onWebSocketClose = () => fail("connection closed");
      client.activate();
      return () => {
        closed = true;
        void client.deactivate();
      };
    },
  };
}
