// Dietary labels on a dish, and the wizard's filter over them.

import { ICONS, LABELS, type Label, type LabelFilter, labelName, toggleLabel } from "../lib/labels";
import { t } from "../strings";

/** Small chips with an icon and a name under a dish. */
export function LabelChips({ labels }: { labels: readonly string[] | undefined }) {
  if (!labels?.length) return null;
  return (
    <span className="mt-1 flex flex-wrap gap-1" data-testid="labels">
      {LABELS.filter((l) => labels.includes(l)).map((label) => (
        <span key={label} className="rounded-full bg-bg2 px-2 py-0.5 text-[12px] leading-tight text-subtitle">
          {ICONS[label]} {labelName(label)}
        </span>
      ))}
    </span>
  );
}

/** One chip per label; a tap cycles: off → only these → without these → off. */
export function LabelFilterBar({
  filter,
  onChange,
  hidden,
}: {
  filter: LabelFilter;
  onChange: (filter: LabelFilter) => void;
  hidden: number;
}) {
  const next = (label: Label): LabelFilter => {
    if (filter.want.includes(label)) return toggleLabel(filter, "avoid", label);
    if (filter.avoid.includes(label)) return toggleLabel(filter, "avoid", label);
    return toggleLabel(filter, "want", label);
  };
  const active = filter.want.length + filter.avoid.length > 0;
  return (
    <section className="mx-3 mt-4" data-testid="label-filter">
      <div className="flex items-center px-4 pb-1.5">
        <h2 className="flex-1 text-[13px] font-medium uppercase tracking-wide text-header">{t.labels.filter}</h2>
        {active ? (
          <button type="button" className="text-[14px] text-link" onClick={() => onChange({ want: [], avoid: [] })}>
            {t.labels.reset}
          </button>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2 px-1 pb-1" role="group" aria-label={t.labels.filter}>
        {LABELS.map((label) => {
          const want = filter.want.includes(label);
          const avoid = filter.avoid.includes(label);
          const state = want ? t.labels.want : avoid ? t.labels.avoid : "";
          return (
            <button
              key={label}
              type="button"
              aria-pressed={want || avoid}
              aria-label={state ? `${labelName(label)}: ${state.toLowerCase()}` : labelName(label)}
              onClick={() => onChange(next(label))}
              className={`whitespace-nowrap rounded-full px-3 py-1.5 text-[14px] ${
                want
                  ? "bg-button text-button-text"
                  : avoid
                    ? "bg-destructive/12 text-destructive line-through"
                    : "bg-section text-text"
              }`}
            >
              {avoid ? "🚫" : ICONS[label]} {labelName(label)}
            </button>
          );
        })}
      </div>
      {hidden > 0 ? <p className="px-4 pt-1 text-[13px] text-hint" data-testid="hidden-count">{t.labels.hidden(hidden)}</p> : null}
    </section>
  );
}
