import { describe, expect, it } from "vitest";
import { inferLanguage, matchFile, parseTrackFiles } from "../src/files";

describe("inferLanguage", () => {
  it("maps extensions to editor languages", () => {
    expect(inferLanguage("cos.py")).toBe("python");
    expect(inferLanguage("lib.c")).toBe("c");
    expect(inferLanguage("lib.h")).toBe("c");
    expect(inferLanguage("wrap.cpp")).toBe("cpp");
    expect(inferLanguage("src/lib.rs")).toBe("rust");
    expect(inferLanguage("main.go")).toBe("go");
    expect(inferLanguage("index.mjs")).toBe("javascript");
    expect(inferLanguage("Main.java")).toBe("java");
    expect(inferLanguage("Cargo.toml")).toBe("toml");
    expect(inferLanguage("Makefile")).toBe("text");
    expect(inferLanguage("go.mod")).toBe("text");
  });
});

describe("parseTrackFiles", () => {
  it("reads names, languages and content, inferring a missing language", () => {
    expect(parseTrackFiles('[{"name":"cos.py","language":"python","content":"x"},{"name":"Cargo.toml","content":"[package]"}]')).toEqual([
      { name: "cos.py", language: "python", content: "x" },
      { name: "Cargo.toml", language: "toml", content: "[package]" },
    ]);
  });

  it("skips bad entries and survives bad JSON", () => {
    expect(parseTrackFiles("not json")).toEqual([]);
    expect(parseTrackFiles('{"name":"x"}')).toEqual([]);
    expect(parseTrackFiles(null)).toEqual([]);
    expect(parseTrackFiles('[null, 3, {"content":"x"}, {"name":"a.c","language":"klingon"}, {"name":"a.c"}]')).toEqual([
      { name: "a.c", language: "c", content: "" },
    ]);
  });
});

describe("matchFile", () => {
  const names = ["cos.py", "src/lib.rs", "lib.c"];
  it("matches exact names, work-dir paths and unambiguous base names", () => {
    expect(matchFile("cos.py", names)).toBe("cos.py");
    expect(matchFile("/work/student/cos.py", names)).toBe("cos.py");
    expect(matchFile("/work/student/src/lib.rs", names)).toBe("src/lib.rs");
    expect(matchFile("lib.rs", names)).toBe("src/lib.rs");
    expect(matchFile("/usr/lib/python3.13/ctypes/__init__.py", names)).toBeNull();
    expect(matchFile(null, names)).toBeNull();
  });
});
