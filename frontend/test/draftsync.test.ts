import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, type ServerDraft } from "../src/api";
import { DraftStore, draftKey, type Files, type KeyValueStorage } from "../src/drafts";
import { chooseDraft, DraftSync, draftStateText, onlyStarterFiles, type DraftServer, type DraftState } from "../src/draftsync";

class FakeStorage implements KeyValueStorage {
  data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

/** The server's drafts: one slot; calls are recorded; `fail` makes the next calls throw. */
class FakeServer implements DraftServer {
  draft: ServerDraft | null = null;
  calls: string[] = [];
  fail: ApiError | null = null;
  clock = 10_000;
  /** When set, save() waits for this promise (a slow request). */
  hold: Promise<void> | null = null;

  async load() {
    this.calls.push("load");
    if (this.fail) throw this.fail;
    return this.draft;
  }
  async save(files: Files, keepalive: boolean) {
    this.calls.push(`save${keepalive ? " keepalive" : ""} ${files["cos.py"]}`);
    if (this.hold) await this.hold;
    if (this.fail) throw this.fail;
    this.draft = { files, savedAt: ++this.clock };
    return this.clock;
  }
}

const starter: Files = { "cos.py": "starter", "util.py": "" };
const offline = new ApiError("Cannot reach the server.", 0);

function setUp(now = () => 1000) {
  const storage = new FakeStorage();
  const store = new DraftStore(storage, "t", "python", now);
  const server = new FakeServer();
  const editor = { files: { ...starter } };
  const states: DraftState[] = [];
  const sync = new DraftSync(store, server, starter, () => ({ ...editor.files }), (s) => states.push(s), { retryMs: 10_000 });
  const type = (text: string) => {
    editor.files["cos.py"] = text;
    sync.changed();
  };
  return { storage, store, server, editor, states, sync, type };
}

function last<T>(list: T[]): T | undefined {
  return list[list.length - 1];
}

/** Lets the fake server's promises settle. */
async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("chooseDraft", () => {
  const files = { "cos.py": "a", "util.py": "" };
  const other = { "cos.py": "b", "util.py": "" };

  it("opens whichever exists, or neither", () => {
    expect(chooseDraft(null, null)).toBe("none");
    expect(chooseDraft(null, { files, savedAt: 5 })).toBe("server");
    expect(chooseDraft({ files, savedAt: 5, synced: true }, null)).toBe("local");
  });

  it("takes the server's when this browser's was sent already: the server moved on elsewhere", () => {
    expect(chooseDraft({ files, savedAt: 9_999, synced: true }, { files: other, savedAt: 5 })).toBe("server");
  });

  it("takes the newer when this browser has changes the server never got", () => {
    expect(chooseDraft({ files, savedAt: 20, synced: false }, { files: other, savedAt: 10 })).toBe("local");
    expect(chooseDraft({ files, savedAt: 10, synced: false }, { files: other, savedAt: 20 })).toBe("server");
  });

  it("calls equal drafts the server's", () => {
    expect(chooseDraft({ files, savedAt: 20, synced: false }, { files: { ...files }, savedAt: 10 })).toBe("server");
  });
});

describe("onlyStarterFiles", () => {
  it("keeps the starter's names and fills in missing files", () => {
    expect(onlyStarterFiles({ "cos.py": "mine", "evil.py": "x" }, starter)).toEqual({ "cos.py": "mine", "util.py": "" });
  });
});

describe("DraftSync", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps a change in the browser after 0.5 s and on the server 2 s after the last keystroke", async () => {
    const { store, server, states, type } = setUp();
    type("a");
    vi.advanceTimersByTime(1000);
    type("ab");
    vi.advanceTimersByTime(600);
    expect(store.peek()).toMatchObject({ files: { "cos.py": "ab" }, synced: false });
    expect(server.calls).toEqual([]);
    vi.advanceTimersByTime(1400);
    await settle();
    expect(server.calls).toEqual(["save ab"]);
    expect(store.peek()?.synced).toBe(true);
    expect(last(states)).toBe("saved");
    expect(states).toContain("pending");
    expect(states).toContain("saving");
  });

  it("keeps a save that failed in the browser, says so, and sends it again later", async () => {
    const { store, server, states, type, sync } = setUp();
    server.fail = offline;
    type("offline edit");
    vi.advanceTimersByTime(2000);
    await settle();
    expect(last(states)).toBe("local");
    expect(draftStateText("local")).toBe("Saved locally, will sync");
    expect(store.peek()).toMatchObject({ files: { "cos.py": "offline edit" }, synced: false });

    vi.advanceTimersByTime(10_000);
    await settle();
    expect(server.calls).toEqual(["save offline edit", "save offline edit"]);
    expect(last(states)).toBe("local");

    server.fail = null;
    sync.retry();
    await settle();
    expect(last(states)).toBe("saved");
    expect(server.draft?.files["cos.py"]).toBe("offline edit");
    expect(store.peek()?.synced).toBe(true);
  });

  it("does not retry what the server refuses (too big) until the next change", async () => {
    const { server, states, type } = setUp();
    server.fail = new ApiError("The submission is 300 KiB; the limit is 256 KiB", 413);
    type("huge");
    vi.advanceTimersByTime(2000);
    await settle();
    expect(last(states)).toBe("refused");
    vi.advanceTimersByTime(60_000);
    await settle();
    expect(server.calls).toEqual(["save huge"]);
    server.fail = null;
    type("smaller");
    vi.advanceTimersByTime(2000);
    await settle();
    expect(last(states)).toBe("saved");
  });

  it("sends changes made during a slow save once it is done", async () => {
    const { server, type, states } = setUp();
    let release!: () => void;
    server.hold = new Promise((resolve) => (release = resolve));
    type("first");
    vi.advanceTimersByTime(2000);
    type("second");
    vi.advanceTimersByTime(2000);
    expect(server.calls).toEqual(["save first"]);
    server.hold = null;
    release();
    await settle();
    expect(server.calls).toEqual(["save first", "save second"]);
    expect(server.draft?.files["cos.py"]).toBe("second");
    expect(last(states)).toBe("saved");
  });

  it("sends at once, with keepalive, when the page is hidden", async () => {
    const { server, store, type, sync } = setUp();
    type("leaving");
    sync.flush();
    await settle();
    expect(server.calls).toEqual(["save keepalive leaving"]);
    expect(store.peek()?.synced).toBe(true);
    vi.advanceTimersByTime(5000);
    await settle();
    expect(server.calls).toHaveLength(1);
  });

  it("resets on the server too (as the starter files), and a reset made offline still wins over the server's old draft", async () => {
    const { storage, store, server, sync, type } = setUp(() => 50_000);
    type("draft");
    vi.advanceTimersByTime(2000);
    await settle();
    expect(server.draft).not.toBeNull();

    server.fail = offline;
    sync.reset();
    await settle();
    expect(store.peek()).toMatchObject({ files: starter, synced: false });
    expect(server.draft?.files["cos.py"]).toBe("draft");

    // The page is reloaded later, online: the unsent reset is newer than the server's draft.
    server.fail = null;
    const states: DraftState[] = [];
    const again = new DraftSync(new DraftStore(storage, "t", "python"), server, starter, () => ({ ...starter }), (s) => states.push(s));
    expect(await again.start()).toBeNull();
    await settle();
    expect(last(server.calls)).toBe("save starter");
    expect(server.draft?.files).toEqual(starter);
    expect(storage.data.has(draftKey("t", "python"))).toBe(false);
    expect(last(states)).toBe("idle");
  });

  describe("start", () => {
    it("opens the server's draft when this browser has none (another browser)", async () => {
      const { server, sync, store, states } = setUp();
      server.draft = { files: { "cos.py": "from the lab PC" }, savedAt: 99 };
      expect(await sync.start()).toEqual({ files: { "cos.py": "from the lab PC", "util.py": "" }, savedAt: 99 });
      expect(store.peek()).toMatchObject({ files: { "cos.py": "from the lab PC" }, synced: true });
      expect(last(states)).toBe("saved");
    });

    it("keeps this browser's unsent draft when it is newer, and sends it", async () => {
      const { server, sync, store } = setUp(() => 5000);
      store.save({ "cos.py": "newer here", "util.py": "" }, starter, false);
      server.draft = { files: { "cos.py": "older there", "util.py": "" }, savedAt: 100 };
      expect(await sync.start()).toBeNull();
      await settle();
      expect(server.draft?.files["cos.py"]).toBe("newer here");
      expect(store.peek()?.synced).toBe(true);
    });

    it("follows a reset made in another browser", async () => {
      const { server, sync, store } = setUp();
      store.save({ "cos.py": "old draft", "util.py": "" }, starter, true);
      server.draft = { files: { ...starter }, savedAt: 100 };
      expect((await sync.start())?.files).toEqual(starter);
      expect(store.peek()).toBeNull();
    });

    it("replaces a draft this browser had sent with the server's newer one", async () => {
      const { server, sync, store } = setUp(() => 9_000_000);
      store.save({ "cos.py": "sent earlier", "util.py": "" }, starter, true);
      server.draft = { files: { "cos.py": "edited elsewhere", "util.py": "" }, savedAt: 100 };
      expect((await sync.start())?.files["cos.py"]).toBe("edited elsewhere");
    });

    it("answers nothing to replace when both have the same files", async () => {
      const { server, sync, store, states } = setUp();
      store.save({ "cos.py": "same", "util.py": "" }, starter, false);
      server.draft = { files: { "cos.py": "same", "util.py": "" }, savedAt: 1 };
      expect(await sync.start()).toBeNull();
      expect(store.peek()?.synced).toBe(true);
      expect(last(states)).toBe("saved");
      expect(server.calls).toEqual(["load"]);
    });

    it("works offline from this browser's draft and sends it when it can", async () => {
      const { server, sync, store, states } = setUp();
      store.save({ "cos.py": "unsent", "util.py": "" }, starter, false);
      server.fail = offline;
      expect(await sync.start()).toBeNull();
      expect(last(states)).toBe("local");
      server.fail = null;
      vi.advanceTimersByTime(10_000);
      await settle();
      expect(server.draft?.files["cos.py"]).toBe("unsent");
      expect(last(states)).toBe("saved");
    });
  });
});
