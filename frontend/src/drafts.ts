// Drafts: the student's edits, kept in localStorage per task and track so a reload loses nothing.
// This is the browser's copy; draftsync.ts keeps the server's copy in step with it.

/** The part of the Web Storage API drafts need (a fake in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Files = Record<string, string>;

interface Stored {
  v: 1;
  savedAt: number;
  files: Files;
  /** False while the server does not have these files yet (absent in drafts from before the server kept them). */
  synced?: boolean;
}

/** This browser's draft as stored. */
export interface LocalDraft {
  files: Files;
  savedAt: number;
  /** The server has these files (or there is no server to send them to). */
  synced: boolean;
}

export interface LoadedDraft {
  files: Files;
  /** True when a saved draft differs from the starter files and was used. */
  restored: boolean;
  savedAt: Date | null;
}

export function draftKey(task: string, track: string): string {
  return `ffilab:draft:${task}:${track}`;
}

export class DraftStore {
  private readonly key: string;

  constructor(
    private readonly storage: KeyValueStorage | null,
    task: string,
    track: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = draftKey(task, track);
  }

  /**
   * The files to open: the starter's file names, each with the draft's content when the draft has
   * that file. Files the draft has but the starter does not are dropped (the editable set is fixed).
   */
  load(starter: Files): LoadedDraft {
    const stored = this.read();
    if (!stored) return { files: { ...starter }, restored: false, savedAt: null };
    const files: Files = {};
    let differs = false;
    for (const [name, content] of Object.entries(starter)) {
      const draft = stored.files[name];
      if (typeof draft === "string") {
        files[name] = draft;
        if (draft !== content) differs = true;
      } else {
        files[name] = content;
      }
    }
    return { files, restored: differs, savedAt: differs ? new Date(stored.savedAt) : null };
  }

  /** The stored draft as it is, or null. */
  peek(): LocalDraft | null {
    const stored = this.read();
    return stored ? { files: stored.files, savedAt: stored.savedAt, synced: stored.synced !== false } : null;
  }

  /**
   * Saves the files; when they equal the starter, the draft is removed instead, unless the server still
   * has to hear of it (`synced` false: a reset not yet sent must win over the server's old draft).
   */
  save(files: Files, starter: Files, synced = true): void {
    if (synced && sameFiles(files, starter)) {
      this.clear();
      return;
    }
    this.write({ v: 1, savedAt: this.now(), files, synced });
  }

  /** The server now has these files: the draft is marked so, if it still holds them. */
  markSynced(files: Files, starter: Files): void {
    const stored = this.read();
    if (!stored || !sameFiles(stored.files, files)) return;
    if (sameFiles(files, starter)) this.clear();
    else this.write({ ...stored, synced: true });
  }

  private write(value: Stored): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(value));
    } catch {
      // Quota exceeded or storage disabled: drafts are a convenience, the editor still works.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // see save()
    }
  }

  private read(): Stored | null {
    let raw: string | null;
    try {
      raw = this.storage?.getItem(this.key) ?? null;
    } catch {
      return null;
    }
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Stored>;
      if (parsed && parsed.v === 1 && parsed.files && typeof parsed.files === "object") {
        return {
          v: 1,
          savedAt: typeof parsed.savedAt === "number" ? parsed.savedAt : 0,
          files: parsed.files,
          synced: parsed.synced !== false,
        };
      }
    } catch {
      // A corrupt entry is ignored (and overwritten on the next save).
    }
    return null;
  }
}

export function sameFiles(a: Files, b: Files): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => a[n] === b[n]);
}

/**
 * Calls `fn` once the calls have paused for `ms`; `flush()` runs a pending call now (on page hide).
 */
export function debounce(fn: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    fn();
  };
  const debounced = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  debounced.flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      run();
    }
  };
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}

/** window.localStorage, or null where it is blocked (some privacy modes throw on access). */
export function browserStorage(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
