// Cafes and menus: dishes with options, combos, extras, availability, deadlines per weekday,
// and the cafe's Telegram chat (notifications on/off, unlink).

import { useState } from "react";
import { ApiError, api, call, type Cafe, type Combo, type MenuItem, type Schedule } from "../../api/client";
import { Page } from "../../components/Page";
import { Cell, Chips, ErrorBox, Field, Notice, Section, Spinner, Toggle } from "../../components/ui";
import { confirmAction, hapticError, hapticSuccess } from "../../init";
import { formatMoney } from "../../lib/format";
import { navigate } from "../../lib/router";
import { asApiError, useQuery } from "../../lib/useQuery";
import { categoryName, t } from "../../strings";
import { CafeAvatar } from "../Home";

const CATEGORIES = ["salad", "soup", "main", "extra"];

export function Cafes() {
  const query = useQuery(() => call(api.GET("/api/v1/cafes", { params: { query: { active_only: false } } })), []);
  return (
    <Page title={t.manage.cafes} back="/manage" testId="page-cafes">
      <Section>
        <Cell accent title={`+ ${t.manage.newCafe}`} onClick={() => navigate("/manage/cafes/new")} />
      </Section>
      {query.loading && !query.data ? <Spinner /> : null}
      {query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : null}
      {query.data ? (
        <Section>
          {query.data.items.map((cafe) => (
            <Cell
              key={cafe.id}
              before={<CafeAvatar name={cafe.name} />}
              title={cafe.name}
              subtitle={[cafe.is_active ? null : "не принимает заказы", cafe.tg_chat_id ? `🔗 ${cafe.tg_username ? `@${cafe.tg_username}` : "чат привязан"}` : t.manage.notLinked]
                .filter(Boolean)
                .join(" · ")}
              chevron
              onClick={() => navigate(`/manage/cafes/${cafe.id}`)}
            />
          ))}
        </Section>
      ) : null}
    </Page>
  );
}

export function CafeNew() {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [address, setAddress] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async () => {
    setBusy(true);
    try {
      const cafe = await call(
        api.POST("/api/v1/cafes", { body: { name: name.trim(), description: description.trim() || null, address: address.trim() || null } }),
      );
      hapticSuccess();
      navigate(`/manage/cafes/${cafe.id}`, { replace: true });
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
      setBusy(false);
    }
  };
  return (
    <Page title={t.manage.newCafe} back="/manage/cafes" main={{ text: t.add, onClick: () => void save(), enabled: name.trim() !== "", loading: busy }}>
      <Section>
        <Field label={t.manage.cafeName} value={name} onChange={setName} />
        <Field label={t.manage.description} value={description} onChange={setDescription} />
        <Field label={t.manage.address} value={address} onChange={setAddress} />
      </Section>
      {error ? <ErrorBox error={error} /> : null}
    </Page>
  );
}

async function loadCafe(id: number) {
  const path = { params: { path: { cafe_id: id } } };
  const [cafe, menu, combos, deadlines] = await Promise.all([
    call(api.GET("/api/v1/cafes/{cafe_id}", path)),
    call(api.GET("/api/v1/cafes/{cafe_id}/menu", path)),
    call(api.GET("/api/v1/cafes/{cafe_id}/combos", path)),
    call(api.GET("/api/v1/cafes/{cafe_id}/deadlines", path)),
  ]);
  return { cafe, menu: menu.items, combos: combos.items, schedules: deadlines.schedules };
}

export function CafeDetail({ id }: { id: number }) {
  const query = useQuery(() => loadCafe(id), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      hapticSuccess();
      query.reload();
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
    }
  };
  if (query.loading && !query.data) return <Page back="/manage/cafes"><Spinner /></Page>;
  if (!query.data) return <Page back="/manage/cafes"><ErrorBox error={query.error ?? t.errors.unknown} onRetry={query.reload} /></Page>;
  const { cafe, menu, combos, schedules } = query.data;
  const path = { params: { path: { cafe_id: cafe.id } } };
  return (
    <Page title={cafe.name} back="/manage/cafes" testId="page-cafe">
      {cafe.address ? <p className="px-7 pt-1 text-[15px] text-hint">{cafe.address}</p> : null}
      {error ? <ErrorBox error={error} /> : null}
      <Section>
        <Cell
          title={t.manage.active}
          after={<Toggle label={t.manage.active} checked={cafe.is_active} onChange={(v) => void run(() => call(api.PATCH("/api/v1/cafes/{cafe_id}/status", { ...path, body: { is_active: v } })))} />}
        />
      </Section>
      <ChatLink cafe={cafe} run={run} />
      <MenuSection title={t.manage.dishes} cafeId={cafe.id} items={menu.filter((m) => m.category !== "extra")} run={run} />
      <MenuSection title={t.manage.extras} cafeId={cafe.id} items={menu.filter((m) => m.category === "extra")} run={run} extra />
      <CombosSection cafeId={cafe.id} combos={combos} run={run} />
      <Deadlines cafeId={cafe.id} schedules={schedules} run={run} />
    </Page>
  );
}

type Run = (action: () => Promise<unknown>) => Promise<void>;

function ChatLink({ cafe, run }: { cafe: Cafe; run: Run }) {
  const path = { params: { path: { cafe_id: cafe.id } } };
  if (!cafe.tg_chat_id) {
    return (
      <Section title={t.manage.notifications} footer="Представитель кафе пишет боту и отправляет заявку; одобрите её в «Подключение кафе».">
        <Cell title={t.manage.notLinked} />
      </Section>
    );
  }
  return (
    <Section title={t.manage.notifications} footer={cafe.chat_unreachable_reason ?? undefined}>
      <Cell title={t.manage.linkedTo} after={cafe.tg_username ? `@${cafe.tg_username}` : String(cafe.tg_chat_id)} />
      <Cell
        title="Отправлять заказы"
        after={
          <Toggle
            label={t.manage.notifications}
            checked={cafe.notifications_enabled ?? false}
            onChange={(v) => void run(() => call(api.PATCH("/api/v1/cafes/{cafe_id}/notifications", { ...path, body: { enabled: v } })))}
          />
        }
      />
      <Cell
        destructive
        title={t.manage.unlink}
        onClick={() =>
          void (async () => {
            if (await confirmAction(t.manage.unlinkConfirm, t.manage.unlink)) {
              await run(() => call(api.DELETE("/api/v1/cafes/{cafe_id}/link", path)));
            }
          })()
        }
      />
    </Section>
  );
}

function MenuSection({ title, cafeId, items, run, extra }: { title: string; cafeId: number; items: MenuItem[]; run: Run; extra?: boolean }) {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [category, setCategory] = useState(extra ? "extra" : "soup");
  const [price, setPrice] = useState("");
  const [optionFor, setOptionFor] = useState<number | null>(null);
  const [optionName, setOptionName] = useState("");
  const [optionValues, setOptionValues] = useState("");
  const add = () =>
    run(async () => {
      await call(
        api.POST("/api/v1/cafes/{cafe_id}/menu", {
          params: { path: { cafe_id: cafeId } },
          body: { name: name.trim(), category, price: price.trim() ? price.trim().replace(",", ".") : null, is_available: true },
        }),
      );
      setAdding(false);
      setName("");
      setPrice("");
    });
  const addOption = (itemId: number) =>
    run(async () => {
      await call(
        api.POST("/api/v1/cafes/{cafe_id}/menu/{item_id}/options", {
          params: { path: { cafe_id: cafeId, item_id: itemId } },
          body: { name: optionName.trim(), values: optionValues.split(",").map((v) => v.trim()).filter(Boolean), is_required: true },
        }),
      );
      setOptionFor(null);
      setOptionName("");
      setOptionValues("");
    });
  return (
    <Section title={title}>
      {items.map((item) => (
        <div key={item.id}>
          <Cell
            multiline
            title={<span className={item.is_available ? undefined : "text-hint"}>{item.name}</span>}
            subtitle={[
              extra ? null : categoryName(item.category),
              item.price != null ? formatMoney(item.price) : "только в комбо",
              ...item.options.map((o) => `${o.name}: ${o.values.join("/")}`),
            ]
              .filter(Boolean)
              .join(" · ")}
            after={
              <Toggle
                label={`${item.name}: ${t.manage.available}`}
                checked={item.is_available}
                onChange={(v) =>
                  void run(() =>
                    call(api.PATCH("/api/v1/cafes/{cafe_id}/menu/{item_id}", { params: { path: { cafe_id: cafeId, item_id: item.id } }, body: { is_available: v } })),
                  )
                }
              />
            }
          />
          {!extra && optionFor !== item.id ? (
            <button type="button" className="-mt-2 px-4 pb-2 text-[13px] text-link" onClick={() => setOptionFor(item.id)}>
              + {t.manage.newOption}
            </button>
          ) : null}
          {optionFor === item.id ? (
            <div className="px-0 pb-2">
              <Field label={t.manage.optionName} value={optionName} onChange={setOptionName} placeholder="Размер порции" />
              <Field label={t.manage.optionValues} value={optionValues} onChange={setOptionValues} placeholder="Стандарт, Большая" />
              <button type="button" className="px-4 py-2 text-[15px] font-medium text-link" onClick={() => void addOption(item.id)}>
                {t.add}
              </button>
            </div>
          ) : null}
        </div>
      ))}
      {adding ? (
        <>
          <Field label={t.manage.cafeName} value={name} onChange={setName} />
          {extra ? null : (
            <div className="cell relative px-4 pt-2">
              <Chips label={t.manage.category} values={CATEGORIES.filter((c) => c !== "extra").map(categoryName)} selected={categoryName(category)} onSelect={(v) => setCategory(CATEGORIES.find((c) => categoryName(c) === v) ?? "main")} />
            </div>
          )}
          <Field label={t.manage.price} value={price} onChange={setPrice} inputMode="decimal" placeholder={extra ? "60" : t.manage.priceHint} />
          <Cell accent title={t.add} onClick={() => void add()} />
        </>
      ) : (
        <Cell accent title={`+ ${extra ? "Добавить дополнение" : t.manage.newDish}`} onClick={() => setAdding(true)} />
      )}
    </Section>
  );
}

function CombosSection({ cafeId, combos, run }: { cafeId: number; combos: Combo[]; run: Run }) {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [price, setPrice] = useState("");
  const [categories, setCategories] = useState<string[]>(["salad", "soup"]);
  const add = () =>
    run(async () => {
      await call(api.POST("/api/v1/cafes/{cafe_id}/combos", { params: { path: { cafe_id: cafeId } }, body: { name: name.trim(), categories, price: price.replace(",", "."), is_available: true } }));
      setAdding(false);
      setName("");
      setPrice("");
    });
  return (
    <Section title={t.manage.combos}>
      {combos.map((combo) => (
        <Cell
          key={combo.id}
          title={<span className={combo.is_available ? undefined : "text-hint"}>{combo.name}</span>}
          subtitle={`${combo.categories.map(categoryName).join(" + ")} · ${formatMoney(combo.price)}`}
          after={
            <Toggle
              label={`${combo.name}: ${t.manage.available}`}
              checked={combo.is_available}
              onChange={(v) =>
                void run(() => call(api.PATCH("/api/v1/cafes/{cafe_id}/combos/{combo_id}", { params: { path: { cafe_id: cafeId, combo_id: combo.id } }, body: { is_available: v } })))
              }
            />
          }
        />
      ))}
      {adding ? (
        <>
          <Field label={t.manage.cafeName} value={name} onChange={setName} placeholder="Салат + Суп" />
          <div className="cell relative flex flex-wrap gap-2 px-4 py-3">
            {CATEGORIES.filter((c) => c !== "extra").map((c) => {
              const on = categories.includes(c);
              return (
                <button
                  key={c}
                  type="button"
                  aria-pressed={on}
                  className={`rounded-full px-3 py-1 text-[14px] ${on ? "bg-button text-button-text" : "bg-bg2 text-text"}`}
                  onClick={() => setCategories(on ? categories.filter((x) => x !== c) : [...categories, c])}
                >
                  {categoryName(c)}
                </button>
              );
            })}
          </div>
          <Field label={t.manage.price} value={price} onChange={setPrice} inputMode="decimal" placeholder="450" />
          <Cell accent title={t.add} onClick={() => void add()} />
        </>
      ) : (
        <Cell accent title={`+ ${t.manage.newCombo}`} onClick={() => setAdding(true)} />
      )}
    </Section>
  );
}

function Deadlines({ cafeId, schedules, run }: { cafeId: number; schedules: Schedule[]; run: Run }) {
  const [rows, setRows] = useState(() =>
    t.manage.weekdays.map((_, weekday) => {
      const found = schedules.find((s) => s.weekday === weekday);
      return { weekday, enabled: found?.is_enabled ?? false, time: found?.deadline_time?.slice(0, 5) ?? "10:00", advance: found?.advance_days ?? 1 };
    }),
  );
  const [saved, setSaved] = useState(false);
  const save = () =>
    run(async () => {
      await call(
        api.PUT("/api/v1/cafes/{cafe_id}/deadlines", {
          params: { path: { cafe_id: cafeId } },
          body: { schedules: rows.map((r) => ({ weekday: r.weekday, is_enabled: r.enabled, deadline_time: r.enabled ? r.time : null, advance_days: r.advance })) },
        }),
      );
      setSaved(true);
    });
  return (
    <Section title={t.manage.deadlines} footer={saved ? `✓ ${t.manage.saved}` : "Время — до которого принимаются заказы на этот день."} testId="deadlines">
      {rows.map((row, i) => (
        <div key={row.weekday} className="cell relative flex min-h-11 items-center gap-3 px-4">
          <span className={`flex-1 text-[16px] ${row.enabled ? "text-text" : "text-hint"}`}>{t.manage.weekdays[row.weekday]}</span>
          <input
            type="time"
            aria-label={`${t.manage.deadlineTime}: ${t.manage.weekdays[row.weekday]}`}
            disabled={!row.enabled}
            className="bg-transparent text-[16px] text-text disabled:text-hint"
            value={row.time}
            onChange={(event) => {
              const time = event.target.value;
              setRows((all) => all.map((r, j) => (j === i ? { ...r, time } : r)));
              setSaved(false);
            }}
          />
          <Toggle
            label={t.manage.weekdays[row.weekday] ?? ""}
            checked={row.enabled}
            onChange={(enabled) => {
              setRows((all) => all.map((r, j) => (j === i ? { ...r, enabled } : r)));
              setSaved(false);
            }}
          />
        </div>
      ))}
      <Cell accent title={t.save} onClick={() => void save()} />
    </Section>
  );
}

export { Notice };
