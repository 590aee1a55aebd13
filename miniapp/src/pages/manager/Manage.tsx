// The manager section: people, access, cafes and menus, deadlines, cafe chats, orders, reports.

import type { ReactNode } from "react";
import { Page } from "../../components/Page";
import { Cell, Section } from "../../components/ui";
import { api, call } from "../../api/client";
import { match, navigate, queryParam } from "../../lib/router";
import { useQuery } from "../../lib/useQuery";
import { t } from "../../strings";
import { AccessRequests, EmployeeEdit, EmployeeImport, EmployeeNew, Employees } from "./People";
import { CafeDetail, CafeEdit, Cafes, CafeNew, ComboEdit, DishEdit } from "./Cafes";
import { LinkRequests, Orders, Reports } from "./Operations";
import { Deliveries, NotOrderedList, ReminderSettings } from "./Reminders";

function Badge({ count }: { count: number | undefined }) {
  if (!count) return null;
  return <span className="rounded-full bg-button px-2 py-0.5 text-[13px] font-semibold text-button-text">{count}</span>;
}

function Home() {
  const counts = useQuery(async () => {
    const [access, links] = await Promise.all([
      call(api.GET("/api/v1/user-requests", { params: { query: { status: "pending" } } })),
      call(api.GET("/api/v1/cafe-requests", { params: { query: { status: "pending" } } })),
    ]);
    return { access: access.total, links: links.total };
  }, []);
  const item = (icon: string, title: string, path: string, count?: number) => (
    <Cell
      before={<span className="text-[22px]">{icon}</span>}
      title={title}
      after={<Badge count={count} />}
      chevron
      onClick={() => navigate(path)}
    />
  );
  return (
    <Page title={t.manage.title} testId="page-manage">
      <Section>
        {item("👥", t.manage.employees, "/manage/employees")}
        {item("🙋", t.manage.requests, "/manage/requests", counts.data?.access)}
      </Section>
      <Section>
        {item("🍽", t.manage.cafes, "/manage/cafes")}
        {item("🔗", t.manage.links, "/manage/links", counts.data?.links)}
      </Section>
      <Section>
        {item("🧾", t.manage.orders, "/manage/orders")}
        {item("📊", t.manage.reports, "/manage/reports")}
        {item("🚚", t.delivery.title, "/manage/deliveries")}
      </Section>
      <Section>
        {item("🙅", t.reminders.notOrdered, "/manage/not-ordered")}
        {item("🔔", t.reminders.settings, "/manage/reminders")}
      </Section>
    </Page>
  );
}

type Params = Record<string, string>;

// The section's screens by path; the first pattern that matches wins.
const ROUTES: [string, (params: Params, path: string) => ReactNode][] = [
  ["/manage/employees", () => <Employees />],
  ["/manage/employees/new", () => <EmployeeNew />],
  ["/manage/employees/import", () => <EmployeeImport />],
  ["/manage/employees/:tgid", (p) => <EmployeeEdit tgid={Number(p.tgid)} />],
  ["/manage/requests", () => <AccessRequests />],
  ["/manage/cafes", () => <Cafes />],
  ["/manage/cafes/new", () => <CafeNew />],
  ["/manage/cafes/:id", (p) => <CafeDetail id={Number(p.id)} />],
  ["/manage/cafes/:id/edit", (p) => <CafeEdit id={Number(p.id)} />],
  ["/manage/cafes/:id/dishes/new", (p, path) => <DishEdit cafeId={Number(p.id)} itemId={null} extra={queryParam(path, "extra") === "1"} />],
  ["/manage/cafes/:id/dishes/:item", (p) => <DishEdit cafeId={Number(p.id)} itemId={Number(p.item)} extra={false} />],
  ["/manage/cafes/:id/combos/new", (p) => <ComboEdit cafeId={Number(p.id)} comboId={null} />],
  ["/manage/cafes/:id/combos/:combo", (p) => <ComboEdit cafeId={Number(p.id)} comboId={Number(p.combo)} />],
  ["/manage/links", () => <LinkRequests />],
  ["/manage/orders", () => <Orders />],
  ["/manage/reports", () => <Reports />],
  ["/manage/deliveries", () => <Deliveries />],
  ["/manage/not-ordered", () => <NotOrderedList />],
  ["/manage/reminders", () => <ReminderSettings />],
];

export default function Manage({ path }: { path: string }) {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params, path);
  }
  return <Home />;
}
