import { lazy, Suspense } from "react";
import { UserProvider, useSignIn } from "./auth";
import { TabBar } from "./components/TabBar";
import { Spinner } from "./components/ui";
import type { Launch } from "./init";
import { match, queryParam, usePath } from "./lib/router";
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

function Routes({ path, manager }: { path: string; manager: boolean }) {
  const clean = path.split("?")[0] ?? "/";
  let params;
  if (clean === "/") return <Home />;
  if (clean === "/history") return <History flash={queryParam(path, "cancelled")} />;
  if (clean === "/profile") return <Profile />;
  if ((params = match("/order/:cafe/:date", path)))
    return <OrderWizard cafeId={Number(params.cafe)} date={params.date ?? ""} orderId={null} />;
  if ((params = match("/orders/:id/edit", path))) return <OrderWizard cafeId={0} date="" orderId={Number(params.id)} />;
  if ((params = match("/orders/:id", path)))
    return (
      <OrderDetail
        id={Number(params.id)}
        flash={queryParam(path, "placed") ? "placed" : queryParam(path, "updated") ? "updated" : null}
      />
    );
  if (manager && clean.startsWith("/manage"))
    return (
      <Suspense fallback={<Spinner />}>
        <Manage path={path} />
      </Suspense>
    );
  return <Home />;
}

export function App({ launch }: { launch: Launch }) {
  const { status, retry } = useSignIn(launch);
  const path = usePath();
  if (status.state !== "signed-in") return <Gate status={status} retry={retry} />;
  const manager = status.user.role === "manager";
  const clean = path.split("?")[0] ?? "/";
  return (
    <UserProvider user={status.user}>
      <Routes key={clean} path={path} manager={manager} />
      {TAB_ROOTS.includes(clean) ? <TabBar path={clean} manager={manager} /> : null}
      <span className="sr-only">{t.appName}</span>
    </UserProvider>
  );
}
