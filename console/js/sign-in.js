// Signing in, for the console and the drivers' pages alike. Locally a page takes a static
// credential (the API token, an API key or a driver's key), entered once and kept in this tab's
// session storage under the page's own prefix (so that a console and a driver's page in one tab
// stay apart). In the cloud a page signs in with its Cognito user pool (hosted UI, authorization
// code with PKCE) and calls the API with the access token.

export function signIn(prefix, home) {
  const TOKEN = `${prefix}.token`;
  const EXPIRES = `${prefix}.expires`;
  const PKCE = `${prefix}.pkce`;

  async function loadConfig() {
    const answer = await fetch("config.json", { cache: "no-store" });
    if (!answer.ok) throw new Error(`config.json: ${answer.status}`);
    return answer.json();
  }

  function currentToken() {
    const expires = Number(sessionStorage.getItem(EXPIRES) || 0);
    if (expires && Date.now() > expires) forget();
    return sessionStorage.getItem(TOKEN);
  }

  function keep(token, expiresInSeconds) {
    sessionStorage.setItem(TOKEN, token);
    if (expiresInSeconds) sessionStorage.setItem(EXPIRES, String(Date.now() + (expiresInSeconds - 60) * 1000));
    else sessionStorage.removeItem(EXPIRES);
  }

  function forget() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(EXPIRES);
  }

  function signOut(config) {
    forget();
    if (config.auth === "cognito") {
      const query = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
      location.assign(`${config.cognitoDomain}/logout?${query}`);
    } else {
      location.hash = home;
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

  async function beginCognito(config) {
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
  async function finishCognito(config) {
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
    history.replaceState(null, "", location.pathname + (started.hash || home));
    return true;
  }

  return { loadConfig, currentToken, keep, forget, signOut, beginCognito, finishCognito };
}
