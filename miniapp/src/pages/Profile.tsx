// Profile card: who, the weekly budget, 30-day stats and the nightly recommendations.

import { ApiError, api, call, type Recommendations } from "../api/client";
import { useUser } from "../auth";
import { Page } from "../components/Page";
import { Cell, ErrorBox, Section, Spinner } from "../components/ui";
import { formatMoney } from "../lib/format";
import { useQuery } from "../lib/useQuery";
import { categoryName, t } from "../strings";
import { CafeAvatar } from "./Home";

async function loadProfile(tgid: number) {
  const balance = await call(api.GET("/api/v1/users/{tgid}/balance", { params: { path: { tgid } } }));
  let recommendations: Recommendations | null = null;
  try {
    recommendations = await call(api.GET("/api/v1/users/{tgid}/recommendations", { params: { path: { tgid } } }));
  } catch (reason) {
    // No recommendations yet (or the service is down): the card shows its placeholder.
    if (!(reason instanceof ApiError)) throw reason;
  }
  return { balance, recommendations };
}

export function Profile() {
  const user = useUser();
  const query = useQuery(() => loadProfile(user.tgid), [user.tgid]);

  let body;
  if (query.loading) body = <Spinner />;
  else if (query.error || !query.data) body = <ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} />;
  else {
    const { balance, recommendations } = query.data;
    const stats = recommendations?.stats;
    const ordersCount = stats?.orders_last_30_days ?? stats?.orders_count ?? 0;
    const categories = Object.entries(stats?.categories ?? {})
      .map(([name, share]) => [name, share.percent] as const)
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
              <div className="mt-2 flex flex-wrap gap-x-3 text-[13px] text-hint">
                {categories.map(([name, share]) => (
                  <span key={name}>
                    {categoryName(name)} {Math.round(share)}%
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
        </Section>
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
