import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { initTelegram } from "./init";
import "./index.css";

// The SDK first (theme variables, buttons, launch parameters), then the first render.
void initTelegram().then((launch) => {
  createRoot(document.getElementById("root") as HTMLElement).render(
    <StrictMode>
      <App launch={launch} />
    </StrictMode>,
  );
});
