// Galley console: progressive enhancement only. Every page works without this file; with it, statuses and logs
// update live (server-sent events), times read as "3 min ago", ids copy with one click, and the cook form previews.
// Everything user-written is inserted as text (textContent / text nodes), never as HTML.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function relative(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) return null;
    var s = Math.round((Date.now() - t) / 1000), future = s < 0;
    s = Math.abs(s);
    var text = s < 45 ? "just now" : s < 3600 ? Math.round(s / 60) + " min" : s < 86400 ? Math.round(s / 3600) + " h"
      : Math.round(s / 86400) + " d";
    return text === "just now" ? text : future ? "in " + text : text + " ago";
  }
  function times(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var iso = el.getAttribute("datetime");
      if (!iso || iso === "—") return;
      var r = relative(iso);
      if (r) { if (!el.title) el.title = el.textContent; el.textContent = r; }
    });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("button.copy[data-copy]");
    if (!b || !navigator.clipboard) return;
    navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () {
      var old = b.textContent;
      b.textContent = "Copied"; b.classList.add("copied");
      setTimeout(function () { b.textContent = old; b.classList.remove("copied"); }, 1200);
    });
  });

  function setStatus(el, status, cls) {
    if (!el || el.textContent === status) return;
    el.textContent = status;
    el.className = cls + " changed";
  }

  // Jobs list: each row's status badge follows its job.
  document.querySelectorAll("table[data-live]").forEach(function (table) {
    var url = table.getAttribute("data-live");
    if (!url) return;
    var es = new EventSource(url);
    es.addEventListener("job", function (e) {
      var j = JSON.parse(e.data);
      var row = table.querySelector('tr[data-job="' + j.uuid + '"]');
      if (row) setStatus(row.querySelector("[data-status]"), j.status, j.status_class);
    });
    es.addEventListener("done", function () { es.close(); });
    es.addEventListener("gone", function () { es.close(); });
  });

  // A job's page: on every change the live part (status, reason, runs) is fetched again and swapped in.
  var live = document.querySelector("#live[data-live]");
  if (live && live.getAttribute("data-live")) {
    var es = new EventSource(live.getAttribute("data-live")), first = true;
    var refresh = function () {
      fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("#live"), badge = doc.querySelector(".head [data-status]");
        if (fresh) { live.replaceChildren.apply(live, Array.from(fresh.childNodes)); times(live); }
        if (badge) setStatus(document.querySelector(".head [data-status]"), badge.textContent, badge.className);
      });
    };
    es.addEventListener("job", function () { if (first) { first = false; return; } refresh(); });
    es.addEventListener("done", function () { es.close(); refresh(); });
    es.addEventListener("gone", function () { es.close(); });
  }

  // A run's page: the log follows the run; then the status and exit code are filled in.
  var logs = document.querySelector("pre[data-live-logs]");
  if (logs && logs.getAttribute("data-live-logs")) {
    var les = new EventSource(logs.getAttribute("data-live-logs"));
    var stick = function () { return logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 8; };
    les.addEventListener("reset", function () { logs.textContent = ""; });
    les.addEventListener("log", function (e) {
      var atEnd = stick();
      logs.appendChild(document.createTextNode(e.data));
      if (atEnd) logs.scrollTop = logs.scrollHeight;
    });
    les.addEventListener("end", function (e) {
      les.close();
      var r = JSON.parse(e.data);
      setStatus(document.getElementById("run-status"), r.status, r.status_class);
      document.getElementById("exit-code").textContent = r.exit_code;
      var ended = document.getElementById("ended");
      if (ended && r.ended_at) { ended.setAttribute("datetime", r.ended_at); ended.title = r.ended_at; ended.textContent = relative(r.ended_at) || r.ended_at; }
    });
  }

  // The cook form: a preview of the job it would create, from the API's dry run, as the fields change.
  var form = document.querySelector("form[data-preview]");
  if (form) {
    var target = document.getElementById("preview"), timer = null, seq = 0;
    var preview = function () {
      var mine = ++seq;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.getAttribute("data-preview"), {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRF-Token": form.querySelector("input[name=_csrf]").value }
      }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        if (html === null || mine !== seq) return;
        // Our own server-rendered fragment, in which every user-written value is already escaped.
        var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
        target.replaceChildren.apply(target, Array.from(doc.body.firstChild.childNodes));
      });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(preview, 350); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  times(document);
  setInterval(function () { times(document); }, 60000);
})();
