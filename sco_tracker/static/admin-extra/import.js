"use strict";
// Imports: while a large file is read and checked (up to a minute for 10,000 rows), say so
// and count the seconds, and keep the form from being sent twice.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.import-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var status = form.querySelector(".import-progress");
      var buttons = form.querySelectorAll("input[type=submit]");
      if (!status) {
        return;
      }
      var started = Date.now();
      var tick = function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        status.textContent = status.dataset.working.replace("{s}", seconds);
      };
      status.hidden = false;
      tick();
      window.setInterval(tick, 1000);
      window.setTimeout(function () {
        buttons.forEach(function (button) { button.disabled = true; });
      }, 0);
    });
  });
});
