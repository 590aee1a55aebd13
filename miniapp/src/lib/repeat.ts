// "Как в прошлый раз": which past order a date and cafe can repeat.

import type { Order } from "../api/client";

/** The person's latest order at `cafeId` (not cancelled, not for `date` itself), or null. */
export function lastOrderAt(orders: readonly Order[], cafeId: number, date: string): Order | null {
  const candidates = orders
    .filter((o) => o.cafe_id === cafeId && o.status !== "cancelled" && o.order_date !== date)
    .sort((a, b) => b.order_date.localeCompare(a.order_date) || b.id - a.id);
  return candidates[0] ?? null;
}

/** What an order holds, in one line: "Салат + Суп, Морс × 2". */
export function orderSummary(order: Order): string {
  const quantity = (name: string, n: number) => (n > 1 ? `${name} × ${n}` : name);
  return [
    order.combo?.combo_name,
    ...order.items.filter((i) => i.type === "standalone").map((i) => quantity(i.menu_item_name, i.quantity)),
    ...order.extras.map((e) => quantity(e.menu_item_name, e.quantity)),
  ]
    .filter(Boolean)
    .join(", ");
}
