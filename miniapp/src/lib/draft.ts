// The order being put together in the wizard, and the rules the server also enforces, so the
// employee sees the price and what is missing before pressing confirm.

import type { Combo, MenuItem, Order, OrderCreate } from "../api/client";
import { formatMoney } from "./format";

export interface StandalonePick {
  quantity: number;
  options: Record<string, string>;
}

export interface Draft {
  comboId: number | null;
  picks: Record<string, number>;
  /** Options of the combo's dishes, by category (Харчо's spice level in a soup + main combo). */
  pickOptions: Record<string, Record<string, string>>;
  standalone: Record<number, StandalonePick>;
  extras: Record<number, number>;
  notes: string;
}

export function emptyDraft(): Draft {
  return { comboId: null, picks: {}, pickOptions: {}, standalone: {}, extras: {}, notes: "" };
}

export function draftFromOrder(order: Order): Draft {
  const draft = emptyDraft();
  draft.comboId = order.combo_id ?? null;
  for (const item of order.items) {
    if (item.menu_item_id == null) continue;
    if (item.type === "combo") {
      draft.picks[item.category] = item.menu_item_id;
      draft.pickOptions[item.category] = { ...(item.options ?? {}) };
    } else draft.standalone[item.menu_item_id] = { quantity: item.quantity, options: { ...item.options } };
  }
  for (const extra of order.extras) {
    if (extra.menu_item_id != null) draft.extras[extra.menu_item_id] = extra.quantity;
  }
  draft.notes = order.notes ?? "";
  return draft;
}

export const isExtra = (item: MenuItem) => item.category === "extra";

/** Dishes that can be ordered on their own: priced, available, not extras. */
export function standaloneDishes(menu: MenuItem[]): MenuItem[] {
  return menu.filter((item) => item.is_available && item.price != null && !isExtra(item));
}

export function extras(menu: MenuItem[]): MenuItem[] {
  return menu.filter((item) => item.is_available && item.price != null && isExtra(item));
}

export function dishesFor(menu: MenuItem[], category: string): MenuItem[] {
  return menu.filter((item) => item.is_available && item.category === category);
}

/** The combo's categories that still have no dish chosen. */
export function missingPicks(draft: Draft, combo: Combo | undefined): string[] {
  if (!combo) return [];
  return combo.categories.filter((category) => draft.picks[category] === undefined);
}

/** Required options of the combo's chosen dishes left unchosen, as "Dish: Option". */
export function missingPickOptions(draft: Draft, menu: MenuItem[], combo: Combo | undefined): string[] {
  const missing: string[] = [];
  for (const category of combo?.categories ?? []) {
    const dish = menu.find((item) => item.id === draft.picks[category]);
    const chosen = draft.pickOptions[category] ?? {};
    for (const option of dish?.options ?? []) {
      if (option.is_required && !chosen[option.name]) missing.push(`${dish?.name}: ${option.name}`);
    }
  }
  return missing;
}

/** Required options left unchosen, as "Dish: Option" for each. */
export function missingOptions(draft: Draft, menu: MenuItem[]): string[] {
  const missing: string[] = [];
  for (const [id, pick] of Object.entries(draft.standalone)) {
    const dish = menu.find((item) => item.id === Number(id));
    for (const option of dish?.options ?? []) {
      if (option.is_required && !pick.options[option.name]) missing.push(`${dish?.name}: ${option.name}`);
    }
  }
  return missing;
}

/** What the chosen options add to one portion of the dish (a large portion +50 ₽). */
export function optionsPrice(dish: MenuItem | undefined, chosen: Record<string, string>): number {
  let cents = 0;
  for (const option of dish?.options ?? []) {
    if (chosen[option.name]) cents += Math.round(Number(option.price ?? 0) * 100);
  }
  return cents / 100;
}

/** The chosen values, a priced one with what it adds: "Стандарт, Да +50 ₽". */
export function optionsText(dish: MenuItem | undefined, chosen: Record<string, string>): string {
  return Object.entries(chosen)
    .map(([name, value]) => {
      const price = Number(dish?.options.find((option) => option.name === name)?.price ?? 0);
      return price > 0 ? `${value} +${formatMoney(price)}` : value;
    })
    .join(", ");
}

export function isEmpty(draft: Draft): boolean {
  return draft.comboId === null && Object.keys(draft.standalone).length === 0;
}

export interface Line {
  name: string;
  detail?: string;
  quantity: number;
  amount: number;
}

/** The summary's lines and total, priced like the server prices them. */
export function priceDraft(draft: Draft, combos: Combo[], menu: MenuItem[]): { lines: Line[]; total: number } {
  const lines: Line[] = [];
  const combo = combos.find((c) => c.id === draft.comboId);
  if (combo) {
    // A priced option of a dish picked in the combo (a large soup) is added to the combo's price,
    // as the server prices it.
    let amount = Number(combo.price);
    const chosen = combo.categories
      .map((category) => {
        const dish = menu.find((item) => item.id === draft.picks[category]);
        const picked = draft.pickOptions[category] ?? {};
        amount += optionsPrice(dish, picked);
        const options = optionsText(dish, picked);
        return dish && options ? `${dish.name} (${options})` : dish?.name;
      })
      .filter(Boolean)
      .join(", ");
    lines.push({ name: combo.name, detail: chosen, quantity: 1, amount });
  }
  for (const [id, pick] of Object.entries(draft.standalone)) {
    const dish = menu.find((item) => item.id === Number(id));
    if (!dish) continue;
    const detail = optionsText(dish, pick.options);
    const unit = Number(dish.price ?? 0) + optionsPrice(dish, pick.options);
    lines.push({ name: dish.name, detail, quantity: pick.quantity, amount: unit * pick.quantity });
  }
  for (const [id, quantity] of Object.entries(draft.extras)) {
    const item = menu.find((m) => m.id === Number(id));
    if (!item || quantity <= 0) continue;
    lines.push({ name: item.name, quantity, amount: Number(item.price ?? 0) * quantity });
  }
  const cents = lines.reduce((sum, line) => sum + Math.round(line.amount * 100), 0);
  return { lines, total: cents / 100 };
}

/** The body of POST /orders (and, without cafe and date, of PATCH /orders/{id}). */
export function toOrderBody(draft: Draft, cafeId: number, orderDate: string, combo: Combo | undefined): OrderCreate {
  const items: OrderCreate["items"] = [];
  if (combo) {
    for (const category of combo.categories) {
      const id = draft.picks[category];
      if (id !== undefined) items.push({ type: "combo", category, menu_item_id: id, options: draft.pickOptions[category] ?? {} });
    }
  }
  for (const [id, pick] of Object.entries(draft.standalone)) {
    items.push({ type: "standalone", menu_item_id: Number(id), quantity: pick.quantity, options: pick.options });
  }
  const extrasBody = Object.entries(draft.extras)
    .filter(([, quantity]) => quantity > 0)
    .map(([id, quantity]) => ({ menu_item_id: Number(id), quantity }));
  const notes = draft.notes.trim();
  return {
    cafe_id: cafeId,
    order_date: orderDate,
    combo_id: combo ? combo.id : null,
    items,
    extras: extrasBody,
    notes: notes ? notes : null,
  };
}
