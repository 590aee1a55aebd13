// cafe → combo → one dish per category → standalone dishes with options → extras → note and
// summary with the price and what is left of the weekly budget → confirm. Also edits an order.

import { useMemo, useState } from "react";
import { api, call, type Combo, type MenuItem, type MenuOption, type Order } from "../api/client";
import { useUser } from "../auth";
import { Page } from "../components/Page";
import { Cell, Chips, Empty, ErrorBox, Notice, Radio, Section, Spinner, Stepper } from "../components/ui";
import { hapticError, hapticSelect, hapticSuccess } from "../init";
import {
  dishesFor,
  draftFromOrder,
  emptyDraft,
  extras as extrasOf,
  isEmpty,
  missingOptions,
  missingPickOptions,
  missingPicks,
  priceDraft,
  standaloneDishes,
  toOrderBody,
  type Draft,
} from "../lib/draft";
import { capitalize, formatDate, formatMoney } from "../lib/format";
import { navigate } from "../lib/router";
import { asApiError, useQuery } from "../lib/useQuery";
import type { ApiError } from "../api/client";
import { categoryName, t } from "../strings";
import { LabelChips, LabelFilterBar } from "../components/Labels";
import { favouritesFirst, NO_FILTER, visibleDishes, type LabelFilter } from "../lib/labels";

type Step = "combo" | "dishes" | "standalone" | "extras" | "summary";

async function loadWizard(cafeId: number, tgid: number, orderId: number | null) {
  const order: Order | null = orderId
    ? await call(api.GET("/api/v1/orders/{order_id}", { params: { path: { order_id: orderId } } }))
    : null;
  const cafe_id = order ? order.cafe_id : cafeId;
  const [cafe, menu, combos, balance, favourites] = await Promise.all([
    call(api.GET("/api/v1/cafes/{cafe_id}", { params: { path: { cafe_id } } })),
    call(api.GET("/api/v1/cafes/{cafe_id}/menu", { params: { path: { cafe_id } } })),
    call(api.GET("/api/v1/cafes/{cafe_id}/combos", { params: { path: { cafe_id } } })),
    call(api.GET("/api/v1/users/{tgid}/balance", { params: { path: { tgid } } })),
    // Favourites only order the list: without them the wizard still works.
    call(api.GET("/api/v1/users/{tgid}/favourite-dishes", { params: { path: { tgid }, query: { cafe_id, limit: 10 } } })).catch(
      () => ({ items: [] }),
    ),
  ]);
  return {
    order,
    cafe,
    menu: menu.items,
    combos: combos.items.filter((c) => c.is_available),
    balance,
    favourites: favourites.items.map((f) => f.menu_item_id),
  };
}

export function OrderWizard({ cafeId, date, orderId }: { cafeId: number; date: string; orderId: number | null }) {
  const user = useUser();
  const query = useQuery(() => loadWizard(cafeId, user.tgid, orderId), [cafeId, orderId, user.tgid]);
  const back = orderId ? `/orders/${orderId}` : "/";
  if (query.loading) return <Page back={back}><Spinner /></Page>;
  if (query.error || !query.data) return <Page back={back}><ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} /></Page>;
  const data = query.data;
  return (
    <Wizard
      key={data.order?.id ?? "new"}
      cafeName={data.cafe.name}
      cafeId={data.cafe.id}
      date={data.order?.order_date ?? date}
      order={data.order}
      menu={data.menu}
      combos={data.combos}
      favourites={data.favourites}
      remaining={data.balance.remaining == null ? null : Number(data.balance.remaining)}
      exit={back}
    />
  );
}

function Wizard({
  cafeName,
  cafeId,
  date,
  order,
  menu,
  combos,
  favourites,
  remaining,
  exit,
}: {
  cafeName: string;
  cafeId: number;
  date: string;
  order: Order | null;
  menu: MenuItem[];
  combos: Combo[];
  favourites: number[];
  remaining: number | null;
  exit: string;
}) {
  const [draft, setDraft] = useState<Draft>(() => (order ? draftFromOrder(order) : emptyDraft()));
  const [stepIndex, setStepIndex] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const [filter, setFilter] = useState<LabelFilter>(NO_FILTER);
  const combo = combos.find((c) => c.id === draft.comboId);
  const standalone = useMemo(() => standaloneDishes(menu), [menu]);
  const extraItems = useMemo(() => extrasOf(menu), [menu]);
  const steps: Step[] = [
    "combo",
    ...(combo ? (["dishes"] as const) : []),
    ...(standalone.length ? (["standalone"] as const) : []),
    ...(extraItems.length ? (["extras"] as const) : []),
    "summary",
  ];
  const step = steps[Math.min(stepIndex, steps.length - 1)] as Step;
  // The label filter and favourites only change what is listed, never what is already chosen.
  const chosen = new Set([...Object.values(draft.picks), ...Object.keys(draft.standalone).map(Number)]);
  const listed = (dishes: MenuItem[]) => favouritesFirst(visibleDishes(dishes, filter, chosen), favourites);
  const favourite = new Set(favourites);
  const labelled = menu.some((m) => m.labels?.length);
  const candidates =
    step === "dishes" && combo ? combo.categories.flatMap((c) => dishesFor(menu, c)) : step === "standalone" ? standalone : [];
  const hidden = candidates.length - visibleDishes(candidates, filter, chosen).length;
  const { lines, total } = priceDraft(draft, combos, menu);
  // Editing: the order's current total is already counted as spent this week.
  const budgetLeft = remaining === null ? null : remaining + (order ? Number(order.total_price) : 0) - total;

  const update = (change: (draft: Draft) => Draft) => {
    hapticSelect();
    setError(null);
    setDraft((current) => change(structuredClone(current)));
  };

  const problems: string[] = [];
  if (step === "dishes") {
    problems.push(...missingPicks(draft, combo).map((c) => t.order.pickOne(categoryName(c))));
    problems.push(...missingPickOptions(draft, menu, combo).map((m) => t.order.optionNotChosen(m)));
  }
  if (step === "standalone") problems.push(...missingOptions(draft, menu).map((m) => t.order.optionNotChosen(m)));
  if (step === "summary" && isEmpty(draft)) problems.push(t.order.emptyCart);

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    const body = toOrderBody(draft, cafeId, date, combo);
    try {
      const saved = order
        ? await call(
            api.PATCH("/api/v1/orders/{order_id}", {
              params: { path: { order_id: order.id } },
              body: { combo_id: body.combo_id, items: body.items, extras: body.extras, notes: body.notes ?? "" },
            }),
          )
        : await call(api.POST("/api/v1/orders", { body }));
      hapticSuccess();
      navigate(`/orders/${saved.id}?${order ? "updated" : "placed"}=1`, { replace: true });
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
      setSubmitting(false);
    }
  };

  const next = () => {
    if (step === "summary") void submit();
    else {
      setStepIndex((i) => i + 1);
      window.scrollTo(0, 0);
    }
  };
  const back = stepIndex === 0 ? exit : () => setStepIndex((i) => i - 1);
  const mainText =
    step === "summary" ? `${order ? t.order.saveChanges : t.order.confirm} · ${formatMoney(total)}` : t.order.next;

  return (
    <Page
      back={back}
      main={{ text: mainText, onClick: next, enabled: problems.length === 0, loading: submitting }}
      testId={`wizard-${step}`}
    >
      <header className="px-7 pt-5">
        <div className="text-[13px] font-medium uppercase tracking-wide text-hint">
          {cafeName} · {capitalize(formatDate(date))}
        </div>
        <h1 className="mt-1 text-[26px] font-bold leading-tight text-text">{t.order.steps[step]}</h1>
        <div className="mt-3 flex gap-1" aria-label={t.order.step(stepIndex + 1, steps.length)}>
          {steps.map((s, i) => (
            <span key={s} className={`h-1 flex-1 rounded-full ${i <= stepIndex ? "bg-button" : "bg-hint/25"}`} />
          ))}
        </div>
      </header>

      {step === "combo" ? (
        <Section>
          <Cell
            before={<Radio checked={draft.comboId === null} />}
            title={t.order.noCombo}
            subtitle={t.order.noComboHint}
            onClick={() => update((d) => ({ ...d, comboId: null, picks: {}, pickOptions: {} }))}
          />
          {combos.map((c) => (
            <Cell
              key={c.id}
              before={<Radio checked={draft.comboId === c.id} />}
              title={c.name}
              subtitle={c.categories.map(categoryName).join(" + ")}
              after={<span className="text-text">{formatMoney(c.price)}</span>}
              onClick={() =>
                update((d) => ({ ...d, comboId: c.id, picks: d.comboId === c.id ? d.picks : {}, pickOptions: d.comboId === c.id ? d.pickOptions : {} }))
              }
            />
          ))}
        </Section>
      ) : null}

      {labelled && (step === "dishes" || step === "standalone") ? (
        <LabelFilterBar filter={filter} onChange={setFilter} hidden={hidden} />
      ) : null}

      {step === "dishes" && combo
        ? combo.categories.map((category) => {
            const dishes = listed(dishesFor(menu, category));
            const picked = dishes.find((dish) => dish.id === draft.picks[category]);
            return (
              <Section key={category} title={categoryName(category)}>
                {dishes.length === 0 ? <Cell title={t.order.nothingHere} /> : null}
                {dishes.map((dish) => (
                  <Cell
                    key={dish.id}
                    before={<Radio checked={draft.picks[category] === dish.id} />}
                    testId={`pick-${dish.id}`}
                    multiline
                    title={dish.name}
                    subtitle={
                      dish.description || dish.labels?.length || favourite.has(dish.id) ? (
                        <>
                          {favourite.has(dish.id) ? <span className="text-accent">{t.repeat.favourite} </span> : null}
                          {dish.description}
                          <LabelChips labels={dish.labels} />
                        </>
                      ) : undefined
                    }
                    onClick={() =>
                      update((d) => ({
                        ...d,
                        picks: { ...d.picks, [category]: dish.id },
                        pickOptions: { ...d.pickOptions, [category]: d.picks[category] === dish.id ? (d.pickOptions[category] ?? {}) : {} },
                      }))
                    }
                  />
                ))}
                {picked?.options.length ? (
                  <div className="cell relative px-4 pt-2" data-testid={`pick-options-${category}`}>
                    {picked.options.map((option) => (
                      <div key={option.id}>
                        <div className="pb-1.5 text-[13px] text-hint">
                          {picked.name}: {option.name}
                          <OptionPrice price={option.price} />
                          {option.is_required ? ` · ${t.order.required}` : ""}
                        </div>
                        <Chips
                          label={`${picked.name}: ${option.name}`}
                          values={option.values}
                          selected={draft.pickOptions[category]?.[option.name]}
                          onSelect={(value) =>
                            update((d) => {
                              d.pickOptions[category] = toggled(d.pickOptions[category] ?? {}, option, value);
                              return d;
                            })
                          }
                        />
                      </div>
                    ))}
                  </div>
                ) : null}
              </Section>
            );
          })
        : null}

      {step === "standalone" ? (
        <Section footer={t.order.standaloneHint}>
          {listed(standalone).map((dish) => {
            const pick = draft.standalone[dish.id];
            return (
              <div key={dish.id} className="cell relative px-4" data-testid={`dish-${dish.id}`}>
                <div className="flex min-h-11 items-center py-2.5">
                  <div className="min-w-0 flex-1">
                    <div className="text-[16px] text-text">{dish.name}</div>
                    <div className="text-[14px] text-subtitle">
                      {favourite.has(dish.id) ? <span className="text-accent">{t.repeat.favourite} · </span> : null}
                      {categoryName(dish.category)} · {formatMoney(dish.price)}
                    </div>
                    <LabelChips labels={dish.labels} />
                  </div>
                  <Stepper
                    label={dish.name}
                    value={pick?.quantity ?? 0}
                    onChange={(quantity) =>
                      update((d) => {
                        if (quantity <= 0) delete d.standalone[dish.id];
                        else d.standalone[dish.id] = { quantity, options: d.standalone[dish.id]?.options ?? {} };
                        return d;
                      })
                    }
                  />
                </div>
                {pick
                  ? dish.options.map((option) => (
                      <div key={option.id}>
                        <div className="pb-1.5 text-[13px] text-hint">
                          {option.name}
                          <OptionPrice price={option.price} />
                          {option.is_required ? ` · ${t.order.required}` : ""}
                        </div>
                        <Chips
                          label={option.name}
                          values={option.values}
                          selected={pick.options[option.name]}
                          onSelect={(value) =>
                            update((d) => {
                              const current = d.standalone[dish.id];
                              if (current) current.options = toggled(current.options, option, value);
                              return d;
                            })
                          }
                        />
                      </div>
                    ))
                  : null}
              </div>
            );
          })}
        </Section>
      ) : null}

      {step === "extras" ? (
        <Section>
          {extraItems.map((item) => (
            <Cell
              key={item.id}
              testId={`extra-${item.id}`}
              title={item.name}
              subtitle={formatMoney(item.price)}
              after={
                <Stepper
                  label={item.name}
                  value={draft.extras[item.id] ?? 0}
                  onChange={(quantity) => update((d) => ({ ...d, extras: { ...d.extras, [item.id]: quantity } }))}
                />
              }
            />
          ))}
        </Section>
      ) : null}

      {step === "summary" ? (
        <>
          <Section title={t.order.steps.note}>
            <textarea
              className="block min-h-20 w-full resize-none bg-transparent px-4 py-3 text-[16px] text-text outline-none placeholder:text-hint"
              placeholder={t.order.notePlaceholder}
              aria-label={t.order.steps.note}
              maxLength={500}
              value={draft.notes}
              onChange={(event) => {
                const notes = event.target.value;
                setDraft((d) => ({ ...d, notes }));
              }}
            />
          </Section>
          <Section title={t.order.steps.summary} testId="summary">
            {lines.length === 0 ? <Empty>{t.order.emptyCart}</Empty> : null}
            {lines.map((line, i) => (
              <Cell
                key={i}
                multiline
                title={line.quantity > 1 ? `${line.name} × ${line.quantity}` : line.name}
                subtitle={line.detail || undefined}
                after={<span className="text-text">{formatMoney(line.amount)}</span>}
              />
            ))}
            <Cell
              title={<span className="font-semibold">{t.order.total}</span>}
              after={<span className="text-[17px] font-semibold text-text" data-testid="total">{formatMoney(total)}</span>}
            />
          </Section>
          <Section>
            {budgetLeft === null ? (
              <Cell title={t.order.noLimit} />
            ) : budgetLeft >= 0 ? (
              <Cell title={t.order.budgetLeft} after={<span data-testid="budget-left">{formatMoney(budgetLeft)}</span>} />
            ) : (
              <Cell
                title={<span className="text-destructive">{t.order.budgetOver}</span>}
                after={<span className="text-destructive" data-testid="budget-left">{formatMoney(-budgetLeft)}</span>}
              />
            )}
          </Section>
        </>
      ) : null}

      {problems.length ? <Notice>{problems.join(" · ")}</Notice> : null}
      {error ? <ErrorBox error={error} /> : null}
    </Page>
  );
}

/** What a priced option adds, beside its name ("Большая порция · +50 ₽"); nothing when free. */
function OptionPrice({ price }: { price: number | string }) {
  const amount = Number(price);
  return amount > 0 ? <span className="text-accent"> · +{formatMoney(amount)}</span> : null;
}

/** The options with `value` chosen; tapping the chosen value of an optional one clears it, so a
 *  priced extra (a large portion) can be taken back. */
function toggled(options: Record<string, string>, option: MenuOption, value: string): Record<string, string> {
  const next = { ...options };
  if (!option.is_required && next[option.name] === value) delete next[option.name];
  else next[option.name] = value;
  return next;
}
