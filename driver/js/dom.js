// Building the page without innerHTML (every value the API returns is set as text), and the
// words and numbers a driver reads: dates, durations, kWh, money in its currency.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

let fieldCount = 0;

// A labelled input, the label and any hint tied to the control.
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: id }, label), control,
    hint ? h("small", { id: hintId }, hint) : null);
}

export function message(kind, text) {
  return h("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

// A card's authorization status in words and a colour (never the colour alone).
export function badge(text) {
  const kind = {
    Accepted: "ok", Blocked: "bad", Expired: "warn", Invalid: "bad", "Charging now": "busy", Waiting: "info",
  }[text] || "info";
  return h("span", { class: `badge ${kind}` }, text);
}

export function when(value) {
  if (!value) return "–";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleString(undefined, {
    weekday: "short", year: thisYear ? undefined : "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
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

export function kwh(wh) {
  return wh === null || wh === undefined ? "–" : `${(wh / 1000).toFixed(2)} kWh`;
}

export function money(amount, currency) {
  if (amount === null || amount === undefined || !currency) return "–";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${Number(amount).toFixed(2)} ${currency}`;  // a code Intl does not know
  }
}
