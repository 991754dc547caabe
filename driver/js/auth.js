// Signing in. Locally a driver enters the key the operator gave them (csk_...), kept in this
// tab's session storage. In the cloud the pages sign in with the drivers' own Cognito user pool
// (hosted UI, authorization code with PKCE) and call the API with the access token. The keys in
// session storage are the pages' own: an operator's console in the same tab is not a driver.

const TOKEN = "driver.token";
const EXPIRES = "driver.expires";
const PKCE = "driver.pkce";
export const HOME = "#/sessions";

export async function loadConfig() {
  const answer = await fetch("config.json", { cache: "no-store" });
  if (!answer.ok) throw new Error(`config.json: ${answer.status}`);
  return answer.json();
}

export function currentToken() {
  const expires = Number(sessionStorage.getItem(EXPIRES) || 0);
  if (expires && Date.now() > expires) forget();
  return sessionStorage.getItem(TOKEN);
}

export function keep(token, expiresInSeconds) {
  sessionStorage.setItem(TOKEN, token);
  if (expiresInSeconds) sessionStorage.setItem(EXPIRES, String(Date.now() + (expiresInSeconds - 60) * 1000));
  else sessionStorage.removeItem(EXPIRES);
}

export function forget() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(EXPIRES);
}

export function signOut(config) {
  forget();
  if (config.auth === "cognito") {
    const query = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
    location.assign(`${config.cognitoDomain}/logout?${query}`);
  } else {
    location.hash = HOME;
    location.reload();
  }
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function random(length) {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

export async function beginCognito(config) {
  const verifier = random(48);
  const state = random(16);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, hash: location.hash }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes || "openid email",
    code_challenge_method: "S256",
    code_challenge: challenge,
    state,
  });
  location.assign(`${config.cognitoDomain}/oauth2/authorize?${query}`);
}

// Back from the hosted UI with ?code=...&state=...: the code and the verifier for a token.
export async function finishCognito(config) {
  const query = new URLSearchParams(location.search);
  const code = query.get("code");
  if (!code) return false;
  const started = JSON.parse(sessionStorage.getItem(PKCE) || "{}");
  sessionStorage.removeItem(PKCE);
  if (!started.state || started.state !== query.get("state")) throw new Error("Sign-in state does not match; try again");
  const answer = await fetch(`${config.cognitoDomain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: started.verifier,
    }),
  });
  if (!answer.ok) throw new Error(`Sign-in failed: ${answer.status}`);
  const tokens = await answer.json();
  keep(tokens.access_token, tokens.expires_in);
  history.replaceState(null, "", location.pathname + (started.hash || HOME));
  return true;
}
