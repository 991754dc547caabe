// The drivers' pages' sign-in: the console's (console/js/sign-in.js, served beside these pages
// at /console/), with the pages' own keys in session storage and home at the sessions.

import { signIn } from "../../console/js/sign-in.js";

export const HOME = "#/sessions";
export const { loadConfig, currentToken, keep, forget, signOut, beginCognito, finishCognito } = signIn(
  "driver",
  HOME,
);
