// The manager section: people, access, cafes and menus, deadlines, cafe chats, orders, reports.

import { Page } from "../../components/Page";
import { Cell, Section } from "../../components/ui";
import { api, call } from "../../api/client";
import { match, navigate } from "../../lib/router";
import { useQuery } from "../../lib/useQuery";
import { t } from "../../strings";
import { AccessRequests, EmployeeEdit, EmployeeImport, EmployeeNew, Employees } from "./People";
import { CafeDetail, Cafes, CafeNew } from "./Cafes";
import { LinkRequests, Orders, Reports } from "./Operations";

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
      </Section>
    </Page>
  );
}

export default function Manage({ path }: { path: string }) {
  const clean = path.split("?")[0] ?? "";
  let params;
  if (clean === "/manage/employees") return <Employees />;
  if (clean === "/manage/employees/new") return <EmployeeNew />;
  if (clean === "/manage/employees/import") return <EmployeeImport />;
  if ((params = match("/manage/employees/:tgid", clean))) return <EmployeeEdit tgid={Number(params.tgid)} />;
  if (clean === "/manage/requests") return <AccessRequests />;
  if (clean === "/manage/cafes") return <Cafes />;
  if (clean === "/manage/cafes/new") return <CafeNew />;
  if ((params = match("/manage/cafes/:id", clean))) return <CafeDetail id={Number(params.id)} />;
  if (clean === "/manage/links") return <LinkRequests />;
  if (clean === "/manage/orders") return <Orders />;
  if (clean === "/manage/reports") return <Reports />;
  return <Home />;
}
