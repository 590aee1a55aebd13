// Telegram-like building blocks: sections of cells on the secondary background, hint text,
// radio and stepper controls, loading and error states.

import { type ReactNode, useSyncExternalStore } from "react";
import type { ApiError } from "../api/client";
import { t } from "../strings";

export function Section({
  title,
  footer,
  children,
  testId,
}: {
  title?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="mx-3 mt-5" data-testid={testId}>
      {title ? (
        <h2 className="px-4 pb-1.5 text-[13px] font-medium uppercase tracking-wide text-header">
          {title}
        </h2>
      ) : null}
      <div className="overflow-hidden rounded-xl bg-section">{children}</div>
      {footer ? <p className="px-4 pt-1.5 text-[13px] leading-snug text-hint">{footer}</p> : null}
    </section>
  );
}

export function Cell({
  title,
  subtitle,
  after,
  before,
  onClick,
  chevron,
  destructive,
  accent,
  testId,
  multiline,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  after?: ReactNode;
  before?: ReactNode;
  onClick?: () => void;
  chevron?: boolean;
  destructive?: boolean;
  accent?: boolean;
  testId?: string;
  multiline?: boolean;
}) {
  const color = destructive ? "text-destructive" : accent ? "text-accent" : "text-text";
  const body = (
    <>
      {before ? <div className="mr-3 flex shrink-0 items-center">{before}</div> : null}
      <div className="min-w-0 flex-1 py-2.5">
        <div className={`text-[16px] leading-snug ${color} ${multiline ? "" : "truncate"}`}>
          {title}
        </div>
        {subtitle ? (
          <div className="mt-0.5 text-[14px] leading-snug text-subtitle">{subtitle}</div>
        ) : null}
      </div>
      {after ? <div className="ml-3 shrink-0 text-[15px] text-hint">{after}</div> : null}
      {chevron ? <Chevron /> : null}
    </>
  );
  const classes = "cell relative flex min-h-11 w-full items-center px-4 text-left";
  if (onClick) {
    return (
      <button type="button" className={`${classes} tap`} onClick={onClick} data-testid={testId}>
        {body}
      </button>
    );
  }
  return (
    <div className={classes} data-testid={testId}>
      {body}
    </div>
  );
}

function Chevron() {
  return (
    <svg className="ml-2 h-3.5 w-2 shrink-0 text-hint opacity-60" viewBox="0 0 8 14" aria-hidden>
      <path d="M1 1l6 6-6 6" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" />
    </svg>
  );
}

export function Radio({ checked }: { checked: boolean }) {
  return (
    <span
      aria-hidden
      className={`flex h-[22px] w-[22px] items-center justify-center rounded-full border-2 ${
        checked ? "border-button bg-button" : "border-hint/50"
      }`}
    >
      {checked ? (
        <svg viewBox="0 0 12 12" className="h-3 w-3 text-button-text">
          <path d="M2.5 6.2l2.3 2.3 4.7-4.9" stroke="currentColor" strokeWidth="1.8" fill="none" strokeLinecap="round" />
        </svg>
      ) : null}
    </span>
  );
}

export function Stepper({
  value,
  onChange,
  min = 0,
  max = 10,
  label,
}: {
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  label: string;
}) {
  const button =
    "flex h-8 w-8 items-center justify-center rounded-full bg-button/12 text-[20px] font-medium text-button disabled:opacity-30";
  return (
    <div className="flex items-center gap-2" role="group" aria-label={label}>
      <button type="button" className={button} disabled={value <= min} onClick={() => onChange(value - 1)} aria-label={`${label}: ${t.order.less}`}>
        −
      </button>
      <span className="w-5 text-center text-[16px] tabular-nums text-text" data-testid="quantity">
        {value}
      </span>
      <button type="button" className={button} disabled={value >= max} onClick={() => onChange(value + 1)} aria-label={`${label}: ${t.order.more}`}>
        +
      </button>
    </div>
  );
}

export function Chips({
  values,
  selected,
  onSelect,
  label,
}: {
  values: readonly string[];
  selected: string | undefined;
  onSelect: (value: string) => void;
  label: string;
}) {
  return (
    <div className="flex flex-wrap gap-2 pb-3" role="radiogroup" aria-label={label}>
      {values.map((value) => {
        const on = value === selected;
        return (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={on}
            onClick={() => onSelect(value)}
            className={`rounded-full px-3 py-1 text-[14px] ${
              on ? "bg-button text-button-text" : "bg-bg2 text-text"
            }`}
          >
            {value}
          </button>
        );
      })}
    </div>
  );
}

export function Spinner({ label = t.loading }: { label?: string }) {
  return (
    <div className="flex flex-col items-center justify-center gap-3 py-16 text-hint" role="status">
      <svg className="spinner h-7 w-7" viewBox="0 0 24 24" aria-hidden>
        <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" fill="none" />
        <path d="M22 12a10 10 0 0 0-10-10" stroke="var(--color-button)" strokeWidth="3" fill="none" strokeLinecap="round" />
      </svg>
      <span className="text-[14px]">{label}</span>
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: ApiError | string; onRetry?: () => void }) {
  const message = typeof error === "string" ? error : error.message;
  return (
    <div className="mx-3 mt-5 rounded-xl bg-section px-4 py-4 text-center" role="alert">
      <div className="text-[15px] leading-snug text-destructive">{message}</div>
      {onRetry ? (
        <button type="button" className="mt-3 text-[15px] font-medium text-link" onClick={onRetry}>
          {t.retry}
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ children, tone = "hint" }: { children: ReactNode; tone?: "hint" | "error" | "ok" }) {
  const color = tone === "error" ? "text-destructive" : tone === "ok" ? "text-accent" : "text-hint";
  return (
    <p className={`mx-7 mt-3 text-[14px] leading-snug ${color}`} role={tone === "error" ? "alert" : undefined}>
      {children}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="px-8 py-12 text-center text-[15px] leading-snug text-hint">{children}</div>;
}

export function Field({
  label,
  value,
  onChange,
  type = "text",
  placeholder,
  inputMode,
  name,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  placeholder?: string;
  inputMode?: "numeric" | "decimal" | "text";
  name?: string;
  error?: string;
}) {
  const id = `field-${label.replace(/\W+/gu, "-")}`;
  return (
    <div className="cell relative px-4">
      <label className="flex min-h-11 items-center">
        <span className={`w-36 shrink-0 py-2.5 text-[15px] max-[359px]:w-28 ${error ? "text-destructive" : "text-text"}`}>{label}</span>
        <input
          className="min-w-0 flex-1 bg-transparent py-2.5 text-right text-[16px] text-text outline-none placeholder:text-hint"
          value={value}
          type={type}
          name={name}
          inputMode={inputMode}
          placeholder={placeholder}
          aria-label={label}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? id : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      <FieldError id={id} message={error} />
    </div>
  );
}

/** A refusal shown right under the input it is about. */
export function FieldError({ message, id }: { message: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="pb-2 text-[13px] leading-snug text-destructive" role="alert" data-testid="field-error">
      {message}
    </p>
  );
}

// --- toasts: feedback that stays long enough to be read ---------------------------------------

let toasts: { id: number; text: string; tone: "ok" | "error" }[] = [];
const listeners = new Set<() => void>();
let nextId = 1;

function emit(): void {
  for (const listener of listeners) listener();
}

/** Shows a short message at the top for a few seconds (after a save, a delete, an approval). */
export function toast(text: string, tone: "ok" | "error" = "ok"): void {
  const id = nextId++;
  toasts = [...toasts, { id, text, tone }];
  emit();
  window.setTimeout(() => {
    toasts = toasts.filter((item) => item.id !== id);
    emit();
  }, 4000);
}

export function Toasts() {
  const shown = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
  if (shown.length === 0) return null;
  return (
    <div className="pointer-events-none fixed inset-x-3 top-3 z-[1100] flex flex-col gap-2" role="status" aria-live="polite">
      {shown.map((item) => (
        <div
          key={item.id}
          data-testid="toast"
          className={`rounded-xl px-4 py-3 text-[15px] leading-snug text-white shadow-lg ${item.tone === "error" ? "bg-[#e53935]" : "bg-[#323232]/95"}`}
        >
          {item.tone === "ok" ? "✓ " : ""}
          {item.text}
        </div>
      ))}
    </div>
  );
}

export function Toggle({ checked, onChange, label }: { checked: boolean; onChange: (v: boolean) => void; label: string }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      onClick={() => onChange(!checked)}
      className={`relative h-[31px] w-[51px] rounded-full transition-colors ${checked ? "bg-button" : "bg-hint/30"}`}
    >
      <span
        className={`absolute top-[2px] h-[27px] w-[27px] rounded-full bg-white shadow transition-all ${
          checked ? "left-[22px]" : "left-[2px]"
        }`}
      />
    </button>
  );
}

export function Button({
  children,
  onClick,
  kind = "primary",
  disabled,
}: {
  children: ReactNode;
  onClick: () => void;
  kind?: "primary" | "plain" | "destructive";
  disabled?: boolean;
}) {
  const look =
    kind === "primary"
      ? "bg-button text-button-text"
      : kind === "destructive"
        ? "bg-section text-destructive"
        : "bg-section text-link";
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={onClick}
      className={`mx-3 mt-3 block w-[calc(100%-1.5rem)] rounded-xl px-4 py-3 text-[16px] font-medium disabled:opacity-50 ${look}`}
    >
      {children}
    </button>
  );
}
