// What a person sees when they cannot use the app yet: waiting for approval, rejected, blocked,
// outside Telegram, or sign-in failed.

import { type ReactNode, useState } from "react";
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
  children,
}: {
  emoji: string;
  title: string;
  text: string;
  hint?: string;
  action?: { label: string; onClick: () => void };
  testId: string;
  children?: ReactNode;
}) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-bg px-8 text-center" data-testid={testId}>
      <div className="mb-5 flex h-24 w-24 items-center justify-center rounded-full bg-bg2 text-[48px]" aria-hidden>
        {emoji}
      </div>
      <h1 className="text-[22px] font-semibold text-text">{title}</h1>
      <p className="mt-2 max-w-xs text-[15px] leading-snug text-hint">{text}</p>
      {hint ? <p className="mt-2 max-w-xs text-[15px] leading-snug text-hint">{hint}</p> : null}
      {children}
      {action ? (
        <button
          type="button"
          onClick={action.onClick}
          className={
            children
              ? "mt-4 px-6 py-2 text-[16px] font-medium text-link"
              : "mt-6 rounded-xl bg-button px-6 py-3 text-[16px] font-medium text-button-text"
          }
        >
          {action.label}
        </button>
      ) : null}
    </main>
  );
}

/** A newcomer's office, sent with their access request so the manager knows where they sit. */
function OfficeForm({ sendOffice }: { sendOffice: (office: string) => Promise<SignIn> }) {
  const [office, setOffice] = useState("");
  const [state, setState] = useState<"idle" | "sending" | "sent" | string>("idle");
  const send = async () => {
    setState("sending");
    const result = await sendOffice(office.trim());
    setState(result.state === "pending" ? "sent" : result.state === "failed" ? result.error.message : "idle");
  };
  return (
    <form
      className="mt-6 w-full max-w-xs text-left"
      onSubmit={(event) => {
        event.preventDefault();
        if (office.trim()) void send();
      }}
    >
      <label className="block px-1 pb-1.5 text-[13px] font-medium uppercase tracking-wide text-header" htmlFor="newcomer-office">
        {t.newcomer.office}
      </label>
      <input
        id="newcomer-office"
        className="block w-full rounded-xl bg-bg2 px-4 py-3 text-[16px] text-text outline-none placeholder:text-hint"
        value={office}
        maxLength={200}
        placeholder={t.newcomer.officeHint}
        onChange={(event) => {
          setOffice(event.target.value);
          if (state !== "sending") setState("idle");
        }}
      />
      <button
        type="submit"
        disabled={!office.trim() || state === "sending"}
        className="mt-3 w-full rounded-xl bg-button px-6 py-3 text-[16px] font-medium text-button-text disabled:opacity-50"
      >
        {state === "sending" ? t.loading : t.newcomer.send}
      </button>
      {state === "sent" ? (
        <p className="mt-2 text-center text-[14px] text-accent" role="status">
          ✓ {t.newcomer.sent}
        </p>
      ) : state !== "idle" && state !== "sending" ? (
        <p className="mt-2 text-center text-[14px] text-destructive" role="alert">
          {state}
        </p>
      ) : null}
    </form>
  );
}

export function Gate({
  status,
  retry,
  sendOffice,
}: {
  status: Exclude<SignIn, { state: "signed-in" }>;
  retry: () => void;
  sendOffice: (office: string) => Promise<SignIn>;
}) {
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
        >
          <OfficeForm sendOffice={sendOffice} />
        </Screen>
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
