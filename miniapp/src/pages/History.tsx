import { api, call } from "../api/client";
import { Page } from "../components/Page";
import { Cell, Empty, ErrorBox, Section, Spinner } from "../components/ui";
import { capitalize, formatDate, formatMoney } from "../lib/format";
import { navigate } from "../lib/router";
import { useQuery } from "../lib/useQuery";
import { t } from "../strings";

export function History({ flash }: { flash: string | null }) {
  const query = useQuery(() => call(api.GET("/api/v1/orders", { params: { query: { limit: 100 } } })), []);
  let body;
  if (query.loading) body = <Spinner />;
  else if (query.error || !query.data) body = <ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} />;
  else if (query.data.items.length === 0) body = <Empty>{t.history.empty}</Empty>;
  else {
    const orders = [...query.data.items].sort((a, b) => b.order_date.localeCompare(a.order_date) || b.id - a.id);
    body = (
      <Section testId="history">
        {orders.map((order) => {
          const what = [
            order.combo?.combo_name,
            ...order.items.filter((i) => i.type === "standalone").map((i) => i.menu_item_name),
            ...order.extras.map((e) => e.menu_item_name),
          ]
            .filter(Boolean)
            .join(", ");
          const cancelled = order.status === "cancelled";
          return (
            <Cell
              key={order.id}
              testId={`order-${order.id}`}
              multiline
              title={
                <span className={cancelled ? "text-hint line-through" : undefined}>
                  {capitalize(formatDate(order.order_date))} · {order.cafe_name}
                </span>
              }
              subtitle={
                <>
                  {what}
                  {cancelled ? <span className="text-destructive"> · {t.history.status.cancelled}</span> : null}
                  {!cancelled && order.delivered_at ? (
                    <span className="text-[#31b545]" data-testid="delivered">
                      {" "}
                      · ✓ {t.delivery.delivered}
                    </span>
                  ) : null}
                </>
              }
              after={<span className="text-text">{formatMoney(order.total_price)}</span>}
              chevron
              onClick={() => navigate(`/orders/${order.id}`)}
            />
          );
        })}
      </Section>
    );
  }
  return (
    <Page title={t.history.title} testId="page-history">
      {flash ? <p className="mx-7 mt-2 text-[15px] text-accent" role="status">✓ {t.order.cancelled}</p> : null}
      {body}
    </Page>
  );
}
