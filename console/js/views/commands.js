// What the station panels share: a command's outcome in words, and the progress of commands
// the API sent without waiting (a local list in parts, a certificate inventory), followed until
// each has its answer.

import { get } from "../api.js";
import { h, message, replace } from "../dom.js";

// A command's answer in words: its status, or each variable's (SetVariables).
export function outcome(command) {
  if (command.status === "completed") {
    const each = (command.response?.setVariableResult || []).map((r) => r.attributeStatus);
    const status = command.response?.status || (each.length ? [...new Set(each)].join(", ") : undefined);
    return message(status && !["Accepted", "Unlocked"].includes(status) ? "warn" : "ok",
      `${command.action}: ${status || "answered"}`);
  }
  if (command.error) return message("error", `${command.action}: ${command.error.code} ${command.error.description || ""}`.trim());
  return message("warn", `${command.action}: ${command.status}`);
}

export function refusal(error) {
  return message("error", `${error.status || ""} ${error.message}`.trim());
}

// Follows `commands` (as the API answered them) until every one is final, showing in `node` how
// many have their answer; answers them as they ended.
export async function follow(node, commands, what, tries = 30) {
  let current = commands;
  for (let round = 0; round <= tries; round++) {
    const done = current.filter((c) => c.status !== "pending");
    replace(node, h("div", { class: "progress-line" },
      h("progress", { max: String(current.length || 1), value: String(done.length), "aria-label": `${what}: progress` }),
      h("span", { role: "status" }, `${what}: ${done.length} of ${current.length} answered`)),
    done.map(outcome));
    if (done.length === current.length) return current;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    current = await Promise.all(current.map((c) => (c.status === "pending" ? get(`/commands/${encodeURIComponent(c.commandId)}`) : c)));
  }
  return current;
}
