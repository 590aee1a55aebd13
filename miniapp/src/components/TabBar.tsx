import type { ReactNode } from "react";
import { navigate } from "../lib/router";
import { t } from "../strings";

interface Tab {
  path: string;
  label: keyof typeof t.tabs;
  icon: ReactNode;
}

const stroke = { stroke: "currentColor", strokeWidth: 1.8, fill: "none", strokeLinecap: "round", strokeLinejoin: "round" } as const;

const TABS: Tab[] = [
  {
    path: "/",
    label: "order",
    icon: (
      <svg viewBox="0 0 24 24" className="h-6 w-6">
        <path {...stroke} d="M4 11h16a8 8 0 0 1-16 0zM12 3v3M8 4.5v2M16 4.5v2M3 19h18" />
      </svg>
    ),
  },
  {
    path: "/history",
    label: "history",
    icon: (
      <svg viewBox="0 0 24 24" className="h-6 w-6">
        <circle {...stroke} cx="12" cy="12" r="8.5" />
        <path {...stroke} d="M12 7.5V12l3 2" />
      </svg>
    ),
  },
  {
    path: "/profile",
    label: "profile",
    icon: (
      <svg viewBox="0 0 24 24" className="h-6 w-6">
        <circle {...stroke} cx="12" cy="8.5" r="3.8" />
        <path {...stroke} d="M4.5 20c1.2-3.6 4-5.3 7.5-5.3s6.3 1.7 7.5 5.3" />
      </svg>
    ),
  },
];

const MANAGE: Tab = {
  path: "/manage",
  label: "manage",
  icon: (
    <svg viewBox="0 0 24 24" className="h-6 w-6">
      <path {...stroke} d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M19 18h1" />
      <circle {...stroke} cx="16" cy="6" r="2" />
      <circle {...stroke} cx="10" cy="12" r="2" />
      <circle {...stroke} cx="17.5" cy="18" r="2" />
    </svg>
  ),
};

export function TabBar({ path, manager }: { path: string; manager: boolean }) {
  const tabs = manager ? [...TABS, MANAGE] : TABS;
  const active = (tab: Tab) => (tab.path === "/" ? path === "/" : path.startsWith(tab.path));
  return (
    <>
      <div className="h-20" aria-hidden />
      <nav className="tabbar fixed inset-x-0 bottom-0 z-10 border-t-[0.5px] border-separator bg-bg/95 backdrop-blur">
        <div className="flex">
          {tabs.map((tab) => (
            <button
              key={tab.path}
              type="button"
              onClick={() => navigate(tab.path)}
              aria-current={active(tab) ? "page" : undefined}
              className={`flex flex-1 flex-col items-center gap-0.5 pb-1.5 pt-2 text-[11px] font-medium ${
                active(tab) ? "text-button" : "text-hint"
              }`}
            >
              {tab.icon}
              {t.tabs[tab.label]}
            </button>
          ))}
        </div>
      </nav>
    </>
  );
}
