// Dietary labels (the server's fixed set, in its order) with their icons, the wizard's filter,
// and favourite dishes first.

import type { MenuItem } from "../api/client";
import { t } from "../strings";

export const LABELS = ["vegetarian", "vegan", "spicy", "nuts", "gluten", "lactose", "fish"] as const;
export type Label = (typeof LABELS)[number];

export const ICONS: Record<Label, string> = {
  vegetarian: "🥦",
  vegan: "🌱",
  spicy: "🌶",
  nuts: "🥜",
  gluten: "🌾",
  lactose: "🥛",
  fish: "🐟",
};

export function labelName(label: string): string {
  return t.labels.names[label] ?? label;
}

/** What the person asked the wizard to show: dishes with every `want` label and none of `avoid`. */
export interface LabelFilter {
  want: Label[];
  avoid: Label[];
}

export const NO_FILTER: LabelFilter = { want: [], avoid: [] };

/** Turns a label on in one list (taking it out of the other) or off again. */
export function toggleLabel(filter: LabelFilter, side: keyof LabelFilter, label: Label): LabelFilter {
  const other = side === "want" ? "avoid" : "want";
  const on = filter[side].includes(label);
  return {
    [side]: on ? filter[side].filter((l) => l !== label) : [...filter[side], label],
    [other]: filter[other].filter((l) => l !== label),
  } as unknown as LabelFilter;
}

/** The same rule as the menu API's `?label=` (has all) and `?exclude_label=` (has none). */
export function passes(dish: Pick<MenuItem, "labels">, filter: LabelFilter): boolean {
  const labels = dish.labels ?? [];
  return filter.want.every((l) => labels.includes(l)) && !filter.avoid.some((l) => labels.includes(l));
}

/** The dishes the filter lets through, keeping any already chosen so a choice never vanishes. */
export function visibleDishes<T extends Pick<MenuItem, "id" | "labels">>(
  dishes: readonly T[],
  filter: LabelFilter,
  chosen: ReadonlySet<number> = new Set(),
): T[] {
  return dishes.filter((dish) => chosen.has(dish.id) || passes(dish, filter));
}

/** Favourite dishes first (most ordered first), the rest in the menu's order. */
export function favouritesFirst<T extends { id: number }>(dishes: readonly T[], favourites: readonly number[]): T[] {
  const rank = new Map(favourites.map((id, i) => [id, i]));
  return dishes
    .map((dish, i) => ({ dish, i, rank: rank.get(dish.id) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ dish }) => dish);
}
