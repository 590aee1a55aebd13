// Cafes and menus: the cafe (name, address, taking orders, delete), its chat (link to share,
// notifications, unlink), dishes and extras with options, combos, and the weekly deadlines.
// Every change is one request; refusals are shown beside the field they are about.

import { useState } from "react";
import { type ApiError, api, call, type Cafe, type Combo, type MenuItem, type MenuOption, type Schedule } from "../../api/client";
import { Page } from "../../components/Page";
import { Cell, Chips, ErrorBox, Field, FieldError, Section, Spinner, Toggle, toast } from "../../components/ui";
import { confirmAction, copyText, shareLink } from "../../init";
import { formatMoney } from "../../lib/format";
import { navigate } from "../../lib/router";
import { useAction } from "../../lib/useAction";
import { useQuery } from "../../lib/useQuery";
import { categoryName, t } from "../../strings";
import { CafeAvatar } from "../Home";
import { ICONS, LABELS, type Label, labelName } from "../../lib/labels";

const STANDARD = ["salad", "soup", "main"];
const EXTRA = "extra";

/** Query keys: a change under a cafe reloads what shows it. */
const CAFES = "cafes";
const cafeKey = (id: number) => `${CAFES}/${id}`;

function decimal(text: string): string | null {
  const clean = text.trim().replace(/\s/gu, "").replace(",", ".");
  return clean === "" ? null : clean;
}

/** The refusal above a form only when no field shows it. */
function FormError({ error, fields }: { error: ApiError | null; fields: readonly string[] }) {
  if (!error || error.coveredBy(fields)) return null;
  return <ErrorBox error={error} />;
}

export function Cafes() {
  const query = useQuery(() => call(api.GET("/api/v1/cafes", { params: { query: { active_only: false } } })), [], CAFES);
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
              subtitle={[
                cafe.is_active ? null : t.manage.cafeInactive,
                cafe.tg_chat_id ? `🔗 ${cafe.tg_username ? `@${cafe.tg_username}` : t.manage.chatLinked}` : t.manage.notLinked,
              ]
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

// --- the cafe itself ---------------------------------------------------------------------------

export function CafeNew() {
  return <CafeForm cafe={null} />;
}

export function CafeEdit({ id }: { id: number }) {
  const query = useQuery(() => call(api.GET("/api/v1/cafes/{cafe_id}", { params: { path: { cafe_id: id } } })), [id]);
  if (!query.data) return <Loading query={query} back={`/manage/cafes/${id}`} />;
  return <CafeForm key={query.data.id} cafe={query.data} />;
}

function Loading({ query, back }: { query: { error: ApiError | null; reload: () => void }; back: string }) {
  return <Page back={back}>{query.error ? <ErrorBox error={query.error} onRetry={query.reload} /> : <Spinner />}</Page>;
}

function CafeForm({ cafe }: { cafe: Cafe | null }) {
  const [name, setName] = useState(cafe?.name ?? "");
  const [description, setDescription] = useState(cafe?.description ?? "");
  const [address, setAddress] = useState(cafe?.address ?? "");
  const save = useAction();
  const remove = useAction();
  const back = cafe ? `/manage/cafes/${cafe.id}` : "/manage/cafes";
  const body = { name: name.trim(), description: description.trim() || null, address: address.trim() || null };
  const submit = async () => {
    let target = back;
    const ok = await save.run(
      async () => {
        if (cafe) await call(api.PATCH("/api/v1/cafes/{cafe_id}", { params: { path: { cafe_id: cafe.id } }, body }));
        else target = `/manage/cafes/${(await call(api.POST("/api/v1/cafes", { body }))).id}`;
      },
      cafe ? t.manage.saved : t.manage.added,
      [CAFES],
    );
    if (ok) navigate(target, { replace: true });
  };
  const destroy = async () => {
    if (!cafe || !(await confirmAction(t.manage.deleteCafeConfirm(cafe.name), t.delete))) return;
    const ok = await remove.run(() => call(api.DELETE("/api/v1/cafes/{cafe_id}", { params: { path: { cafe_id: cafe.id } } })), t.manage.deleted, [CAFES]);
    if (ok) navigate("/manage/cafes", { replace: true });
  };
  return (
    <Page
      title={cafe ? t.manage.editCafe : t.manage.newCafe}
      back={back}
      main={{ text: cafe ? t.save : t.add, onClick: () => void submit(), enabled: name.trim() !== "", loading: save.busy }}
      testId="page-cafe-form"
    >
      <Section>
        <Field label={t.manage.cafeName} value={name} onChange={setName} error={save.error?.field("name")} />
        <Field label={t.manage.description} value={description} onChange={setDescription} error={save.error?.field("description")} />
        <Field label={t.manage.address} value={address} onChange={setAddress} error={save.error?.field("address")} />
      </Section>
      <FormError error={save.error} fields={["name", "description", "address"]} />
      {cafe ? (
        <Section>
          <Cell destructive title={t.manage.deleteCafe} onClick={() => void destroy()} />
        </Section>
      ) : null}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
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
  const query = useQuery(() => loadCafe(id), [id], cafeKey(id));
  const status = useAction();
  if (!query.data) return <Loading query={query} back="/manage/cafes" />;
  const { cafe, menu, combos, schedules } = query.data;
  const dishes = menu.filter((m) => m.category !== EXTRA);
  const extras = menu.filter((m) => m.category === EXTRA);
  return (
    <Page title={cafe.name} back="/manage/cafes" testId="page-cafe">
      {cafe.address ? <p className="px-7 pt-1 text-[15px] text-hint">{cafe.address}</p> : null}
      <Section footer={status.error ? <span className="text-destructive">{status.error.message}</span> : undefined}>
        <Cell
          title={t.manage.active}
          after={
            <Toggle
              label={t.manage.active}
              checked={cafe.is_active}
              onChange={(v) =>
                void status.run(() => call(api.PATCH("/api/v1/cafes/{cafe_id}/status", { params: { path: { cafe_id: cafe.id } }, body: { is_active: v } })), t.manage.saved, [CAFES])
              }
            />
          }
        />
        <Cell title={t.manage.editCafe} chevron onClick={() => navigate(`/manage/cafes/${cafe.id}/edit`)} />
      </Section>
      <ChatLink cafe={cafe} />
      <Section title={t.manage.dishes} testId="dishes">
        {dishes.map((item) => (
          <DishCell key={item.id} item={item} />
        ))}
        <Cell accent title={`+ ${t.manage.newDish}`} onClick={() => navigate(`/manage/cafes/${cafe.id}/dishes/new`)} />
      </Section>
      <Section title={t.manage.extras} testId="extras">
        {extras.map((item) => (
          <DishCell key={item.id} item={item} />
        ))}
        <Cell accent title={`+ ${t.manage.newExtra}`} onClick={() => navigate(`/manage/cafes/${cafe.id}/dishes/new?extra=1`)} />
      </Section>
      <Section title={t.manage.combos} testId="combos">
        {combos.map((combo) => (
          <Cell
            key={combo.id}
            title={<span className={combo.is_available ? undefined : "text-hint"}>{combo.name}</span>}
            subtitle={`${combo.categories.map(categoryName).join(" + ")} · ${formatMoney(combo.price)}`}
            chevron
            onClick={() => navigate(`/manage/cafes/${cafe.id}/combos/${combo.id}`)}
          />
        ))}
        <Cell accent title={`+ ${t.manage.newCombo}`} onClick={() => navigate(`/manage/cafes/${cafe.id}/combos/new`)} />
      </Section>
      <Deadlines key={JSON.stringify(schedules)} cafeId={cafe.id} schedules={schedules} />
    </Page>
  );
}

function DishCell({ item }: { item: MenuItem }) {
  return (
    <Cell
      multiline
      title={
        <span className={item.is_available ? undefined : "text-hint"}>
          {item.name}
          {item.labels?.length ? <span className="ml-1.5 text-[14px]">{LABELS.filter((l) => item.labels?.includes(l)).map((l) => ICONS[l]).join("")}</span> : null}
        </span>
      }
      subtitle={[
        item.category === EXTRA ? null : categoryName(item.category),
        item.price != null ? formatMoney(item.price) : t.manage.comboOnly,
        ...item.options.map(
          (o) => `${o.name}${o.is_required ? "" : ` (${t.manage.optional})`}: ${o.values.join("/")}${Number(o.price) > 0 ? ` +${formatMoney(o.price)}` : ""}`,
        ),
      ]
        .filter(Boolean)
        .join(" · ")}
      chevron
      onClick={() => navigate(`/manage/cafes/${item.cafe_id}/dishes/${item.id}`)}
    />
  );
}

function ChatLink({ cafe }: { cafe: Cafe }) {
  const action = useAction();
  const path = { params: { path: { cafe_id: cafe.id } } };
  const keys = [cafeKey(cafe.id), CAFES];
  const share = async () => {
    await action.run(async () => {
      const link = await call(api.GET("/api/v1/cafes/{cafe_id}/bot-link", path));
      if (!shareLink(link.url, link.text)) {
        if (!(await copyText(link.url))) throw new Error(link.url);
        toast(t.manage.linkCopied);
      }
    });
  };
  const unlink = async () => {
    if (await confirmAction(t.manage.unlinkConfirm, t.manage.unlink)) {
      await action.run(() => call(api.DELETE("/api/v1/cafes/{cafe_id}/link", path)), t.manage.unlinked, keys);
    }
  };
  const footer = [cafe.tg_chat_id ? cafe.chat_unreachable_reason : t.manage.shareHint, action.error?.message].filter(Boolean).join(" ");
  return (
    <Section title={t.manage.notifications} footer={footer || undefined} testId="chat">
      {cafe.tg_chat_id ? (
        <>
          <Cell title={t.manage.linkedTo} after={cafe.tg_username ? `@${cafe.tg_username}` : String(cafe.tg_chat_id)} />
          <Cell
            title={t.manage.sendOrders}
            after={
              <Toggle
                label={t.manage.notifications}
                checked={cafe.notifications_enabled ?? false}
                onChange={(v) => void action.run(() => call(api.PATCH("/api/v1/cafes/{cafe_id}/notifications", { ...path, body: { enabled: v } })), t.manage.saved, keys)}
              />
            }
          />
        </>
      ) : (
        <Cell title={t.manage.notLinked} />
      )}
      <Cell accent title={t.manage.shareLink} onClick={() => void share()} />
      {cafe.tg_chat_id ? <Cell destructive title={t.manage.unlink} onClick={() => void unlink()} /> : null}
    </Section>
  );
}

// --- dishes and their options ------------------------------------------------------------------

async function loadDish(cafeId: number, itemId: number | null) {
  const path = { params: { path: { cafe_id: cafeId } } };
  const menu = await call(api.GET("/api/v1/cafes/{cafe_id}/menu", path));
  return { menu: menu.items, item: menu.items.find((m) => m.id === itemId) ?? null };
}

export function DishEdit({ cafeId, itemId, extra }: { cafeId: number; itemId: number | null; extra: boolean }) {
  // Keyed per dish: a cached form of another dish must not show first and then be swapped
  // (remounted) under what the manager is typing.
  const query = useQuery(() => loadDish(cafeId, itemId), [cafeId, itemId], `${cafeKey(cafeId)}/menu/${itemId ?? "new"}`);
  if (!query.data) return <Loading query={query} back={`/manage/cafes/${cafeId}`} />;
  const categories = [...new Set([...STANDARD, ...query.data.menu.map((m) => m.category)])].filter((c) => c !== EXTRA);
  return <DishForm key={query.data.item?.id ?? "new"} cafeId={cafeId} item={query.data.item} extra={extra || query.data.item?.category === EXTRA} categories={categories} />;
}

function DishForm({ cafeId, item, extra, categories }: { cafeId: number; item: MenuItem | null; extra: boolean; categories: string[] }) {
  const [name, setName] = useState(item?.name ?? "");
  const [description, setDescription] = useState(item?.description ?? "");
  const [category, setCategory] = useState(item?.category ?? (extra ? EXTRA : "soup"));
  const [custom, setCustom] = useState(false);
  const [price, setPrice] = useState(item?.price != null ? String(item.price) : "");
  const [available, setAvailable] = useState(item?.is_available ?? true);
  const [labels, setLabels] = useState<Label[]>(() => [...(item?.labels ?? [])]);
  const save = useAction();
  const remove = useAction();
  const back = `/manage/cafes/${cafeId}`;
  const keys = [cafeKey(cafeId)];
  const submit = async () => {
    const body = { name: name.trim(), description: description.trim() || null, category: category.trim(), price: decimal(price), is_available: available, labels };
    let target = back;
    const ok = await save.run(
      async () => {
        if (item) {
          await call(api.PATCH("/api/v1/cafes/{cafe_id}/menu/{item_id}", { params: { path: { cafe_id: cafeId, item_id: item.id } }, body }));
        } else {
          const created = await call(api.POST("/api/v1/cafes/{cafe_id}/menu", { params: { path: { cafe_id: cafeId } }, body }));
          // A new dish stays open so its options can be added at once.
          if (!extra) target = `/manage/cafes/${cafeId}/dishes/${created.id}`;
        }
      },
      item ? t.manage.saved : t.manage.added,
      keys,
    );
    if (ok) navigate(target, { replace: true });
  };
  const destroy = async () => {
    if (!item || !(await confirmAction(t.manage.deleteDishConfirm(item.name), t.delete))) return;
    const ok = await remove.run(
      () => call(api.DELETE("/api/v1/cafes/{cafe_id}/menu/{item_id}", { params: { path: { cafe_id: cafeId, item_id: item.id } } })),
      t.manage.deleted,
      keys,
    );
    if (ok) navigate(back, { replace: true });
  };
  const shown = categories.includes(category) ? categories : [...categories, category];
  return (
    <Page
      title={item ? item.name : extra ? t.manage.newExtra : t.manage.newDish}
      back={back}
      main={{ text: item ? t.save : t.add, onClick: () => void submit(), enabled: name.trim() !== "" && category.trim() !== "", loading: save.busy }}
      testId="page-dish"
    >
      <Section>
        <Field label={t.manage.cafeName} value={name} onChange={setName} error={save.error?.field("name")} />
        <Field label={t.manage.description} value={description} onChange={setDescription} error={save.error?.field("description")} />
        <Field
          label={t.manage.price}
          value={price}
          onChange={setPrice}
          inputMode="decimal"
          placeholder={extra ? "60" : t.manage.priceHint}
          error={save.error?.field("price")}
        />
        <Cell title={t.manage.available} after={<Toggle label={t.manage.available} checked={available} onChange={setAvailable} />} />
      </Section>
      {extra ? null : (
        <Section title={t.manage.category}>
          <div className="cell relative px-4 pt-3">
            <Chips
              label={t.manage.category}
              values={[...shown.map(categoryName), `+ ${t.manage.customCategory}`]}
              selected={custom ? `+ ${t.manage.customCategory}` : categoryName(category)}
              onSelect={(v) => {
                const picked = shown.find((c) => categoryName(c) === v);
                setCustom(!picked);
                setCategory(picked ?? "");
              }}
            />
          </div>
          {custom ? (
            <Field label={t.manage.customCategory} value={category} onChange={setCategory} placeholder={t.manage.customCategoryHint} />
          ) : null}
          <div className="px-4">
            <FieldError message={save.error?.field("category")} />
          </div>
        </Section>
      )}
      <Section title={t.labels.title} footer={t.labels.hint} testId="dish-labels">
        <div className="cell relative flex flex-wrap gap-2 px-4 py-3" role="group" aria-label={t.labels.title}>
          {LABELS.map((label) => {
            const on = labels.includes(label);
            return (
              <button
                key={label}
                type="button"
                aria-pressed={on}
                onClick={() => setLabels((current) => (on ? current.filter((l) => l !== label) : LABELS.filter((l) => l === label || current.includes(l))))}
                className={`rounded-full px-3 py-1 text-[14px] ${on ? "bg-button text-button-text" : "bg-bg2 text-text"}`}
              >
                {ICONS[label]} {labelName(label)}
              </button>
            );
          })}
        </div>
        <div className="px-4">
          <FieldError message={save.error?.field("labels")} />
        </div>
      </Section>
      <FormError error={save.error} fields={["name", "description", "price", "category", "is_available", "labels"]} />
      {item && !extra ? <Options cafeId={cafeId} item={item} /> : null}
      {item ? (
        <Section>
          <Cell destructive title={extra ? t.delete : t.manage.deleteDish} onClick={() => void destroy()} />
        </Section>
      ) : null}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </Page>
  );
}

function Options({ cafeId, item }: { cafeId: number; item: MenuItem }) {
  const [name, setName] = useState("");
  const [values, setValues] = useState("");
  const [required, setRequired] = useState(true);
  const [price, setPrice] = useState("");
  // The option whose extra price is being changed, one at a time.
  const [pricing, setPricing] = useState<number | null>(null);
  const add = useAction();
  const change = useAction();
  const keys = [cafeKey(cafeId)];
  const path = (optionId: number) => ({ params: { path: { cafe_id: cafeId, item_id: item.id, option_id: optionId } } });
  const submit = async () => {
    const extra = decimal(price);
    const ok = await add.run(
      () =>
        call(
          api.POST("/api/v1/cafes/{cafe_id}/menu/{item_id}/options", {
            params: { path: { cafe_id: cafeId, item_id: item.id } },
            body: {
              name: name.trim(),
              values: values.split(",").map((v) => v.trim()).filter(Boolean),
              is_required: required,
              price: extra ?? 0,
            },
          }),
        ),
      t.manage.added,
      keys,
    );
    if (ok) {
      setName("");
      setValues("");
      setPrice("");
    }
  };
  const footer = change.error?.message ?? `${t.manage.optionRequiredHint} ${t.manage.optionPriceFooter}`;
  return (
    <>
      <Section title={t.manage.options} footer={footer} testId="options">
        {item.options.map((option) => (
          <div key={option.id}>
            <div className="cell relative flex min-h-11 items-center gap-3 px-4" data-testid={`option-${option.id}`}>
              <div className="min-w-0 flex-1 py-2.5">
                <div className="text-[16px] text-text">{option.name}</div>
                <div className="text-[14px] text-subtitle">
                  {option.values.join(" / ")} ·{" "}
                  <button
                    type="button"
                    className="text-link"
                    aria-label={`${t.manage.editOptionPrice}: ${option.name}`}
                    aria-expanded={pricing === option.id}
                    onClick={() => setPricing(pricing === option.id ? null : option.id)}
                  >
                    {Number(option.price) > 0 ? `+${formatMoney(option.price)}` : t.manage.optionFree}
                  </button>
                </div>
              </div>
              <span className="text-[13px] text-hint">{t.manage.requiredOption}</span>
              <Toggle
                label={`${option.name}: ${t.manage.requiredOption}`}
                checked={option.is_required}
                onChange={(v) =>
                  void change.run(() => call(api.PATCH("/api/v1/cafes/{cafe_id}/menu/{item_id}/options/{option_id}", { ...path(option.id), body: { is_required: v } })), t.manage.saved, keys)
                }
              />
              <button
                type="button"
                className="text-[20px] text-destructive"
                aria-label={`${t.manage.deleteOption}: ${option.name}`}
                onClick={() =>
                  void (async () => {
                    if (await confirmAction(t.manage.deleteOptionConfirm(option.name), t.delete)) {
                      await change.run(() => call(api.DELETE("/api/v1/cafes/{cafe_id}/menu/{item_id}/options/{option_id}", path(option.id))), t.manage.deleted, keys);
                    }
                  })()
                }
              >
                ⊖
              </button>
            </div>
            {pricing === option.id ? (
              <OptionPriceForm key={option.price} option={option} path={path(option.id)} keys={keys} onSaved={() => setPricing(null)} />
            ) : null}
          </div>
        ))}
      </Section>
      <Section title={t.manage.newOption} testId="new-option">
        <Field label={t.manage.optionName} value={name} onChange={setName} placeholder={t.manage.optionNameHint} error={add.error?.field("name")} />
        <Field label={t.manage.optionValues} value={values} onChange={setValues} placeholder={t.manage.optionValuesHint} error={add.error?.field("values")} />
        <Field label={t.manage.optionPrice} value={price} onChange={setPrice} inputMode="decimal" placeholder={t.manage.optionPriceHint} error={add.error?.field("price")} />
        <Cell title={t.manage.requiredOption} after={<Toggle label={t.manage.requiredOption} checked={required} onChange={setRequired} />} />
        <Cell accent title={t.add} onClick={() => void submit()} />
      </Section>
      <FormError error={add.error} fields={["name", "values", "is_required", "price"]} />
    </>
  );
}

/** An existing option's extra price, changed in one request; a refusal shows beside the field. */
function OptionPriceForm({
  option,
  path,
  keys,
  onSaved,
}: {
  option: MenuOption;
  path: { params: { path: { cafe_id: number; item_id: number; option_id: number } } };
  keys: string[];
  onSaved: () => void;
}) {
  const [price, setPrice] = useState(String(option.price));
  const save = useAction();
  const submit = async () => {
    const ok = await save.run(
      () => call(api.PATCH("/api/v1/cafes/{cafe_id}/menu/{item_id}/options/{option_id}", { ...path, body: { price: decimal(price) ?? "0" } })),
      t.manage.saved,
      keys,
    );
    if (ok) onSaved();
  };
  return (
    <div data-testid={`option-price-${option.id}`}>
      <Field label={t.manage.optionPriceOf(option.name)} value={price} onChange={setPrice} inputMode="decimal" placeholder={t.manage.optionPriceHint} error={save.error?.field("price")} />
      <Cell accent title={t.manage.saveOptionPrice} onClick={() => void submit()} />
      <FormError error={save.error} fields={["price"]} />
    </div>
  );
}

// --- combos ------------------------------------------------------------------------------------

async function loadCombo(cafeId: number, comboId: number | null) {
  const path = { params: { path: { cafe_id: cafeId } } };
  const [combos, menu] = await Promise.all([
    call(api.GET("/api/v1/cafes/{cafe_id}/combos", path)),
    call(api.GET("/api/v1/cafes/{cafe_id}/menu", path)),
  ]);
  const categories = [...new Set([...STANDARD, ...menu.items.map((m) => m.category)])].filter((c) => c !== EXTRA);
  return { combo: combos.items.find((c) => c.id === comboId) ?? null, categories };
}

export function ComboEdit({ cafeId, comboId }: { cafeId: number; comboId: number | null }) {
  const query = useQuery(() => loadCombo(cafeId, comboId), [cafeId, comboId], `${cafeKey(cafeId)}/combos/${comboId ?? "new"}`);
  if (!query.data) return <Loading query={query} back={`/manage/cafes/${cafeId}`} />;
  return <ComboForm key={query.data.combo?.id ?? "new"} cafeId={cafeId} combo={query.data.combo} categories={query.data.categories} />;
}

function ComboForm({ cafeId, combo, categories }: { cafeId: number; combo: Combo | null; categories: string[] }) {
  const [name, setName] = useState(combo?.name ?? "");
  const [picked, setPicked] = useState<string[]>(combo?.categories ?? ["salad", "soup"]);
  const [price, setPrice] = useState(combo ? String(combo.price) : "");
  const [available, setAvailable] = useState(combo?.is_available ?? true);
  const save = useAction();
  const remove = useAction();
  const back = `/manage/cafes/${cafeId}`;
  const keys = [cafeKey(cafeId)];
  const submit = async () => {
    const body = { name: name.trim(), categories: picked, price: decimal(price) ?? "", is_available: available };
    const ok = await save.run(
      () =>
        combo
          ? call(api.PATCH("/api/v1/cafes/{cafe_id}/combos/{combo_id}", { params: { path: { cafe_id: cafeId, combo_id: combo.id } }, body }))
          : call(api.POST("/api/v1/cafes/{cafe_id}/combos", { params: { path: { cafe_id: cafeId } }, body })),
      combo ? t.manage.saved : t.manage.added,
      keys,
    );
    if (ok) navigate(back, { replace: true });
  };
  const destroy = async () => {
    if (!combo || !(await confirmAction(t.manage.deleteComboConfirm(combo.name), t.delete))) return;
    const ok = await remove.run(
      () => call(api.DELETE("/api/v1/cafes/{cafe_id}/combos/{combo_id}", { params: { path: { cafe_id: cafeId, combo_id: combo.id } } })),
      t.manage.deleted,
      keys,
    );
    if (ok) navigate(back, { replace: true });
  };
  return (
    <Page
      title={combo ? combo.name : t.manage.newCombo}
      back={back}
      main={{ text: combo ? t.save : t.add, onClick: () => void submit(), enabled: name.trim() !== "", loading: save.busy }}
      testId="page-combo"
    >
      <Section>
        <Field label={t.manage.comboName} value={name} onChange={setName} placeholder={t.manage.comboNameHint} error={save.error?.field("name")} />
        <Field label={t.manage.price} value={price} onChange={setPrice} inputMode="decimal" placeholder="450" error={save.error?.field("price")} />
        <Cell title={t.manage.available} after={<Toggle label={t.manage.available} checked={available} onChange={setAvailable} />} />
      </Section>
      <Section title={t.manage.comboCategories}>
        <div className="cell relative flex flex-wrap gap-2 px-4 py-3" role="group" aria-label={t.manage.comboCategories}>
          {categories.map((c) => {
            const on = picked.includes(c);
            return (
              <button
                key={c}
                type="button"
                aria-pressed={on}
                className={`rounded-full px-3 py-1 text-[14px] ${on ? "bg-button text-button-text" : "bg-bg2 text-text"}`}
                onClick={() => setPicked(on ? picked.filter((x) => x !== c) : [...picked, c])}
              >
                {categoryName(c)}
              </button>
            );
          })}
        </div>
        <div className="px-4">
          <FieldError message={save.error?.field("categories")} />
        </div>
      </Section>
      <FormError error={save.error} fields={["name", "price", "categories", "is_available"]} />
      {combo ? (
        <Section>
          <Cell destructive title={t.manage.deleteCombo} onClick={() => void destroy()} />
        </Section>
      ) : null}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </Page>
  );
}

// --- deadlines ---------------------------------------------------------------------------------

function Deadlines({ cafeId, schedules }: { cafeId: number; schedules: Schedule[] }) {
  const [rows, setRows] = useState(() =>
    t.manage.weekdays.map((_, weekday) => {
      const found = schedules.find((s) => s.weekday === weekday);
      return { weekday, enabled: found?.is_enabled ?? false, time: found?.deadline_time ?? "10:00", advance: found?.advance_days ?? 1 };
    }),
  );
  const save = useAction();
  const [saved, setSaved] = useState(false);
  const change = (i: number, patch: Partial<(typeof rows)[number]>) => {
    setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setSaved(false);
    save.clear();
  };
  const submit = async () => {
    const ok = await save.run(
      () =>
        call(
          api.PUT("/api/v1/cafes/{cafe_id}/deadlines", {
            params: { path: { cafe_id: cafeId } },
            body: { schedules: rows.map((r) => ({ weekday: r.weekday, is_enabled: r.enabled, deadline_time: r.enabled ? r.time : null, advance_days: r.advance })) },
          }),
        ),
      t.manage.saved,
    );
    setSaved(ok);
  };
  return (
    <Section
      title={t.manage.deadlines}
      footer={saved ? <span className="text-accent">✓ {t.manage.saved}</span> : t.manage.deadlinesHint}
      testId="deadlines"
    >
      {rows.map((row, i) => (
        <div key={row.weekday} className="cell relative px-4">
          <div className="flex min-h-11 items-center gap-3">
            <span className={`flex-1 text-[16px] ${row.enabled ? "text-text" : "text-hint"}`}>{t.manage.weekdays[row.weekday]}</span>
            <Toggle label={t.manage.weekdays[row.weekday] ?? ""} checked={row.enabled} onChange={(enabled) => change(i, { enabled })} />
          </div>
          {row.enabled ? (
            <div className="-mt-1 flex items-center gap-4 pb-2.5 text-[15px]">
              <label className="flex items-center gap-1.5 whitespace-nowrap text-hint">
                {t.manage.deadlineTime}
                <input
                  type="time"
                  aria-label={`${t.manage.deadlineTime}: ${t.manage.weekdays[row.weekday]}`}
                  className="bg-transparent text-[15px] text-link"
                  value={row.time}
                  onChange={(event) => change(i, { time: event.target.value })}
                />
              </label>
              <select
                aria-label={`${t.manage.advanceDays}: ${t.manage.weekdays[row.weekday]}`}
                className="bg-transparent text-[15px] text-link"
                value={row.advance}
                onChange={(event) => change(i, { advance: Number(event.target.value) })}
              >
                {[...new Set([0, 1, 2, 3, 5, 7, 14, row.advance])].sort((a, b) => a - b).map((n) => (
                  <option key={n} value={n}>
                    {t.manage.daysAhead(n)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <FieldError message={save.error?.field(`schedules.${i}`)} />
        </div>
      ))}
      <Cell accent title={t.save} onClick={() => void submit()} />
      {save.error && !save.error.coveredBy(["schedules"]) ? (
        <div className="px-4">
          <FieldError message={save.error.message} />
        </div>
      ) : null}
    </Section>
  );
}
