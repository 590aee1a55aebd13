import { afterEach, describe, expect, it } from "vitest";
import { fileNameOf, toApiError } from "../api/client";
import { categoryName, plural, setLanguage } from "../strings";
import { formatClock, formatClockAt, formatCountdown, formatDate, formatMoney } from "./format";

afterEach(() => setLanguage("ru"));

describe("what the employee reads", () => {
  it("shows roubles with grouping and kopecks only when present", () => {
    expect(formatMoney(4850).replace(/\s/gu, " ")).toBe("4 850 ₽");
    expect(formatMoney(99.5).replace(/\s/gu, " ")).toBe("99,50 ₽");
  });

  it("names the day in Russian, and in English for an English Telegram", () => {
    expect(formatDate("2026-11-24")).toBe("вторник, 24 ноября");
    setLanguage("en-US");
    expect(formatDate("2026-11-24")).toBe("Tuesday 24 November");
    expect(formatMoney(4850)).toBe("₽4,850");
    expect(formatCountdown(6300)).toBe("1 h 45 min");
    expect(categoryName("soup")).toBe("Soup");
  });

  it("counts down to the deadline from the server's seconds", () => {
    expect(formatCountdown(6300)).toBe("1 ч 45 мин");
    expect(formatCountdown(176400)).toBe("2 д 1 ч");
    expect(formatCountdown(65)).toBe("1 мин 05 с");
    expect(formatCountdown(-3)).toBe("0 с");
  });

  it("reads the deadline's time on the company's clock from the instant the server sent", () => {
    expect(formatClock("2026-11-24T11:00:00+03:00")).toBe("11:00");
  });

  it("agrees numbers with nouns and shows a manager's own category capitalised", () => {
    expect([1, 2, 5, 11, 21, 22].map((n) => plural(n, "заказ", "заказа", "заказов"))).toEqual([
      "заказ", "заказа", "заказов", "заказов", "заказ", "заказа",
    ]);
    expect(categoryName("напитки")).toBe("Напитки");
  });
});

describe("what the server says", () => {
  it("keeps each field's message for the form", () => {
    const error = toApiError(
      {
        detail: "Цена: Введите число",
        code: "validation_error",
        errors: [
          { field: "price", message: "Введите число, например 450 или 450.50" },
          { field: "schedules.5.deadline_time", message: "Время в виде ЧЧ:ММ" },
        ],
      },
      422,
    );
    expect(error.field("price")).toBe("Введите число, например 450 или 450.50");
    expect(error.field("schedules.5")).toBe("Время в виде ЧЧ:ММ");
    expect(error.field("name")).toBeUndefined();
    expect(error.coveredBy(["price", "schedules"])).toBe(true);
    expect(error.coveredBy(["price"])).toBe(false);
  });

  it("names a downloaded file by filename* when the server gives one", () => {
    const header = `attachment; filename="_________ 2026-11-24.csv"; filename*=UTF-8''%D0%A1%D1%82%D0%BE%D0%BB%D0%BE%D0%B2%D0%B0%D1%8F%201%202026-11-24.csv`;
    expect(fileNameOf(header, "report.csv")).toBe("Столовая 1 2026-11-24.csv");
    expect(fileNameOf('attachment; filename="report.csv"', "x.csv")).toBe("report.csv");
    expect(fileNameOf("", "x.csv")).toBe("x.csv");
  });
});

describe("a delivery time on the company's clock", () => {
  it("takes the offset of an instant the server wrote in company time", () => {
    expect(formatClockAt("2026-11-24T09:40:00Z", "2026-11-24T09:15:00+03:00")).toBe("12:40");
    expect(formatClockAt("2026-11-24T09:40:00+00:00", "2026-11-24T04:15:00-05:30")).toBe("04:10");
  });
});
