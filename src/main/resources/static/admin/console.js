"use strict";
(function () {
  // Data from the service only ever reaches the page through textContent or attribute setters, never as HTML.
  const TOKEN_KEY = "fun-ai-studio-deploy.adminToken";
  const PLAN_ROWS_SHOWN = 8;
  // The service's largest page, for node pages and for the backlog alike.
  const MAX_PAGE = 2000;
  const WATCH_SECONDS = 30;
  const WATCH_LIMIT = 500;
  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MOST_MS = 30000;
  const RECENT_SHOWN = 50;
  const BACKLOG_PAGE = 50;
  // Entries that can put an app into the redeploy backlog or take it out.
  const BACKLOG_KINDS = new Set(["placement-moved", "app-reported"]);
  // Below this the disk-aware strategy leaves a node out by default (deploy.runtime.placement.disk-free-min-pct).
  const LOW_DISK_PCT = 15;

  const $ = (id) => document.getElementById(id);

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    nodes: [],
    nodesById: new Map(),
    // Browser clock minus server clock, so heartbeat ages stay right on a machine whose clock is off.
    clockSkewMs: 0,
    // Node fetches run one after another, so an older answer never overwrites a newer one.
    nodesChain: Promise.resolve(),
    optionsSignature: "",
    // The revision the nodes on show reflect: the next watch asks for the entries after it; null: list first.
    revision: null,
    // Stopping the watch loop bumps this number: a loop whose number is no longer current ends at its next step.
    watchLoop: 0,
    watchAbort: null,
    feedLive: false,
    recent: [],
    historyLoaded: false,
    backlog: emptyBacklog(),
    placements: { nodeId: null, cursors: [], next: null },
    // Only the answer to the latest placements request is shown, whatever order the answers arrive in.
    placementsRequest: 0,
    drainRequest: null
  };

  function emptyBacklog() {
    return { items: [], total: null, next: null, busy: false, again: false };
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "className") {
        node.className = value;
      } else {
        node.setAttribute(name, value);
      }
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---- calls to the admin API -------------------------------------------------------------------------

  async function api(method, path, body, signal) {
    const headers = { "X-Admin-Token": state.token || "", "Accept": "application/json" };
    const init = { method, headers, cache: "no-store", credentials: "omit", signal };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, "Cannot reach the service (" + e.message + ").");
    }
    let envelope = null;
    try {
      envelope = await response.json();
    } catch (e) {
      // Not JSON: a proxy's own error page, for instance. The HTTP status is all there is to show.
    }
    const message = envelope && typeof envelope.message === "string" && envelope.message
      ? envelope.message : "HTTP " + response.status + " " + response.statusText;
    if (!response.ok || !envelope || envelope.code !== 200) {
      throw new ApiError(response.status, message);
    }
    return { data: envelope.data, response };
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== null && value !== undefined) {
        search.set(name, String(value));
      }
    }
    return search.toString();
  }

  // A 401 ends the session whatever was being done; anything else is shown in the alert banner. An answer that
  // arrives after signing out has nothing left to tell.
  function fail(error) {
    if (!state.token) {
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      signOut("The admin token was refused: " + error.message);
      return;
    }
    showBanner(error.message);
  }

  function showBanner(message) {
    $("banner-text").textContent = message;
    $("banner").hidden = false;
  }

  function clearMessages() {
    $("banner").hidden = true;
    $("notice").hidden = true;
  }

  function showNotice(message) {
    $("notice").textContent = message;
    $("notice").hidden = false;
  }

  // ---- session ----------------------------------------------------------------------------------------

  function showConsole() {
    $("login-view").hidden = true;
    $("console-view").hidden = false;
    $("session-bar").hidden = false;
  }

  function signOut(message) {
    stopWatching();
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.revision = null;
    state.recent = [];
    state.historyLoaded = false;
    state.backlog = emptyBacklog();
    renderRecent();
    renderBacklog();
    $("console-view").hidden = true;
    $("session-bar").hidden = true;
    $("login-view").hidden = false;
    $("login-error").textContent = message || "";
    $("login-error").hidden = !message;
    $("login-token").value = "";
    $("login-token").focus();
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = $("login-token").value.trim();
    if (!token) {
      $("login-error").textContent = "Enter the admin token.";
      $("login-error").hidden = false;
      return;
    }
    state.token = token;
    $("login-submit").disabled = true;
    try {
      state.revision = await listNodes();
      sessionStorage.setItem(TOKEN_KEY, token);
      $("login-error").hidden = true;
      clearMessages();
      showConsole();
      afterList();
      startWatching();
    } catch (error) {
      state.token = null;
      $("login-error").textContent = error.status === 401
        ? "The admin token was refused: " + error.message : error.message;
      $("login-error").hidden = false;
    } finally {
      $("login-submit").disabled = false;
    }
  });

  $("logout").addEventListener("click", () => signOut(""));
  $("banner-close").addEventListener("click", () => { $("banner").hidden = true; });

  // ---- node list --------------------------------------------------------------------------------------

  function inNodeOrder(task) {
    const run = state.nodesChain.then(task);
    state.nodesChain = run.catch(() => {});
    return run;
  }

  function noteClockSkew(response) {
    const serverDate = Date.parse(response.headers.get("Date") || "");
    const skew = Number.isNaN(serverDate) ? 0 : Date.now() - serverDate;
    // The Date header counts whole seconds: a smaller difference is its rounding, not a wrong clock.
    state.clockSkewMs = Math.abs(skew) > 2000 ? skew : 0;
  }

  // Lists every node; answers the revision the list reflects, to watch the change feed after.
  function listNodes() {
    return inNodeOrder(async () => {
      const { data, response } = await api("GET", "/admin/runtime-nodes/list");
      const revision = Number(response.headers.get("X-Deploy-Revision"));
      if (!Number.isSafeInteger(revision)) {
        throw new ApiError(response.status, "The node list came without its X-Deploy-Revision header.");
      }
      noteClockSkew(response);
      state.nodes = data;
      nodesChanged();
      return revision;
    });
  }

  // Fetches the given nodes again: ids close together as one page of the list (afterNodeId = first - 1), so a
  // change touching several nodes costs one call, and nodes in the span that are gone leave the table.
  function refetchNodes(ids) {
    return inNodeOrder(async () => {
      const pending = [...ids].sort((a, b) => a - b);
      while (pending.length > 0) {
        const first = pending[0];
        let last = first;
        while (pending.length > 0 && pending[0] - first < MAX_PAGE) {
          last = pending.shift();
        }
        const { data, response } = await api("GET", "/admin/runtime-nodes/list?"
          + query({ afterNodeId: first - 1, limit: last - first + 1 }));
        noteClockSkew(response);
        const outside = state.nodes.filter((node) => node.nodeId < first || node.nodeId > last);
        const inside = data.items.filter((node) => node.nodeId <= last);
        state.nodes = outside.concat(inside).sort((a, b) => a.nodeId - b.nodeId);
      }
      nodesChanged();
    });
  }

  function nodesChanged() {
    state.nodesById = new Map(state.nodes.map((node) => [node.nodeId, node]));
    renderNodes();
    renderNodeOptions();
    // Both name nodes.
    renderRecent();
    renderBacklog();
    $("last-refresh").textContent = "Updated " + new Date().toLocaleTimeString();
  }

  // ---- change feed ------------------------------------------------------------------------------------

  function setFeedStatus(live, text, detail) {
    state.feedLive = live;
    const status = $("feed-status");
    status.textContent = text;
    status.title = detail || "";
    status.className = "feed " + (live ? "feed-live" : "feed-waiting");
  }

  function startWatching() {
    stopWatching();
    setFeedStatus(false, "Connecting");
    follow(state.watchLoop);
  }

  function stopWatching() {
    state.watchLoop++;
    state.feedLive = false;
    if (state.watchAbort) {
      state.watchAbort.abort();
      state.watchAbort = null;
    }
  }

  function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // List once, then watch the feed from the list's revision, one watch at a time, applying each answer before
  // asking for the next. A 410 (the revision is no longer kept) lists again; any other failure waits, doubling
  // from BACKOFF_FIRST_MS to BACKOFF_MOST_MS, then asks again.
  async function follow(loop) {
    const current = () => loop === state.watchLoop && state.token !== null;
    let failures = 0;
    let listedAfterGone = false;
    // The first watch of a loop, and the first after a failure, answers at once: it tells that the feed is back.
    let confirmed = false;
    while (current()) {
      try {
        if (state.revision === null) {
          const revision = await listNodes();
          if (!current()) {
            return;
          }
          state.revision = revision;
          confirmed = true;
          afterList();
        }
        if (confirmed) {
          setFeedStatus(true, "Live", "Following the change feed after revision " + state.revision);
        }
        state.watchAbort = new AbortController();
        const { data } = await api("GET", "/admin/changes?" + query({ after: state.revision, limit: WATCH_LIMIT,
          waitSeconds: confirmed ? WATCH_SECONDS : 0 }), undefined, state.watchAbort.signal);
        if (!current()) {
          return;
        }
        await applyChanges(data.items);
        if (!current()) {
          return;
        }
        state.revision = data.nextAfter;
        failures = 0;
        listedAfterGone = false;
        confirmed = true;
      } catch (error) {
        if (!current()) {
          return;
        }
        if (error.status === 401) {
          fail(error);
          return;
        }
        confirmed = false;
        if (error.status === 410) {
          state.revision = null;
          // Listing again is the cure once; a second 410 straight after it is a fault like any other.
          if (!listedAfterGone) {
            listedAfterGone = true;
            setFeedStatus(false, "Listing again", error.message);
            continue;
          }
        }
        failures++;
        const delay = Math.min(BACKOFF_FIRST_MS * 2 ** (failures - 1), BACKOFF_MOST_MS);
        setFeedStatus(false, "Reconnecting in " + delay / 1000 + " s", error.message);
        await pause(delay);
      }
    }
  }

  // What a list shows as it is now; the rest of the page follows it. The history before it is read once a session.
  function afterList() {
    if (!state.historyLoaded) {
      loadHistory(state.revision);
    }
    refreshBacklog();
    reloadPlacements();
  }

  // Every node an entry names is fetched again, whatever the kind (kinds this page does not know included).
  async function applyChanges(entries) {
    const named = new Set();
    let placementsTouched = false;
    let backlogTouched = false;
    for (const entry of entries) {
      for (const nodeId of [entry.nodeId, entry.fromNodeId, entry.toNodeId]) {
        if (nodeId !== null && nodeId !== undefined) {
          named.add(nodeId);
        }
      }
      const shown = state.placements.nodeId;
      placementsTouched ||= shown !== null && (entry.fromNodeId === shown || entry.toNodeId === shown);
      backlogTouched ||= BACKLOG_KINDS.has(entry.kind);
    }
    if (named.size > 0) {
      await refetchNodes(named);
    }
    addRecent(entries);
    if (placementsTouched) {
      loadPlacements();
    }
    if (backlogTouched) {
      refreshBacklog();
    }
  }

  // The entries up to the first list's revision, so the panel does not start empty.
  async function loadHistory(revision) {
    try {
      const { data } = await api("GET", "/admin/changes?" + query({ after: Math.max(0, revision - RECENT_SHOWN),
        limit: RECENT_SHOWN, waitSeconds: 0 }));
      state.historyLoaded = true;
      addRecent(data.items.filter((entry) => entry.revision <= revision));
    } catch {
      // No longer kept (410), or not readable now: the panel starts with the next change instead. A refused
      // token is the watch loop's to report.
    }
  }

  $("refresh").addEventListener("click", async () => {
    try {
      await listNodes();
      refreshBacklog();
      reloadPlacements();
    } catch (error) {
      fail(error);
    }
    if (state.token && !state.feedLive) {
      startWatching();
    }
  });

  // A hidden tab holds no watch (the service lets a bounded number wait); shown again, it catches up.
  document.addEventListener("visibilitychange", () => {
    if (!state.token || $("console-view").hidden) {
      return;
    }
    if (document.hidden) {
      stopWatching();
      setFeedStatus(false, "Paused", "The tab is hidden; the console catches up when it is shown again.");
    } else {
      startWatching();
    }
  });

  function nodeLabel(nodeId) {
    const node = state.nodesById.get(Number(nodeId));
    return node ? node.name + " (#" + node.nodeId + ")" : "node #" + nodeId;
  }

  // Rows are kept and updated in place, so a refresh never steals the focus from a switch or a button.
  function renderNodes() {
    const body = $("nodes-body");
    const existing = new Map([...body.rows].map((row) => [Number(row.dataset.nodeId), row]));
    state.nodes.forEach((node, position) => {
      const row = existing.get(node.nodeId) || buildNodeRow(node);
      existing.delete(node.nodeId);
      // Moving a row that is already in place would blur whatever has the focus in it.
      if (body.rows[position] !== row) {
        body.insertBefore(row, body.rows[position] || null);
      }
      updateNodeRow(row, node);
    });
    existing.forEach((row) => row.remove());
    $("nodes-empty").hidden = state.nodes.length > 0;
    const healthy = state.nodes.filter((node) => node.health === "HEALTHY").length;
    const placeable = state.nodes.filter((node) => node.placeable).length;
    $("nodes-summary").textContent = state.nodes.length + " nodes · " + healthy + " healthy · " + placeable + " taking new apps";
    updateAges();
  }

  function buildNodeRow(node) {
    const row = el("tr", { "data-testid": "node-row", "data-node-id": node.nodeId, "data-node-name": node.name });
    const toggle = el("input", { type: "checkbox", role: "switch", "data-testid": "enabled-switch",
      "aria-label": "Enabled: " + node.name });
    toggle.addEventListener("change", () => setEnabled(node.name, toggle));
    const showApps = el("button", { type: "button", className: "link", "data-testid": "show-apps",
      "aria-label": "Show the apps on " + node.name }, "Apps");
    showApps.addEventListener("click", () => openPlacements(node.nodeId));
    row.append(
      el("td", { className: "num mono", "data-testid": "node-id" }, node.nodeId),
      el("td", {}, el("span", { className: "node-name", "data-testid": "node-name" }), el("span", { className: "node-url mono" })),
      el("td", {}, el("span", { className: "badge", "data-testid": "health" })),
      el("td", {}, el("span", { "data-testid": "heartbeat-age" })),
      el("td", { className: "keep" }, el("label", { className: "switch" }, toggle,
        el("span", { className: "track", "aria-hidden": "true" }), el("span", { className: "state" }))),
      el("td", { className: "num", "data-testid": "weight" }),
      el("td", { className: "num", "data-testid": "placement-count" }),
      el("td", { "data-testid": "disk-free" }),
      el("td", { className: "num", "data-testid": "container-count" }),
      el("td", { className: "keep" }, showApps));
    return row;
  }

  function updateNodeRow(row, node) {
    const cell = (testId) => row.querySelector("[data-testid='" + testId + "']");
    row.classList.toggle("off", !node.enabled);
    row.classList.toggle("selected", state.placements.nodeId === node.nodeId);
    cell("node-name").textContent = node.name;
    row.querySelector(".node-url").textContent = node.agentBaseUrl || "no agent URL";
    const badge = cell("health");
    badge.textContent = node.health;
    badge.className = "badge badge-" + node.health;
    badge.title = node.placeable ? "Takes new apps" : "Takes no new apps";
    const age = cell("heartbeat-age");
    age.dataset.heartbeatMs = node.lastHeartbeatAtMs === null ? "" : String(node.lastHeartbeatAtMs);
    age.dataset.health = node.health;
    age.title = node.lastHeartbeatAt ? "Last heartbeat known to the console: " + node.lastHeartbeatAt
      : "No heartbeat received";
    const toggle = cell("enabled-switch");
    if (!toggle.dataset.busy) {
      toggle.checked = node.enabled;
    }
    row.querySelector(".switch .state").textContent = toggle.checked ? "On" : "Off";
    cell("weight").textContent = node.weight;
    cell("placement-count").textContent = node.placementCount;
    renderDisk(cell("disk-free"), node.diskFreePct);
    cell("container-count").textContent = node.containerCount === null ? "–" : node.containerCount;
  }

  function renderDisk(cell, pct) {
    if (pct === null || pct === undefined) {
      cell.textContent = "–";
      return;
    }
    const fill = el("span", {});
    fill.style.width = Math.max(0, Math.min(100, pct)) + "%";
    const bar = el("span", { className: pct < LOW_DISK_PCT ? "bar low" : "bar", "aria-hidden": "true" }, fill);
    cell.replaceChildren(el("span", { className: "disk" }, bar, el("span", {}, pct.toFixed(1) + " %")));
  }

  function formatAge(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 60) return seconds + " s ago";
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min " + (seconds % 60) + " s ago";
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + " h " + (minutes % 60) + " min ago";
    return Math.floor(hours / 24) + " days ago";
  }

  // Heartbeats are not in the change feed, so a row knows the heartbeat time of its last fetch only. A healthy
  // node keeps sending them (the feed tells when it turns stale), so it shows "recent"; any other node's age
  // counts on from its last heartbeat, which stays true until the feed says it is healthy again.
  function updateAges() {
    const now = Date.now() - state.clockSkewMs;
    for (const age of document.querySelectorAll("[data-testid='heartbeat-age']")) {
      const at = age.dataset.heartbeatMs;
      age.textContent = age.dataset.health === "HEALTHY" ? "recent" : at ? formatAge(now - Number(at)) : "never";
    }
  }

  setInterval(updateAges, 1000);

  async function setEnabled(name, toggle) {
    const enabled = toggle.checked;
    toggle.dataset.busy = "true";
    toggle.disabled = true;
    clearMessages();
    try {
      await api("POST", "/admin/runtime-nodes/set-enabled?" + query({ name, enabled }));
      showNotice(name + " is now " + (enabled ? "enabled" : "disabled") + ".");
    } catch (error) {
      toggle.checked = !enabled;
      fail(error);
    } finally {
      delete toggle.dataset.busy;
      toggle.disabled = false;
    }
  }

  // The selects are rebuilt only when the nodes change, so an open select or a choice is not reset every refresh.
  function renderNodeOptions() {
    const signature = state.nodes.map((n) => [n.nodeId, n.name, n.enabled, n.health].join(":")).join("|");
    if (signature === state.optionsSignature) {
      return;
    }
    state.optionsSignature = signature;
    const describe = (node) => nodeLabel(node.nodeId)
      + (!node.enabled ? " · disabled" : node.health !== "HEALTHY" ? " · " + node.health.toLowerCase() : "");
    const fill = (select, first) => {
      const previous = select.value;
      const options = state.nodes.map((node) => el("option", { value: node.nodeId }, describe(node)));
      select.replaceChildren(...(first ? [first] : []), ...options);
      if ([...select.options].some((option) => option.value === previous)) {
        select.value = previous;
      }
    };
    fill($("reassign-target"), el("option", { value: "" }, "Choose a node"));
    fill($("drain-source"), el("option", { value: "" }, "Choose a node"));
    fill($("drain-target"), el("option", { value: "" }, "Let the strategy choose"));
  }

  // ---- placements of one node -------------------------------------------------------------------------

  function openPlacements(nodeId) {
    state.placements = { nodeId, cursors: [null], next: null };
    for (const row of $("nodes-body").rows) {
      row.classList.toggle("selected", Number(row.dataset.nodeId) === nodeId);
    }
    loadPlacements();
  }

  // cursors holds the afterAppId of every page up to the current one: null for the first page.
  async function loadPlacements() {
    const page = state.placements;
    const request = ++state.placementsRequest;
    if (page.nodeId === null) {
      return;
    }
    const limit = Number($("page-size").value);
    const after = page.cursors[page.cursors.length - 1];
    for (const id of ["placements-first", "placements-prev", "placements-next"]) {
      $(id).disabled = true;
    }
    try {
      const { data } = await api("GET", "/admin/runtime-nodes/placements?"
        + query({ nodeId: page.nodeId, limit, afterAppId: after }));
      if (request !== state.placementsRequest) {
        return;
      }
      page.next = data.nextAfterAppId;
      $("placements-node").textContent = "on " + nodeLabel(data.nodeId);
      $("placements-total").textContent = data.total;
      $("placements-total-label").hidden = false;
      const rows = data.items.map((item) => el("tr", { "data-testid": "placement-row" },
        el("td", { className: "mono", "data-testid": "placement-app" }, item.appId),
        el("td", {}, new Date(item.lastActiveAt).toLocaleString())));
      $("placements-rows").replaceChildren(...rows);
      const first = (page.cursors.length - 1) * limit;
      $("placements-position").textContent = data.items.length === 0
        ? "Page " + page.cursors.length
        : "Page " + page.cursors.length + " · apps " + (first + 1) + "–" + (first + data.items.length) + " of " + data.total;
      $("placements-empty").hidden = data.items.length > 0;
      $("placements-hint").hidden = true;
      $("placements-body").hidden = false;
      $("placements-first").disabled = page.cursors.length === 1;
      $("placements-prev").disabled = page.cursors.length === 1;
      $("placements-next").disabled = page.next === null;
    } catch (error) {
      if (request === state.placementsRequest) {
        fail(error);
        $("placements-first").disabled = false;
      }
    }
  }

  $("placements-first").addEventListener("click", () => {
    state.placements.cursors = [null];
    loadPlacements();
  });
  $("placements-prev").addEventListener("click", () => {
    state.placements.cursors.pop();
    loadPlacements();
  });
  $("placements-next").addEventListener("click", () => {
    state.placements.cursors.push(state.placements.next);
    loadPlacements();
  });
  $("page-size").addEventListener("change", () => {
    state.placements.cursors = [null];
    loadPlacements();
  });

  // The page on show, read again: its node's apps changed.
  function reloadPlacements() {
    if (state.placements.nodeId !== null) {
      loadPlacements();
    }
  }

  // ---- recent changes ---------------------------------------------------------------------------------

  // Kept by revision: an entry read twice (the history and a watch, or a watch asked again) is shown once.
  function addRecent(entries) {
    const byRevision = new Map(state.recent.map((entry) => [entry.revision, entry]));
    for (const entry of entries) {
      byRevision.set(entry.revision, entry);
    }
    state.recent = [...byRevision.values()].sort((a, b) => b.revision - a.revision).slice(0, RECENT_SHOWN);
    renderRecent();
  }

  function moveText(entry) {
    const has = (nodeId) => nodeId !== null && nodeId !== undefined;
    if (has(entry.fromNodeId) && has(entry.toNodeId)) {
      return nodeLabel(entry.fromNodeId) + " → " + nodeLabel(entry.toNodeId);
    }
    return has(entry.toNodeId) ? "→ " + nodeLabel(entry.toNodeId) : "–";
  }

  function renderRecent() {
    const rows = state.recent.map((entry) => el("tr", { "data-testid": "change-row", "data-revision": entry.revision },
      el("td", { className: "num mono" }, entry.revision),
      el("td", { title: new Date(entry.at).toLocaleString() }, new Date(entry.at).toLocaleTimeString()),
      el("td", { "data-testid": "change-kind" }, entry.kind),
      el("td", { "data-testid": "change-node" },
        entry.nodeId === null || entry.nodeId === undefined ? "–" : nodeLabel(entry.nodeId)),
      el("td", { className: "mono", "data-testid": "change-app" }, entry.appId || "–"),
      el("td", { "data-testid": "change-move" }, moveText(entry)),
      el("td", { "data-testid": "change-reason" }, entry.reason || "–")));
    $("changes-rows").replaceChildren(...rows);
    $("changes-empty").hidden = rows.length > 0;
  }

  // ---- redeploy backlog -------------------------------------------------------------------------------

  function refreshBacklog() {
    readBacklog(false);
  }

  // One read at a time; refreshes asked for meanwhile make one more read after it, however many they were.
  async function readBacklog(more) {
    const backlog = state.backlog;
    if (backlog.busy) {
      backlog.again ||= !more;
      return;
    }
    backlog.busy = true;
    $("backlog-more").disabled = true;
    try {
      // A refresh reads as many apps as are shown, so what "More" added stays.
      const page = more ? { afterAppId: backlog.next, limit: BACKLOG_PAGE }
        : { limit: Math.min(MAX_PAGE, Math.max(BACKLOG_PAGE, backlog.items.length)) };
      const { data } = await api("GET", "/admin/apps?" + query({ state: "moved", ...page }));
      backlog.items = more ? backlog.items.concat(data.items) : data.items;
      backlog.total = data.total;
      backlog.next = data.nextAfterAppId;
      $("backlog-error").hidden = true;
    } catch (error) {
      if (error.status === 401) {
        fail(error);
      } else {
        $("backlog-error").textContent = "The backlog could not be read: " + error.message;
        $("backlog-error").hidden = false;
      }
    } finally {
      backlog.busy = false;
    }
    if (backlog === state.backlog) {
      renderBacklog();
      if (backlog.again && state.token) {
        backlog.again = false;
        readBacklog(false);
      }
    }
  }

  function renderBacklog() {
    const backlog = state.backlog;
    $("backlog-total").textContent = backlog.total === null ? "–" : backlog.total;
    const rows = backlog.items.map((item) => el("tr", { "data-testid": "backlog-row", "data-app-id": item.appId },
      el("td", { className: "mono", "data-testid": "backlog-app" }, item.appId),
      el("td", { "data-testid": "backlog-from" }, nodeLabel(item.fromNodeId)),
      el("td", { "data-testid": "backlog-to" }, nodeLabel(item.toNodeId)),
      el("td", { title: new Date(item.movedAt).toLocaleString() }, new Date(item.movedAt).toLocaleString()),
      el("td", { "data-testid": "backlog-reason" }, item.reason)));
    $("backlog-rows").replaceChildren(...rows);
    $("backlog-empty").hidden = backlog.total === null || rows.length > 0;
    $("backlog-position").textContent = rows.length > 0 ? "Showing " + rows.length + " of " + backlog.total : "";
    $("backlog-more").hidden = backlog.next === null;
    $("backlog-more").disabled = backlog.busy;
  }

  $("backlog-more").addEventListener("click", () => readBacklog(true));

  // ---- reassign ---------------------------------------------------------------------------------------

  $("reassign-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearMessages();
    const appId = $("reassign-app").value.trim();
    const target = $("reassign-target").value;
    if (!appId || !target) {
      showBanner(!appId ? "Enter the app ID to reassign." : "Choose the target node.");
      return;
    }
    $("reassign-submit").disabled = true;
    try {
      await api("POST", "/admin/runtime-nodes/reassign", { appId, targetNodeId: Number(target) });
      showNotice("App " + appId + " is now placed on " + nodeLabel(target) + ".");
      $("reassign-app").value = "";
    } catch (error) {
      fail(error);
    } finally {
      $("reassign-submit").disabled = false;
    }
  });

  // ---- drain ------------------------------------------------------------------------------------------

  function hideDrainPlan() {
    state.drainRequest = null;
    $("drain-plan").hidden = true;
  }

  // A preview answers for the form as it was: any change makes the operator preview again before confirming.
  for (const id of ["drain-source", "drain-target", "drain-limit"]) {
    $(id).addEventListener("input", hideDrainPlan);
    $(id).addEventListener("change", hideDrainPlan);
  }
  $("drain-cancel").addEventListener("click", hideDrainPlan);

  function countsTable(table, counts) {
    const entries = Object.entries(counts || {});
    const rows = entries.map(([nodeId, count]) => el("tr", { "data-testid": "target-count", "data-node-id": nodeId },
      el("td", { "data-testid": "target-name" }, nodeLabel(nodeId)),
      el("td", { className: "num", "data-testid": "target-apps" }, count)));
    if (rows.length === 0) {
      rows.push(el("tr", {}, el("td", { colspan: "2", className: "muted" }, "None")));
    }
    table.tBodies[0].replaceChildren(...rows);
  }

  $("drain-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearMessages();
    hideDrainPlan();
    $("drain-result").hidden = true;
    const source = $("drain-source").value;
    if (!source) {
      showBanner("Choose the node to drain.");
      return;
    }
    const target = $("drain-target").value;
    const limit = $("drain-limit").value.trim();
    const request = {
      sourceNodeId: Number(source),
      targetNodeId: target ? Number(target) : null,
      // Left empty, the service's default applies; out of range, the service says what is allowed.
      limit: limit === "" ? null : Number(limit)
    };
    $("drain-preview").disabled = true;
    try {
      const { data } = await api("POST", "/admin/runtime-nodes/drain", { ...request, dryRun: true });
      state.drainRequest = request;
      $("drain-planned").textContent = data.plan.length;
      $("drain-on-source").textContent = data.remaining;
      countsTable($("drain-plan-by-target"), data.plannedByTarget);
      $("drain-plan-rows").tBodies[0].replaceChildren(...data.plan.slice(0, PLAN_ROWS_SHOWN).map((move) =>
        el("tr", { "data-testid": "plan-row" },
          el("td", { className: "mono" }, move.appId),
          el("td", {}, nodeLabel(move.fromNodeId)),
          el("td", {}, nodeLabel(move.toNodeId)))));
      const more = data.plan.length - PLAN_ROWS_SHOWN;
      $("drain-plan-more").textContent = more > 0 ? "…and " + more + " more." : "";
      $("drain-plan-more").hidden = more <= 0;
      $("drain-confirm").disabled = data.plan.length === 0;
      $("drain-confirm").textContent = data.plan.length === 0 ? "Nothing to move"
        : "Move " + data.plan.length + (data.plan.length === 1 ? " app" : " apps");
      $("drain-plan").hidden = false;
    } catch (error) {
      fail(error);
    } finally {
      $("drain-preview").disabled = false;
    }
  });

  $("drain-confirm").addEventListener("click", async () => {
    const request = state.drainRequest;
    if (!request) {
      return;
    }
    clearMessages();
    $("drain-confirm").disabled = true;
    try {
      const { data } = await api("POST", "/admin/runtime-nodes/drain", { ...request, dryRun: false });
      hideDrainPlan();
      $("drain-moved").textContent = data.moved;
      $("drain-remaining").textContent = data.remaining;
      countsTable($("drain-moved-by-target"), data.movedByTarget);
      $("drain-again").hidden = data.remaining === 0;
      $("drain-result").hidden = false;
    } catch (error) {
      fail(error);
    } finally {
      $("drain-confirm").disabled = false;
    }
  });

  // ---- start ------------------------------------------------------------------------------------------

  if (state.token) {
    showConsole();
    startWatching();
  } else {
    signOut("");
  }
})();
