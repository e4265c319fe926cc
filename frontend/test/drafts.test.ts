import { afterEach, describe, expect, it, vi } from "vitest";
import { DraftStore, debounce, draftKey, type KeyValueStorage } from "../src/drafts";

class FakeStorage implements KeyValueStorage {
  data = new Map<string, string>();
  failWrites = false;
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.failWrites) throw new DOMException("full", "QuotaExceededError");
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

const starter = { "cos.py": "import ctypes\n", "util.py": "" };

describe("DraftStore", () => {
  it("opens the starter files when there is no draft", () => {
    const store = new DraftStore(new FakeStorage(), "01-ctypes-cos", "python");
    expect(store.load(starter)).toEqual({ files: starter, restored: false, savedAt: null });
  });

  it("saves and restores a draft per task and track", () => {
    const storage = new FakeStorage();
    const store = new DraftStore(storage, "01-ctypes-cos", "python", () => 1000);
    store.save({ ...starter, "cos.py": "edited" }, starter);
    expect([...storage.data.keys()]).toEqual([draftKey("01-ctypes-cos", "python")]);

    const loaded = new DraftStore(storage, "01-ctypes-cos", "python").load(starter);
    expect(loaded.restored).toBe(true);
    expect(loaded.files).toEqual({ "cos.py": "edited", "util.py": "" });
    expect(loaded.savedAt?.getTime()).toBe(1000);

    expect(new DraftStore(storage, "01-ctypes-cos", "rust").load(starter).restored).toBe(false);
    expect(new DraftStore(storage, "02-other", "python").load(starter).restored).toBe(false);
  });

  it("removes the draft when the files equal the starter again", () => {
    const storage = new FakeStorage();
    const store = new DraftStore(storage, "t", "python");
    store.save({ ...starter, "cos.py": "x" }, starter);
    store.save({ ...starter }, starter);
    expect(storage.data.size).toBe(0);
  });

  it("keeps only the starter's file names, and fills in files the draft lacks", () => {
    const storage = new FakeStorage();
    storage.setItem(draftKey("t", "python"), JSON.stringify({ v: 1, savedAt: 5, files: { "cos.py": "mine", "evil.py": "x" } }));
    const loaded = new DraftStore(storage, "t", "python").load(starter);
    expect(loaded.files).toEqual({ "cos.py": "mine", "util.py": "" });
    expect(loaded.restored).toBe(true);
  });

  it("does not call an unchanged draft restored", () => {
    const storage = new FakeStorage();
    storage.setItem(draftKey("t", "python"), JSON.stringify({ v: 1, savedAt: 5, files: starter }));
    expect(new DraftStore(storage, "t", "python").load(starter).restored).toBe(false);
  });

  it("ignores corrupt or foreign entries", () => {
    const storage = new FakeStorage();
    const store = new DraftStore(storage, "t", "python");
    for (const raw of ["{", "null", '"x"', '{"v":2,"files":{}}', '{"v":1,"files":"no"}']) {
      storage.data.set(draftKey("t", "python"), raw);
      expect(store.load(starter)).toEqual({ files: starter, restored: false, savedAt: null });
    }
  });

  it("survives a full or missing storage", () => {
    const storage = new FakeStorage();
    storage.failWrites = true;
    expect(() => new DraftStore(storage, "t", "p").save({ "cos.py": "x", "util.py": "" }, starter)).not.toThrow();
    const none = new DraftStore(null, "t", "p");
    expect(() => none.save({ "cos.py": "x", "util.py": "" }, starter)).not.toThrow();
    expect(none.load(starter).restored).toBe(false);
  });

  it("clears the draft (reset)", () => {
    const storage = new FakeStorage();
    const store = new DraftStore(storage, "t", "python");
    store.save({ "cos.py": "x", "util.py": "" }, starter);
    store.clear();
    expect(store.load(starter).restored).toBe(false);
  });
});

describe("debounce", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs once after the calls pause, and at once on flush", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 500);
    d();
    vi.advanceTimersByTime(300);
    d();
    vi.advanceTimersByTime(300);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(1);
    d();
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
