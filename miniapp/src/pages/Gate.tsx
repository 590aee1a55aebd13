// What a person sees when they cannot use the app yet: waiting for approval, rejected, blocked,
// outside Telegram, or sign-in failed.

import type { SignIn } from "../auth";
import { Spinner } from "../components/ui";
import { t } from "../strings";

function Screen({
  emoji,
  title,
  text,
  hint,
  action,
  testId,
}: {
  emoji: string;
  title: string;
  text: string;
  hint?: string;
  action?: { label: string; onClick: () => void };
  testId: string;
}) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-bg px-8 text-center" data-testid={testId}>
      <div className="mb-5 flex h-24 w-24 items-center justify-center rounded-full bg-bg2 text-[48px]" aria-hidden>
        {emoji}
      </div>
      <h1 className="text-[22px] font-semibold text-text">{title}</h1>
      <p className="mt-2 max-w-xs text-[15px] leading-snug text-hint">{text}</p>
      {hint ? <p className="mt-2 max-w-xs text-[15px] leading-snug text-hint">{hint}</p> : null}
      {action ? (
        <button
          type="button"
          onClick={action.onClick}
          className="mt-6 rounded-xl bg-button px-6 py-3 text-[16px] font-medium text-button-text"
        >
          {action.label}
        </button>
      ) : null}
    </main>
  );
}

export function Gate({ status, retry }: { status: Exclude<SignIn, { state: "signed-in" }>; retry: () => void }) {
  switch (status.state) {
    case "signing-in":
      return (
        <main className="flex min-h-screen items-center justify-center bg-bg">
          <Spinner label={t.gate.signingIn} />
        </main>
      );
    case "pending":
      return (
        <Screen
          testId="gate-pending"
          emoji="⏳"
          title={t.gate.pendingTitle}
          text={status.message}
          hint={t.gate.pendingText}
          action={{ label: t.gate.checkAgain, onClick: retry }}
        />
      );
    case "rejected":
      return <Screen testId="gate-rejected" emoji="🚫" title={t.gate.rejectedTitle} text={status.message} hint={t.gate.contactManager} />;
    case "blocked":
      return <Screen testId="gate-blocked" emoji="🔒" title={t.gate.blockedTitle} text={status.message} hint={t.gate.contactManager} />;
    case "outside":
      return <Screen testId="gate-outside" emoji="✈️" title={t.gate.outsideTitle} text={t.gate.outsideText} />;
    case "unknown-dev-user":
      return <Screen testId="gate-unknown-dev-user" emoji="🧑‍💻" title={t.gate.failedTitle} text={t.errors.unknownDevUser(status.tgid)} />;
    case "failed":
      return (
        <Screen
          testId="gate-failed"
          emoji="⚠️"
          title={t.gate.failedTitle}
          text={status.error.message}
          action={{ label: t.retry, onClick: retry }}
        />
      );
  }
}
