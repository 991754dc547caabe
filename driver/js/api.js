// The drivers' routes of the operator API (/driver/...), called with the driver's key or access
// token as a Bearer header; its refusals become errors that say what happened in words.

import { currentToken } from "./auth.js";

let base = "";

export function setBase(url) {
  base = (url || "").replace(/\/$/, "");
}

// What a refusal means to a driver when the API gives no reason of its own.
const MEANINGS = {
  400: "The request was not understood.",
  401: "You are signed out; sign in again.",
  403: "This sign-in is not a driver's account.",
  404: "Not found.",
  409: "That cannot be done now.",
  429: "Too many requests; wait a moment and try again.",
};

export class ApiError extends Error {
  constructor(status, code, text) {
    super(text || MEANINGS[status] || `The service answered ${status}; try again later.`);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${currentToken() || ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let answer;
  try {
    answer = await fetch(base + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "Offline", "The service could not be reached; check the connection and try again.");
  }
  if (answer.status === 401) window.dispatchEvent(new CustomEvent("driver:unauthorized"));
  if (!answer.ok) {
    // {error: {code, message}} from the API; {message} from the gateway in front of it
    const text = await answer.text();
    let data = {};
    try { data = JSON.parse(text) || {}; } catch { /* not JSON: the status says it */ }
    const error = data.error || {};
    const reason = error.message || (answer.status !== 401 && answer.status !== 403 ? data.message : "");
    throw new ApiError(answer.status, error.code || String(answer.status), reason);
  }
  return answer;
}

export async function api(method, path, body) {
  const text = await (await call(method, path, body)).text();
  return text ? JSON.parse(text) : null;
}

export function query(params) {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return kept.length ? `?${new URLSearchParams(kept)}` : "";
}

// The file's name from Content-Disposition (filename* first, as RFC 6266 asks), else `fallback`.
export function fileName(disposition, fallback) {
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition || "");
  if (extended) {
    try { return decodeURIComponent(extended[1].trim()); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(disposition || "");
  const name = plain && (plain[1] ?? plain[2]);
  return name ? name.replace(/[/\\]/g, "_") : fallback;
}

// A file the API makes (a receipt, a statement): fetched with the Bearer header a plain link
// cannot carry, then saved through a Blob URL under the name the API gave it.
export async function download(path, fallback) {
  const answer = await call("GET", path);
  const blob = await answer.blob();
  const name = fileName(answer.headers.get("Content-Disposition"), fallback);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
