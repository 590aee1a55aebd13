import { describe, expect, it } from "vitest";
import { formatCountdown, formatDate, formatMoney, parseDuration } from "./format";
import { plural } from "../strings";

describe("what the employee reads", () => {
  it("shows roubles with thin grouping and kopecks only when present", () => {
    expect(formatMoney(4850)).toBe("4\u00a0850\u00a0₽");
    expect(formatMoney(99.5)).toBe("99,50\u00a0₽");
    expect(formatMoney(-120)).toBe("−120\u00a0₽");
  });

  it("names the day in Russian", () => {
    expect(formatDate("2026-11-24")).toBe("вторник, 24 ноября");
  });

  it("counts down to the deadline from the server's HH:MM:SS", () => {
    expect(parseDuration("01:45:00")).toBe(6300);
    expect(parseDuration("49:00:00")).toBe(176400);
    expect(parseDuration("soon")).toBeNull();
    expect(formatCountdown(6300)).toBe("1 ч 45 мин");
    expect(formatCountdown(176400)).toBe("2 д 1 ч");
    expect(formatCountdown(65)).toBe("1 мин 05 с");
    expect(formatCountdown(-3)).toBe("0 с");
  });

  it("agrees numbers with nouns", () => {
    expect([1, 2, 5, 11, 21, 22].map((n) => plural(n, "заказ", "заказа", "заказов"))).toEqual([
      "заказ", "заказа", "заказов", "заказов", "заказ", "заказа",
    ]);
  });
});
