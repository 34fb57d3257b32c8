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
        element: <Allowed needs="accounts.read"><Account360Page /></Allowed> },
      // ui-csr ↓
      { path: "premises/:id",
        element: <Allowed needs="accounts.read"><PremisePage /></Allowed> },
      { path: "counter", element: <Allowed needs="counter.take"><CounterPage /></Allowed> },
      { path: "*", element: <Alert color="gray" title="Not found">No such page.</Alert> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
