import { describe, expect, it } from "vitest";
import type { Order } from "../api/client";
import { favouritesFirst, NO_FILTER, toggleLabel, visibleDishes, type Label } from "./labels";
import { lastOrderAt, orderSummary } from "./repeat";

const dish = (id: number, labels: Label[]) => ({ id, labels });
const menu = [dish(1, ["vegetarian", "gluten"]), dish(2, ["spicy", "fish"]), dish(3, ["vegan", "vegetarian"]), dish(4, [])];

describe("the wizard's label filter", () => {
  it("shows dishes with every wanted label", () => {
    const filter = toggleLabel(toggleLabel(NO_FILTER, "want", "vegetarian"), "want", "vegan");
    expect(visibleDishes(menu, filter).map((d) => d.id)).toEqual([3]);
  });

  it("hides dishes with any avoided label, dishes without labels stay", () => {
    const filter = toggleLabel(toggleLabel(NO_FILTER, "avoid", "gluten"), "avoid", "fish");
    expect(visibleDishes(menu, filter).map((d) => d.id)).toEqual([3, 4]);
  });

  it("moves a label from one side to the other and off again", () => {
    const wanted = toggleLabel(NO_FILTER, "want", "spicy");
    const avoided = toggleLabel(wanted, "avoid", "spicy");
    expect(avoided).toEqual({ want: [], avoid: ["spicy"] });
    expect(toggleLabel(avoided, "avoid", "spicy")).toEqual({ want: [], avoid: [] });
  });

  it("keeps a chosen dish visible even when the filter would hide it", () => {
    const filter = toggleLabel(NO_FILTER, "avoid", "fish");
    expect(visibleDishes(menu, filter, new Set([2])).map((d) => d.id)).toEqual([1, 2, 3, 4]);
  });
});

describe("favourite dishes first", () => {
  it("puts favourites in their own order, the rest as on the menu", () => {
    expect(favouritesFirst(menu, [3, 2]).map((d) => d.id)).toEqual([3, 2, 1, 4]);
  });

  it("ignores favourites that are not on this list", () => {
    expect(favouritesFirst(menu, [99]).map((d) => d.id)).toEqual([1, 2, 3, 4]);
  });
});

const order = (id: number, cafe_id: number, order_date: string, status = "pending") =>
  ({
    id,
    cafe_id,
    order_date,
    status,
    combo: { combo_id: 1, combo_name: "Салат + Суп", combo_price: 350 },
    items: [{ type: "standalone", menu_item_name: "Борщ", quantity: 2 }],
    extras: [{ menu_item_name: "Морс", quantity: 1 }],
  }) as unknown as Order;

describe("same as last time", () => {
  it("picks the latest order at that cafe that is not cancelled and not for that date", () => {
    const orders = [order(1, 1, "2026-11-20"), order(2, 1, "2026-11-23", "cancelled"), order(3, 2, "2026-11-23"), order(4, 1, "2026-11-24")];
    expect(lastOrderAt(orders, 1, "2026-11-24")?.id).toBe(1);
    expect(lastOrderAt(orders, 3, "2026-11-24")).toBeNull();
  });

  it("sums an order up in one line", () => {
    expect(orderSummary(order(1, 1, "2026-11-20"))).toBe("Салат + Суп, Борщ × 2, Морс");
  });
});
