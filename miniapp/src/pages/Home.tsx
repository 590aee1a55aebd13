// The dates open for ordering, each with its cafes and a live countdown to the cafe's deadline.

import { useEffect, useRef } from "react";
import { api, call, type ApiError, type Cafe, type Order } from "../api/client";
import { useUser } from "../auth";
import { Page } from "../components/Page";
import { Cell, Empty, ErrorBox, Section, Spinner } from "../components/ui";
import { capitalize, formatClock, formatCountdown, formatDate, formatMoney } from "../lib/format";
import { navigate } from "../lib/router";
import { useCountdown } from "../lib/useCountdown";
import { lastOrderAt, orderSummary } from "../lib/repeat";
import { useAction } from "../lib/useAction";
import { useQuery } from "../lib/useQuery";
import { t } from "../strings";

interface OpenSlot {
  cafe: Cafe;
  date: string;
  deadlineAt: string;
  remaining: number | null;
}

// One call gives every open cafe's week with instants and seconds left from the server's clock;
// nothing is worked out from strings or the device's clock.
async function loadOpenSlots(): Promise<{ slots: OpenSlot[]; cafes: Cafe[]; orders: Order[] }> {
  const [open, orderList] = await Promise.all([
    call(api.GET("/api/v1/orders/availability")),
    call(api.GET("/api/v1/orders", { params: { query: { limit: 100 } } })),
  ]);
  const slots = open.cafes.flatMap(({ cafe, days }) =>
    days
      .filter((day) => day.can_order && day.deadline_at)
      .map((day) => ({ cafe, date: day.date, deadlineAt: day.deadline_at ?? "", remaining: day.seconds_remaining ?? null })),
  );
  return { slots, cafes: open.cafes.map((week) => week.cafe), orders: orderList.items };
}

function Countdown({ remaining }: { remaining: number | null }) {
  const seconds = useCountdown(remaining);
  if (seconds === null) return null;
  const urgent = seconds < 30 * 60;
  return (
    <span className={urgent ? "text-destructive" : "text-accent"} data-testid="countdown">
      {seconds > 0 ? `${t.home.left} ${formatCountdown(seconds)}` : t.home.closed}
    </span>
  );
}

/** Places the same order again for `date`: one request, re-priced and re-checked by the server. */
export function useRepeat(): { run: (order: Order, date: string) => void; busy: boolean; error: ApiError | null } {
  const action = useAction();
  const run = (order: Order, date: string) => {
    let placed = 0;
    void action
      .run(async () => {
        const created = await call(
          api.POST("/api/v1/orders/{order_id}/repeat", {
            params: { path: { order_id: order.id } },
            body: { order_date: date },
          }),
        );
        placed = created.id;
      })
      .then((ok) => {
        if (ok) navigate(`/orders/${placed}?placed=1`);
      });
  };
  return { run, busy: action.busy, error: action.error };
}

/** The refusal of a repeat, with the server's words naming what is gone from the menu. */
export function RepeatRefusal({ error }: { error: ApiError | null }) {
  const box = useRef<HTMLDivElement>(null);
  // Tapped far down the list: bring the refusal into view.
  useEffect(() => box.current?.scrollIntoView({ block: "nearest", behavior: "smooth" }), [error]);
  if (!error) return null;
  return (
    <div ref={box} className="mx-3 mt-4 rounded-xl bg-section px-4 py-3" role="alert" data-testid="repeat-refused">
      <div className="text-[15px] font-semibold text-destructive">{t.repeat.refused}</div>
      <div className="mt-1 text-[15px] leading-snug text-text">{error.message}</div>
    </div>
  );
}

export function Home() {
  const user = useUser();
  const query = useQuery(loadOpenSlots, []);
  const repeat = useRepeat();
  const firstName = user.name.split(" ")[0];

  let body;
  if (query.loading && !query.data) body = <Spinner />;
  else if (query.error) body = <ErrorBox error={query.error} onRetry={query.reload} />;
  else if (query.data) {
    const { slots, cafes, orders } = query.data;
    const dates = [...new Set(slots.map((slot) => slot.date))].sort();
    if (cafes.length === 0) body = <Empty>{t.home.noCafes}</Empty>;
    else if (dates.length === 0) body = <Empty>{t.home.noDates}</Empty>;
    else
      body = dates.map((date) => (
        <Section key={date} title={capitalize(formatDate(date))} testId={`date-${date}`}>
          {slots
            .filter((slot) => slot.date === date)
            .map((slot) => {
              const mine = orders.find(
                (order) => order.cafe_id === slot.cafe.id && order.order_date === date && order.status !== "cancelled",
              );
              const last = mine ? null : lastOrderAt(orders, slot.cafe.id, date);
              return [
                <Cell
                  key={slot.cafe.id}
                  testId={`slot-${slot.cafe.id}-${date}`}
                  before={<CafeAvatar name={slot.cafe.name} />}
                  title={slot.cafe.name}
                  subtitle={
                    <>
                      {t.home.orderUntil(formatClock(slot.deadlineAt))} · <Countdown remaining={slot.remaining} />
                    </>
                  }
                  after={
                    mine ? (
                      <span className="rounded-full bg-button/12 px-2.5 py-1 text-[13px] font-medium text-button">
                        {formatMoney(mine.total_price)}
                      </span>
                    ) : undefined
                  }
                  chevron
                  onClick={() => navigate(mine ? `/orders/${mine.id}` : `/order/${slot.cafe.id}/${date}`)}
                />,
                last ? (
                  <Cell
                    key={`repeat-${slot.cafe.id}`}
                    testId={`repeat-${slot.cafe.id}-${date}`}
                    before={<span className="flex h-10 w-10 items-center justify-center text-[22px]" aria-hidden>↻</span>}
                    title={<span className="text-link">{t.repeat.title}</span>}
                    subtitle={orderSummary(last)}
                    onClick={() => {
                      if (!repeat.busy) repeat.run(last, date);
                    }}
                  />
                ) : null,
              ];
            })}
        </Section>
      ));
  }

  return (
    <Page title={`${t.home.title}`} testId="page-home">
      <p className="px-7 pt-1 text-[15px] text-hint">{t.home.greeting(firstName ?? "")}</p>
      <RepeatRefusal error={repeat.error} />
      {body}
    </Page>
  );
}

const AVATAR_COLORS = ["#e17076", "#7bc862", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

export function CafeAvatar({ name }: { name: string }) {
  const code = [...name].reduce((sum, char) => sum + char.charCodeAt(0), 0);
  const initials = name
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .split(" ")
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0])
    .join("")
    .toUpperCase();
  return (
    <span
      className="flex h-10 w-10 items-center justify-center rounded-full text-[15px] font-semibold text-white"
      style={{ background: AVATAR_COLORS[code % AVATAR_COLORS.length] }}
      aria-hidden
    >
      {initials}
    </span>
  );
}
