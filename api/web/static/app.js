// skillmatch web pages: progressive enhancement only. Every form works without this file.
(function () {
  "use strict";
  const csrf = () => (document.querySelector('input[name="csrf"]') || {}).value || "";

  // Skill autocomplete from the taxonomy (the last comma-separated name is completed).
  function wireSuggest(input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    let timer = null, last = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const parts = input.value.split(",");
        const q = parts[parts.length - 1].trim();
        if (q.length < 2 || q === last) return;
        last = q;
        try {
          const r = await fetch("/web/taxonomy/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" });
          if (!r.ok) return;
          const data = await r.json();
          const prefix = parts.slice(0, -1).map((p) => p.trim()).filter(Boolean);
          list.replaceChildren(...data.items.map((it) => {
            const o = document.createElement("option");
            o.value = prefix.concat([it.name]).join(", ");
            o.label = it.category;
            return o;
          }));
        } catch (e) { /* suggestions are optional */ }
      }, 150);
    });
  }

  // Busy state for slow forms (parsing a job description or a résumé).
  function wireBusy(form) {
    form.addEventListener("submit", (ev) => {
      if (ev.defaultPrevented) return; // stopped before sending (e.g. a file too large)
      const b = form.querySelector('button[type="submit"]');
      if (b) { b.disabled = true; b.textContent = form.dataset.busy; }
    });
  }

  function tooBig(file, max) { return max && file.size > max; }

  function sizeCheck(form) {
    form.addEventListener("submit", (ev) => {
      const input = form.querySelector('input[type="file"]');
      const max = parseInt(form.dataset.maxBytes || "0", 10);
      for (const f of (input && input.files) || []) {
        if (tooBig(f, max)) {
          ev.preventDefault();
          showError(form, `${f.name} is too large (${(f.size / 1e6).toFixed(1)} MB; the limit is ${(max / 1e6).toFixed(1)} MB).`);
          return;
        }
      }
    });
  }

  function showError(form, text) {
    let box = form.parentNode.querySelector(".alert.error.js");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert error js";
      box.setAttribute("role", "alert");
      form.after(box);
    }
    box.textContent = text;
  }

  // Several résumés at once, each with its own progress bar and result.
  function wireUpload(form) {
    const list = document.getElementById("upload-progress");
    const max = parseInt(form.dataset.maxBytes || "0", 10);
    const maxFiles = parseInt(form.dataset.maxFiles || "20", 10);
    form.addEventListener("submit", async (ev) => {
      const input = form.querySelector('input[type="file"]');
      const files = Array.from(input.files || []);
      if (!files.length) return; // let the server say "choose a file"
      ev.preventDefault();
      if (files.length > maxFiles) { showError(form, `Choose at most ${maxFiles} files at once.`); return; }
      list.replaceChildren();
      let ok = 0, bad = 0;
      const rows = files.map((f) => {
        const li = document.createElement("li");
        const name = document.createElement("span");
        name.textContent = f.name;
        const bar = document.createElement("progress");
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", "Upload of " + f.name);
        const msg = document.createElement("span");
        msg.className = "msg";
        li.append(name, bar, msg);
        list.append(li);
        return { f, li, bar, msg };
      });
      const one = (row, attempt = 0) => new Promise((resolve) => {
        if (tooBig(row.f, max)) {
          row.li.className = "bad";
          row.msg.textContent = `Too large (${(row.f.size / 1e6).toFixed(1)} MB; the limit is ${(max / 1e6).toFixed(1)} MB).`;
          bad++; row.bar.value = 100; resolve(); return;
        }
        const fd = new FormData();
        fd.append("csrf", csrf());
        fd.append("files", row.f, row.f.name);
        const xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-CSRF-Token", csrf());
        xhr.upload.onprogress = (e) => { if (e.lengthComputable) row.bar.value = Math.round(90 * e.loaded / e.total); };
        xhr.onload = () => {
          if (xhr.status === 429 && attempt < 60) {  // over this key's limit: wait as told, then send again
            const wait = Math.min(60, Number(xhr.getResponseHeader("Retry-After")) || 1);
            row.msg.textContent = "Waiting for a free slot…";
            setTimeout(() => one(row, attempt + 1).then(resolve), wait * 1000);
            return;
          }
          row.bar.value = 100;
          let body = {};
          try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
          const r = (body.results || [])[0];
          if (xhr.status < 300 && r && r.ok) { ok++; row.li.className = "ok"; row.msg.textContent = r.message; }
          else {
            bad++; row.li.className = "bad";
            row.msg.textContent = (r && r.message) || body.detail || body.message || `Upload failed (HTTP ${xhr.status}).`;
          }
          resolve();
        };
        xhr.onerror = () => { bad++; row.li.className = "bad"; row.msg.textContent = "Network error: the upload did not finish."; resolve(); };
        xhr.send(fd);
      });
      const queue = rows.slice();
      const worker = async () => { while (queue.length) await one(queue.shift()); };
      await Promise.all([worker(), worker()]);
      const done = document.createElement("li");
      done.className = "done";
      done.textContent = `${ok} uploaded, ${bad} failed. `;
      const a = document.createElement("a");
      a.href = location.pathname + location.search;
      a.textContent = "Show the updated ranking";
      done.append(a);
      list.append(done);
      input.value = "";
      if (ok && !bad) setTimeout(() => { location.assign(a.href); }, 1500); // after a moment to read the results
    });
  }

  // "Add another requirement" in the role editor: copy the blank group with the next index.
  function wireEditor(form) {
    const tpl = document.getElementById("new-group");
    const count = document.getElementById("group-count");
    if (!tpl || !count) return;
    const btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = "Add another requirement";
    btn.addEventListener("click", () => {
      const old = tpl.dataset.index;
      const next = parseInt(count.value, 10) + 1;
      const clone = tpl.cloneNode(true);
      clone.removeAttribute("id");
      clone.dataset.index = String(next);
      clone.querySelectorAll("[id],[name],[for]").forEach((el) => {
        for (const attr of ["id", "name", "for"]) {
          const v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(new RegExp("^g" + old + "_"), "g" + next + "_"));
        }
        if (el.tagName === "INPUT" && el.type !== "checkbox") el.value = "";
      });
      clone.querySelector("legend").textContent = "New requirement";
      const chips = clone.querySelector(".chips");
      if (chips) chips.setAttribute("aria-label", "Skills of the new requirement");
      tpl.parentNode.appendChild(clone);
      count.value = String(next);
      clone.querySelectorAll(".skill-input").forEach(wireSuggest);
      clone.querySelector(".skill-input").focus();
    });
    document.getElementById("groups").after(btn);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input.skill-input[list]").forEach(wireSuggest);
    document.querySelectorAll("form.single-upload").forEach(sizeCheck);
    document.querySelectorAll("form[data-busy]").forEach(wireBusy);
    const up = document.getElementById("upload-form");
    if (up) wireUpload(up);
    const ed = document.getElementById("role-editor");
    if (ed) wireEditor(ed);
  });
})();
