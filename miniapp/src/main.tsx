import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { initTelegram, languageCodeOf } from "./init";
import { setLanguage } from "./strings";
import "./index.css";

// The SDK first (theme variables, buttons, launch parameters), then the first render.
void initTelegram().then((launch) => {
  // The language first: every string and every request's Accept-Language follow it.
  setLanguage(launch.kind === "telegram" ? languageCodeOf(launch.initData) : navigator.language);
  createRoot(document.getElementById("root") as HTMLElement).render(
    <StrictMode>
      <App launch={launch} />
    </StrictMode>,
  );
});
