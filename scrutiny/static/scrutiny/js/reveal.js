// Follow-up questions ("If yes, ...") shown only once their answer asks for them.
// Progressive enhancement: without this script every question shows, and the server checks
// them all the same. A question with an error stays shown whatever the answer.
(function () {
  "use strict";

  function answer(name) {
    var checked = document.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function update(group) {
    var value = answer(group.getAttribute("data-reveal-when"));
    var values = group.getAttribute("data-reveal-values").split(" ");
    var show = group.hasAttribute("data-reveal-unless")
      ? value !== "" && values.indexOf(value) === -1
      : values.indexOf(value) !== -1;
    if (group.querySelector(".form-group--error")) {
      show = true;
    }
    group.hidden = !show;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var groups = document.querySelectorAll("[data-reveal-when]");
    Array.prototype.forEach.call(groups, function (group) {
      var inputs = document.querySelectorAll(
        'input[name="' + group.getAttribute("data-reveal-when") + '"]'
      );
      Array.prototype.forEach.call(inputs, function (input) {
        input.addEventListener("change", function () {
          update(group);
        });
      });
      update(group);
    });
  });
})();
