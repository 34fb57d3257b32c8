import { MantineProvider, TextInput } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { createMemoryRouter, Link, RouterProvider } from "react-router-dom";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";

import { useUnsavedChangesGuard } from "./useUnsavedChangesGuard";

function Form() {
  const [note, setNote] = useState("");
  const blocker = useUnsavedChangesGuard(note !== "");
  return (
    <>
      <UnsavedChangesModal blocker={blocker} />
      <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <Link to="/elsewhere">Elsewhere</Link>
    </>
  );
}

function setup() {
  const router = createMemoryRouter([
    { path: "/", element: <Form /> },
    { path: "/elsewhere", element: <p>Another page</p> },
  ]);
  render(<MantineProvider><RouterProvider router={router} /></MantineProvider>);
}

describe("unsaved-change guard", () => {
  it("asks before a link drops typed input, and stays when told to", async () => {
    setup();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Note"), "customer called about a leak");
    await user.click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(await screen.findByText("Leave without saving?")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Stay on this page" }));
    expect(screen.getByLabelText("Note")).toHaveValue("customer called about a leak");
    expect(screen.queryByText("Another page")).not.toBeInTheDocument();
  });

  it("lets an untouched form go without asking", async () => {
    setup();
    await userEvent.setup().click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(await screen.findByText("Another page")).toBeInTheDocument();
  });
});
