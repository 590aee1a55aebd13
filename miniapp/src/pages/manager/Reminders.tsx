// Reminders and deliveries for managers: the company-wide reminder setting, who has not ordered
// for a date (and a reminder to them now), and when each cafe delivered.

import { useState } from "react";
import { api, call, type Schemas } from "../../api/client";
import { Page } from "../../components/Page";
import { Button, Cell, Empty, ErrorBox, Field, Section, Spinner, Toggle } from "../../components/ui";
import { formatClockAt } from "../../lib/format";
import { useAction } from "../../lib/useAction";
import { useQuery } from "../../lib/useQuery";
import { t } from "../../strings";

type NotOrdered = Schemas["NotOrderedOut"];

function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

function DateRow({ date, setDate }: { date: string; setDate: (value: string) => void }) {
  return (
    <Section>
      <label className="cell relative flex min-h-11 items-center px-4">
        <span className="flex-1 text-[16px] text-text">{t.manage.date}</span>
        <input type="date" aria-label={t.manage.date} className="bg-transparent text-[16px] text-link" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
    </Section>
  );
}

export function ReminderSettings() {
  const query = useQuery(() => call(api.GET("/api/v1/reminders/settings")), [], "reminders/settings");
  if (!query.data)
    return (
      <Page title={t.reminders.settings} back="/manage">
        {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : <Spinner />}
      </Page>
    );
  return <SettingsForm key={query.data.updated_at ?? "new"} enabled={query.data.is_enabled} minutes={query.data.minutes_before} />;
}

function SettingsForm({ enabled, minutes }: { enabled: boolean; minutes: number }) {
  const [on, setOn] = useState(enabled);
  const [before, setBefore] = useState(String(minutes));
  const save = useAction();
  const submit = () =>
    void save.run(
      () => call(api.PUT("/api/v1/reminders/settings", { body: { is_enabled: on, minutes_before: Number(before.trim()) } })),
      t.manage.saved,
      ["reminders/settings"],
    );
  return (
    <Page
      title={t.reminders.settings}
      back="/manage"
      main={{ text: t.save, onClick: submit, enabled: /^\d+$/u.test(before.trim()), loading: save.busy }}
      testId="page-reminder-settings"
    >
      <Section footer={t.reminders.settingsHint}>
        <Cell title={t.reminders.enabled} after={<Toggle label={t.reminders.enabled} checked={on} onChange={setOn} />} />
        <Field
          label={t.reminders.minutesBefore}
          value={before}
          onChange={setBefore}
          inputMode="numeric"
          placeholder="30"
          error={save.error?.field("minutes_before")}
        />
      </Section>
      <p className="mx-7 mt-1 text-[13px] text-hint">{t.reminders.minutesHint}</p>
      {save.error && !save.error.field("minutes_before") ? <ErrorBox error={save.error} /> : null}
    </Page>
  );
}

function reminderState(person: NotOrdered): string {
  const states = t.reminders.state;
  if (person.reminder === "skipped" && person.reminder_reason?.startsWith("blocked")) return states.blocked ?? "";
  if (person.reminder === "skipped" && person.reminder_reason === "bot_not_started") return states.noBot ?? "";
  if (person.reminder) return states[person.reminder] ?? person.reminder;
  if (!person.reminders_enabled) return states.off ?? "";
  if (!person.bot_started) return states.noBot ?? "";
  return "";
}

export function NotOrderedList() {
  const [date, setDate] = useState(todayIso);
  const key = `reminders/not-ordered/${date}`;
  const query = useQuery(() => call(api.GET("/api/v1/reminders/not-ordered", { params: { query: { date } } })), [date], key);
  const remind = useAction();
  const [done, setDone] = useState<string | null>(null);
  const people = query.data?.items ?? [];
  const reachable = people.filter((p) => p.reminders_enabled && p.bot_started && p.reminder !== "sent");
  const remindNow = () => {
    let count = 0;
    void remind
      .run(async () => {
        const round = await call(api.POST("/api/v1/reminders/send-now", { body: { date } }));
        count = round.people;
      }, undefined, [key])
      .then((ok) => {
        if (ok) setDone(t.reminders.remindNowDone(count));
      });
  };
  return (
    <Page title={t.reminders.notOrdered} back="/manage" testId="page-not-ordered">
      <DateRow
        date={date}
        setDate={(value) => {
          setDone(null);
          setDate(value);
        }}
      />
      {query.loading && !query.data ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {query.data && people.length === 0 ? <Empty>{t.reminders.nobody}</Empty> : null}
      {people.length ? (
        <Section title={`${t.reminders.notOrdered} · ${people.length}`} testId="not-ordered">
          {people.map((person) => {
            const state = reminderState(person);
            return (
              <Cell
                key={person.tgid}
                testId={`person-${person.tgid}`}
                title={person.name}
                subtitle={person.office || undefined}
                after={state ? <span className={person.reminder === "sent" ? "text-accent" : "text-hint"}>{state}</span> : undefined}
              />
            );
          })}
        </Section>
      ) : null}
      {query.data && people.length ? (
        <Button onClick={remindNow} disabled={remind.busy || reachable.length === 0}>
          🔔 {t.reminders.remindNow}
        </Button>
      ) : null}
      {done ? (
        <p className="mx-7 mt-3 text-[14px] leading-snug text-accent" role="status" data-testid="reminded">
          ✓ {done}
        </p>
      ) : null}
      {remind.error ? <ErrorBox error={remind.error} /> : null}
    </Page>
  );
}

export function Deliveries() {
  const [date, setDate] = useState(todayIso);
  const query = useQuery(
    async () => {
      // The open weeks carry the server's "now" in company time: its offset dates the deliveries.
      const [list, week] = await Promise.all([
        call(api.GET("/api/v1/deliveries", { params: { query: { date } } })),
        call(api.GET("/api/v1/orders/availability")),
      ]);
      return { items: list.items, now: week.now };
    },
    [date],
    `deliveries/${date}`,
  );
  const cafes = query.data?.items ?? [];
  return (
    <Page title={t.delivery.title} back="/manage" testId="page-deliveries">
      <DateRow date={date} setDate={setDate} />
      {query.loading && !query.data ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {query.data && cafes.length === 0 ? <Empty>{t.delivery.none}</Empty> : null}
      {cafes.length ? (
        <Section testId="deliveries">
          {cafes.map((cafe) => (
            <Cell
              key={cafe.cafe_id}
              testId={`delivery-${cafe.cafe_id}`}
              multiline
              title={cafe.cafe_name}
              subtitle={[
                t.delivery.orders(cafe.orders),
                cafe.delivered_at ? t.delivery.notified(cafe.notified) : null,
                cafe.reported_by,
              ]
                .filter(Boolean)
                .join(" · ")}
              after={
                cafe.delivered_at ? (
                  <span className="font-medium text-[#31b545]">✓ {formatClockAt(cafe.delivered_at, query.data?.now)}</span>
                ) : (
                  <span className="text-hint">{t.delivery.notYet}</span>
                )
              }
            />
          ))}
        </Section>
      ) : null}
    </Page>
  );
}
