// The operator API: the one back end the console uses.

import { currentToken } from "./auth.js";

let base = "";

export function setBase(url) {
  base = (url || "").replace(/\/$/, "");
}

export class ApiError extends Error {
  constructor(status, code, text) {
    super(text);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${currentToken() || ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const answer = await fetch(base + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: { message: text } }; }
  if (answer.status === 401) window.dispatchEvent(new CustomEvent("csms:unauthorized"));
  if (!answer.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(answer.status, error.code || String(answer.status), error.message || answer.statusText);
  }
  return data;
}

export const get = (path) => api("GET", path);

export function query(params) {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return kept.length ? `?${new URLSearchParams(kept)}` : "";
}

// Every page of a listing, `limit` at a time (the fleet's listings take up to 1,000).
export async function every(path, params = {}, limit = 1000, most = 200) {
  const items = [];
  let token;
  for (let page = 0; page < most; page++) {
    const body = await get(path + query({ ...params, limit, nextToken: token }));
    items.push(...body.items);
    token = body.nextToken;
    if (!token) break;
  }
  return items;
}

// How often the pages refresh what they show.
export const REFRESH_MS = 5000;

// Runs `work` now and again every REFRESH_MS after each run ends, until `work` answers false or
// the returned function is called (the page was left).
export function poll(work) {
  let timer;
  let stopped = false;
  const run = async () => {
    const again = await work();
    if (!stopped && again !== false) timer = setTimeout(run, REFRESH_MS);
  };
  run();
  return () => { stopped = true; clearTimeout(timer); };
}

// A command through a friendly endpoint or the generic one, waiting for the answer.
export function command(chargePointId, path, body) {
  return api("POST", `/charge-points/${encodeURIComponent(chargePointId)}/${path}?wait=25`, body);
}
