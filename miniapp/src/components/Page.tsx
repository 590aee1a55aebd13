// The page wrapper owns Telegram's BackButton (shown with a target, hidden on tab roots) and
// sets the MainButton for the page's main action. One page is mounted at a time, so each
// effect cleans up after itself and the next page starts from a clean bar.

import { backButton, mainButton } from "@tma.js/sdk-react";
import { type ReactNode, useEffect, useRef } from "react";
import { navigate } from "../lib/router";

export interface MainAction {
  text: string;
  onClick: () => void;
  enabled?: boolean;
  loading?: boolean;
}

function useBackButton(back: string | (() => void) | undefined): void {
  const target = useRef(back);
  target.current = back;
  const visible = back !== undefined;
  useEffect(() => {
    if (!backButton.isMounted()) return;
    if (!visible) {
      backButton.hide();
      return;
    }
    backButton.show();
    const off = backButton.onClick(() => {
      const where = target.current;
      if (typeof where === "function") where();
      else if (where !== undefined) navigate(where);
    });
    return () => {
      off();
      backButton.hide();
    };
  }, [visible]);
}

export function useMainButton(action: MainAction | null): void {
  const handler = useRef(action?.onClick);
  handler.current = action?.onClick;
  const text = action?.text;
  const enabled = action?.enabled ?? true;
  const loading = action?.loading ?? false;
  useEffect(() => {
    if (!mainButton.isMounted()) return;
    if (text === undefined) {
      mainButton.setParams({ isVisible: false });
      return;
    }
    mainButton.setParams({
      text,
      isVisible: true,
      isEnabled: enabled && !loading,
      isLoaderVisible: loading,
    });
  }, [text, enabled, loading]);
  useEffect(() => {
    if (!mainButton.isMounted()) return;
    const off = mainButton.onClick(() => handler.current?.());
    return () => {
      off();
      mainButton.setParams({ isVisible: false, isLoaderVisible: false });
    };
  }, []);
}

export function Page({
  title,
  back,
  main,
  children,
  testId,
}: {
  title?: ReactNode;
  back?: string | (() => void);
  main?: MainAction | null;
  children: ReactNode;
  testId?: string;
}) {
  useBackButton(back);
  useMainButton(main ?? null);
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);
  return (
    <main className="pb-safe min-h-screen" data-testid={testId}>
      {title ? <h1 className="px-7 pt-5 text-[28px] font-bold leading-tight text-text">{title}</h1> : null}
      {children}
    </main>
  );
}
