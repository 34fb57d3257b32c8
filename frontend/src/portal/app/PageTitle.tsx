import { Title } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** The page's one h1, also the tab's title (what a screen reader announces on arrival). */
export function PageTitle({ children }: { children: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${children} · ${t("brand")}`;
  }, [children, t]);
  return <Title order={1} size="h2" mb="md">{children}</Title>;
}
