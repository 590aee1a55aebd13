import { describe, expect, it } from "vitest";
import type { Combo, MenuItem, Order } from "../api/client";
import { draftFromOrder, emptyDraft, missingOptions, missingPickOptions, missingPicks, priceDraft, toOrderBody } from "./draft";

const dish = (id: number, name: string, category: string, price: number | null, options: MenuItem["options"] = []): MenuItem => ({
  id,
  cafe_id: 1,
  name,
  description: null,
  category,
  price,
  is_available: true,
  options,
});

const menu: MenuItem[] = [
  dish(1, "Салат Цезарь", "salad", null),
  dish(2, "Борщ с курицей", "soup", 180, [
    { id: 9, menu_item_id: 2, name: "Размер порции", values: ["Стандарт", "Большая"], is_required: true, price: 0 },
    { id: 10, menu_item_id: 2, name: "Большая порция", values: ["Да"], is_required: false, price: 50 },
  ]),
  dish(3, "Котлета по-киевски", "main", 290),
  dish(4, "Морс клюквенный", "extra", 60),
];
const combo: Combo = { id: 7, cafe_id: 1, name: "Салат + Суп", categories: ["salad", "soup"], price: 350, is_available: true };

describe("an order put together in the wizard", () => {
  it("costs the combo plus standalone dishes plus extras", () => {
    const draft = { ...emptyDraft(), comboId: 7, picks: { salad: 1, soup: 2 }, extras: { 4: 2 } };
    draft.standalone = { 3: { quantity: 2, options: {} } };

    const { lines, total } = priceDraft(draft, [combo], menu);

    expect(total).toBe(350 + 2 * 290 + 2 * 60);
    expect(lines[0]).toMatchObject({ name: "Салат + Суп", detail: "Салат Цезарь, Борщ с курицей" });
  });

  it("adds a chosen priced option to each portion of a dish on its own", () => {
    const large: Record<string, string> = { "Размер порции": "Стандарт", "Большая порция": "Да" };
    const draft = { ...emptyDraft(), standalone: { 2: { quantity: 2, options: large } } };

    const { lines, total } = priceDraft(draft, [combo], menu);

    expect(total).toBe(2 * (180 + 50));
    expect(lines[0]?.detail).toBe("Стандарт, Да +50\u00a0₽");
    draft.standalone[2]!.options = { "Размер порции": "Стандарт" };
    expect(priceDraft(draft, [combo], menu).total).toBe(2 * 180);
  });

  it("adds a priced option of a dish picked in the combo to the combo's price", () => {
    const draft = { ...emptyDraft(), comboId: 7, picks: { salad: 1, soup: 2 } };
    draft.pickOptions = { soup: { "Размер порции": "Стандарт", "Большая порция": "Да" } };

    const { lines, total } = priceDraft(draft, [combo], menu);

    expect(total).toBe(350 + 50);
    expect(lines[0]).toMatchObject({ amount: 400, detail: "Салат Цезарь, Борщ с курицей (Стандарт, Да +50\u00a0₽)" });
  });

  it("names the combo categories still without a dish", () => {
    const draft = { ...emptyDraft(), comboId: 7, picks: { salad: 1 } };
    expect(missingPicks(draft, combo)).toEqual(["soup"]);
  });

  it("names required options left unchosen", () => {
    const draft = { ...emptyDraft(), standalone: { 2: { quantity: 1, options: {} } } };
    expect(missingOptions(draft, menu)).toEqual(["Борщ с курицей: Размер порции"]);
  });

  it("asks the required options of a dish chosen inside the combo", () => {
    const draft = { ...emptyDraft(), comboId: 7, picks: { salad: 1, soup: 2 } };
    expect(missingPickOptions(draft, menu, combo)).toEqual(["Борщ с курицей: Размер порции"]);
    draft.pickOptions = { soup: { "Размер порции": "Большая" } };
    expect(missingPickOptions(draft, menu, combo)).toEqual([]);
    expect(priceDraft(draft, [combo], menu).lines[0]?.detail).toBe("Салат Цезарь, Борщ с курицей (Большая)");
  });

  it("becomes the REST contract's order body", () => {
    const draft = {
      ...emptyDraft(),
      comboId: 7,
      picks: { salad: 1, soup: 2 },
      pickOptions: { soup: { "Размер порции": "Стандарт" } },
      extras: { 4: 1, 5: 0 },
      notes: "  без лука ",
    };
    draft.standalone = { 2: { quantity: 1, options: { "Размер порции": "Большая" } } };

    expect(toOrderBody(draft, 1, "2026-11-24", combo)).toEqual({
      cafe_id: 1,
      order_date: "2026-11-24",
      combo_id: 7,
      items: [
        { type: "combo", category: "salad", menu_item_id: 1, options: {} },
        { type: "combo", category: "soup", menu_item_id: 2, options: { "Размер порции": "Стандарт" } },
        { type: "standalone", menu_item_id: 2, quantity: 1, options: { "Размер порции": "Большая" } },
      ],
      extras: [{ menu_item_id: 4, quantity: 1 }],
      notes: "без лука",
    });
  });

  it("is rebuilt from a placed order for editing", () => {
    const order = {
      combo_id: 7,
      items: [
        { type: "combo", category: "salad", menu_item_id: 1, menu_item_name: "Салат Цезарь", options: { Заправка: "Без соуса" } },
        { type: "standalone", category: "main", menu_item_id: 3, menu_item_name: "Котлета", quantity: 2, options: {}, price: 290, subtotal: 580 },
      ],
      extras: [{ menu_item_id: 4, menu_item_name: "Морс", quantity: 3, price: 60, subtotal: 180 }],
      notes: null,
    } as unknown as Order;

    expect(draftFromOrder(order)).toEqual({
      comboId: 7,
      picks: { salad: 1 },
      pickOptions: { salad: { Заправка: "Без соуса" } },
      standalone: { 3: { quantity: 2, options: {} } },
      extras: { 4: 3 },
      notes: "",
    });
  });
});
