import { Box, Container, Group, Paper, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { LanguageSwitch } from "../app/Layout";
import classes from "../app/Layout.module.css";

/** The frame of the pages before a login: the district's name, the language, one card. */
export function PublicFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <Box component="header" className={classes.header} py="md">
        <Container size="xs">
          <Group justify="space-between">
            <Box className={classes.brand}>{t("brand")}</Box>
            <LanguageSwitch />
          </Group>
        </Container>
      </Box>
      <Container size="xs" py="lg" component="main">
        <Paper withBorder p="lg" shadow="xs">
          <Title order={1} size="h2" mb="md">{title}</Title>
          {children}
        </Paper>
      </Container>
    </>
  );
}
