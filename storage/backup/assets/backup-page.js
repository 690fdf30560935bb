// The Backups page's script: run now, browse snapshots, find a file, restore into a new folder.
/* global document, fetch, location, setTimeout */
const status = document.getElementById("action-status");
const panel = document.getElementById("snapshots");
const list = document.getElementById("snapshot-list");
const tree = document.getElementById("snapshot-tree");
const restoreForm = document.getElementById("restore-form");
const restoreWhat = document.getElementById("restore-what");
const restoreStatus = document.getElementById("restore-status");
const findForm = document.getElementById("find-form");
let current = { job: "", snapshot: "", path: "/" };
let pick = { snapshot: "", path: "" };

async function csrfToken() {
  const session = await fetch("/api/session", { credentials: "same-origin" }).then((r) => r.json());
  return session.csrfToken ?? "";
}

async function api(method, path, body) {
  const response = await fetch(`/api/backup/${path}`, {
    method,
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new Error(
      json.fix ? `${json.error}. ${json.fix}` : (json.error ?? `error ${response.status}`),
    );
  return json;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

const enc = encodeURIComponent;

for (const button of document.querySelectorAll("button[data-run]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api("POST", `jobs/${enc(button.dataset.run)}/run`, { kind: button.dataset.kind });
      status.textContent = "Started.";
      setTimeout(() => location.reload(), 500);
    } catch (err) {
      status.textContent = `Not started: ${err.message}`;
      button.disabled = false;
    }
  });
}

for (const button of document.querySelectorAll("button[data-snapshots]")) {
  button.addEventListener("click", () => void showSnapshots(button.dataset.snapshots));
}

async function showSnapshots(job) {
  current = { job, snapshot: "", path: "/" };
  panel.hidden = false;
  list.replaceChildren(el("p", `Reading ${job}'s snapshots…`));
  tree.replaceChildren();
  try {
    const { snapshots } = await api("GET", `jobs/${enc(job)}/snapshots`);
    const ul = el("ul", undefined, { class: "snapshots" });
    for (const s of snapshots) {
      const li = el("li");
      const open = el("button", `${s.time.slice(0, 16).replace("T", " ")} UTC`, {
        type: "button",
        "data-snapshot": s.id,
      });
      open.addEventListener("click", () => void browse(s.id, "/"));
      li.append(open, ` ${s.short_id ?? s.id.slice(0, 8)} · ${s.paths.join(", ")}`);
      ul.append(li);
    }
    list.replaceChildren(el("h3", `${job}: ${snapshots.length} snapshot(s)`), ul);
  } catch (err) {
    list.replaceChildren(el("p", err.message, { class: "card-reason" }));
  }
}

async function browse(snapshot, path) {
  current = { ...current, snapshot, path };
  tree.replaceChildren(el("p", `Reading ${path}…`));
  try {
    const { entries } = await api(
      "GET",
      `jobs/${enc(current.job)}/snapshots/${enc(snapshot)}/tree?path=${enc(path)}`,
    );
    const ul = el("ul", undefined, { class: "tree" });
    if (path !== "/") {
      const up = el("button", "..", { type: "button" });
      up.addEventListener(
        "click",
        () => void browse(snapshot, path.slice(0, path.lastIndexOf("/")) || "/"),
      );
      ul.append(el("li")).append(up);
    }
    for (const entry of entries) {
      const li = el("li", undefined, { "data-path": entry.path });
      if (entry.type === "dir") {
        const open = el("button", `${entry.name}/`, { type: "button", "data-open": entry.path });
        open.addEventListener("click", () => void browse(snapshot, entry.path));
        li.append(open);
      } else {
        li.append(el("span", entry.name));
      }
      const restore = el("button", "Restore…", { type: "button", "data-restore": entry.path });
      restore.addEventListener("click", () => chooseRestore(snapshot, entry.path));
      li.append(" ", restore);
      ul.append(li);
    }
    tree.replaceChildren(el("h3", `${snapshot.slice(0, 8)}: ${path}`), ul);
  } catch (err) {
    tree.replaceChildren(el("p", err.message, { class: "card-reason" }));
  }
}

function chooseRestore(snapshot, path) {
  pick = { snapshot, path };
  restoreForm.hidden = false;
  restoreWhat.textContent = `${path} from snapshot ${snapshot.slice(0, 8)} of ${current.job}`;
  const day = new Date().toISOString().slice(0, 10);
  restoreForm.elements.to.value = `${restoreForm.dataset.restoreRoot}/${current.job}-${day}`;
  restoreStatus.textContent = "";
}

restoreForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  restoreStatus.textContent = "Restoring…";
  try {
    let task = await api("POST", `jobs/${enc(current.job)}/restore`, {
      snapshot: pick.snapshot,
      path: pick.path,
      to: restoreForm.elements.to.value,
    });
    while (task.state === "running") {
      await new Promise((r) => setTimeout(r, 1000));
      task = await api("GET", `restores/${enc(task.id)}`);
    }
    restoreStatus.textContent =
      task.state === "done"
        ? `Restored ${task.path ?? "everything"} into ${task.to}.`
        : `Restore failed: ${task.error.message}. ${task.error.fix}`;
  } catch (err) {
    restoreStatus.textContent = `Restore refused: ${err.message}`;
  }
});

findForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  tree.replaceChildren(el("p", "Searching every snapshot…"));
  try {
    const { matches } = await api(
      "GET",
      `jobs/${enc(current.job)}/find?name=${enc(findForm.elements.name.value)}`,
    );
    const ul = el("ul", undefined, { class: "tree" });
    for (const m of matches) {
      const li = el("li", `${m.snapshot.slice(0, 8)} · ${m.path} `, { "data-path": m.path });
      const restore = el("button", "Restore…", { type: "button", "data-restore": m.path });
      restore.addEventListener("click", () => chooseRestore(m.snapshot, m.path));
      li.append(restore);
      ul.append(li);
    }
    tree.replaceChildren(el("h3", `${matches.length} match(es)`), ul);
  } catch (err) {
    tree.replaceChildren(el("p", err.message, { class: "card-reason" }));
  }
});
