// Money, dates and durations through Intl, in the language the app speaks.

import { t } from "../strings";

/** 4850 -> "4 850 ₽" (ru) or "₽4,850" (en); kopecks only when there are any. */
export function formatMoney(value: number | string | null | undefined): string {
  const amount = Number(value ?? 0);
  const whole = Number.isInteger(Math.round(amount * 100) / 100);
  return new Intl.NumberFormat(t.locale, {
    style: "currency",
    currency: "RUB",
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

function utcDate(iso: string): Date {
  const [year = 0, month = 1, day = 1] = iso.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

/** "2026-11-24" -> "вторник, 24 ноября" / "Tuesday 24 November". */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(t.locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(
    utcDate(iso),
  );
}

/** "2026-11-24" -> "24 ноября" / "24 November". */
export function formatDayMonth(iso: string): string {
  return new Intl.DateTimeFormat(t.locale, { day: "numeric", month: "long", timeZone: "UTC" }).format(utcDate(iso));
}

/** An instant with its offset ("2026-11-24T11:00:00+03:00") -> "11:00", on the company's clock
 * (the offset the server sent), whatever the device's time zone. */
export function formatClock(instant: string): string {
  const match = /T(\d{2}):(\d{2})/.exec(instant);
  return match ? `${match[1]}:${match[2]}` : instant;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Seconds left -> "2 д 3 ч", "1 ч 45 мин", "12 мин 05 с", "0 с" (or d/h/min/s). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  const u = t.units;
  if (days > 0) return `${days} ${u.days} ${hours} ${u.hours}`;
  if (hours > 0) return `${hours} ${u.hours} ${minutes} ${u.minutes}`;
  if (minutes > 0) return `${minutes} ${u.minutes} ${secs.toString().padStart(2, "0")} ${u.seconds}`;
  return `${secs} ${u.seconds}`;
}

/** An instant (in UTC or any offset) -> "12:40" on the company's clock, whose offset is read from
 * `reference`, an instant the server wrote in company time ("2026-11-24T09:15:00+03:00"). */
export function formatClockAt(instant: string, reference: string | null | undefined): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(reference ?? "");
  const minutes = offset ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : null;
  if (minutes === null) {
    // No company instant at hand: the device's clock, which is the company's for most people.
    return new Intl.DateTimeFormat(t.locale, { hour: "2-digit", minute: "2-digit", hour12: false }).format(date);
  }
  const shifted = new Date(date.getTime() + minutes * 60_000);
  return `${String(shifted.getUTCHours()).padStart(2, "0")}:${String(shifted.getUTCMinutes()).padStart(2, "0")}`;
}
