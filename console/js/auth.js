// The console's sign-in (console/js/sign-in.js): the operators' credentials, home at the fleet.

import { signIn } from "./sign-in.js";

export const { loadConfig, currentToken, keep, forget, signOut, beginCognito, finishCognito } = signIn(
  "csms",
  "#/fleet",
);
