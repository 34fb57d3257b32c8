import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "@mantine/charts/styles.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { RouterProvider } from "react-router-dom";

import { createQueryClient } from "@/lib/queryClient";

import { createPortalRouter } from "./router";
import { portalCssVariables, portalTheme } from "./theme";

/** The customer portal: its own theme, query client and router under /portal. */
export function PortalApp() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createPortalRouter);
  return (
    <MantineProvider theme={portalTheme} cssVariablesResolver={portalCssVariables}>
      <Notifications position="top-center" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
