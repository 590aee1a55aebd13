import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { setLanguage, t } from "../strings";
import { refreshRefusal } from "./advice";

describe("a refused refresh of the recommendations", () => {
  it("says why in the app's language for too few orders, the daily limit and a service outage", () => {
    setLanguage("en");
    expect(refreshRefusal(new ApiError("Для рекомендаций нужно…", "not_enough_orders", 400))).toBe(t.advice.notEnough);
    expect(refreshRefusal(new ApiError("…", "too_many_requests", 429))).toBe("No more refreshes today: try tomorrow.");
    expect(refreshRefusal(new ApiError("…", "gemini_unavailable", 503))).toBe(t.advice.unavailable);
    setLanguage("ru");
    expect(refreshRefusal(new ApiError("…", "too_many_requests", 429))).toBe("На сегодня обновления закончились — попробуйте завтра.");
  });

  it("keeps the server's words for anything else", () => {
    expect(refreshRefusal(new ApiError("Нет связи с сервером.", "network", 0))).toBe("Нет связи с сервером.");
  });
});
