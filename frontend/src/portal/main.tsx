import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import "./i18n";
import { PortalApp } from "./app/PortalApp";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <PortalApp />
  </StrictMode>,
);
