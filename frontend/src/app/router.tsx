import { Alert, Loader } from "@mantine/core";
import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, type RouteObject } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can, type Capability } from "@/lib/permissions";

import { Home } from "./Home";
import { Shell } from "./Shell";

// Screens load when first opened: login and search stay small (issue 11: under 300 KB).
const Account360Page = lazy(() =>
  import("@/features/accounts").then((m) => ({ default: m.Account360Page })));
// ui-csr ↓
const PremisePage = lazy(() =>
  import("@/features/accounts").then((m) => ({ default: m.PremisePage })));
const CounterPage = lazy(() =>
  import("@/features/counter").then((m) => ({ default: m.CounterPage })));
// billing screens (ui-billing)
const ReadsPage = lazy(() => import("@/features/billing").then((m) => ({ default: m.ReadsPage })));
const RunsPage = lazy(() => import("@/features/billing").then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import("@/features/billing").then((m) => ({ default: m.RunPage })));
const RatesPage = lazy(() => import("@/features/billing").then((m) => ({ default: m.RatesPage })));
const ReportsPage = lazy(() =>
  import("@/features/reports").then((m) => ({ default: m.ReportsPage })));
// ui-cash: cashiering's back office, the approvals inbox, admin
const CashieringPage = lazy(() =>
  import("@/features/cashiering").then((m) => ({ default: m.CashieringPage })));
const ApprovalsPage = lazy(() =>
  import("@/features/approvals").then((m) => ({ default: m.ApprovalsPage })));
const AdminPage = lazy(() =>
  import("@/features/admin").then((m) => ({ default: m.AdminPage })));
// ui-collect: collections and field
const CollectionsPage = lazy(() =>
  import("@/features/collections").then((m) => ({ default: m.CollectionsPage })));
const AccountCollectionsPage = lazy(() =>
  import("@/features/collections").then((m) => ({ default: m.AccountCollectionsPage })));
const OrdersBoard = lazy(() => import("@/features/field").then((m) => ({ default: m.OrdersBoard })));
const FieldWorklist = lazy(() =>
  import("@/features/field").then((m) => ({ default: m.FieldWorklist })));
// notify-ui: customer notifications; the account's messages are composed into Account 360
const NightlyPage = lazy(() =>
  import("@/features/nightly").then((m) => ({ default: m.NightlyPage })));
const NotificationsPage = lazy(() =>
  import("@/features/notifications").then((m) => ({ default: m.NotificationsPage })));
const BudgetPanel = lazy(() =>
  import("@/features/billing").then((m) => ({ default: m.BudgetPanel })));
const AccountMessages = lazy(() =>
  import("@/features/notifications").then((m) => ({ default: m.AccountMessages })));
// rebates (issue 15)
const ConservationPage = lazy(() =>
  import("@/features/conservation").then((m) => ({ default: m.ConservationPage })));
const AccountRebates = lazy(() =>
  import("@/features/conservation").then((m) => ({ default: m.AccountRebates })));
// courtesy: high-usage courtesy calls
const CourtesyPage = lazy(() =>
  import("@/features/courtesy").then((m) => ({ default: m.CourtesyPage })));

/** A screen the role may not use says so (the server would refuse its calls anyway). */
function Allowed({ needs, children }: { needs: Capability; children: ReactNode }) {
  const role = useSession()?.role;
  if (!can(role, needs)) {
    return <Alert color="gray" title="Not available">Your role cannot use this screen.</Alert>;
  }
  return <Suspense fallback={<Loader role="status" aria-label="Loading" />}>{children}</Suspense>;
}

export const routes: RouteObject[] = [
  {
    path: "/",
    element: <Shell />,
    children: [
      { index: true, element: <Home /> },
      { path: "accounts/:number",
        element: <Allowed needs="accounts.read">
          <Account360Page MessagesPanel={AccountMessages} BudgetPanel={BudgetPanel}
            RebatesPanel={AccountRebates} /></Allowed> },
      // ui-csr ↓
      { path: "premises/:id",
        element: <Allowed needs="accounts.read"><PremisePage /></Allowed> },
      { path: "counter", element: <Allowed needs="counter.take"><CounterPage /></Allowed> },
      // billing screens (ui-billing)
      { path: "billing/reads", element: <Allowed needs="reads.work"><ReadsPage /></Allowed> },
      { path: "billing/runs", element: <Allowed needs="runs.work"><RunsPage /></Allowed> },
      { path: "billing/runs/:runId", element: <Allowed needs="runs.work"><RunPage /></Allowed> },
      { path: "billing/rates", element: <Allowed needs="rates.write"><RatesPage /></Allowed> },
      { path: "reports", element: <Allowed needs="reports.read"><ReportsPage /></Allowed> },
      // ui-cash
      { path: "cashiering",
        element: <Allowed needs="cashiering.work"><CashieringPage /></Allowed> },
      { path: "approvals",
        element: <Allowed needs="approvals.inbox"><ApprovalsPage /></Allowed> },
      { path: "admin", element: <Allowed needs="admin.manage"><AdminPage /></Allowed> },
      // ui-collect
      { path: "collections/accounts/:accountId",
        element: <Allowed needs="collections.read"><AccountCollectionsPage /></Allowed> },
      { path: "collections/daily",
        element: <Allowed needs="collections.daily"><CollectionsPage /></Allowed> },
      { path: "collections/:tab?",
        element: <Allowed needs="collections.read"><CollectionsPage /></Allowed> },
      { path: "orders", element: <Allowed needs="orders.manage"><OrdersBoard /></Allowed> },
      { path: "field", element: <Allowed needs="orders.work"><FieldWorklist /></Allowed> },
      // notify-ui
      { path: "notifications/:tab?",
        element: <Allowed needs="notifications.read"><NotificationsPage /></Allowed> },
      { path: "nightly", element: <Allowed needs="nightly.read"><NightlyPage /></Allowed> },
      // rebates (issue 15)
      { path: "conservation/:tab?",
        element: <Allowed needs="rebates.read"><ConservationPage /></Allowed> },
      // courtesy
      { path: "courtesy", element: <Allowed needs="courtesy.work"><CourtesyPage /></Allowed> },
      { path: "*", element: <Alert color="gray" title="Not found">No such page.</Alert> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
