// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { ApiError, type SelfCheckState } from "../src/api";
import { wireSelfChecks } from "../src/selfcheck";

function page(count: number, checked: number[] = []) {
  document.body.innerHTML = "";
  const boxes = Array.from({ length: count }, (_, i) => {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.selfCheck = String(i);
    box.checked = checked.includes(i);
    document.body.appendChild(box);
    return box;
  });
  const status = document.createElement("p");
  document.body.appendChild(status);
  return { boxes, status };
}

async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("wireSelfChecks", () => {
  it("sends each tick and untick with its item index, and says when it is saved", async () => {
    const { boxes, status } = page(3);
    const sent: [number, boolean][] = [];
    wireSelfChecks(boxes, async (item, ticked) => {
      sent.push([item, ticked]);
      return { task: "t", items: 3, ticked: ticked ? [item] : [] } satisfies SelfCheckState;
    }, status);
    boxes[2].click();
    expect(status.dataset.state).toBe("saving");
    await settle();
    boxes[2].click();
    await settle();
    expect(sent).toEqual([[2, true], [2, false]]);
    expect(status.dataset.state).toBe("saved");
    expect(status.textContent).toBe("Saved");
  });

  it("undoes a tick the server did not store, and says why", async () => {
    const { boxes, status } = page(2);
    wireSelfChecks(boxes, async () => {
      throw new ApiError("You are not signed in, or your session expired. Reload the page.", 401);
    }, status);
    boxes[1].click();
    expect(boxes[1].checked).toBe(true);
    await settle();
    expect(boxes[1].checked).toBe(false);
    expect(status.dataset.state).toBe("error");
    expect(status.textContent).toContain("Not saved: You are not signed in");
  });

  it("sends quick clicks one after the other, in order", async () => {
    const { boxes } = page(1);
    const sent: boolean[] = [];
    let inFlight = 0;
    let most = 0;
    wireSelfChecks(boxes, async (_, ticked) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      sent.push(ticked);
      inFlight--;
      return { task: "t", items: 1, ticked: [] };
    }, null);
    boxes[0].click();
    boxes[0].click();
    boxes[0].click();
    await settle();
    expect(sent).toEqual([true, false, true]);
    expect(most).toBe(1);
    expect(boxes[0].checked).toBe(true);
  });
});
