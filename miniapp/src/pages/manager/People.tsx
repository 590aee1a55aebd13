// Employees: search, add, edit, block, promote, CSV import; and access requests.

import { useState } from "react";
import { ApiError, api, authHeaders, call, toApiError, type ImportReport } from "../../api/client";
import { Page } from "../../components/Page";
import { Button, Cell, Empty, ErrorBox, Field, Section, Spinner, toast } from "../../components/ui";
import { hapticError, hapticSuccess } from "../../init";
import { formatMoney } from "../../lib/format";
import { navigate } from "../../lib/router";
import { useAction } from "../../lib/useAction";
import { asApiError, useQuery } from "../../lib/useQuery";
import { t } from "../../strings";

export function Employees() {
  const [search, setSearch] = useState("");
  const query = useQuery(
    () => call(api.GET("/api/v1/users", { params: { query: { search: search.trim() || undefined, limit: 100 } } })),
    [search],
  );
  return (
    <Page title={t.manage.employees} back="/manage" testId="page-employees">
      <div className="mx-3 mt-4">
        <input
          type="search"
          className="w-full rounded-xl bg-section px-4 py-2.5 text-[16px] text-text outline-none placeholder:text-hint"
          placeholder={`${t.search}: ${t.manage.searchHint}`}
          aria-label={t.search}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <Section>
        <Cell accent title={`+ ${t.manage.addEmployee}`} onClick={() => navigate("/manage/employees/new")} />
        <Cell accent title={`${t.manage.import}`} onClick={() => navigate("/manage/employees/import")} />
      </Section>
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {query.loading && !query.data ? <Spinner /> : null}
      {query.data ? (
        query.data.items.length === 0 ? (
          <Empty>{t.manage.noEmployees}</Empty>
        ) : (
          <Section title={`${query.data.total}`} testId="employees">
            {query.data.items.map((user) => (
              <Cell
                key={user.tgid}
                title={
                  <>
                    {user.name}
                    {user.role === "manager" ? <span className="ml-2 text-[13px] text-accent">{t.manage.roleManager}</span> : null}
                  </>
                }
                subtitle={
                  <>
                    {user.office || "—"} · {user.tgid}
                    {!user.is_active ? <span className="text-destructive"> · {t.manage.blocked}</span> : null}
                  </>
                }
                chevron
                onClick={() => navigate(`/manage/employees/${user.tgid}`)}
              />
            ))}
          </Section>
        )
      ) : null}
    </Page>
  );
}

export function EmployeeNew() {
  const [tgid, setTgid] = useState("");
  const [name, setName] = useState("");
  const [office, setOffice] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const valid = /^\d+$/.test(tgid.trim()) && name.trim().length > 0;
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const user = await call(
        api.POST("/api/v1/users", { body: { tgid: Number(tgid.trim()), name: name.trim(), office: office.trim() } }),
      );
      hapticSuccess();
      navigate(`/manage/employees/${user.tgid}`, { replace: true });
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
      setSaving(false);
    }
  };
  return (
    <Page
      title={t.manage.addEmployee}
      back="/manage/employees"
      main={{ text: t.add, onClick: () => void save(), enabled: valid, loading: saving }}
      testId="page-employee-new"
    >
      <Section footer={t.manage.tgidHint}>
        <Field label={t.manage.tgid} value={tgid} onChange={setTgid} inputMode="numeric" placeholder="123456789" error={error?.field("tgid")} />
        <Field label={t.manage.name} value={name} onChange={setName} placeholder="Иван Петров" error={error?.field("name")} />
        <Field label={t.manage.office} value={office} onChange={setOffice} placeholder="Москва" error={error?.field("office")} />
      </Section>
      {error && !error.coveredBy(["tgid", "name", "office"]) ? <ErrorBox error={error} /> : null}
    </Page>
  );
}

async function loadEmployee(tgid: number) {
  const [user, balance] = await Promise.all([
    call(api.GET("/api/v1/users/{tgid}", { params: { path: { tgid } } })),
    call(api.GET("/api/v1/users/{tgid}/balance", { params: { path: { tgid } } })),
  ]);
  return { user, balance };
}

export function EmployeeEdit({ tgid }: { tgid: number }) {
  const query = useQuery(() => loadEmployee(tgid), [tgid], `employees/${tgid}`);
  if (query.loading && !query.data) return <Page back="/manage/employees"><Spinner /></Page>;
  if (!query.data) return <Page back="/manage/employees"><ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} /></Page>;
  return <EmployeeForm key={query.data.user.tgid} data={query.data} />;
}

function EmployeeForm({ data }: { data: Awaited<ReturnType<typeof loadEmployee>> }) {
  const { user, balance } = data;
  const [name, setName] = useState(user.name);
  const [office, setOffice] = useState(user.office);
  const [limit, setLimit] = useState(balance.weekly_limit == null ? "" : String(balance.weekly_limit));
  const save = useAction();
  const other = useAction();
  const [saved, setSaved] = useState(false);
  const key = [`employees/${user.tgid}`, "employees"];
  const path = { params: { path: { tgid: user.tgid } } };
  const edit = (setter: (value: string) => void) => (value: string) => {
    setter(value);
    setSaved(false);
  };
  // Name, office and limit in one request: either all of it is saved or none of it.
  const submit = async () => {
    const weekly = limit.trim() === "" ? null : limit.trim().replace(/\s/gu, "").replace(",", ".");
    const ok = await save.run(
      () => call(api.PATCH("/api/v1/users/{tgid}", { ...path, body: { name: name.trim(), office: office.trim(), weekly_limit: weekly } })),
      t.manage.saved,
      key,
    );
    setSaved(ok);
  };
  return (
    <Page
      title={user.name}
      back="/manage/employees"
      main={{ text: t.save, onClick: () => void submit(), loading: save.busy }}
      testId="page-employee"
    >
      <p className="px-7 pt-1 text-[15px] text-hint">
        {user.role === "manager" ? t.manage.roleManager : t.manage.roleUser} · {user.tgid}
        {!user.is_active ? <span className="text-destructive"> · {t.manage.blocked}</span> : null}
      </p>
      <Section footer={saved ? <span className="text-accent" data-testid="saved">✓ {t.manage.saved}</span> : undefined}>
        <Field label={t.manage.name} value={name} onChange={edit(setName)} error={save.error?.field("name")} />
        <Field label={t.manage.office} value={office} onChange={edit(setOffice)} error={save.error?.field("office")} />
        <Field
          label={t.manage.weeklyLimit}
          value={limit}
          onChange={edit(setLimit)}
          inputMode="decimal"
          placeholder={t.profile.noLimit}
          error={save.error?.field("weekly_limit")}
        />
      </Section>
      {save.error && !save.error.coveredBy(["name", "office", "weekly_limit"]) ? <ErrorBox error={save.error} /> : null}
      <Section footer={`${t.manage.spentThisWeek}: ${formatMoney(balance.spent_this_week)}`}>
        <Cell
          accent
          title={user.role === "manager" ? t.manage.demote : t.manage.promote}
          onClick={() =>
            void other.run(
              () => call(api.PATCH("/api/v1/users/{tgid}", { ...path, body: { role: user.role === "manager" ? "user" : "manager" } })),
              t.manage.saved,
              key,
            )
          }
        />
        <Cell
          destructive={user.is_active}
          accent={!user.is_active}
          title={user.is_active ? t.manage.block : t.manage.unblock}
          onClick={() =>
            void other.run(() => call(api.PATCH("/api/v1/users/{tgid}/access", { ...path, body: { enabled: !user.is_active } })), t.manage.saved, key)
          }
        />
      </Section>
      {other.error ? <ErrorBox error={other.error} /> : null}
    </Page>
  );
}

export function EmployeeImport() {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    setReport(null);
    const form = new FormData();
    form.append("file", file);
    try {
      const response = await fetch("/api/v1/users/import", { method: "POST", body: form, headers: authHeaders() });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw toApiError(body, response.status);
      setReport(body as ImportReport);
      hapticSuccess();
    } catch (reason) {
      hapticError();
      setError(reason instanceof ApiError ? reason : asApiError(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t.manage.import} back="/manage/employees" testId="page-import">
      <Section footer={t.manage.importHint}>
        <label className="cell tap relative flex min-h-11 cursor-pointer items-center px-4 text-[16px] text-link">
          {busy ? t.loading : t.manage.chooseFile}
          <input
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            aria-label={t.manage.chooseFile}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload(file);
            }}
          />
        </label>
      </Section>
      {report ? (
        <Section title={t.manage.importReport} testId="import-report">
          <Cell title={t.manage.importCreated} after={<span className="text-text">{report.created}</span>} />
          <Cell title={t.manage.importUpdated} after={<span className="text-text">{report.updated}</span>} />
          <Cell title={t.manage.importUnchanged} after={<span className="text-text">{report.unchanged}</span>} />
          {report.rejected.map((row) => (
            <Cell
              key={row.row}
              multiline
              title={<span className="text-destructive">{`${t.manage.row} ${row.row}${row.tgid ? ` (${row.tgid})` : ""}`}</span>}
              subtitle={row.reason}
            />
          ))}
        </Section>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </Page>
  );
}

export function AccessRequests() {
  const query = useQuery(() => call(api.GET("/api/v1/user-requests", { params: { query: { status: "pending" } } })), []);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (id: number, approve: boolean) => {
    setError(null);
    try {
      if (approve) await call(api.POST("/api/v1/user-requests/{request_id}/approve", { params: { path: { request_id: id } }, body: {} }));
      else await call(api.POST("/api/v1/user-requests/{request_id}/reject", { params: { path: { request_id: id } } }));
      hapticSuccess();
      toast(approve ? t.manage.approvedToast : t.manage.rejectedToast);
      query.reload();
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
    }
  };
  return (
    <Page title={t.manage.requests} back="/manage" testId="page-requests">
      {query.loading && !query.data ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {query.data?.items.length === 0 ? <Empty>{t.manage.noRequests}</Empty> : null}
      {query.data?.items.map((request) => (
        <Section key={request.id}>
          <Cell
            multiline
            title={request.name}
            subtitle={`${request.username ? `@${request.username} · ` : ""}${request.tgid}${request.office ? ` · ${request.office}` : ""}`}
          />
          <div className="cell relative flex">
            <button type="button" className="tap flex-1 py-3 text-[16px] font-medium text-link" onClick={() => void act(request.id, true)}>
              {t.manage.approve}
            </button>
            <button type="button" className="tap flex-1 py-3 text-[16px] text-destructive" onClick={() => void act(request.id, false)}>
              {t.manage.reject}
            </button>
          </div>
        </Section>
      ))}
      {error ? <ErrorBox error={error} /> : null}
    </Page>
  );
}

export { Button };
