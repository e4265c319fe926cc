// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import type { Verdict } from "../src/api";
import { findingMarks, formatNumber, groupsFromTests, reasonText, reasonUnlessSaid, renderRunError, renderVerdict } from "../src/verdict";

const hostile = '<img src=x onerror="alert(1)">';

const verdict: Verdict = {
  status: "fail",
  message: "1 of 3 checks failed",
  reason: "TIME_LIMIT",
  groups: [
    { name: "Build", status: "pass" },
    { name: "Tests", status: "fail" },
    { name: "Memory", status: "skip" },
  ],
  tests: [
    { name: "cos(0) is 1.0", status: "pass", group: "Tests" },
    { name: hostile, status: "fail", message: hostile, output: `\x1b[31m${hostile}\x1b[0m`, group: "Tests" },
  ],
  findings: [
    {
      tool: "asan",
      kind: "double-free",
      message: hostile,
      frames: [
        { file: "/usr/lib/libc.so.6", line: 10, function: "free", student: false },
        { file: "/work/student/lib.c", line: 12, function: "release", student: true },
      ],
    },
  ],
  metrics: [{ name: "call overhead", value: 47.25, unit: "ns/op", lowerIsBetter: true }],
};

function render(v: Verdict = verdict, openFrame = vi.fn()) {
  const section = document.createElement("section");
  renderVerdict(section, v, { fileNames: ["lib.c", "cos.py"], openFrame, wallSeconds: 60 });
  return { section, openFrame };
}

describe("renderVerdict", () => {
  it("shows the headline, message and reason", () => {
    const { section } = render();
    expect(section.querySelector(".verdict")?.classList.contains("verdict-fail")).toBe(true);
    expect(section.querySelector(".verdict-title")?.textContent).toBe("Failed");
    expect(section.querySelector(".verdict-message")?.textContent).toBe("1 of 3 checks failed");
    expect(section.querySelector(".verdict-reason")?.textContent).toBe("Time limit: the run was stopped after 60 s.");
  });

  it("shows a badge per group coloured by status", () => {
    const badges = [...render().section.querySelectorAll(".verdict-groups .badge")];
    expect(badges.map((b) => [b.className, b.textContent])).toEqual([
      ["badge badge-pass", "\u2713 Build"],
      ["badge badge-fail", "\u2717 Tests"],
      ["badge badge-skip", "\u2013 Memory"],
    ]);
  });

  it("lists the tests with folded output", () => {
    const { section } = render();
    const items = section.querySelectorAll(".verdict-tests > li");
    expect(items).toHaveLength(2);
    expect(items[1].classList.contains("test-fail")).toBe(true);
    expect(items[1].querySelector(".test-output")?.textContent).toBe(hostile);
    expect(items[1].querySelector("details summary")?.textContent).toBe("Output");
  });

  it("never renders server data as markup", () => {
    const { section } = render();
    expect(section.querySelector("img")).toBeNull();
    expect(section.textContent).toContain(hostile);
  });

  it("links student frames to the editor", () => {
    const { section, openFrame } = render();
    const links = section.querySelectorAll<HTMLAnchorElement>("a.frame-link");
    expect([...links].map((a) => a.textContent)).toEqual(["lib.c:12", "lib.c:12"]);
    links[0].click();
    expect(openFrame).toHaveBeenCalledWith("lib.c", 12);
    expect(section.querySelector(".frame:not(.frame-student) a")).toBeNull();
  });

  it("shows metrics in a table", () => {
    const rows = [...render().section.querySelectorAll(".verdict-metrics tbody tr")];
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([["call overhead", "47.25", "ns/op"]]);
  });

  it("shows the reference solution's metrics beside the student's, with bars on one scale", () => {
    const section = document.createElement("section");
    renderVerdict(section, { status: "pass", metrics: [{ name: "call overhead", value: 100, unit: "ns/op", lowerIsBetter: true }] }, {
      fileNames: [],
      openFrame: vi.fn(),
      reference: [{ name: "call overhead", value: 50, unit: "ns/op", lowerIsBetter: true }],
    });
    const row = section.querySelector(".verdict-metrics tbody tr")!;
    expect([...row.children].slice(0, 4).map((c) => c.textContent)).toEqual(["call overhead", "100", "50", "ns/op"]);
    const widths = [...row.querySelectorAll(".metric-bar > span")].map((b) => (b as HTMLElement).style.width);
    expect(widths).toEqual(["100%", "50%"]);
  });

  it("names a disk limit and skips a reason the message already opens with", () => {
    expect(reasonText("DISK_LIMIT")).toContain("Disk limit");
    expect(reasonUnlessSaid("Time limit: `python3 x.py` was stopped after 10 s.", "Time limit: the run took too long.")).toBeNull();
    expect(reasonUnlessSaid("2 of 3 tests failed.", "Time limit: the run took too long.")).toBe("Time limit: the run took too long.");
  });

  it("derives group badges from the tests when the verdict has none", () => {
    const { section } = render({ status: "pass", tests: [{ name: "a", status: "pass", group: "Memory" }, { name: "b", status: "pass" }] });
    expect([...section.querySelectorAll(".verdict-groups .badge")].map((b) => b.textContent)).toEqual(["\u2713 Tests", "\u2713 Memory"]);
    expect(section.querySelector(".verdict-title")?.textContent).toBe("Passed");
  });

  it("renders an infrastructure error", () => {
    const section = document.createElement("section");
    renderRunError(section, "engine unavailable");
    expect(section.querySelector(".verdict-title")?.textContent).toBe("Error");
    expect(section.querySelector(".verdict-message")?.textContent).toBe("engine unavailable");
    expect(section.querySelector(".verdict-retry")).toBeNull();
  });

  it("offers Retry when asked to, once per click", () => {
    const onRetry = vi.fn();
    const section = document.createElement("section");
    renderVerdict(
      section,
      { status: "error", message: "The lab lost its connection to the sandbox engine", reason: "INFRASTRUCTURE" },
      { fileNames: [], openFrame: vi.fn(), onRetry },
    );
    const button = section.querySelector<HTMLButtonElement>(".verdict-headline button.verdict-retry");
    expect(button?.textContent).toBe("Retry");
    button!.click();
    button!.click();
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(button!.disabled).toBe(true);

    renderRunError(section, "engine unavailable", onRetry);
    expect(section.querySelector(".verdict-retry")).not.toBeNull();
  });

  it("offers no Retry for a verdict on the student's code", () => {
    expect(render().section.querySelector(".verdict-retry")).toBeNull();
  });
});

describe("verdict helpers", () => {
  it("keeps the student's frames in view and folds the runtime's", () => {
    const section = document.createElement("section");
    renderVerdict(
      section,
      {
        status: "fail",
        findings: [
          {
            tool: "asan",
            kind: "leak",
            bytes: 24,
            frames: [
              { file: "libasan.so", function: "malloc", student: false },
              { file: "lib.c", line: 7, function: "make", student: true },
              { file: "libffi.so", function: "ffi_call", student: false },
              { file: "python3.13", function: "main", student: false },
            ],
          },
        ],
      },
      { fileNames: ["lib.c"], openFrame: vi.fn() },
    );
    const finding = section.querySelector(".finding")!;
    expect([...finding.querySelectorAll(":scope > ol.frames > li")].map((li) => li.textContent)).toEqual([
      "malloc at libasan.so",
      "make at lib.c:7",
    ]);
    expect(finding.querySelector("details.finding-frames summary")?.textContent).toBe("2 runtime frames");
    expect(finding.querySelector(".finding-bytes")?.textContent).toBe("24 bytes");
  });

  it("collects editor marks from student frames", () => {
    expect(findingMarks(verdict, ["lib.c"])).toEqual(new Map([["lib.c", [{ line: 12, message: `asan double-free: ${hostile}` }]]]));
    expect(findingMarks(null, ["lib.c"]).size).toBe(0);
  });

  it("words the reasons", () => {
    expect(reasonText(null)).toBeNull();
    expect(reasonText("TIME_LIMIT")).toMatch(/^Time limit/);
    expect(reasonText("MEMORY_LIMIT", { memoryMb: 512 })).toBe("Memory limit: the run used more than 512 MiB and was stopped.");
    expect(reasonText("OUTPUT_LIMIT")).toMatch(/^Output limit/);
    expect(reasonText("PROCESS_LIMIT")).toMatch(/^Process limit/);
    expect(reasonText("CRASH")).toMatch(/^Crash/);
  });

  it("orders derived groups and takes the worst status", () => {
    expect(
      groupsFromTests([
        { name: "x", status: "pass", group: "Performance" },
        { name: "y", status: "fail", group: "Build" },
        { name: "z", status: "error", group: "Build" },
      ]),
    ).toEqual([
      { name: "Build", status: "error" },
      { name: "Performance", status: "pass" },
    ]);
  });

  it("formats numbers", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(47.256)).toBe("47.256");
    expect(formatNumber(0.001234)).toBe("0.00123");
    expect(formatNumber(NaN)).toBe("NaN");
  });
});
