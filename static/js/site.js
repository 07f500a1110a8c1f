// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  // Reflow (WCAG 1.4.10): a table wider than its column scrolls inside its own labelled, focusable region
  // instead of widening the page. Templates wrap the tables known to be wide; this catches the rest.
  var regionCount = 0;
  function contain() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-scroll")) { return; }
      var parent = table.parentElement;
      var style = getComputedStyle(parent);
      var room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (table.getBoundingClientRect().width <= room + 1) { return; }
      var region = document.createElement("div");
      region.className = "table-scroll";
      region.setAttribute("role", "region");
      region.setAttribute("tabindex", "0");
      var caption = table.querySelector("caption");
      if (caption) {
        if (!caption.id) { regionCount += 1; caption.id = "table-caption-" + regionCount; }
        region.setAttribute("aria-labelledby", caption.id);
      } else {
        region.setAttribute("aria-label", document.documentElement.lang === "en" ? "Table" : "Tabel");
      }
      parent.insertBefore(region, table);
      region.appendChild(table);
    });
  }
  contain();
  window.addEventListener("resize", contain);

  // Draft autosave (the review form): a form with data-autosave-url is posted in the background a few seconds
  // after the last change. The server answers with the new lock_version, which the form then carries, so the
  // buttons keep working; a refusal is only reported in the status line (the input stays on the page).
  document.querySelectorAll("form[data-autosave-url]").forEach(function (form) {
    var status = form.querySelector("[role=status]");
    var lock = form.querySelector("input[name=lock_version]");
    var timer = null;
    var busy = false;
    var dirty = false;
    var pendingSubmit = null;
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      timer = null;
      if (busy) { dirty = true; return; }
      busy = true;
      dirty = false;
      fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().then(function (data) {
          if (data.saved && lock) { lock.value = data.lock_version; }
          if (data.message) { say(data.message); }
        });
      }).catch(function () {
        say(form.dataset.autosaveOffline || "");
      }).finally(function () {
        busy = false;
        if (pendingSubmit) { var button = pendingSubmit; pendingSubmit = null; form.requestSubmit(button); }
        else if (dirty) { schedule(); }
      });
    }
    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 3000);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function (event) {
      if (timer) { clearTimeout(timer); timer = null; }
      // A background save is under way: submit once it is done, with the lock_version it returns.
      if (busy) { event.preventDefault(); pendingSubmit = event.submitter || null; if (!pendingSubmit) { pendingSubmit = form.querySelector("button[type=submit]"); } }
    });
  });
});
