/* Accessible names for the admin's pickers (select2 autocompletes).
 *
 * select2 names its combobox by the element showing the current choice, which is empty
 * when nothing is chosen, and its search box in multiple pickers by nothing at all; its
 * "clear" button sits inside a list. Each picker is named by its field's label (and the
 * current choice), and the clear button moved out of the list, whenever select2 draws.
 */
(function () {
  "use strict";

  function labelFor(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = select.id + "-label";
    }
    return label;
  }

  function name(select) {
    var label = labelFor(select);
    var container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    var combobox = container.querySelector('[role="combobox"]');
    var rendered = container.querySelector(".select2-selection__rendered");
    if (combobox) {
      var ids = [label.id];
      if (rendered && rendered.id && rendered.textContent.trim()) {
        ids.push(rendered.id);
      }
      combobox.setAttribute("aria-labelledby", ids.join(" "));
    }
    if (rendered && rendered.getAttribute("role")) {
      rendered.setAttribute("aria-labelledby", label.id);
    }
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      field.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    });
    container.querySelectorAll("ul > .select2-selection__clear").forEach(function (clear) {
      clear.parentNode.parentNode.insertBefore(clear, clear.parentNode);
    });
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameAll();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
  });
})();
