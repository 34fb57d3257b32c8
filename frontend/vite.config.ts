/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/** The customer portal is its own page (portal.html, its own bundle): in development, every
 * /portal address gets that page, as the gateway does with the build. */
function portalPages(): Plugin {
  return {
    name: "tapline-portal-pages",
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url ?? "").split("?")[0] ?? "";
        if (/^\/portal(\/|$)/.test(path) && !path.includes(".")) {
          req.url = "/portal.html";
        }
        next();
      });
    },
  };
}

// The dev server proxies /api to a running gateway (`make run`), so the app is developed against
// the real system: `GATEWAY=http://127.0.0.1:9000 npm run dev` when the gateway runs elsewhere.
const gateway = process.env.GATEWAY ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), portalPages()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: { port: 5173, proxy: { "/api": { target: gateway, changeOrigin: false } } },
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      // Two pages from one build: the staff app (index.html) and the customer portal
      // (portal.html, served by the gateway under /portal); they share only library chunks.
      input: {
        main: fileURLToPath(new URL("./index.html", import.meta.url)),
        portal: fileURLToPath(new URL("./portal.html", import.meta.url)),
      },
      output: {
        // Libraries change less often than our code: their own chunks stay cached across releases.
        manualChunks: {
          react: ["react", "react-dom", "react-router-dom"],
          mantine: ["@mantine/core", "@mantine/hooks", "@mantine/notifications"],
          query: ["@tanstack/react-query", "openapi-fetch"],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
  },
});
