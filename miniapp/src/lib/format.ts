// Money, dates and durations as a Russian reader expects them.

const NBSP = "\u00a0";

/** 4850 -> "4 850 ₽"; kopecks only when there are any. */
export function formatMoney(value: number | string | null | undefined): string {
  const amount = Number(value ?? 0);
  const whole = Math.trunc(amount);
  const kopecks = Math.round(Math.abs(amount - whole) * 100);
  const grouped = Math.abs(whole)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const sign = amount < 0 ? "−" : "";
  return `${sign}${grouped}${kopecks ? `,${kopecks.toString().padStart(2, "0")}` : ""}${NBSP}₽`;
}

const WEEKDAYS = ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"];
const MONTHS = [
  "января", "февраля", "марта", "апреля", "мая", "июня",
  "июля", "августа", "сентября", "октября", "ноября", "декабря",
];

function parseDate(iso: string): { year: number; month: number; day: number; weekday: number } {
  const [year = 0, month = 1, day = 1] = iso.slice(0, 10).split("-").map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { year, month, day, weekday };
}

/** "2026-11-24" -> "вторник, 24 ноября". */
export function formatDate(iso: string): string {
  const { month, day, weekday } = parseDate(iso);
  return `${WEEKDAYS[weekday]}, ${day} ${MONTHS[month - 1]}`;
}

/** "2026-11-24" -> "24 ноября". */
export function formatDayMonth(iso: string): string {
  const { month, day } = parseDate(iso);
  return `${day} ${MONTHS[month - 1]}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "HH:MM:SS" (hours may exceed 24) -> seconds; null for anything else. */
export function parseDuration(text: string | null | undefined): number | null {
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(text ?? "");
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Seconds left -> "2 д 3 ч", "1 ч 45 мин", "12 мин 05 с", "0 с". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days > 0) return `${days} д ${hours} ч`;
  if (hours > 0) return `${hours} ч ${minutes} мин`;
  if (minutes > 0) return `${minutes} мин ${secs.toString().padStart(2, "0")} с`;
  return `${secs} с`;
}
