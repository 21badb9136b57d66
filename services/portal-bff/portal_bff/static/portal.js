/* The portal's only script: enhancements, every page works without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");

  // Theme "system": follow the device's light or dark setting, also when it changes.
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function applySystemTheme() {
    if (root.getAttribute("data-theme-choice") === "system") {
      root.setAttribute("data-bs-theme", media && media.matches ? "dark" : "light");
    }
  }
  applySystemTheme();
  if (media && media.addEventListener) { media.addEventListener("change", applySystemTheme); }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // A select that changes a setting submits its form at once (the button stays for keyboards and no-JS).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); });
    });

    // A user menu (details) closes on Escape and when a click lands elsewhere.
    document.querySelectorAll("details.user-menu").forEach(function (details) {
      document.addEventListener("click", function (event) {
        if (details.open && !details.contains(event.target)) { details.open = false; }
      });
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { details.open = false; details.querySelector("summary").focus(); }
      });
    });

    // Drag and drop onto a file input's zone adds the files to the input.
    document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var list = zone.querySelector("[data-dropzone-files]");
      function show() {
        if (!list) { return; }
        list.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ");
      }
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dropzone-active"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dropzone-active"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
        var files = new DataTransfer();
        Array.prototype.forEach.call(input.files, function (f) { files.items.add(f); });
        Array.prototype.forEach.call(event.dataTransfer.files, function (f) { files.items.add(f); });
        input.files = files.files;
        show();
      });
      input.addEventListener("change", show);
    });

    // The page that hands over to the payment gateway follows its link by itself.
    var follow = document.querySelector("a[data-auto-follow]");
    if (follow) { window.location.assign(follow.href); }

    // The live bandwidth graph reloads itself.
    document.querySelectorAll("img[data-refresh-seconds]").forEach(function (img) {
      var seconds = parseInt(img.getAttribute("data-refresh-seconds"), 10) || 10;
      window.setInterval(function () {
        var url = new URL(img.src, window.location.href);
        url.searchParams.set("t", Date.now().toString());
        img.src = url.toString();
      }, seconds * 1000);
    });
  });
})();
