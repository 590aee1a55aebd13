// Cafe link requests, orders by date and cafe, and the per-cafe report with downloads.

import { useState } from "react";
import { ApiError, api, call, download, type CafeReport } from "../../api/client";
import { Page } from "../../components/Page";
import { Button, Cell, Chips, Empty, ErrorBox, Section, Spinner, toast } from "../../components/ui";
import { canDownloadThroughTelegram, downloadThroughTelegram, hapticError, hapticSuccess } from "../../init";
import { formatDate, formatMoney } from "../../lib/format";
import { asApiError, useQuery } from "../../lib/useQuery";
import { categoryName, t } from "../../strings";
import { OrderLines } from "../OrderDetail";

function statusName(status: string): string {
  return ({ pending: t.manage.pending, approved: t.manage.approved, rejected: t.manage.rejected } as Record<string, string>)[status] ?? status;
}

async function loadLinkRequests() {
  const [requests, cafes] = await Promise.all([
    call(api.GET("/api/v1/cafe-requests", { params: { query: { limit: 100 } } })),
    call(api.GET("/api/v1/cafes", { params: { query: { active_only: false } } })),
  ]);
  return { items: requests.items, cafes: cafes.items };
}

export function LinkRequests() {
  const query = useQuery(loadLinkRequests, []);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (id: number, approve: boolean) => {
    setError(null);
    try {
      const path = { params: { path: { request_id: id } } };
      if (approve) await call(api.POST("/api/v1/cafe-requests/{request_id}/approve", path));
      else await call(api.POST("/api/v1/cafe-requests/{request_id}/reject", path));
      hapticSuccess();
      toast(approve ? t.manage.approvedToast : t.manage.rejectedToast);
      query.reload();
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
    }
  };
  const items = query.data?.items ?? [];
  const pending = items.filter((r) => r.status === "pending");
  const done = items.filter((r) => r.status !== "pending");
  return (
    <Page title={t.manage.links} back="/manage" testId="page-links">
      {query.loading && !query.data ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {error ? <ErrorBox error={error} /> : null}
      {query.data && pending.length === 0 ? <Empty>{t.manage.noLinkRequests}</Empty> : null}
      {pending.map((request) => {
        // Approving moves the cafe's orders to this chat: say so before the manager decides.
        const cafe = query.data?.cafes.find((c) => c.id === request.cafe_id);
        const current = cafe?.tg_chat_id && cafe.tg_chat_id !== request.tg_chat_id ? (cafe.tg_username ? `@${cafe.tg_username}` : String(cafe.tg_chat_id)) : null;
        return (
        <Section key={request.id} testId={`link-request-${request.id}`} footer={current ? t.manage.relinkWarning(current) : undefined}>
          <Cell multiline title={request.cafe_name} subtitle={`${request.tg_username ? `@${request.tg_username}` : t.manage.chat} · ${request.tg_chat_id}`} />
          <div className="cell relative flex">
            <button type="button" className="tap flex-1 py-3 text-[16px] font-medium text-link" onClick={() => void act(request.id, true)}>
              {t.manage.approve}
            </button>
            <button type="button" className="tap flex-1 py-3 text-[16px] text-destructive" onClick={() => void act(request.id, false)}>
              {t.manage.reject}
            </button>
          </div>
        </Section>
        );
      })}
      {done.length ? (
        <Section title={t.manage.processed}>
          {done.map((request) => (
            <Cell
              key={request.id}
              title={request.cafe_name}
              subtitle={request.tg_username ? `@${request.tg_username}` : String(request.tg_chat_id)}
              after={<span className={request.status === "approved" ? "text-accent" : "text-destructive"}>{statusName(request.status)}</span>}
            />
          ))}
        </Section>
      ) : null}
    </Page>
  );
}

function useCafes() {
  return useQuery(() => call(api.GET("/api/v1/cafes", { params: { query: { active_only: false } } })), []);
}

function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

function Filters({
  date,
  setDate,
  cafeId,
  setCafeId,
  allowAll,
}: {
  date: string;
  setDate: (v: string) => void;
  cafeId: number | null;
  setCafeId: (v: number | null) => void;
  allowAll?: boolean;
}) {
  const cafes = useCafes();
  const names = (cafes.data?.items ?? []).map((c) => c.name);
  const selected = cafes.data?.items.find((c) => c.id === cafeId)?.name ?? (allowAll ? t.manage.allCafes : undefined);
  return (
    <Section>
      <label className="cell relative flex min-h-11 items-center px-4">
        <span className="flex-1 text-[16px] text-text">{t.manage.date}</span>
        <input type="date" aria-label={t.manage.date} className="bg-transparent text-[16px] text-link" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <div className="cell relative px-4 pt-3">
        <Chips
          label={t.manage.cafe}
          values={allowAll ? [t.manage.allCafes, ...names] : names}
          selected={selected}
          onSelect={(name) => setCafeId(cafes.data?.items.find((c) => c.name === name)?.id ?? null)}
        />
      </div>
    </Section>
  );
}

export function Orders() {
  const [date, setDate] = useState(todayIso);
  const [cafeId, setCafeId] = useState<number | null>(null);
  const query = useQuery(
    () => call(api.GET("/api/v1/orders", { params: { query: { date, cafe_id: cafeId ?? undefined, limit: 200 } } })),
    [date, cafeId],
  );
  const active = query.data?.items.filter((o) => o.status !== "cancelled") ?? [];
  const total = active.reduce((sum, o) => sum + Number(o.total_price), 0);
  return (
    <Page title={t.manage.orders} back="/manage" testId="page-orders">
      <Filters date={date} setDate={setDate} cafeId={cafeId} setCafeId={setCafeId} allowAll />
      {query.loading && !query.data ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {query.data && active.length === 0 ? <Empty>{t.manage.noOrders}</Empty> : null}
      {active.length ? (
        <p className="px-7 pt-4 text-[14px] text-hint">
          {active.length} · {formatMoney(total)}
        </p>
      ) : null}
      {active.map((order) => (
        <Section key={order.id} title={`${order.user_name} · ${order.cafe_name}`}>
          <OrderLines order={order} />
          {order.notes ? <Cell multiline title={<span className="text-hint">💬 {order.notes}</span>} /> : null}
          <Cell title={<span className="font-semibold">{t.order.total}</span>} after={<span className="font-semibold text-text">{formatMoney(order.total_price)}</span>} />
        </Section>
      ))}
    </Page>
  );
}

export function Reports() {
  const [date, setDate] = useState(todayIso);
  const [cafeId, setCafeId] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const query = useQuery(
    () =>
      cafeId === null
        ? Promise.resolve(null)
        : // With format=json the endpoint answers the report (CSV is a file, downloaded below).
          (call(api.GET("/api/v1/summaries/report", { params: { query: { cafe_id: cafeId, date, format: "json" } } })) as Promise<CafeReport>),
    [date, cafeId],
  );
  const report = query.data;
  const get = async (format: "csv" | "json") => {
    if (cafeId === null) return;
    setError(null);
    try {
      if (format === "csv" && canDownloadThroughTelegram()) {
        // Telegram fetches the file itself, without our token: a one-minute signed link.
        const link = await call(api.POST("/api/v1/reports/export-link", { params: { query: { cafe_id: cafeId, date } } }));
        if (!(await downloadThroughTelegram(link.url, link.file_name))) return;
      } else {
        await download(`/api/v1/summaries/report?cafe_id=${cafeId}&date=${date}&format=${format}`, `report-${date}.${format}`);
      }
      hapticSuccess();
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
    }
  };
  return (
    <Page title={t.manage.reports} back="/manage" testId="page-reports">
      <Filters date={date} setDate={setDate} cafeId={cafeId} setCafeId={setCafeId} />
      {cafeId === null ? <Empty>{t.manage.pickCafeAndDate}</Empty> : null}
      {query.loading && cafeId !== null ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {report ? (
        <>
          <Section title={`${report.cafe_name} · ${formatDate(report.date_from)}`} testId="report">
            <Cell title={t.manage.totalOrders} after={<span className="text-text">{report.total_orders}</span>} />
            <Cell title={t.manage.totalAmount} after={<span className="font-semibold text-text">{formatMoney(report.total_amount)}</span>} />
          </Section>
          {report.combos_breakdown.length ? (
            <Section title={t.manage.combos}>
              {report.combos_breakdown.map((c, i) => (
                <Cell key={i} title={`${c.combo_name} × ${c.quantity}`} after={formatMoney(c.total)} />
              ))}
            </Section>
          ) : null}
          {report.items_breakdown.length ? (
            <Section title={t.manage.dishes}>
              {report.items_breakdown.map((item, i) => (
                <Cell key={i} title={`${item.menu_item_name} × ${item.quantity}`} subtitle={categoryName(item.category)} />
              ))}
            </Section>
          ) : null}
          {report.extras_breakdown.length ? (
            <Section title={t.manage.extras}>
              {report.extras_breakdown.map((e, i) => (
                <Cell key={i} title={`${e.menu_item_name} × ${e.quantity}`} after={formatMoney(e.total)} />
              ))}
            </Section>
          ) : null}
          {report.orders_with_notes.length ? (
            <Section title={t.manage.notes}>
              {report.orders_with_notes.map((n, i) => (
                <Cell key={i} multiline title={n.user_name} subtitle={n.notes} />
              ))}
            </Section>
          ) : null}
          <Button onClick={() => void get("csv")}>{t.manage.downloadCsv}</Button>
          <Button kind="plain" onClick={() => void get("json")}>
            {t.manage.downloadJson}
          </Button>
        </>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </Page>
  );
}
