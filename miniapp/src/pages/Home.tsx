// The dates open for ordering, each with its cafes and a live countdown to the cafe's deadline.

import { api, call, type Cafe, type Order } from "../api/client";
import { useUser } from "../auth";
import { Page } from "../components/Page";
import { Cell, Empty, ErrorBox, Section, Spinner } from "../components/ui";
import { capitalize, formatClock, formatCountdown, formatDate, formatMoney } from "../lib/format";
import { navigate } from "../lib/router";
import { useCountdown } from "../lib/useCountdown";
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

export function Home() {
  const user = useUser();
  const query = useQuery(loadOpenSlots, []);
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
              return (
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
                />
              );
            })}
        </Section>
      ));
  }

  return (
    <Page title={`${t.home.title}`} testId="page-home">
      <p className="px-7 pt-1 text-[15px] text-hint">{t.home.greeting(firstName ?? "")}</p>
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
