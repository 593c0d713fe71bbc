// Searchable pickers, as progressive enhancement of plain form controls.
//
// Each <input data-filter-for="ID"> narrows the control with that id as the
// person types: the options of a <select>, or the checkbox rows of a
// CheckboxSelectMultiple. Without JavaScript the filter stays hidden and the
// full list works as it is. A polite live region says how many match, so screen
// reader users hear the effect of typing. Checked or selected entries never hide.
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function entriesOf(target) {
    if (target.tagName === "SELECT") {
      return Array.from(target.options).map(function (option) {
        return { node: option, text: option.text, kept: function () { return option.selected; } };
      });
    }
    return Array.from(target.querySelectorAll("input[type=checkbox]")).map(function (box) {
      var row = box.closest("div") || box.parentElement;
      return { node: row, text: row.textContent, kept: function () { return box.checked; } };
    });
  }

  function filter(input, target, status) {
    var words = normalise(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    entriesOf(target).forEach(function (entry) {
      var text = normalise(entry.text);
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      var visible = match || entry.kept();
      entry.node.hidden = !visible;
      if (match) { shown += 1; }
    });
    if (target.tagName === "SELECT") {
      Array.from(target.querySelectorAll("optgroup")).forEach(function (group) {
        group.hidden = !Array.from(group.children).some(function (option) { return !option.hidden; });
      });
    }
    var template = shown === 1 ? input.dataset.oneMatch : input.dataset.manyMatches;
    status.textContent = words.length ? template.replace("%(count)s", shown) : "";
  }

  document.querySelectorAll("[data-filter-for]").forEach(function (input) {
    var target = document.getElementById(input.dataset.filterFor);
    var status = document.getElementById(input.dataset.filterFor + "_filter_status");
    if (!target || !status) { return; }
    input.closest(".picker-filter").hidden = false;
    input.addEventListener("input", function () { filter(input, target, status); });
    input.addEventListener("keydown", function (event) {
      // Enter picks the first match in a select instead of submitting the form.
      if (event.key === "Enter") {
        event.preventDefault();
        if (target.tagName === "SELECT") {
          var first = Array.from(target.options).find(function (option) { return !option.hidden; });
          if (first) { target.value = first.value; target.focus(); }
        }
      }
    });
  });

  // Copy buttons: <button data-copy="ID"> copies the value of that input.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copy + "_copy_status");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { if (status) { status.textContent = button.dataset.copied; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select();
        });
      } else {
        field.select();
        if (document.execCommand("copy")) { done(); }
      }
    });
  });
})();
