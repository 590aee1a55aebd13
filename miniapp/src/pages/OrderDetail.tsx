// One order: what was ordered, the total, and — until the deadline — edit and cancel.

import { useState } from "react";
import { api, call, type Order } from "../api/client";
import { Page } from "../components/Page";
import { Button, Cell, ErrorBox, Notice, Section, Spinner } from "../components/ui";
import { confirmAction, hapticError, hapticSuccess } from "../init";
import { capitalize, formatClock, formatCountdown, formatDate, formatClockAt, formatDayMonth, formatMoney } from "../lib/format";
import { navigate } from "../lib/router";
import { useCountdown } from "../lib/useCountdown";
import { asApiError, useQuery } from "../lib/useQuery";
import type { ApiError } from "../api/client";
import { categoryName, t } from "../strings";
import { RepeatRefusal, useRepeat } from "./Home";

async function loadOrder(id: number) {
  const order = await call(api.GET("/api/v1/orders/{order_id}", { params: { path: { order_id: id } } }));
  const [availability, week, mine] = await Promise.all([
    call(
      api.GET("/api/v1/orders/availability/{date}", {
        params: { path: { date: order.order_date }, query: { cafe_id: order.cafe_id } },
      }),
    ),
    call(api.GET("/api/v1/orders/availability")),
    call(api.GET("/api/v1/orders", { params: { query: { limit: 100 } } })),
  ]);
  // Dates this cafe still takes orders for and the person has no order there yet.
  const taken = new Set(
    mine.items.filter((o) => o.cafe_id === order.cafe_id && o.status !== "cancelled").map((o) => o.order_date),
  );
  const repeatDates = (week.cafes.find((c) => c.cafe.id === order.cafe_id)?.days ?? [])
    .filter((day) => day.can_order && !taken.has(day.date))
    .map((day) => day.date);
  return { order, availability, repeatDates };
}

/** The chosen values as the order keeps them, a priced one with what it added: "Да +50 ₽". */
function chosen(options: Record<string, string>, prices: Record<string, number> | undefined): string {
  return Object.entries(options)
    .map(([name, value]) => (prices?.[name] ? `${value} +${formatMoney(prices[name])}` : value))
    .join(", ");
}

export function OrderLines({ order }: { order: Order }) {
  const picks = order.items.filter((item) => item.type === "combo");
  // The combo's line includes what its dishes' priced options added, so the lines sum to the total.
  const comboAmount = Number(order.combo?.combo_price ?? 0) + picks.reduce((sum, item) => sum + Number(item.options_price ?? 0), 0);
  return (
    <>
      {order.combo ? (
        <Cell
          multiline
          title={order.combo.combo_name}
          subtitle={picks
            .map((item) => {
              const options = chosen(item.options ?? {}, item.option_prices);
              return `${categoryName(item.category)}: ${item.menu_item_name}${options ? ` (${options})` : ""}`;
            })
            .join(" · ")}
          after={<span className="text-text">{formatMoney(comboAmount)}</span>}
        />
      ) : null}
      {order.items.map((item, i) =>
        item.type === "standalone" ? (
          <Cell
            key={i}
            multiline
            title={item.quantity > 1 ? `${item.menu_item_name} × ${item.quantity}` : item.menu_item_name}
            subtitle={chosen(item.options, item.option_prices) || undefined}
            after={<span className="text-text">{formatMoney(item.subtotal)}</span>}
          />
        ) : null,
      )}
      {order.extras.map((extra, i) => (
        <Cell
          key={`e${i}`}
          title={extra.quantity > 1 ? `${extra.menu_item_name} × ${extra.quantity}` : extra.menu_item_name}
          after={<span className="text-text">{formatMoney(extra.subtotal)}</span>}
        />
      ))}
    </>
  );
}

export function OrderDetail({ id, flash }: { id: number; flash: string | null }) {
  const query = useQuery(() => loadOrder(id), [id]);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const seconds = useCountdown(query.data?.availability.seconds_remaining ?? null);
  const repeat = useRepeat();

  if (query.loading) return <Page back="/history"><Spinner /></Page>;
  if (query.error || !query.data)
    return <Page back="/history"><ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} /></Page>;

  const { order, availability, repeatDates } = query.data;
  const open = order.status !== "cancelled" && availability.can_order && (seconds === null || seconds > 0);

  const cancel = async () => {
    if (!(await confirmAction(t.order.cancelConfirm, t.order.cancelOrder))) return;
    setCancelling(true);
    try {
      await call(api.DELETE("/api/v1/orders/{order_id}", { params: { path: { order_id: order.id } } }));
      hapticSuccess();
      navigate("/history?cancelled=1", { replace: true });
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
      setCancelling(false);
      query.reload();
    }
  };

  return (
    <Page
      back="/"
      main={open ? { text: t.order.editOrder, onClick: () => navigate(`/orders/${order.id}/edit`) } : null}
      testId="page-order"
    >
      {flash ? (
        <div className="mx-3 mt-4 rounded-xl bg-section px-4 py-3 text-center text-[15px] font-medium text-accent" role="status">
          ✓ {flash === "updated" ? t.order.updated : t.order.placed}
        </div>
      ) : null}
      <header className="px-7 pt-5">
        <div className="text-[13px] font-medium uppercase tracking-wide text-hint">
          {order.cafe_name} · {t.history.status[order.status] ?? order.status}
        </div>
        <h1 className="mt-1 text-[26px] font-bold leading-tight text-text">{capitalize(formatDate(order.order_date))}</h1>
        {order.delivered_at && order.status !== "cancelled" ? (
          <span className="mt-2 inline-block rounded-full bg-[#31b545]/15 px-3 py-1 text-[14px] font-medium text-[#31b545]" data-testid="delivered">
            ✓ {t.delivery.deliveredAt(formatClockAt(order.delivered_at, availability.now))}
          </span>
        ) : null}
      </header>
      <Section>
        <OrderLines order={order} />
        <Cell
          title={<span className="font-semibold">{t.order.total}</span>}
          after={<span className="text-[17px] font-semibold text-text" data-testid="total">{formatMoney(order.total_price)}</span>}
        />
      </Section>
      {order.notes ? (
        <Section title={t.order.steps.note}>
          <Cell multiline title={order.notes} />
        </Section>
      ) : null}
      {open ? (
        <>
          <Notice>
            {t.order.canChangeFor} {formatCountdown(seconds ?? 0)} — {t.order.until}{" "}
            {availability.deadline ? formatClock(availability.deadline) : ""}.
          </Notice>
          <Button kind="destructive" onClick={() => void cancel()} disabled={cancelling}>
            {t.order.cancelOrder}
          </Button>
        </>
      ) : order.status !== "cancelled" ? (
        <Notice>{t.order.deadlinePassed}</Notice>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
      {order.status !== "cancelled" && repeatDates.length ? (
        <Section title={t.repeat.title} footer={t.repeat.hint} testId="repeat">
          {repeatDates.map((date) => (
            <Cell
              key={date}
              testId={`repeat-on-${date}`}
              before={<span className="text-[20px] text-link" aria-hidden>↻</span>}
              title={<span className="text-link">{t.repeat.forDate(formatDayMonth(date))}</span>}
              onClick={() => {
                if (!repeat.busy) repeat.run(order, date);
              }}
            />
          ))}
        </Section>
      ) : null}
      <RepeatRefusal error={repeat.error} />
    </Page>
  );
}
