// The console's page building (console/js/dom.js: no innerHTML, every value the API returns set
// as text), and the words and numbers a driver reads: dates, durations, money in its currency.

export { field, h, kwh, message, replace } from "../../console/js/dom.js";
import { h, when as consoleWhen } from "../../console/js/dom.js";

// A card's authorization status in words and a colour (never the colour alone).
export function badge(text) {
  const kind = {
    Accepted: "ok", Blocked: "bad", Expired: "warn", Invalid: "bad", "Charging now": "busy", Waiting: "info",
  }[text] || "info";
  return h("span", { class: `badge ${kind}` }, text);
}

// A driver reads the day of the week, not the seconds.
export function when(value) {
  return consoleWhen(value, { weekday: "short" });
}

export function clock(value) {
  return new Date(value).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const minutes = Math.max(0, Math.round(seconds / 60));  // a station's clock may run ahead
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export function money(amount, currency) {
  if (amount === null || amount === undefined || !currency) return "–";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${Number(amount).toFixed(2)} ${currency}`;  // a code Intl does not know
  }
}
