// Keyboard shortcuts of the staff screens, in the browser alone (no key press goes to the server).
// Alt+Shift+<letter> presses the button whose aria-keyshortcuts names that combination (screen readers
// announce the attribute; the pages also show the shortcut as text). The letter is read from the key's
// position (event.code), so it works on German and other keyboard layouts. Esc presses the element
// marked data-escape-action (e.g. "Präsentation beenden") unless a dialog is open; leaving the
// browser's full screen with Esc does the same, because the browser keeps that Esc to itself.
(function () {
  function escapeAction() {
    if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return null;
    return document.querySelector("[data-escape-action]");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var exit = escapeAction();
      if (exit) { event.preventDefault(); exit.click(); }
      return;
    }
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    if (!event.code || event.code.indexOf("Key") !== 0) return;
    var combination = "Alt+Shift+" + event.code.slice(3);
    var button = document.querySelector('[aria-keyshortcuts="' + combination + '"]');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.focus();
    button.click();
  });
  document.addEventListener("fullscreenchange", function () {
    if (document.fullscreenElement) return;
    var exit = escapeAction();
    if (exit) exit.click();
  });
})();
