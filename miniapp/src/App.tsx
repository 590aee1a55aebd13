import { Component, lazy, Suspense, type ReactNode } from "react";
import { UserProvider, useSignIn } from "./auth";
import { TabBar } from "./components/TabBar";
import { Button, Empty, Spinner, Toasts } from "./components/ui";
import type { Launch } from "./init";
import { match, navigate, queryParam, usePath } from "./lib/router";
import { Gate } from "./pages/Gate";
import { History } from "./pages/History";
import { Home } from "./pages/Home";
import { OrderDetail } from "./pages/OrderDetail";
import { OrderWizard } from "./pages/OrderWizard";
import { Profile } from "./pages/Profile";
import { t } from "./strings";

// Employees never load the manager section's code.
const Manage = lazy(() => import("./pages/manager/Manage"));

const TAB_ROOTS = ["/", "/history", "/profile", "/manage"];

type Params = Record<string, string>;
type Route = [pattern: string, render: (params: Params, path: string) => ReactNode, managerOnly?: boolean];

// Every screen by path; the first pattern that matches wins; anything else is the home screen.
const ROUTES: Route[] = [
  ["/", () => <Home />],
  ["/history", (_, path) => <History flash={queryParam(path, "cancelled")} />],
  ["/profile", () => <Profile />],
  ["/order/:cafe/:date", (p) => <OrderWizard cafeId={Number(p.cafe)} date={p.date ?? ""} orderId={null} />],
  ["/orders/:id/edit", (p) => <OrderWizard cafeId={0} date="" orderId={Number(p.id)} />],
  [
    "/orders/:id",
    (p, path) => (
      <OrderDetail
        id={Number(p.id)}
        flash={queryParam(path, "placed") ? "placed" : queryParam(path, "updated") ? "updated" : null}
      />
    ),
  ],
];

function Routes({ path, manager }: { path: string; manager: boolean }) {
  const clean = path.split("?")[0] ?? "/";
  if (manager && clean.startsWith("/manage"))
    return (
      <Suspense fallback={<Spinner />}>
        <Manage path={path} />
      </Suspense>
    );
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params, path);
  }
  return <Home />;
}

/** A screen that throws shows a way home instead of a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error(error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="pt-16" data-testid="crashed">
        <Empty>{t.errors.crashed}</Empty>
        <Button
          onClick={() => {
            this.setState({ failed: false });
            navigate("/", { replace: true });
          }}
        >
          {t.errors.toHome}
        </Button>
      </main>
    );
  }
}

export function App({ launch }: { launch: Launch }) {
  const { status, retry, sendOffice } = useSignIn(launch);
  const path = usePath();
  if (status.state !== "signed-in") return <Gate status={status} retry={retry} sendOffice={sendOffice} />;
  const manager = status.user.role === "manager";
  const clean = path.split("?")[0] ?? "/";
  return (
    <UserProvider user={status.user}>
      <ErrorBoundary key={clean}>
        <Routes path={path} manager={manager} />
      </ErrorBoundary>
      {TAB_ROOTS.includes(clean) ? <TabBar path={clean} manager={manager} /> : null}
      <Toasts />
      <span className="sr-only">{t.appName}</span>
    </UserProvider>
  );
}
