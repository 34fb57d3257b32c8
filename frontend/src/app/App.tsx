import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { RouterProvider } from "react-router-dom";

import { LoginPage } from "@/features/auth";
import { useSession } from "@/lib/auth";
import { createQueryClient } from "@/lib/queryClient";

import { createRouter } from "./router";
import { cssVariables, theme } from "./theme";

/** Providers, then the login page or the app: nothing renders data without a session. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  const session = useSession();
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        {session ? <RouterProvider router={router} /> : <LoginPage />}
      </QueryClientProvider>
    </MantineProvider>
  );
}
