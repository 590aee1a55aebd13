// Profile card: who, the weekly budget, 30-day stats and the nightly recommendations.

import { useEffect, useState } from "react";
import { ApiError, api, call, type Recommendations } from "../api/client";
import { useUser } from "../auth";
import { Page } from "../components/Page";
import { Cell, ErrorBox, Section, Spinner, Toggle } from "../components/ui";
import { refreshRefusal } from "../lib/advice";
import { useAction } from "../lib/useAction";
import { formatMoney } from "../lib/format";
import { useQuery } from "../lib/useQuery";
import { categoryName, t } from "../strings";
import { CafeAvatar } from "./Home";

async function loadProfile(tgid: number) {
  const [balance, reminders] = await Promise.all([
    call(api.GET("/api/v1/users/{tgid}/balance", { params: { path: { tgid } } })),
    call(api.GET("/api/v1/users/{tgid}/reminders", { params: { path: { tgid } } })),
  ]);
  let recommendations: Recommendations | null = null;
  try {
    recommendations = await call(api.GET("/api/v1/users/{tgid}/recommendations", { params: { path: { tgid } } }));
  } catch (reason) {
    // No recommendations yet (or the service is down): the card shows its placeholder.
    if (!(reason instanceof ApiError)) throw reason;
  }
  return { balance, reminders, recommendations };
}

function Reminders({ tgid, enabled, botStarted }: { tgid: number; enabled: boolean; botStarted: boolean }) {
  const [on, setOn] = useState(enabled);
  const save = useAction();
  const change = (value: boolean) => {
    setOn(value);
    void save
      .run(
        () => call(api.PUT("/api/v1/users/{tgid}/reminders", { params: { path: { tgid } }, body: { enabled: value } })),
        value ? t.reminders.on : t.reminders.off,
      )
      .then((ok) => {
        if (!ok) setOn(!value);
      });
  };
  return (
    <Section
      title={`🔔 ${t.reminders.title}`}
      testId="reminders"
      footer={
        on && !botStarted ? (
          <span className="text-destructive" data-testid="start-bot">
            {t.reminders.startBot}
          </span>
        ) : (
          t.reminders.hint
        )
      }
    >
      <Cell title={t.reminders.switch} after={<Toggle label={t.reminders.switch} checked={on} onChange={change} />} />
      {save.error ? <Cell multiline title={<span className="text-destructive">{save.error.message}</span>} /> : null}
    </Section>
  );
}

export function Profile() {
  const user = useUser();
  const query = useQuery(() => loadProfile(user.tgid), [user.tgid]);
  const [fresh, setFresh] = useState<Recommendations | null>(null);
  const refresh = useAction();
  useEffect(() => setFresh(null), [query.data]);
  const generate = () => {
    void refresh.run(async () => {
      setFresh(await call(api.POST("/api/v1/users/{tgid}/recommendations/generate", { params: { path: { tgid: user.tgid } } })));
    }, t.advice.refreshed);
  };
  const refusalText = refresh.error ? refreshRefusal(refresh.error) : null;

  let body;
  if (query.loading) body = <Spinner />;
  else if (query.error || !query.data) body = <ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} />;
  else {
    const { balance, reminders } = query.data;
    const recommendations = fresh ?? query.data.recommendations;
    const stats = recommendations?.stats;
    const ordersCount = stats?.orders_last_30_days ?? stats?.orders_count ?? 0;
    const categories = Object.entries(stats?.categories ?? {})
      .map(([name, share]) => [name, share.percent, share.count] as const)
      .sort((a, b) => b[1] - a[1]);
    body = (
      <>
        <Section title={`💰 ${t.profile.budget}`} testId="budget">
          <Cell
            title={t.profile.limit}
            after={<span className="text-text">{balance.weekly_limit == null ? t.profile.noLimit : `${formatMoney(balance.weekly_limit)}${t.profile.perWeek}`}</span>}
          />
          <Cell title={t.profile.spent} after={<span className="text-text">{formatMoney(balance.spent_this_week)}</span>} />
          {balance.remaining != null ? (
            <Cell
              title={<span className="font-semibold">{t.profile.remaining}</span>}
              after={<span className="font-semibold text-accent" data-testid="remaining">{formatMoney(balance.remaining)}</span>}
            />
          ) : null}
        </Section>
        <Section title={`🥗 ${t.profile.nutrition}`} testId="recommendations">
          <Cell title={t.profile.ordersMonth(ordersCount)} subtitle={stats ? t.profile.uniqueDishes(stats.unique_dishes) : undefined} />
          {categories.length ? (
            <div className="cell relative px-4 py-3">
              <div className="flex h-2 overflow-hidden rounded-full bg-bg2">
                {categories.map(([name, share], i) => (
                  <span key={name} style={{ width: `${share}%`, opacity: 1 - i * 0.2 }} className="bg-button" />
                ))}
              </div>
              <div className="mt-2 flex flex-wrap gap-x-3 text-[13px] text-hint" data-testid="category-stats">
                {categories.map(([name, share, count]) => (
                  <span key={name}>
                    {categoryName(name)} {t.advice.share(count, Math.round(share))}
                  </span>
                ))}
              </div>
            </div>
          ) : null}
          {recommendations?.summary ? <Cell multiline title={recommendations.summary} /> : null}
          {recommendations?.tips.length ? (
            recommendations.tips.map((tip, i) => <Cell key={i} multiline before={<span className="text-[18px]">💡</span>} title={tip} />)
          ) : (
            <Cell multiline title={<span className="text-[15px] text-hint">{t.profile.noTips}</span>} />
          )}
          <Cell
            testId="refresh-advice"
            title={<span className="text-link">{refresh.busy ? t.loading : `↻ ${t.advice.refresh}`}</span>}
            onClick={() => {
              if (!refresh.busy) generate();
            }}
          />
        </Section>
        {refusalText ? (
          <p className="mx-7 mt-2 text-[14px] leading-snug text-destructive" role="alert" data-testid="advice-refused">
            {refusalText}
          </p>
        ) : null}
        <Reminders tgid={user.tgid} enabled={reminders.enabled} botStarted={reminders.bot_started} />
      </>
    );
  }

  return (
    <Page testId="page-profile">
      <div className="flex flex-col items-center px-7 pt-8 text-center">
        <div className="scale-[1.8]">
          <CafeAvatar name={user.name} />
        </div>
        <h1 className="mt-7 text-[24px] font-bold text-text">{user.name}</h1>
        <p className="mt-0.5 text-[15px] text-hint">
          {user.office ? `${t.profile.office}: ${user.office}` : ""}
          {user.role === "manager" ? ` · ${t.profile.manager}` : ""}
        </p>
      </div>
      {body}
    </Page>
  );
}
