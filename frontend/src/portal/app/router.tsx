import { Center, Loader } from "@mantine/core";
import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, Navigate, useLocation, type RouteObject } from "react-router-dom";

import { LoginPage } from "../auth/LoginPage";
import { usePortalSession } from "../lib/session";
import { Layout } from "./Layout";

const page = <T,>(load: () => Promise<T>, pick: (m: T) => React.ComponentType) =>
  lazy(async () => ({ default: pick(await load()) }));

// Everything past the login loads when first opened.
const RegisterPage = page(() => import("../auth/RegisterPage"), (m) => m.RegisterPage);
const VerifyPage = page(() => import("../auth/VerifyPage"), (m) => m.VerifyPage);
const ResetPage = page(() => import("../auth/ResetPage"), (m) => m.ResetPage);
const ResetConfirmPage = page(() => import("../auth/ResetPage"), (m) => m.ResetConfirmPage);
const SecurityPage = page(() => import("../auth/SecurityPage"), (m) => m.SecurityPage);
const HomePage = page(() => import("../home/HomePage"), (m) => m.HomePage);
const BillsPage = page(() => import("../bills/BillsPage"), (m) => m.BillsPage);
const BillPage = page(() => import("../bills/BillPage"), (m) => m.BillPage);
const PayPage = page(() => import("../pay/PayPage"), (m) => m.PayPage);
const PayDonePage = page(() => import("../pay/PayDonePage"), (m) => m.PayDonePage);
const AutopayPage = page(() => import("../payments/AutopayPage"), (m) => m.AutopayPage);
const MethodsPage = page(() => import("../payments/MethodsPage"), (m) => m.MethodsPage);
const SchedulesPage = page(() => import("../payments/SchedulesPage"), (m) => m.SchedulesPage);
const TextToPayPage = page(() => import("../payments/TextToPayPage"), (m) => m.TextToPayPage);
const SettingsPage = page(() => import("../settings/SettingsPage"), (m) => m.SettingsPage);
const UsagePage = page(() => import("../usage/UsagePage"), (m) => m.UsagePage);
const AlertsPage = page(() => import("../usage/AlertsPage"), (m) => m.AlertsPage);
const RequestsPage = page(() => import("../requests/RequestsPage"), (m) => m.RequestsPage);
const NewRequestPage = page(() => import("../requests/NewRequestPage"), (m) => m.NewRequestPage);
// notify-ui: how we contact you (notification channels per kind)
const ContactPage = page(() => import("../notifications/ContactPage"), (m) => m.ContactPage);

function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<Center p="xl"><Loader aria-label="…" /></Center>}>{children}</Suspense>
  );
}

/** Signed-in pages: without a session, the login page (then back to where the customer was). */
function SignedIn() {
  const session = usePortalSession();
  const location = useLocation();
  if (!session) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Layout />;
}

const lazyRoute = (path: string, el: ReactNode): RouteObject => ({ path, element: <Lazy>{el}</Lazy> });

export const portalRoutes: RouteObject[] = [
  { path: "/login", element: <LoginPage /> },
  lazyRoute("/register", <RegisterPage />),
  lazyRoute("/verify", <VerifyPage />),
  lazyRoute("/reset", <ResetPage />),
  lazyRoute("/reset/confirm", <ResetConfirmPage />),
  {
    path: "/",
    element: <SignedIn />,
    children: [
      { index: true, element: <Lazy><HomePage /></Lazy> },
      lazyRoute("bills", <BillsPage />),
      lazyRoute("bills/:billId", <BillPage />),
      lazyRoute("pay", <PayPage />),
      lazyRoute("pay/done", <PayDonePage />),
      lazyRoute("autopay", <AutopayPage />),
      lazyRoute("methods", <MethodsPage />),
      lazyRoute("schedules", <SchedulesPage />),
      lazyRoute("text-to-pay", <TextToPayPage />),
      lazyRoute("settings", <SettingsPage />),
      lazyRoute("security", <SecurityPage />),
      lazyRoute("usage", <UsagePage />),
      lazyRoute("usage/alerts", <AlertsPage />),
      lazyRoute("requests", <RequestsPage />),
      lazyRoute("requests/new", <NewRequestPage />),
      lazyRoute("notifications", <ContactPage />), // notify-ui
      { path: "*", element: <Navigate to="/" replace /> },
    ],
  },
];

export function createPortalRouter() {
  return createBrowserRouter(portalRoutes, { basename: "/portal" });
}
