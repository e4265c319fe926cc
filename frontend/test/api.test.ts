// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, canRetry, retryRun } from "../src/api";

afterEach(() => {
  vi.unstubAllGlobals();
  document.head.innerHTML = "";
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("canRetry", () => {
  it("offers Retry only for a run the lab failed", () => {
    expect(canRetry({ status: "ERROR", retryable: true })).toBe(true);
    expect(canRetry({ status: "ERROR", retryable: false })).toBe(false);
    expect(canRetry({ status: "ERROR" })).toBe(false);
    expect(canRetry({ status: "FINISHED", retryable: true })).toBe(false);
  });
});

describe("retryRun", () => {
  it("asks the server to run the stored files again, with the CSRF header", async () => {
    document.head.innerHTML = '<meta name="_csrf" content="tok"><meta name="_csrf_header" content="X-CSRF-TOKEN">';
    const fetch = vi.fn(async () => json(202, { id: "r2" }));
    vi.stubGlobal("fetch", fetch);
    await expect(retryRun("r/1")).resolves.toEqual({ id: "r2" });
    expect(fetch).toHaveBeenCalledWith(
      "/api/runs/r%2F1/retry",
      expect.objectContaining({ method: "POST", credentials: "same-origin", headers: expect.objectContaining({ "X-CSRF-TOKEN": "tok" }) }),
    );
  });

  it("reports the server's refusal", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(409, { error: "Only a run the lab could not carry out can be retried" })));
    await expect(retryRun("r1")).rejects.toEqual(new ApiError("Only a run the lab could not carry out can be retried", 409));
  });
});
